// Steps a learner takes in the lab, shared by the specs: typing into the terminal, opening a
// file, and building the article's cluster with the page's own buttons.
import { expect, type Page } from "@playwright/test";

/** Types a command into the terminal and waits until its line is echoed back. */
export async function run(page: Page, command: string) {
  const input = page.getByTestId("terminal-input");
  await input.fill(command);
  await input.press("Enter");
  await expect(page.getByTestId("terminal-output")).toContainText(`$ ${command}`);
}

/** Types a here-document into the terminal line by line (`cat > FILE <<'EOF'`, the lines,
 * `EOF`); each continuation line is echoed after "> ". */
export async function typeHereDoc(page: Page, file: string, lines: string[]) {
  const input = page.getByTestId("terminal-input");
  const last = page.getByTestId("terminal-output").locator(".lab-terminal__line").last();
  await run(page, `cat > ${file} <<'EOF'`);
  for (const line of [...lines, "EOF"]) {
    await input.fill(line);
    await input.press("Enter");
    await expect(last).toHaveText(`> ${line}`);
  }
}

/** Opens a file of the workspace in the editor. */
export async function open(page: Page, file: string) {
  await page.locator("#tab-files").click();
  await page.getByRole("tab", { name: file.split("/").pop(), exact: true }).click();
  // "Editing …" or "… を編集中": the name holds the path in either language.
  await expect(page.getByTestId("editor")).toHaveAccessibleName(new RegExp(file.replace(/[.]/g, "\\.")));
}

/** Loads the lab fresh (no saved state) and waits for the engine. */
export async function freshLab(page: Page) {
  await page.goto("./");
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByTestId("sim-version")).toHaveText(/^simulator v\d+\.\d+\.\d+$/);
}

/** The article's first part, by the page's buttons: cluster, namespace, ReplicaSet, NodePort. */
export async function articleCluster(page: Page) {
  await open(page, "manifests/kind-config.yaml");
  await page.getByTestId("apply-file").click();
  await expect(page.getByTestId("node")).toHaveCount(3);
  await run(page, "kubectl create namespace dev");
  await open(page, "manifests/nginx-replicaset.yaml");
  await page.getByTestId("apply-file").click();
  await open(page, "manifests/nginx-service-nodeport.yaml");
  await page.getByTestId("apply-file").click();
  await expect(page.getByTestId("service")).toHaveCount(1);
  // The next command gives the pods their virtual seconds to start.
  await run(page, "kubectl get pods -n dev");
  await expect(page.locator("[data-testid=pod].lab-pod--ready")).toHaveCount(6);
}

/** The per-pod counters shown on the map, summed. */
export async function podCounterSum(page: Page): Promise<number> {
  const texts = await page.getByTestId("pod-counter").allTextContents();
  return texts.reduce((sum, t) => sum + Number(t), 0);
}
