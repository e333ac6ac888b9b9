//! Any text typed into the lab's terminal, line by line, ends without a panic, with a cluster
//! already running so that kubectl, docker and curl have something to act on.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

const CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n";

fn booted_lab() -> &'static svclab_sim::lab::Lab {
    static LAB: OnceLock<svclab_sim::lab::Lab> = OnceLock::new();
    LAB.get_or_init(|| {
        let files = std::collections::BTreeMap::from([("kind-config.yaml".to_string(), CONFIG.to_string())]);
        let mut session = Session::new(1, Workspace::Memory(files));
        session.type_line("kind create cluster --config kind-config.yaml");
        session.lab
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut session = Session::new(1, Workspace::Memory(Default::default()));
    session.lab = booted_lab().clone();
    for line in text.lines().take(64) {
        let _ = session.type_line(line);
    }
});
