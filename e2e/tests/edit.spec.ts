// kubectl edit as a learner uses it: the editor opens over the page on the object's YAML, a
// save changes the Service on the map, an invalid save comes back with kubectl's reasons, and
// the edit survives a reload.
import { test, expect } from "./fixtures";
import { articleCluster, freshLab, run } from "./lab";

test("kubectl edit opens the Service, a save changes its node port, and the change survives a reload", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await run(page, "kubectl edit svc nginx-service -n dev");
  const dialog = page.getByTestId("edit-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(/kubectl edit — \/tmp\/kubectl-edit-\d+\.yaml/);
  const text = page.getByTestId("edit-text");
  await expect(text).toBeFocused();
  const buffer = await text.inputValue();
  expect(buffer).toContain("# Please edit the object below.");
  expect(buffer).toContain("nodePort: 30000");
  await expect(page.getByTestId("terminal-input")).toBeDisabled();
  await page.screenshot({ path: `screenshots/${info.project.name}-edit.png` });

  // An invalid port: kubectl says so and reopens the editor with the reason on top.
  await text.fill(buffer.replace("nodePort: 30000", "nodePort: 99999"));
  await page.getByTestId("edit-save").click();
  const output = page.getByTestId("terminal-output");
  await expect(output).toContainText('error: services "nginx-service" is invalid');
  await expect(dialog).toBeVisible();
  await expect(text).toHaveValue(/# services "nginx-service" was not valid:\n# \* spec\.ports\[0\]\.nodePort: Invalid value: 99999: provided port is not in the valid range/);

  // Fixed to a valid port with Ctrl+S.
  const reopened = await text.inputValue();
  await text.fill(reopened.replace("nodePort: 99999", "nodePort: 30080"));
  await text.press("Control+s");
  await expect(output).toContainText("service/nginx-service edited");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("terminal-input")).toBeEnabled();
  await expect(page.getByTestId("service")).toContainText("30080");

  await page.reload();
  await expect(page.getByTestId("service")).toContainText("30080");
  await expect(dialog).toBeHidden();

  // Quitting without saving changes nothing.
  await run(page, "kubectl edit svc nginx-service -n dev");
  await expect(dialog).toBeVisible();
  await page.getByTestId("edit-quit").click();
  await expect(output).toContainText("Edit cancelled, no changes made.");
  expect(lab.consoleErrors).toEqual([]);
  expect(lab.offsiteRequests).toEqual([]);
});
