//! The lines `kind create cluster` prints while it works, in kind's non-terminal form.
//!
//! kind's status printer (`pkg/internal/cli/status.go`) uses a spinner only on a smart terminal;
//! otherwise `Start` logs ` • %s  ...` and `End(true)` logs ` ✓ %s` (uncoloured). The lab
//! prints plain text lines, so it takes that form. Each step's text is verbatim from its action
//! (kind v0.29.0):
//! - `providers/docker/images.go`: `Ensuring node image (%s) 🖼` per distinct image, sorted,
//!   digest stripped;
//! - `providers/docker/provider.go`: `Preparing nodes ` + `📦 ` per config node (note the
//!   trailing space);
//! - `actions/loadbalancer`: `Configuring the external load balancer ⚖️` (several control planes);
//! - `actions/config`: `Writing configuration 📜`; `actions/kubeadminit`: `Starting
//!   control-plane 🕹️`; `actions/installcni`: `Installing CNI 🔌` (unless disableDefaultCNI);
//!   `actions/installstorage`: `Installing StorageClass 💾`;
//! - `actions/kubeadmjoin`: `Joining more control-plane nodes 🎮`, `Joining worker nodes 🚜`;
//! - `actions/waitforready`: `Waiting ≤ %s for control-plane = Ready ⏳`, then ` • Ready after %s 💚`
//!   (only with `--wait`);
//! - `create/create.go`: `Creating cluster %q ...`, `Set kubectl context to "%s"`, the usage
//!   lines, an empty line and a salutation picked at random.

use super::config::Cluster;
use super::defaults::{CONTROL_PLANE_ROLE, WORKER_ROLE};
use super::error::go_quote;
use super::naming::kubeconfig_context;
use std::collections::BTreeSet;

/// create.go `logSalutation`'s choices; the caller picks one with its seeded RNG.
pub const SALUTATIONS: [&str; 4] = [
    "Have a nice day! 👋",
    "Thanks for using kind! 😊",
    "Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/",
    "Have a question, bug, or feature request? Let us know! https://kind.sigs.k8s.io/#community 🙂",
];

/// Options of one `kind create cluster` run that change what it prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusOptions {
    /// `--wait`, in whole seconds; 0 skips the wait step as kind does.
    pub wait_seconds: u64,
    /// How long the control plane took to become Ready (shown after a wait), in seconds.
    pub ready_after_seconds: u64,
    /// Which salutation to close with; taken modulo the number of salutations.
    pub salutation_index: usize,
}

/// One `kind create cluster` step: its ` • … ...` start line and ` ✓ …` end line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusStep {
    /// The step's text (`Installing CNI 🔌`).
    pub text: String,
}

impl StatusStep {
    /// The line kind prints when the step starts (non-terminal form).
    pub fn start_line(&self) -> String {
        format!(" • {}  ...", self.text)
    }

    /// The line kind prints when the step succeeds (non-terminal form).
    pub fn done_line(&self) -> String {
        format!(" ✓ {}", self.text)
    }
}

/// The steps kind runs for this (defaulted, valid) config, in order.
pub fn create_steps(c: &Cluster, opts: &StatusOptions) -> Vec<StatusStep> {
    let step = |text: String| StatusStep { text };
    let mut steps = Vec::new();
    // common.RequiredNodeImages: a string set, listed sorted.
    let images: BTreeSet<&str> = c.nodes.iter().map(|n| n.image.as_str()).collect();
    for image in images {
        // images.go sanitizeImage: drop the digest for display.
        let friendly = image.split("@sha256:").next().unwrap_or(image);
        steps.push(step(format!("Ensuring node image ({friendly}) 🖼")));
    }
    steps.push(step(format!(
        "Preparing nodes {}",
        "📦 ".repeat(c.nodes.len())
    )));
    let control_planes = c
        .nodes
        .iter()
        .filter(|n| n.role == CONTROL_PLANE_ROLE)
        .count();
    let workers = c.nodes.iter().filter(|n| n.role == WORKER_ROLE).count();
    if control_planes > 1 {
        steps.push(step("Configuring the external load balancer ⚖️".to_owned()));
    }
    steps.push(step("Writing configuration 📜".to_owned()));
    steps.push(step("Starting control-plane 🕹️".to_owned()));
    if !c.networking.disable_default_cni {
        steps.push(step("Installing CNI 🔌".to_owned()));
    }
    steps.push(step("Installing StorageClass 💾".to_owned()));
    if control_planes > 1 {
        steps.push(step("Joining more control-plane nodes 🎮".to_owned()));
    }
    if workers > 0 {
        steps.push(step("Joining worker nodes 🚜".to_owned()));
    }
    if opts.wait_seconds > 0 {
        steps.push(step(format!(
            "Waiting ≤ {} for control-plane = Ready ⏳",
            go_duration(opts.wait_seconds)
        )));
    }
    steps
}

/// Every line a successful `kind create cluster` prints for this config, in order.
pub fn create_status_lines(c: &Cluster, opts: &StatusOptions) -> Vec<String> {
    let mut lines = vec![format!("Creating cluster {} ...", go_quote(&c.name))];
    for s in create_steps(c, opts) {
        lines.push(s.start_line());
        lines.push(s.done_line());
    }
    if opts.wait_seconds > 0 {
        lines.push(format!(
            " • Ready after {} 💚",
            go_duration(opts.ready_after_seconds)
        ));
    }
    let context = kubeconfig_context(&c.name);
    lines.push(format!("Set kubectl context to \"{context}\""));
    lines.push("You can now use your cluster with:".to_owned());
    lines.push(String::new());
    lines.push(format!("kubectl cluster-info --context {context}"));
    lines.push(String::new());
    lines.push(salutation(opts.salutation_index).to_owned());
    lines
}

/// The salutation at `index` (modulo their number).
pub fn salutation(index: usize) -> &'static str {
    SALUTATIONS
        .get(index % SALUTATIONS.len())
        .copied()
        .unwrap_or("Have a nice day! 👋")
}

/// Go's `time.Duration.String()` for whole seconds (`0s`, `45s`, `5m0s`, `1h0m0s`).
pub fn go_duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}
