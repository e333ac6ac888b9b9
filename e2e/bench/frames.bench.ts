// Frame times while requests fly across the map: ~500 dots in flight, then a 1000-request
// batch drawn as flows. Prints the numbers; it asserts nothing about time (no timed tests).
import { test, expect } from "../tests/fixtures";
import { articleCluster, freshLab } from "../tests/lab";

type Stats = { frames: number; meanMs: number; p95Ms: number; worstMs: number; fps: number };

async function measure(page: import("@playwright/test").Page, action: () => Promise<void>): Promise<Stats> {
  await page.evaluate(() => ((window as any).svclabFrameTimes = []));
  await action();
  // Let every flight land (1.5 s of launches + 1.2 s of flight at speed 1).
  await page.waitForTimeout(3200);
  const times: number[] = await page.evaluate(() => (window as any).svclabFrameTimes ?? []);
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((s, t) => s + t, 0) / Math.max(times.length, 1);
  return {
    frames: times.length,
    meanMs: +mean.toFixed(2),
    p95Ms: +(sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(2),
    worstMs: +(sorted[sorted.length - 1] ?? 0).toFixed(2),
    fps: +(1000 / mean).toFixed(1),
  };
}

test("frame times with requests in flight", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  const dots = await measure(page, async () => {
    for (let i = 0; i < 6; i++) await page.getByTestId("send-100").click();
    await page.waitForTimeout(700);
    await page.screenshot({ path: `screenshots/bench-dots.png` });
  });
  const flows = await measure(page, async () => {
    await page.getByTestId("send-1000").click();
    await page.waitForTimeout(900);
    await page.screenshot({ path: `screenshots/bench-flows.png` });
  });
  console.log(`dots (600 requests, ~500 in flight): ${JSON.stringify(dots)}`);
  console.log(`flows (1000 requests): ${JSON.stringify(flows)}`);
  info.annotations.push({ type: "dots", description: JSON.stringify(dots) });
  info.annotations.push({ type: "flows", description: JSON.stringify(flows) });
  expect(dots.frames).toBeGreaterThan(0);
  expect(flows.frames).toBeGreaterThan(0);
});

test("the editor's check round trip for the article's files", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await page.evaluate(() => ((window as any).svclabCheckTimes = []));
  await page.locator("#tab-files").click();
  const files = ["kind-config.yaml", "nginx-replicaset.yaml", "nginx-service-clusterip.yaml", "nginx-service-nodeport.yaml"];
  for (let round = 0; round < 5; round++) {
    for (const f of files) {
      await page.getByRole("tab", { name: f, exact: true }).click();
      const editor = page.getByTestId("editor");
      await editor.press("End");
      await editor.pressSequentially(" ");
      await page.waitForTimeout(400);
      await editor.press("Backspace");
      await page.waitForTimeout(400);
    }
  }
  const times: number[] = await page.evaluate(() => (window as any).svclabCheckTimes ?? []);
  const sorted = [...times].sort((a, b) => a - b);
  const stats = {
    checks: times.length,
    medianMs: +(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(2),
    p95Ms: +(sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(2),
    worstMs: +(sorted[sorted.length - 1] ?? 0).toFixed(2),
  };
  console.log(`editor check round trip (page → worker → page, after the 250 ms pause): ${JSON.stringify(stats)}`);
  expect(times.length).toBeGreaterThan(0);
});
