//! The whole lab: every kind cluster the learner created, the kubeconfig that points at them,
//! one virtual clock and one seed.

mod apply;
mod kubeconfig;

use std::collections::BTreeMap;

pub use apply::{apply_file, ApplyReport};
pub use kubeconfig::{Context, Kubeconfig};

use crate::cluster::{Clock, Cluster};
use crate::kind::{plan_create, CreateError, CreatePlan, CreateRequest, StatusOptions};
use crate::random::LabRng;

/// What `kind create cluster` produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    /// The plan: config, layout, not-simulated notes, warnings.
    pub plan: CreatePlan,
    /// kind's status lines, in order.
    pub status_lines: Vec<String>,
    /// The kubeconfig context now current.
    pub context: String,
}

/// The lab: clusters, kubeconfig, clock and seed.
#[derive(Clone, Debug)]
pub struct Lab {
    seed: u64,
    rng: LabRng,
    clock: Clock,
    clusters: BTreeMap<String, Cluster>,
    /// The learner's kubeconfig.
    pub kubeconfig: Kubeconfig,
}

/// How long `kind create cluster --wait` style readiness takes on the virtual clock, in seconds
/// (what kind prints after `Waiting ≤ … for control-plane = Ready`).
const CONTROL_PLANE_READY_S: u64 = 21;

impl Lab {
    /// An empty lab (no clusters) whose every random choice follows from `seed`.
    pub fn new(seed: u64) -> Lab {
        Lab {
            seed,
            rng: LabRng::from_seed(seed),
            clock: Clock::default(),
            clusters: BTreeMap::new(),
            kubeconfig: Kubeconfig::default(),
        }
    }

    /// The seed the lab was made with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Now, in virtual milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// Moves time forward for the lab and every cluster in it.
    pub fn advance_ms(&mut self, ms: u64) {
        self.clock.advance_ms(ms);
        let now = self.clock.now_ms();
        for cluster in self.clusters.values_mut() {
            cluster.advance_to(now);
        }
    }

    /// `kind create cluster`: plans, builds and boots a cluster, and points kubectl at it.
    pub fn create_cluster(
        &mut self,
        config_yaml: Option<&str>,
        name_flag: Option<&str>,
        wait_seconds: u64,
    ) -> Result<Created, CreateError> {
        let existing: Vec<String> = self.clusters.keys().cloned().collect();
        let plan = plan_create(&CreateRequest {
            config_yaml,
            name_flag,
            env_cluster_name: None,
            image_flag: None,
            existing_clusters: &existing,
        })?;
        let salutation_index = self.rng.below(u64::MAX) as usize;
        let status_lines = plan.status_lines(&StatusOptions {
            wait_seconds,
            ready_after_seconds: CONTROL_PLANE_READY_S,
            salutation_index,
        });
        let cluster_seed = u64::from(self.rng.next_u32()) << 32 | u64::from(self.rng.next_u32());
        let cluster = Cluster::boot(plan.layout.clone(), cluster_seed, self.now_ms());
        // Creating a cluster takes time: the lab's clock catches up with the new cluster's.
        let booted_at = cluster.now_ms();
        self.clock.advance_to(booted_at);
        for other in self.clusters.values_mut() {
            other.advance_to(booted_at);
        }
        let name = plan.layout.name.clone();
        self.clusters.insert(name.clone(), cluster);
        let context = self.kubeconfig.add_kind_cluster(&name);
        Ok(Created {
            plan,
            status_lines,
            context,
        })
    }

    /// `kind delete cluster --name NAME`: the node names it deleted, or `None` if there was no
    /// such cluster (kind then prints nothing and succeeds).
    pub fn delete_cluster(&mut self, name: &str) -> Option<Vec<String>> {
        let cluster = self.clusters.remove(name)?;
        self.kubeconfig.remove_kind_cluster(name);
        Some(cluster.nodes.keys().cloned().collect())
    }

    /// The clusters' names, sorted as `kind get clusters` prints them.
    pub fn cluster_names(&self) -> Vec<String> {
        self.clusters.keys().cloned().collect()
    }

    /// A cluster by name.
    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        self.clusters.get(name)
    }

    /// A cluster by name, to change.
    pub fn cluster_mut(&mut self, name: &str) -> Option<&mut Cluster> {
        self.clusters.get_mut(name)
    }

    /// The cluster the current kubeconfig context points at, if it exists.
    pub fn current_cluster_name(&self) -> Option<String> {
        let (_, ctx) = self.kubeconfig.current_context()?;
        let name = ctx.cluster.strip_prefix("kind-")?;
        self.clusters.contains_key(name).then(|| name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";

    #[test]
    fn creating_the_articles_cluster_switches_the_context() {
        let mut lab = Lab::new(1);
        let created = lab
            .create_cluster(Some(ARTICLE), Some("service-demo"), 0)
            .expect("valid");
        assert_eq!(created.context, "kind-service-demo");
        assert_eq!(lab.kubeconfig.current.as_deref(), Some("kind-service-demo"));
        assert_eq!(lab.current_cluster_name().as_deref(), Some("service-demo"));
        assert!(created.status_lines[0].starts_with("Creating cluster \"service-demo\""));
        assert!(
            lab.now_ms() > crate::cluster::LAB_EPOCH_MS,
            "creating takes time"
        );
    }

    #[test]
    fn a_second_cluster_of_the_same_name_is_refused_and_delete_cleans_up() {
        let mut lab = Lab::new(1);
        lab.create_cluster(None, None, 0).expect("default cluster");
        let again = lab.create_cluster(None, None, 0).expect_err("exists");
        assert!(again
            .cli_message()
            .contains("node(s) already exist for a cluster with the name \"kind\""));
        lab.create_cluster(None, Some("other"), 0)
            .expect("second cluster");
        assert_eq!(lab.cluster_names(), ["kind", "other"]);
        assert_eq!(
            lab.delete_cluster("kind"),
            Some(vec!["kind-control-plane".to_string()])
        );
        assert_eq!(lab.kubeconfig.current.as_deref(), Some("kind-other"));
        assert_eq!(lab.delete_cluster("kind"), None);
    }

    #[test]
    fn the_seed_fixes_every_name() {
        let pods = |seed| {
            let mut lab = Lab::new(seed);
            lab.create_cluster(Some(ARTICLE), Some("service-demo"), 0)
                .expect("valid");
            let cluster = lab.cluster("service-demo").expect("exists");
            cluster
                .store
                .list::<crate::api::Pod>(None)
                .map(|p| p.metadata.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(pods(9), pods(9));
        assert_ne!(pods(9), pods(10));
    }
}
