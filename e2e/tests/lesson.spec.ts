// Every lesson walked end to end by its own buttons: restarted fresh, each step's commands typed
// by "Type it", every check turning green; the step kept across a reload.
import { test, expect, type Page } from "@playwright/test";
import { test as labTest } from "./fixtures";
import { freshLab } from "./lab";

/** Clicks the step's action buttons and checks what each one shows in the step. */
async function actions(page: Page, shot: string) {
  const buttons = page.getByTestId("lesson-action");
  const count = await buttons.count();
  for (let i = 0; i < count; i++) {
    const button = buttons.nth(i);
    const label = (await button.textContent()) ?? "";
    await button.click();
    if (label.startsWith("Send")) {
      await expect(page.getByTestId("lesson-shares")).toBeVisible();
      await expect(page.getByTestId("share-row")).not.toHaveCount(0);
    } else if (label.startsWith("Trace")) {
      await expect(page.getByTestId("lesson-trace-ending")).toHaveText(/\S/);
    } else {
      await expect(page.getByTestId("lesson-inspection")).toContainText(/^Chain KUBE-SVC-\w{16} \(\d+ references\)/);
      // The lessons' chain button (lesson 1's) lights the lines with the probabilities.
      const probabilityLines = page.locator("[data-testid=lesson-inspection] .lab-inspector__line", { hasText: "probability" });
      await expect(probabilityLines).not.toHaveCount(0);
      for (const line of await probabilityLines.all()) await expect(line).toHaveClass(/lab-inspector__line--hit/);
      await page.getByTestId("lesson-inspection").screenshot({ path: `${shot}-chain.png` });
    }
  }
  return count;
}

/** Shows the step in Japanese for a screenshot, then goes back to English. */
async function shootBothLanguages(page: Page, shot: string) {
  await page.screenshot({ path: `${shot}-en.png` });
  await page.getByTestId("language").click();
  await expect(page.getByTestId("lesson-step")).toHaveText(/^ステップ/);
  await page.screenshot({ path: `${shot}-ja.png` });
  await page.getByTestId("language").click();
  await expect(page.getByTestId("lesson-step")).toHaveText(/^step/);
}

async function walk(page: Page, shot: string) {
  const stepLabel = page.getByTestId("lesson-step");
  await expect(stepLabel).toHaveText(/^step 1 of \d+$/);
  const total = Number(/of (\d+)/.exec((await stepLabel.textContent()) ?? "")?.[1]);
  for (let n = 1; n <= total; n++) {
    await expect(stepLabel).toHaveText(`step ${n} of ${total}`);
    // The step is not done before its commands run.
    await expect(page.locator("[data-testid=lesson-check][data-met=false]")).not.toHaveCount(0);
    const buttons = page.getByTestId("type-command");
    const count = await buttons.count();
    for (let i = 0; i < count; i++) {
      await buttons.nth(i).click();
      await page.waitForTimeout(150);
    }
    for (const c of await page.getByTestId("lesson-check").all()) await expect(c).toHaveAttribute("data-met", "true");
    // What the step points at on the map stands out.
    const focus = await page.getByTestId("lesson").getAttribute("data-focus");
    if (focus?.startsWith("node:")) await expect(page.locator(`[data-node="${focus.slice(5)}"]`)).toHaveClass(/lab-focus/);
    if (focus?.startsWith("service:")) await expect(page.locator("[data-testid=service].lab-focus")).toHaveCount(1);
    // Only while the lesson is the open tab: someone in the files sees no outline.
    if (focus && n === 1) {
      await page.locator("#tab-files").click();
      await expect(page.locator(".lab-focus")).toHaveCount(0);
      await page.locator("#tab-lesson").click();
      await expect(page.locator(".lab-focus")).toHaveCount(1);
    }
    if ((await actions(page, `${shot}-step${n}`)) > 0 || n === 1) await shootBothLanguages(page, `${shot}-step${n}`);
    if (n < total) await page.getByTestId("lesson-next").click();
  }
  return total;
}

labTest("every lesson, by its buttons: each check turns green", async ({ lab }, info) => {
  // Five lessons walked step by step, with screenshots in both languages: more than 30 s.
  labTest.slow();
  const { page } = lab;
  await freshLab(page);
  page.on("dialog", (d) => d.accept());
  const ids = await page.getByTestId("lesson-picker").locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(ids).toEqual(["clusterip-nodeport", "loadbalancer-externalname", "traffic-policy", "headless-statefulset", "persistent-storage"]);
  let total = 0;
  for (const id of ids) {
    await page.getByTestId("lesson-picker").selectOption(id);
    await page.getByTestId("restart-lesson").click();
    await expect(page.getByTestId("node")).toHaveCount(0);
    total = await walk(page, `screenshots/${info.project.name}-lesson-${id}`);
  }
  // The last lesson's step survives a reload, and so does the lab behind it.
  await page.reload();
  await expect(page.getByTestId("lesson-step")).toHaveText(`step ${total} of ${total}`);
  for (const c of await page.getByTestId("lesson-check").all()) await expect(c).toHaveAttribute("data-met", "true");
  // Alt+← goes back a step.
  await page.keyboard.press("Alt+ArrowLeft");
  await expect(page.getByTestId("lesson-step")).toHaveText(`step ${total - 1} of ${total}`);
  expect(lab.consoleErrors).toEqual([]);
});

test("the lesson reads in Japanese", async ({ browser }, info) => {
  const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(info.project.use.baseURL ?? "./");
  await expect(page.getByTestId("lesson-step")).toHaveText(/^ステップ 1 \/ 10$/);
  await expect(page.getByTestId("lesson")).toContainText("3 ノードの kind クラスター");
  await page.getByTestId("type-command").first().click();
  await expect(page.getByTestId("lesson-check").first()).toHaveAttribute("data-met", "true");
  await page.screenshot({ path: `screenshots/${info.project.name}-lesson-ja.png` });
  await context.close();
});

labTest("presenter mode shows the seed big and a class link that opens the same lesson, step and seed", async ({ lab, browser }, info) => {
  const { page } = lab;
  await freshLab(page);
  await page.getByTestId("lesson-picker").selectOption("traffic-policy");
  await page.getByTestId("lesson-next").click();
  await page.getByTestId("lesson-next").click();
  await page.getByTestId("presenter").click();
  await expect(page.getByTestId("presenter")).toHaveAttribute("aria-pressed", "true");
  const seedSize = await page.getByTestId("seed").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(seedSize).toBeGreaterThan(20);
  const link = await page.getByTestId("class-link").inputValue();
  expect(link).toMatch(/#lesson=traffic-policy&step=3&seed=1$/);
  await page.screenshot({ path: `screenshots/${info.project.name}-presenter.png` });
  // Panels hide on demand: without the terminal the map takes the right column.
  const mapHeight = async () => (await page.locator(".lab-map").boundingBox())?.height ?? 0;
  const withTerminal = await mapHeight();
  await page.getByTestId("toggle-terminal").click();
  await expect(page.getByTestId("terminal-input")).toBeHidden();
  expect(await mapHeight()).toBeGreaterThan(withTerminal + 100);
  await page.getByTestId("toggle-left").click();
  await expect(page.getByTestId("lesson")).toBeHidden();
  await page.screenshot({ path: `screenshots/${info.project.name}-presenter-map-only.png` });
  await page.getByTestId("toggle-terminal").click();
  await page.getByTestId("toggle-left").click();
  await expect(page.getByTestId("terminal-input")).toBeVisible();

  // A student opens the teacher's link with another seed in it: same lesson, step and seed.
  const student = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await student.newPage();
  await other.goto(link.replace("seed=1", "seed=7"));
  await expect(other.getByTestId("lesson-step")).toHaveText("step 3 of 6");
  await expect(other.getByTestId("seed")).toHaveText("seed 7");
  expect(new URL(other.url()).hash).toBe("");
  await student.close();
  expect(lab.consoleErrors).toEqual([]);
});
