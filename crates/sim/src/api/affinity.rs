//! Required node affinity (k8s.io/api/core/v1/types.go `Affinity`, `NodeAffinity`,
//! `NodeSelector`), the part that decides where a pod may run: the DaemonSet controller pins
//! each of its pods to a node with it, and learners pin pods by label. Preferred terms and pod
//! (anti-)affinity are not kept, so the manifest decoder reports them as not simulated.
//!
//! Matching follows `k8s.io/component-helpers/scheduling/corev1/nodeaffinity`: the terms are
//! ORed, the requirements inside one term ANDed, and a term with no requirement matches nothing.

use serde::{Deserialize, Serialize};

use super::meta::StringMap;

/// `spec.affinity`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Affinity {
    /// Node affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<NodeAffinity>,
}

/// `spec.affinity.nodeAffinity`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeAffinity {
    /// Nodes the pod may be scheduled onto.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
}

/// A `NodeSelector`: terms, any of which a node must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelector {
    /// The terms, ORed.
    #[serde(default)]
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

/// One term: label and field requirements, ANDed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorTerm {
    /// Requirements on the node's labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<NodeSelectorRequirement>,
    /// Requirements on the node's fields (only `metadata.name` is supported).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_fields: Vec<NodeSelectorRequirement>,
}

/// `key operator values`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorRequirement {
    /// A label key, or `metadata.name` in `matchFields`.
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`.
    pub operator: String,
    /// The values; one integer for `Gt`/`Lt`, none for `Exists`/`DoesNotExist`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl Affinity {
    /// Pins a pod to one node, as the DaemonSet controller does
    /// (`ReplaceDaemonSetPodNodeNameNodeAffinity` in pkg/controller/daemon/util).
    pub fn to_node(node: &str) -> Affinity {
        Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm {
                        match_expressions: Vec::new(),
                        match_fields: vec![NodeSelectorRequirement {
                            key: "metadata.name".into(),
                            operator: "In".into(),
                            values: vec![node.into()],
                        }],
                    }],
                }),
            }),
        }
    }

    /// The required node selector, if any.
    pub fn required(&self) -> Option<&NodeSelector> {
        self.node_affinity
            .as_ref()?
            .required_during_scheduling_ignored_during_execution
            .as_ref()
    }
}

impl NodeSelector {
    /// Whether a node with this name and these labels matches any term.
    pub fn matches(&self, node_name: &str, labels: &StringMap) -> bool {
        self.node_selector_terms
            .iter()
            .any(|t| t.matches(node_name, labels))
    }
}

impl NodeSelectorTerm {
    fn matches(&self, node_name: &str, labels: &StringMap) -> bool {
        if self.match_expressions.is_empty() && self.match_fields.is_empty() {
            return false;
        }
        let labels_ok = self
            .match_expressions
            .iter()
            .all(|r| r.matches(labels.get(&r.key).map(String::as_str)));
        let fields_ok = self.match_fields.iter().all(|r| {
            let value = (r.key == "metadata.name").then_some(node_name);
            r.matches(value)
        });
        labels_ok && fields_ok
    }
}

impl NodeSelectorRequirement {
    /// Whether a node whose value for this key is `value` (`None`: absent) meets it.
    fn matches(&self, value: Option<&str>) -> bool {
        let number = |s: &str| s.parse::<i64>().ok();
        let compare = |want: std::cmp::Ordering| match (value.and_then(number), self.values.first())
        {
            (Some(have), Some(bound)) => number(bound).is_some_and(|b| have.cmp(&b) == want),
            _ => false,
        };
        match self.operator.as_str() {
            "In" => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            "NotIn" => !value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            "Gt" => compare(std::cmp::Ordering::Greater),
            "Lt" => compare(std::cmp::Ordering::Less),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(key: &str, op: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn terms_are_ored_and_requirements_anded() {
        let labels: StringMap = [("zone", "a"), ("gpu", "2")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let term = |exprs: Vec<NodeSelectorRequirement>| NodeSelectorTerm {
            match_expressions: exprs,
            match_fields: Vec::new(),
        };
        let sel = NodeSelector {
            node_selector_terms: vec![
                term(vec![req("zone", "In", &["b"])]),
                term(vec![req("zone", "In", &["a"]), req("gpu", "Gt", &["1"])]),
            ],
        };
        assert!(sel.matches("n1", &labels));
        let both = term(vec![req("zone", "In", &["a"]), req("gpu", "Lt", &["1"])]);
        assert!(!NodeSelector {
            node_selector_terms: vec![both]
        }
        .matches("n1", &labels));
        assert!(req("disk", "DoesNotExist", &[]).matches(None));
        assert!(req("zone", "NotIn", &["b"]).matches(Some("a")));
        assert!(!NodeSelector {
            node_selector_terms: vec![term(Vec::new())]
        }
        .matches("n1", &labels));
    }

    #[test]
    fn a_daemon_pod_is_pinned_to_its_node() {
        let a = Affinity::to_node("kind-worker");
        let sel = a.required().cloned().unwrap_or_default();
        assert!(sel.matches("kind-worker", &StringMap::default()));
        assert!(!sel.matches("kind-worker2", &StringMap::default()));
    }
}
