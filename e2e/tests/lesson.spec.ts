// Lesson 1 walked end to end by its own buttons: every step's commands typed by "Type it",
// every check turning green, the step kept across a reload.
import { test, expect } from "./fixtures";
import { freshLab } from "./lab";

test("lesson 1, ClusterIP and NodePort, by its buttons: every check turns green", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await expect(page.getByTestId("lesson")).toBeVisible();
  const stepLabel = page.getByTestId("lesson-step");
  await expect(stepLabel).toHaveText(/^step 1 of \d+$/);
  const total = Number(/of (\d+)/.exec((await stepLabel.textContent()) ?? "")?.[1]);
  expect(total).toBe(10);
  for (let n = 1; n <= total; n++) {
    await expect(stepLabel).toHaveText(`step ${n} of ${total}`);
    const checks = page.getByTestId("lesson-check");
    // The step is not done before its commands run.
    await expect(page.locator("[data-testid=lesson-check][data-met=false]")).not.toHaveCount(0);
    const buttons = page.getByTestId("type-command");
    const count = await buttons.count();
    for (let i = 0; i < count; i++) {
      await buttons.nth(i).click();
      await page.waitForTimeout(150);
    }
    for (const c of await checks.all()) await expect(c).toHaveAttribute("data-met", "true");
    if (n === 9) await page.screenshot({ path: `screenshots/${info.project.name}-lesson-chains.png` });
    if (n < total) await page.getByTestId("lesson-next").click();
  }
  await page.screenshot({ path: `screenshots/${info.project.name}-lesson-done.png` });
  // The step survives a reload, and so does the lab behind it.
  await page.reload();
  await expect(page.getByTestId("lesson-step")).toHaveText(`step ${total} of ${total}`);
  for (const c of await page.getByTestId("lesson-check").all()) await expect(c).toHaveAttribute("data-met", "true");
  // Alt+← goes back a step.
  await page.keyboard.press("Alt+ArrowLeft");
  await expect(page.getByTestId("lesson-step")).toHaveText(`step ${total - 1} of ${total}`);
  expect(lab.consoleErrors).toEqual([]);
});
