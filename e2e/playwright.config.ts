// Playwright drives the release build of the lab in Debian's Chromium (no browser download).
import { defineConfig } from "@playwright/test";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // The site root, as `trunk build --release` makes it.
    { name: "root", use: { baseURL: "http://127.0.0.1:4173/" } },
    // The same app built with --public-url /service-lab/, as a project page is hosted.
    { name: "subpath", use: { baseURL: "http://127.0.0.1:4174/service-lab/" } },
  ],
  webServer: [
    { command: "node serve.mjs ../dist 4173 /", url: "http://127.0.0.1:4173/", reuseExistingServer: false },
    {
      command: "node serve.mjs ../dist-subpath 4174 /service-lab/",
      url: "http://127.0.0.1:4174/service-lab/",
      reuseExistingServer: false,
    },
  ],
});
