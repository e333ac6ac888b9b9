// The page benchmark (not part of `cargo xtask test`): frame times of the map's animation in
// headless Chromium. Run with `cargo xtask bench-page` after `cargo xtask dist`.
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  testDir: "./bench",
  testMatch: /.*\.bench\.ts$/,
  projects: [{ name: "root", use: { baseURL: "http://127.0.0.1:4173/" } }],
  webServer: [{ command: "node serve.mjs ../dist 4173 /", url: "http://127.0.0.1:4173/", reuseExistingServer: false }],
});
