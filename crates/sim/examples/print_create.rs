//! Prints what `kind create cluster` prints for the article's config (a quick look for people
//! checking the status lines).
fn main() {
    let mut lab = svclab_sim::lab::Lab::new(1);
    let config = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";
    match lab.create_cluster(Some(config), Some("service-demo"), 0) {
        Ok(created) => {
            for line in created.status_lines {
                println!("{line}");
            }
        }
        Err(e) => eprintln!("{}", e.cli_message()),
    }
}
