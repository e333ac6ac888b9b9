//! What several test files start from: a kind cluster with a NodePort Service applied.

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

/// `svc.yaml`: the Service `web`, NodePort 30000, selecting `app: web`.
pub const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    nodePort: 30000\n";

/// A fresh lab with `seed`: `kind create cluster`, then `kubectl apply -f svc.yaml`; `files`
/// are added to the workspace beside `svc.yaml`.
pub fn lab_with_service(seed: u64, files: &[(&str, String)]) -> Session {
    let mut workspace = BTreeMap::from([("svc.yaml".to_string(), SERVICE.to_string())]);
    for (name, text) in files {
        workspace.insert((*name).to_string(), text.clone());
    }
    let mut s = Session::new(seed, Workspace::Memory(workspace));
    assert_eq!(s.type_line("kind create cluster").status, 0);
    let applied = s.type_line("kubectl apply -f svc.yaml");
    assert_eq!(applied.stdout(), "service/web created\n");
    s
}
