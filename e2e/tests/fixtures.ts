// A page fixture that records what a spec must never see: console errors, uncaught
// exceptions, and any request that leaves 127.0.0.1 (the lab runs offline).
import { test as base, expect, type Page } from "@playwright/test";

export type LabPage = {
  page: Page;
  consoleErrors: string[];
  offsiteRequests: string[];
};

function isLocal(url: string): boolean {
  if (url.startsWith("data:") || url.startsWith("blob:")) return true;
  try {
    return new URL(url).hostname === "127.0.0.1";
  } catch {
    return false;
  }
}

export const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page }, use) => {
    const lab: LabPage = { page, consoleErrors: [], offsiteRequests: [] };
    page.on("console", (msg) => {
      if (msg.type() === "error") lab.consoleErrors.push(msg.text());
    });
    page.on("pageerror", (err) => lab.consoleErrors.push(String(err)));
    // Record and block anything that is not 127.0.0.1, so a leak fails the spec instead of hanging.
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      lab.offsiteRequests.push(url);
      return route.abort();
    });
    await use(lab);
  },
});

export { expect };
