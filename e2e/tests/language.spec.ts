// The page speaks Japanese and English: chosen from the browser, switchable, and remembered.
import { test, expect } from "./fixtures";
import { articleCluster, freshLab } from "./lab";

test("a Japanese browser gets the Japanese page; the switch and the choice survive a reload", async ({ browser }, info) => {
  const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(info.project.use.baseURL ?? "./");
  await expect(page.getByTestId("sim-version")).toHaveText(/^シミュレーター v/);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("tab", { name: "ファイル" })).toBeVisible();
  await page.getByRole("tab", { name: "ファイル" }).click();
  await expect(page.getByTestId("apply-file")).toHaveText("クラスター作成");
  await page.getByTestId("apply-file").click();
  await expect(page.getByTestId("node")).toHaveCount(3);
  // Tool output stays as the real tools print it.
  await expect(page.getByTestId("terminal-output")).toContainText("Creating cluster \"service-demo\" ...");
  await page.screenshot({ path: `screenshots/${info.project.name}-ja.png` });
  await page.getByTestId("language").click();
  await expect(page.getByTestId("apply-file")).toHaveText("Create cluster");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await expect(page.getByTestId("sim-version")).toHaveText(/^simulator v/);
  expect(errors).toEqual([]);
  await context.close();
});

test("the Japanese page reads well with the article's cluster", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await page.getByTestId("language").click();
  await articleCluster(page);
  await page.getByTestId("send-100").click();
  await expect(page.getByTestId("traffic-totals")).toHaveText("送信 100 = 応答 100 + 失敗 0");
  await page.screenshot({ path: `screenshots/${info.project.name}-ja-traffic.png` });
  expect(lab.consoleErrors).toEqual([]);
});
