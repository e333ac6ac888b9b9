//! Any text given to `kubectl apply -f` decodes and applies without a panic: each document is
//! created, configured, left unchanged or refused in kubectl's words, and the cluster settles.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use svclab_sim::lab::{apply_file, Lab};

const ARTICLE: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";

fn booted() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| {
        let mut lab = Lab::new(1);
        let _ = lab.create_cluster(Some(ARTICLE), Some("service-demo"), 0);
        lab
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lab = booted().clone();
    if let Some(cluster) = lab.cluster_mut("service-demo") {
        let _ = apply_file(cluster, "fuzz.yaml", text, "default");
        let _ = apply_file(cluster, "fuzz.yaml", text, "default");
    }
    lab.advance_ms(60_000);
});
