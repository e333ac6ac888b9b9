//! How long things take in the lab's virtual time, and where each figure comes from.

/// A container of an image the node has not pulled yet: pull, create, start (nginx:latest on a
/// laptop's kind cluster takes a few seconds).
pub const FIRST_START_MS: u64 = 3_000;

/// A container whose image is already on the node: create and start.
pub const CACHED_START_MS: u64 = 1_000;

/// From `kubectl delete` to the pod object being gone: nginx exits on SIGTERM at once, then the
/// kubelet confirms the deletion.
pub const TERMINATION_MS: u64 = 1_000;

/// From a LoadBalancer Service's creation to cloud-provider-kind writing its ingress IP: it
/// starts an Envoy container for the Service first (pulling the image the first time), so a
/// learner's next `kubectl get svc` still shows `<pending>`.
pub const LOAD_BALANCER_MS: u64 = 12_000;

/// `--node-monitor-grace-period`: 50 s since v1.32 (kubernetes/kubernetes#126287), after which
/// the node controller marks a silent node's Ready condition Unknown.
pub const NODE_MONITOR_GRACE_MS: u64 = 50_000;

/// The DefaultTolerationSeconds admission plugin's 300 s for `not-ready` and `unreachable`
/// NoExecute taints (plugin/pkg/admission/defaulttolerationseconds), after which pods are evicted.
pub const DEFAULT_TOLERATION_MS: u64 = 300_000;
