// The lab as a learner uses it: one spec per behaviour, through the page's own controls.
import { test, expect } from "./fixtures";
import { articleCluster, freshLab, open, podCounterSum, run, typeHereDoc } from "./lab";

test("the article's cluster is created and its manifests applied from the editors", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  const out = page.getByTestId("terminal-output");
  await expect(out).toContainText("$ kind create cluster --name service-demo --config=./manifests/kind-config.yaml");
  await expect(out).toContainText("replicaset.apps/nginx-replicaset created");
  await expect(out).toContainText("service/nginx-service created");
  // No pod on the control plane: it keeps its NoSchedule taint.
  await expect(page.locator('[data-node="service-demo-control-plane"] [data-testid=pod]')).toHaveCount(0);
  await expect(page.locator('[data-node="service-demo-control-plane"]')).toContainText("NoSchedule");
  await expect(page.getByTestId("service")).toContainText("nodePort 30000");
  await expect(page.getByTestId("service")).toContainText("6 endpoints");
  await page.screenshot({ path: `screenshots/${info.project.name}-article-cluster.png` });
  expect(lab.consoleErrors).toEqual([]);
  expect(lab.offsiteRequests).toEqual([]);
});

test("100 requests through the NodePort: the counters sum to 100 and the chart changes", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await expect(page.getByTestId("traffic-target")).toHaveValue(/:30000$/);
  await page.getByTestId("send-100").click();
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 100 = 100 answered + 0 failed");
  expect(await podCounterSum(page)).toBe(100);
  const rows = page.locator("[data-testid=share-chart] li");
  await expect(rows).toHaveCount(6);
  // Every pod's expected share is 1/6 from the KUBE-SVC chain's probabilities.
  await expect(rows.first()).toContainText("rules 16.7%");
  const before = await page.getByTestId("share-chart").textContent();
  await page.getByTestId("send-1000").click();
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 1100 = 1100 answered + 0 failed");
  expect(await podCounterSum(page)).toBe(1100);
  expect(await page.getByTestId("share-chart").textContent()).not.toEqual(before);
  await page.screenshot({ path: `screenshots/${info.project.name}-traffic.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("a broken YAML shows its line and column, and applying it changes nothing", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await open(page, "manifests/nginx-service-nodeport.yaml");
  const editor = page.getByTestId("editor");
  const text = await editor.inputValue();
  await editor.fill(text.replace("nodePort: 30000", "nodePort: [30000"));
  const problems = page.getByTestId("problems");
  await expect(problems).toContainText("error");
  await expect(problems).toContainText(/1[45]:\d+/);
  await expect(page.locator(".lab-editor__num--error")).not.toHaveCount(0);
  await page.getByTestId("apply-file").click();
  await expect(page.getByTestId("terminal-output")).toContainText("error: error parsing ./manifests/nginx-service-nodeport.yaml");
  // The Service kept its port.
  await expect(page.getByTestId("service")).toContainText("nodePort 30000");
  await page.screenshot({ path: `screenshots/${info.project.name}-broken-yaml.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("a reload keeps the edits, the cluster and the terminal", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await open(page, "manifests/nginx-service-clusterip.yaml");
  const editor = page.getByTestId("editor");
  await editor.fill("# my own notes\n" + (await editor.inputValue()));
  // Let the editor's pause pass so the edit is saved.
  await expect(page.getByTestId("problems")).toContainText("No problems");
  await page.waitForTimeout(400);
  const podsBefore = await page.locator("[data-testid=pod]").evaluateAll((els) => els.map((e) => e.getAttribute("data-pod")));
  await page.reload();
  await expect(page.getByTestId("sim-version")).toHaveText(/^simulator v/);
  await expect(page.getByTestId("node")).toHaveCount(3);
  const podsAfter = await page.locator("[data-testid=pod]").evaluateAll((els) => els.map((e) => e.getAttribute("data-pod")));
  expect(podsAfter).toEqual(podsBefore);
  await open(page, "manifests/nginx-service-clusterip.yaml");
  await expect(page.getByTestId("editor")).toHaveValue(/^# my own notes\n/);
  await expect(page.getByTestId("terminal-output")).toContainText("service/nginx-service created");
  expect(lab.consoleErrors).toEqual([]);
});

test("a stopped node's pods leave the endpoints and traffic moves to the others", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await run(page, "docker stop service-demo-worker");
  // kube-controller-manager marks the node NotReady after 50 s without a heartbeat.
  await run(page, "sleep 60");
  await expect(page.locator('[data-node="service-demo-worker"]')).toContainText("NotReady");
  await expect(page.getByTestId("service")).toContainText("3 endpoints");
  const worker2 = page.locator("[data-testid=traffic-target] option", { hasText: "on service-demo-worker2" });
  await page.getByTestId("traffic-target").selectOption((await worker2.getAttribute("value")) ?? "");
  await page.getByTestId("send-100").click();
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 100 = 100 answered + 0 failed");
  const onWorker = await page.locator('[data-node="service-demo-worker"] [data-testid=pod-counter]').allTextContents();
  expect(onWorker.every((t) => t === "0")).toBe(true);
  const onWorker2 = await page.locator('[data-node="service-demo-worker2"] [data-testid=pod-counter]').allTextContents();
  expect(onWorker2.reduce((s, t) => s + Number(t), 0)).toBe(100);
  await page.screenshot({ path: `screenshots/${info.project.name}-node-stopped.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("files are added, renamed, uploaded, downloaded and deleted", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  page.on("dialog", (d) => (d.type() === "prompt" ? d.accept("manifests/../web/svc.yaml") : d.accept()));
  await page.locator("#tab-files").click();
  await page.getByRole("button", { name: "+ New" }).click();
  await expect(page.getByRole("tab", { name: "new-1.yaml", exact: true })).toHaveAttribute("aria-selected", "true");
  await page.getByTestId("editor").fill("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n");
  await page.getByRole("button", { name: "Rename" }).click();
  // ".." is dropped: the workspace has no way out of itself.
  await expect(page.getByRole("tab", { name: "svc.yaml", exact: true })).toHaveAttribute("title", "manifests/web/svc.yaml");
  await page.getByTestId("apply-file").click();
  await expect(page.getByTestId("terminal-output")).toContainText("$ kubectl apply -f ./manifests/web/svc.yaml");
  await expect(page.getByTestId("terminal-output")).toContainText("The connection to the server localhost:8080 was refused");

  const download = page.waitForEvent("download");
  await page.getByTestId("download").click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("svc.yaml");

  await page.getByTestId("upload").setInputFiles({
    name: "extra.yaml",
    mimeType: "text/yaml",
    buffer: Buffer.from("kind: Service\napiVersion: v1\nmetadata:\n  name: extra\nspec:\n  ports:\n  - port: 80\n"),
  });
  await expect(page.getByRole("tab", { name: "extra.yaml", exact: true })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("editor")).toHaveValue(/name: extra/);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("tab", { name: "extra.yaml", exact: true })).toHaveCount(0);
  // The engine's copy follows: cat no longer finds it.
  const input = page.getByTestId("terminal-input");
  await input.fill("cat manifests/extra.yaml");
  await input.press("Enter");
  await expect(page.getByTestId("terminal-output")).toContainText("cat: manifests/extra.yaml: No such file or directory");
  await page.screenshot({ path: `screenshots/${info.project.name}-files.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("panels hide, resize by keyboard and keep their layout after a reload", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  const split = page.getByRole("separator", { name: "Resize the files panel" });
  await expect(split).toHaveAttribute("aria-valuenow", "36");
  await split.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(split).toHaveAttribute("aria-valuenow", "40");
  const terminal = page.getByRole("separator", { name: "Resize the terminal" });
  await terminal.focus();
  await page.keyboard.press("ArrowUp");
  await expect(terminal).toHaveAttribute("aria-valuenow", "34");
  const mapWidth = async () => (await page.getByTestId("cluster-map").boundingBox())?.width ?? 0;
  const before = await mapWidth();
  await page.getByTestId("toggle-left").click();
  await expect(page.locator(".lab-left")).toBeHidden();
  expect(await mapWidth()).toBeGreaterThan(before + 300);
  await page.reload();
  await expect(page.locator(".lab-left")).toBeHidden();
  await page.getByTestId("toggle-left").click();
  await expect(page.getByRole("separator", { name: "Resize the files panel" })).toHaveAttribute("aria-valuenow", "40");
  expect(lab.consoleErrors).toEqual([]);
});

test("on a phone the lab stacks into one readable column", async ({ lab }, info) => {
  const { page } = lab;
  await page.setViewportSize({ width: 390, height: 844 });
  await freshLab(page);
  await articleCluster(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `screenshots/${info.project.name}-phone.png`, fullPage: true });
  expect(lab.consoleErrors).toEqual([]);
});

test("a steady rate keeps sending until turned off, and every node shows the node port", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  for (const node of ["service-demo-control-plane", "service-demo-worker", "service-demo-worker2"]) {
    await expect(page.locator(`[data-node="${node}"] .lab-badge--port`)).toHaveText(":30000 nginx-service");
  }
  await page.getByTestId("steady").click();
  await expect(page.getByTestId("steady")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("traffic-totals")).toHaveText(/^sent (2|3|4)0 = /, { timeout: 6000 });
  // The ticks leave the open tab alone (the learner may be editing a file meanwhile).
  await expect(page.locator("#tab-files")).toHaveAttribute("aria-selected", "true");
  await page.getByTestId("steady").click();
  const stopped = await page.getByTestId("traffic-totals").textContent();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId("traffic-totals")).toHaveText(stopped ?? "");
  const sent = Number(/^sent (\d+)/.exec(stopped ?? "")?.[1]);
  expect(await podCounterSum(page)).toBe(sent);
  expect(lab.consoleErrors).toEqual([]);
});

test("a Service name answers from a pod and does not resolve from the host", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  await page.getByTestId("traffic-target").selectOption("nginx-service.dev:80");
  await page.getByTestId("send-10").click();
  await expect(page.getByRole("alert")).toHaveText("curl: (6) Could not resolve host: nginx-service.dev");
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 0 = 0 answered + 0 failed");
  const pod = await page.locator("[data-testid=traffic-source] option", { hasText: /^pod / }).first().getAttribute("value");
  await page.getByTestId("traffic-source").selectOption(pod ?? "");
  await page.getByTestId("send-10").click();
  await expect(page.getByTestId("traffic-totals")).toHaveText("sent 10 = 10 answered + 0 failed");
  await expect(page.getByRole("alert")).toHaveCount(0);
  expect(lab.consoleErrors).toEqual([]);
});

test("Ctrl-C stops a command still running; the lab is as it was before it", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  const input = page.getByTestId("terminal-input");
  await input.fill("kubectl delete namespace dev; echo finished");
  // Enter, then Ctrl-C before the engine can answer (both in one task of the page).
  await page.evaluate(() => {
    const el = document.querySelector("[data-testid=terminal-input]")!;
    el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    el.dispatchEvent(new KeyboardEvent("keydown", { key: "c", ctrlKey: true, bubbles: true }));
  });
  const out = page.getByTestId("terminal-output");
  await expect(out).toContainText("$ kubectl delete namespace dev; echo finished^C");
  // The engine started again without that line: dev and its pods are still there.
  await run(page, "kubectl get pods -n dev --no-headers | wc -l");
  await expect(out.locator(".lab-terminal__line").last()).toHaveText("6");
  await expect(out).not.toContainText('namespace "dev" deleted');
  await expect(page.locator("[data-testid=pod].lab-pod--ready")).toHaveCount(6);
  // And so does a reload: the interrupted line left the journal.
  await page.reload();
  await expect(page.getByTestId("node")).toHaveCount(3);
  await expect(page.locator("[data-testid=pod]")).toHaveCount(6);
  expect(lab.consoleErrors).toEqual([]);
});

test("in the editor Tab indents two spaces and undo takes it back", async ({ lab }) => {
  const { page } = lab;
  await freshLab(page);
  await open(page, "manifests/nginx-service-clusterip.yaml");
  const editor = page.getByTestId("editor");
  const before = await editor.inputValue();
  await editor.focus();
  await editor.press("Control+Home");
  await editor.press("Tab");
  await expect(editor).toHaveValue("  " + before);
  await editor.press("Control+z");
  await expect(editor).toHaveValue(before);
  expect(lab.consoleErrors).toEqual([]);
});

test("a pod waits for its ConfigMap, and a Deployment's rollout is listed and undone, typed in the terminal", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await run(page, "kind create cluster");
  await expect(page.getByTestId("node")).toHaveCount(1);
  const out = page.getByTestId("terminal-output");
  await typeHereDoc(page, "app.yaml", [
    "apiVersion: v1",
    "kind: Pod",
    "metadata: {name: app}",
    "spec:",
    "  containers:",
    "  - name: nginx",
    "    image: nginx",
    "    envFrom: [{configMapRef: {name: app-config}}]",
  ]);
  await run(page, "kubectl apply -f app.yaml");
  await run(page, "sleep 10");
  await run(page, "kubectl get pods");
  await expect(out).toContainText("CreateContainerConfigError");
  await run(page, "kubectl create configmap app-config --from-literal=GREETING=hello");
  await run(page, "sleep 20");
  await run(page, "kubectl exec app -- printenv GREETING");
  await expect(out.locator(".lab-terminal__line").last()).toHaveText("hello");
  await run(page, "kubectl create deployment web --image=nginx");
  await run(page, "kubectl set image deploy/web nginx=nginx:1.27");
  await run(page, "kubectl rollout status deploy/web");
  await run(page, "kubectl rollout history deploy/web");
  await expect(out).toContainText("REVISION  CHANGE-CAUSE");
  await run(page, "kubectl rollout undo deploy/web");
  await expect(out).toContainText("deployment.apps/web rolled back");
  await run(page, "kubectl rollout history deploy/web");
  await page.screenshot({ path: `screenshots/${info.project.name}-rollout.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("a Secret is made, read back with base64 -d, and mounted into a pod that waited for it", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await run(page, "kind create cluster");
  await expect(page.getByTestId("node")).toHaveCount(1);
  const out = page.getByTestId("terminal-output");
  const last = out.locator(".lab-terminal__line").last();
  await typeHereDoc(page, "app.yaml", [
    "apiVersion: v1",
    "kind: Pod",
    "metadata: {name: app}",
    "spec:",
    "  containers:",
    "  - name: nginx",
    "    image: nginx",
    "    volumeMounts: [{name: creds, mountPath: /etc/creds}]",
    "  volumes: [{name: creds, secret: {secretName: db}}]",
  ]);
  await run(page, "kubectl apply -f app.yaml");
  await run(page, "sleep 10");
  await run(page, "kubectl get events --field-selector reason=FailedMount -o custom-columns=MESSAGE:.message --no-headers");
  await expect(last).toHaveText('MountVolume.SetUp failed for volume "creds" : secret "db" not found');
  await run(page, "kubectl create secret generic db --from-literal=password=hunter2");
  await expect(last).toHaveText("secret/db created");
  await run(page, "kubectl get secret db -o jsonpath='{.data.password}' | base64 -d");
  await expect(last).toHaveText("hunter2");
  await run(page, "sleep 15");
  await run(page, "kubectl exec app -- cat /etc/creds/password");
  await expect(last).toHaveText("hunter2");
  await run(page, "kubectl describe secret db");
  await expect(out).toContainText("password:  7 bytes");
  await page.screenshot({ path: `screenshots/${info.project.name}-secret.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("a port-forward runs in the background and localhost reaches one pod through it", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await articleCluster(page);
  const out = page.getByTestId("terminal-output");
  const last = out.locator(".lab-terminal__line").last();
  await run(page, "kubectl port-forward -n dev svc/nginx-service 8080:80 &");
  await expect(out).toContainText("Forwarding from 127.0.0.1:8080 -> 80");
  await run(page, "jobs");
  await expect(last).toHaveText(/^\[1\]\+  Running +kubectl port-forward -n dev svc\/nginx-service 8080:80 &$/);
  await run(page, "curl -s localhost:8080 | grep title");
  await expect(last).toHaveText("<title>Welcome to nginx!</title>");
  await expect(out).toContainText("Handling connection for 8080");
  await run(page, "kill %1");
  await expect(last).toHaveText(/^\[1\]\+  Terminated +kubectl port-forward/);
  await page.screenshot({ path: `screenshots/${info.project.name}-port-forward.png` });
  expect(lab.consoleErrors).toEqual([]);
});

/** The headless Service `nginx` and the StatefulSet `web` over pods labelled `app: web`, as the
 *  lines of a here-document: `podSpec` is the template's spec, `more` further lines of the set's spec. */
function webStatefulSet(replicas: number, podSpec: string, more: string[] = []): string[] {
  return [
    "apiVersion: v1",
    "kind: Service",
    "metadata: {name: nginx}",
    "spec: {clusterIP: None, selector: {app: web}, ports: [{name: web, port: 80}]}",
    "---",
    "apiVersion: apps/v1",
    "kind: StatefulSet",
    "metadata: {name: web}",
    "spec:",
    "  serviceName: nginx",
    `  replicas: ${replicas}`,
    "  selector: {matchLabels: {app: web}}",
    "  template:",
    "    metadata: {labels: {app: web}}",
    `    spec: ${podSpec}`,
    ...more,
  ];
}

test("a StatefulSet's pods keep their names on the map and answer by their own DNS names", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await run(page, "kind create cluster --name service-demo --config=./manifests/kind-config.yaml");
  await expect(page.getByTestId("node")).toHaveCount(3);
  const out = page.getByTestId("terminal-output");
  const last = out.locator(".lab-terminal__line").last();
  await typeHereDoc(page, "web.yaml", webStatefulSet(3, "{containers: [{name: nginx, image: nginx}]}"));
  await run(page, "kubectl apply -f web.yaml");
  await run(page, "kubectl rollout status sts/web");
  await expect(last).toHaveText("partitioned roll out complete: 3 new pods have been updated...");
  const pods = page.getByTestId("pod");
  await expect(pods).toHaveCount(3);
  for (const name of ["web-0", "web-1", "web-2"]) await expect(pods.filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId("headless")).toBeVisible();
  await run(page, "kubectl run -it --rm dns --image=busybox:1.36 --restart=Never -- nslookup web-1.nginx");
  await expect(out).toContainText("Name:\tweb-1.nginx.default.svc.cluster.local");
  await run(page, "kubectl exec web-2 -- hostname -f");
  await expect(last).toHaveText("web-2.nginx.default.svc.cluster.local");
  // A deleted pod comes back under its own name.
  await run(page, "kubectl delete pod web-1");
  await run(page, "kubectl rollout status sts/web");
  await expect(pods.filter({ hasText: "web-1" })).toHaveCount(1);
  await run(page, "kubectl get sts");
  await expect(out).toContainText(/web\s+3\/3/);
  await page.screenshot({ path: `screenshots/${info.project.name}-statefulset.png` });
  expect(lab.consoleErrors).toEqual([]);
});

test("a StatefulSet's claims show under its pods, and a replaced pod finds its claim, node and files", async ({ lab }, info) => {
  const { page } = lab;
  await freshLab(page);
  await run(page, "kind create cluster --name service-demo --config=./manifests/kind-config.yaml");
  await expect(page.getByTestId("node")).toHaveCount(3);
  const last = page.getByTestId("terminal-output").locator(".lab-terminal__line").last();
  await typeHereDoc(
    page,
    "web.yaml",
    webStatefulSet(2, "{containers: [{name: nginx, image: nginx, volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]}", [
      "  volumeClaimTemplates:",
      "  - metadata: {name: www}",
      "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}",
    ]),
  );
  await run(page, "kubectl apply -f web.yaml");
  await run(page, "kubectl rollout status sts/web");
  await expect(last).toHaveText("partitioned roll out complete: 2 new pods have been updated...");
  const web0 = page.locator('[data-testid=pod][data-pod="web-0"]');
  await expect(web0.getByTestId("pod-claim")).toHaveText("claim www-web-0 · Bound");
  await expect(page.locator('[data-testid=pod][data-pod="web-1"]').getByTestId("pod-claim")).toHaveText("claim www-web-1 · Bound");
  const nodeOf = () => page.getByTestId("node").filter({ has: web0 }).getAttribute("data-node");
  const before = await nodeOf();
  await run(page, "kubectl exec web-0 -- sh -c 'echo kept > /usr/share/nginx/html/index.html'");
  // The pod's × deletes it; the set makes it again on its volume's node, with its file.
  await web0.getByRole("button", { name: "kubectl delete pod web-0 -n default" }).click();
  await run(page, "kubectl rollout status sts/web");
  await expect(web0.getByTestId("pod-claim")).toHaveText("claim www-web-0 · Bound");
  expect(await nodeOf()).toBe(before);
  await run(page, "kubectl exec web-1 -- curl -s web-0.nginx");
  await expect(last).toHaveText("kept");
  await page.screenshot({ path: `screenshots/${info.project.name}-statefulset-claims.png` });
  expect(lab.consoleErrors).toEqual([]);
});
