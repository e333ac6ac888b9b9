// A class shares a lab: the seed sets every random choice, and a share link carries the files
// and the seed byte for byte into another browser.
import { test, expect } from "./fixtures";
import { articleCluster, freshLab, open } from "./lab";

const NOTE = "# 共有メモ: <b>not markup</b> & \"quotes\"\t\n";

test("a share link opens the same files and seed in a fresh browser", async ({ lab, browser }, info) => {
  const { page } = lab;
  await freshLab(page);
  page.on("dialog", (d) => d.accept("42"));
  await page.getByTestId("seed").click();
  await expect(page.getByTestId("seed")).toHaveText("seed 42");
  await open(page, "manifests/nginx-service-nodeport.yaml");
  const editor = page.getByTestId("editor");
  const edited = NOTE + (await editor.inputValue());
  await editor.fill(edited);
  await page.getByTestId("share").click();
  const url = await page.getByTestId("share-link").inputValue();
  expect(url).toMatch(/#lab=[A-Za-z0-9_-]+$/);
  await page.screenshot({ path: `screenshots/${info.project.name}-share.png` });

  const other = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const second = await other.newPage();
  const errors: string[] = [];
  second.on("pageerror", (e) => errors.push(String(e)));
  await second.goto(url);
  await expect(second.getByTestId("seed")).toHaveText("seed 42");
  await open(second, "manifests/nginx-service-nodeport.yaml");
  await expect(second.getByTestId("editor")).toHaveValue(edited);
  // The link's text stays text: no element was made from it.
  expect(await second.locator(".lab-editor b").count()).toBe(0);
  // The fragment is dropped once read, so a reload keeps what the learner does next.
  expect(new URL(second.url()).hash).toBe("");
  expect(errors).toEqual([]);
  await other.close();
});

test("the same seed gives the same pod names and IPs in two browsers", async ({ lab, browser }) => {
  const { page } = lab;
  await freshLab(page);
  page.on("dialog", (d) => d.accept("7"));
  await page.getByTestId("seed").click();
  await expect(page.getByTestId("seed")).toHaveText("seed 7");
  await articleCluster(page);
  const pods = () => page.locator("[data-testid=pod]").evaluateAll((els) => els.map((e) => e.getAttribute("data-pod") + " " + e.querySelector(".lab-pod__ip")?.textContent));
  const first = await pods();

  const other = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const second = await other.newPage();
  await freshLab(second);
  second.on("dialog", (d) => d.accept("7"));
  await second.getByTestId("seed").click();
  await expect(second.getByTestId("seed")).toHaveText("seed 7");
  await articleCluster(second);
  const again = await second.locator("[data-testid=pod]").evaluateAll((els) => els.map((e) => e.getAttribute("data-pod") + " " + e.querySelector(".lab-pod__ip")?.textContent));
  expect(again).toEqual(first);
  await other.close();

  // Another seed, other names.
  page.removeAllListeners("dialog");
  page.on("dialog", (d) => d.accept(d.type() === "prompt" ? "8" : undefined));
  await page.getByTestId("seed").click();
  await expect(page.getByTestId("seed")).toHaveText("seed 8");
  await articleCluster(page);
  expect(await pods()).not.toEqual(first);
});

test("a damaged share link says so and leaves the saved lab alone", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await page.goto("./#lab=AAAA");
  await page.reload();
  await expect(page.getByTestId("terminal-output")).toContainText("service-lab: the share link is damaged");
  await expect(page.getByTestId("seed")).toHaveText("seed 1");
});
