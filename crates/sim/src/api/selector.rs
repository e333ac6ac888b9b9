//! Label selectors (meta/v1 `LabelSelector`) and plain map selectors (Service `spec.selector`).

use serde::{Deserialize, Serialize};

use super::meta::StringMap;

/// `spec.selector` of workloads: matchLabels and matchExpressions, ANDed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// Labels that must be present with these values.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub match_labels: StringMap,
    /// Set-based requirements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    /// The label key.
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: String,
    /// The values for `In` and `NotIn`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl LabelSelector {
    /// Whether these labels satisfy the selector. An empty selector matches everything, as
    /// `metav1.LabelSelectorAsSelector` makes it (apimachinery/pkg/apis/meta/v1/helpers.go).
    pub fn matches(&self, labels: &StringMap) -> bool {
        map_selector_matches(&self.match_labels, labels)
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    /// Whether the selector selects nothing in particular (no labels and no expressions).
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }
}

impl LabelSelectorRequirement {
    /// Whether `labels` satisfy this one requirement.
    pub fn matches(&self, labels: &StringMap) -> bool {
        let value = labels.get(&self.key);
        match self.operator.as_str() {
            "In" => value.is_some_and(|v| self.values.contains(v)),
            "NotIn" => value.is_none_or(|v| !self.values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    }
}

/// Whether `labels` contain every pair of a map selector (`SelectorFromSet`).
pub fn map_selector_matches(selector: &StringMap, labels: &StringMap) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A map selector as kubectl prints it: `app=nginx,tier=web`, sorted by key.
pub fn format_map_selector(selector: &StringMap) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> StringMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn match_labels_need_every_pair() {
        let sel = LabelSelector {
            match_labels: labels(&[("app", "nginx")]),
            ..Default::default()
        };
        assert!(sel.matches(&labels(&[("app", "nginx"), ("pod-template-hash", "x")])));
        assert!(!sel.matches(&labels(&[("app", "nginy")])));
        assert!(!sel.matches(&labels(&[])));
    }

    #[test]
    fn expressions_follow_their_operators() {
        let req = |op: &str, values: &[&str]| LabelSelectorRequirement {
            key: "tier".into(),
            operator: op.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let web = labels(&[("tier", "web")]);
        let none = labels(&[]);
        assert!(req("In", &["web", "db"]).matches(&web));
        assert!(!req("In", &["db"]).matches(&web));
        assert!(req("NotIn", &["db"]).matches(&web));
        assert!(req("NotIn", &["db"]).matches(&none));
        assert!(req("Exists", &[]).matches(&web));
        assert!(req("DoesNotExist", &[]).matches(&none));
        assert!(!req("Bogus", &[]).matches(&web));
    }

    #[test]
    fn map_selectors_print_sorted() {
        assert_eq!(
            format_map_selector(&labels(&[("tier", "web"), ("app", "nginx")])),
            "app=nginx,tier=web"
        );
    }
}
