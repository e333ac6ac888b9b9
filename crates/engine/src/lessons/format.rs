//! A lesson file (`content/lessons/*.yaml`): steps with text in English and Japanese, the
//! commands a step runs, and the checks that tell it is done. See `content/lessons/README.md`.

use serde::Deserialize;
use svclab_protocol::ActionView;

/// A text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English.
    pub en: String,
    /// Japanese.
    pub ja: String,
}

/// One lesson.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// A short id, used in links (`#lesson=ID&step=N`).
    pub id: String,
    /// The title.
    pub title: Text,
    /// The seed the class uses.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

fn default_seed() -> u64 {
    1
}

/// One step.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step's title.
    pub title: Text,
    /// What to understand, in a few sentences.
    pub text: Text,
    /// Commands to type, each with a button that types it.
    #[serde(default)]
    pub commands: Vec<String>,
    /// What to look at once they ran.
    #[serde(default)]
    pub look: Option<Text>,
    /// The part of the page to look at: `map`, `terminal`, `node:NAME` or `service:NS/NAME`.
    #[serde(default)]
    pub focus: Option<String>,
    /// Buttons that drive the page: send traffic, trace a request, show a Service's chain.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// What must hold for the step to count as done (all of them).
    #[serde(default)]
    pub check: Vec<Check>,
}

/// Something a step's button does on the page (send traffic, trace a request, show a
/// Service's chain), written as a one-key map; the page receives it as it is.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "ActionSpec")]
pub struct Action(pub ActionView);

/// The one thing a one-key map named, or why it is not one.
fn exactly_one<T>(mut found: Vec<T>, none: &str, many: &str) -> Result<T, String> {
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(none.into()),
        _ => Err(many.into()),
    }
}

/// The file's form of an action: exactly one of these keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionSpec {
    traffic: Option<TrafficSpec>,
    trace: Option<TraceSpec>,
    chain: Option<ChainSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrafficSpec {
    from: String,
    to: String,
    count: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TraceSpec {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainSpec {
    node: String,
    service: String,
    #[serde(default)]
    highlight: Option<String>,
}

impl TryFrom<ActionSpec> for Action {
    type Error = String;

    fn try_from(s: ActionSpec) -> Result<Action, String> {
        let mut found = Vec::new();
        if let Some(t) = s.traffic {
            if !(1..=10_000).contains(&t.count) {
                return Err(format!(
                    "traffic count {} is not between 1 and 10000",
                    t.count
                ));
            }
            found.push(ActionView::Traffic {
                from: t.from,
                to: t.to,
                count: t.count,
            });
        }
        if let Some(t) = s.trace {
            found.push(ActionView::Trace {
                from: t.from,
                to: t.to,
            });
        }
        if let Some(c) = s.chain {
            if c.service.split_once('/').is_none() {
                return Err(format!(
                    "chain service {:?} is not NAMESPACE/NAME",
                    c.service
                ));
            }
            if c.highlight.as_deref().is_some_and(|h| h.trim().is_empty()) {
                return Err("chain highlight is empty".into());
            }
            found.push(ActionView::Chain {
                node: c.node,
                service: c.service,
                highlight: c.highlight,
            });
        }
        exactly_one(
            found,
            "an action needs one of traffic, trace, chain",
            "an action has exactly one key; write two actions for two buttons",
        )
        .map(Action)
    }
}

/// A condition on the lab, written in the file as a one-key map (`nodes: 3`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "CheckSpec")]
pub enum Check {
    /// The current cluster has this many nodes.
    Nodes(usize),
    /// This namespace exists.
    Namespace(String),
    /// This many pods are Running and Ready in a namespace.
    PodsReady {
        /// The namespace.
        namespace: String,
        /// How many.
        count: usize,
    },
    /// This many PersistentVolumeClaims are Bound in a namespace.
    ClaimsBound {
        /// The namespace.
        namespace: String,
        /// How many.
        count: usize,
    },
    /// No pod of the learner's (outside kube-system and local-path-storage) runs on this node.
    NoPodsOn(String),
    /// A Service exists, with the given type and node port when those are given.
    Service {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
        /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
        type_: Option<String>,
        /// A node port one of its ports has.
        node_port: Option<u16>,
        /// `Cluster` or `Local`.
        external_traffic_policy: Option<String>,
        /// `None` or `ClientIP`.
        session_affinity: Option<String>,
    },
    /// A LoadBalancer Service has its external IP.
    LoadBalancerIp {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// A Service's Endpoints list this many ready addresses.
    Endpoints {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
        /// How many.
        count: usize,
    },
    /// No Service of this name exists in the namespace.
    NoService {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// A command containing this text was typed.
    Typed(String),
    /// This node's container is stopped.
    NodeStopped(String),
}

/// The file's form of a check: exactly one of these keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckSpec {
    nodes: Option<usize>,
    namespace: Option<String>,
    pods_ready: Option<InNamespace>,
    claims_bound: Option<InNamespace>,
    no_pods_on: Option<String>,
    service: Option<ServiceSpec>,
    no_service: Option<ServiceName>,
    load_balancer_ip: Option<ServiceName>,
    endpoints: Option<EndpointsSpec>,
    typed: Option<String>,
    node_stopped: Option<String>,
}

/// A count of objects in a namespace.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InNamespace {
    namespace: String,
    count: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceSpec {
    namespace: String,
    name: String,
    #[serde(default, rename = "type")]
    type_: Option<String>,
    #[serde(default)]
    node_port: Option<u16>,
    #[serde(default)]
    external_traffic_policy: Option<String>,
    #[serde(default)]
    session_affinity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointsSpec {
    namespace: String,
    name: String,
    count: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceName {
    namespace: String,
    name: String,
}

impl TryFrom<CheckSpec> for Check {
    type Error = String;

    fn try_from(s: CheckSpec) -> Result<Check, String> {
        let mut found = Vec::new();
        if let Some(n) = s.nodes {
            found.push(Check::Nodes(n));
        }
        if let Some(ns) = s.namespace {
            found.push(Check::Namespace(ns));
        }
        if let Some(p) = s.pods_ready {
            found.push(Check::PodsReady {
                namespace: p.namespace,
                count: p.count,
            });
        }
        if let Some(c) = s.claims_bound {
            found.push(Check::ClaimsBound {
                namespace: c.namespace,
                count: c.count,
            });
        }
        if let Some(node) = s.no_pods_on {
            found.push(Check::NoPodsOn(node));
        }
        if let Some(svc) = s.service {
            found.push(Check::Service {
                namespace: svc.namespace,
                name: svc.name,
                type_: svc.type_,
                node_port: svc.node_port,
                external_traffic_policy: svc.external_traffic_policy,
                session_affinity: svc.session_affinity,
            });
        }
        if let Some(svc) = s.load_balancer_ip {
            found.push(Check::LoadBalancerIp {
                namespace: svc.namespace,
                name: svc.name,
            });
        }
        if let Some(e) = s.endpoints {
            found.push(Check::Endpoints {
                namespace: e.namespace,
                name: e.name,
                count: e.count,
            });
        }
        if let Some(svc) = s.no_service {
            found.push(Check::NoService {
                namespace: svc.namespace,
                name: svc.name,
            });
        }
        if let Some(t) = s.typed {
            found.push(Check::Typed(t));
        }
        if let Some(node) = s.node_stopped {
            found.push(Check::NodeStopped(node));
        }
        exactly_one(
            found,
            "a check needs one of nodes, namespace, pods_ready, claims_bound, no_pods_on, service, no_service, load_balancer_ip, endpoints, typed, node_stopped",
            "a check has exactly one key; write two checks for two conditions",
        )
    }
}

impl Check {
    /// The check in words, for the lesson panel.
    pub fn describe(&self) -> Text {
        let t = |en: String, ja: String| Text { en, ja };
        match self {
            Check::Nodes(n) => t(
                format!("{n} nodes in the cluster"),
                format!("クラスターのノードが {n} 台"),
            ),
            Check::Namespace(ns) => t(
                format!("namespace {ns} exists"),
                format!("Namespace {ns} がある"),
            ),
            Check::PodsReady { namespace, count } => t(
                format!("{count} pods Running and Ready in {namespace}"),
                format!("{namespace} で {count} 個の Pod が Running かつ Ready"),
            ),
            Check::ClaimsBound { namespace, count } => t(
                format!("{count} PersistentVolumeClaims Bound in {namespace}"),
                format!("{namespace} で {count} 個の PersistentVolumeClaim が Bound"),
            ),
            Check::NoPodsOn(node) => t(
                format!("no pod of yours on {node}"),
                format!("{node} にはあなたの Pod がない"),
            ),
            Check::Service {
                namespace,
                name,
                type_,
                node_port,
                external_traffic_policy,
                session_affinity,
            } => {
                let kind = type_.as_deref().unwrap_or("Service");
                let mut extra: Vec<String> = Vec::new();
                if let Some(p) = node_port {
                    extra.push(format!("nodePort {p}"));
                }
                if let Some(p) = external_traffic_policy {
                    extra.push(format!("externalTrafficPolicy {p}"));
                }
                if let Some(a) = session_affinity {
                    extra.push(format!("sessionAffinity {a}"));
                }
                let (port, port_ja) = if extra.is_empty() {
                    (String::new(), String::new())
                } else {
                    (
                        format!(" with {}", extra.join(", ")),
                        format!("（{}）", extra.join("、")),
                    )
                };
                t(
                    format!("{kind} {namespace}/{name}{port} exists"),
                    format!("{kind} {namespace}/{name}{port_ja} がある"),
                )
            }
            Check::LoadBalancerIp { namespace, name } => t(
                format!("{namespace}/{name} has its EXTERNAL-IP"),
                format!("{namespace}/{name} に EXTERNAL-IP が付いた"),
            ),
            Check::Endpoints {
                namespace,
                name,
                count,
            } => t(
                format!("{namespace}/{name} has {count} ready endpoints"),
                format!("{namespace}/{name} の Ready なエンドポイントが {count} 個"),
            ),
            Check::NoService { namespace, name } => t(
                format!("no Service {namespace}/{name}"),
                format!("Service {namespace}/{name} がない"),
            ),
            Check::Typed(text) => t(format!("you ran {text}"), format!("{text} を実行した")),
            Check::NodeStopped(node) => t(
                format!("{node} is stopped"),
                format!("{node} が停止している"),
            ),
        }
    }
}
