// Looking closely: a traced request through the chains, the node's chain with its counters,
// the map's actions running their real commands, and the page's accessibility.
import AxeBuilder from "@axe-core/playwright";
import { test, expect } from "./fixtures";
import { articleCluster, freshLab, run } from "./lab";

test("trace one request: PREROUTING → KUBE-SERVICES → KUBE-SVC → KUBE-SEP → DNAT, lit in the chain", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await page.getByTestId("trace-one").click();
  const trace = page.getByTestId("trace");
  await expect(trace).toBeVisible();
  for (const step of ["nat PREROUTING", "nat KUBE-SERVICES", "nat KUBE-NODEPORTS", "KUBE-SVC-", "KUBE-SEP-"]) {
    await expect(trace).toContainText(step);
  }
  await expect(trace).toContainText("--to-destination 10.244.");
  await expect(page.getByTestId("trace-ending")).toContainText(/^answered by dev\/nginx-replicaset-\w{5} on service-demo-worker2? \(200 OK\)/);
  // The KUBE-SVC rule opens its chain on that node, with the matched rule lit.
  await trace.locator(".lab-trace__rule", { hasText: "nat KUBE-SVC-" }).first().click();
  const out = page.getByTestId("inspection");
  await expect(out).toContainText("Chain KUBE-SVC-");
  await expect(out).toContainText("statistic mode random probability 0.16666666651");
  await expect(page.locator(".lab-inspector__line--hit")).toHaveCount(1);
  await page.screenshot({ path: `screenshots/${info.project.name}-trace.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("a node's kube-proxy shows KUBE-SERVICES with counters that move with traffic", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await page.locator('[data-node="service-demo-worker"] [data-testid=kube-proxy]').click();
  await expect(page.getByText("$ docker exec service-demo-worker iptables -t nat -L KUBE-SERVICES -n -v --line-numbers")).toBeVisible();
  const out = page.getByTestId("inspection");
  await expect(out).toContainText("Chain KUBE-SERVICES (2 references)");
  await page.getByTestId("chain-picker").selectOption("KUBE-NODEPORTS");
  await expect(out).toContainText("Chain KUBE-NODEPORTS (1 references)");
  // Rule 2 catches node-port traffic from anywhere (rule 1 is for localhost).
  const rule2 = out.locator(".lab-inspector__line", { hasText: /^2\s/ });
  await expect(rule2).toHaveText(/^2\s+0\s+0 KUBE-EXT-/);
  // 100 requests to this node's node port pass its KUBE-NODEPORTS rule.
  await page.getByTestId("traffic-target").selectOption("172.18.0.3:30000");
  await page.getByTestId("send-100").click();
  await expect(rule2).toHaveText(/^2\s+100\s+\d+K? KUBE-EXT-/);
  expect(lab.consoleErrors).toEqual([]);
});

test("the map's buttons run the real commands: scale, cordon, delete a pod", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  const terminal = page.getByTestId("terminal-output");
  await page.getByRole("button", { name: "kubectl scale replicaset nginx-replicaset --replicas=7 -n dev" }).click();
  await expect(terminal).toContainText("replicaset.apps/nginx-replicaset scaled");
  await expect(page.getByTestId("workload")).toContainText("/7 ready");
  await page.locator('[data-node="service-demo-worker"]').getByRole("button", { name: "Cordon" }).click();
  await expect(terminal).toContainText("node/service-demo-worker cordoned");
  await expect(page.locator('[data-node="service-demo-worker"]')).toContainText("SchedulingDisabled");
  const firstPod = page.locator("[data-testid=pod]").first();
  const name = await firstPod.getAttribute("data-pod");
  await firstPod.getByRole("button", { name: /^kubectl delete pod/ }).click();
  await expect(terminal).toContainText(`pod "${name}" deleted`);
  expect(lab.consoleErrors).toEqual([]);
});

test("axe finds no serious or critical accessibility violation", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await page.getByTestId("send-10").click();
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("a pod is described or shown as YAML, as kubectl prints it", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  const pod = page.locator("[data-testid=pod]").first();
  const name = await pod.getAttribute("data-pod");
  await pod.locator(".lab-pod__name").click();
  const out = page.getByTestId("inspection");
  await expect(out).toContainText(`Name:             ${name}`);
  await expect(out).toContainText("Controlled By:  ReplicaSet/nginx-replicaset");
  await page.getByRole("button", { name: "-o yaml" }).click();
  await expect(page.getByText(`$ kubectl get pod ${name} -n dev -o yaml`)).toBeVisible();
  await expect(out).toContainText("apiVersion: v1");
  await expect(out).toContainText("kind: Pod");
  expect(lab.consoleErrors).toEqual([]);
});

test("the ALB in front of the workers routes around a stopped node", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await page.getByTestId("traffic-source").selectOption("alb");
  await expect(page.getByTestId("alb")).toBeVisible();
  // From the ALB one picks a node port, not a node: the ALB picks the worker.
  await expect(page.getByTestId("traffic-target")).toHaveValue("172.18.0.50:30000");
  await expect(page.getByTestId("traffic-target").locator("option")).toHaveCount(1);
  await page.getByTestId("send-100").click();
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 100 = 100 answered + 0 failed");
  await run(page, "docker stop service-demo-worker");
  await run(page, "sleep 60");
  await page.getByTestId("reset-counters").click();
  await page.getByTestId("send-100").click();
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 100 = 100 answered + 0 failed");
  const onStopped = await page.locator('[data-node="service-demo-worker"] [data-testid=pod-counter]').allTextContents();
  expect(onStopped.every((t) => t === "0")).toBe(true);
  await page.screenshot({ path: `screenshots/${info.project.name}-alb.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("a click on a flying dot shows that request's own path", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await page.getByTestId("speed").selectOption("0.5");
  await page.evaluate(() => delete (window as any).svclabDot);
  await page.getByTestId("send-100").click();
  await page.waitForFunction(() => Array.isArray((window as any).svclabDot));
  const [x, y] = await page.evaluate(() => (window as any).svclabDot as [number, number]);
  await page.mouse.click(x, y);
  const trace = page.getByTestId("trace");
  await expect(trace).toContainText("Trace: host → 172.18.0.2:30000");
  await expect(trace).toContainText("The request you clicked, as it went.");
  await expect(trace).toContainText("KUBE-SEP-");
  await expect(page.getByTestId("trace-ending")).toContainText("answered by dev/nginx-replicaset-");
  // Looking at it sent nothing more.
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 100 = 100 answered + 0 failed");
  expect(lab.consoleErrors).toEqual([]);
});
