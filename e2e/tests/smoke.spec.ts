// The built page loads, runs its WebAssembly, logs no error and asks nothing of the network.
import { test, expect } from "./fixtures";

test("the lab loads with no console error and no request leaving 127.0.0.1", async ({ lab }, info) => {
  const { page } = lab;
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1, name: "Service Lab" })).toBeVisible();
  // The version badge is rendered by the WebAssembly module, so the module really ran.
  await expect(page.getByTestId("sim-version")).toHaveText(/^simulator v\d+\.\d+\.\d+$/);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `screenshots/${info.project.name}-home.png`, fullPage: true });
  expect(lab.consoleErrors).toEqual([]);
  expect(lab.offsiteRequests).toEqual([]);
});
