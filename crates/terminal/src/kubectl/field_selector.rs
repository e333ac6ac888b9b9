//! `--field-selector`: the API server filters a list by a few fields of each object
//! (k8s.io/apimachinery `fields.ParseSelector`; each kind's selectable fields from its
//! registry strategy, e.g. pkg/registry/core/pod/strategy.go `PodToSelectableFields`).

use svclab_sim::api::ResourceKind;

use super::value::Value;

/// One `field=value` or `field!=value` term.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    field: String,
    equal: bool,
    value: String,
}

/// A parsed field selector: every term must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSelector {
    text: String,
    terms: Vec<Term>,
}

/// The fields every kind is selectable by.
const META: [&str; 2] = ["metadata.name", "metadata.namespace"];

impl FieldSelector {
    /// `fields.ParseSelector`: comma-separated `f=v`, `f==v` or `f!=v` terms.
    pub fn parse(text: &str) -> Result<FieldSelector, String> {
        let mut terms = Vec::new();
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(format!(
                    "invalid selector: '{text}'; can't understand '{part}'"
                ));
            };
            terms.push(Term {
                field: field.trim().to_string(),
                equal,
                value: value.trim().to_string(),
            });
        }
        Ok(FieldSelector {
            text: text.to_string(),
            terms,
        })
    }

    /// The `--field-selector` flag's selector, if given; the parse error's text otherwise.
    pub fn from_flag(value: Option<&str>) -> Result<Option<FieldSelector>, String> {
        value.map(FieldSelector::parse).transpose()
    }

    /// The API server's refusal of a field `kind` cannot be selected by, if any (the list's
    /// BadRequest: `Unable to find "GROUP/VERSION, Resource=PLURAL" that match …`).
    pub fn unsupported(&self, kind: ResourceKind, labels: &str) -> Option<String> {
        let fields = selectable_fields(kind);
        let bad = self
            .terms
            .iter()
            .find(|t| !META.contains(&t.field.as_str()) && !fields.contains(&t.field.as_str()))?;
        let info = kind.info();
        let group_version = if info.group.is_empty() {
            format!("/{}", info.api_version)
        } else {
            info.api_version.to_string()
        };
        let resource = format!("{group_version}, Resource={}", info.plural);
        // Kinds with their own field label conversion say so; the others list the defaults.
        let why = if fields.is_empty() {
            format!(
                "\"{}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                bad.field
            )
        } else {
            format!("field label not supported: {}", bad.field)
        };
        Some(self.refusal(&resource, labels, &why))
    }

    /// The BadRequest a list with this selector gets from the API server.
    fn refusal(&self, resource: &str, labels: &str, why: &str) -> String {
        format!(
            "Error from server (BadRequest): Unable to find \"{resource}\" that match label selector \"{labels}\", field selector \"{}\": {why}\n",
            self.text
        )
    }

    /// Whether the object (as its JSON value) passes every term.
    pub fn matches(&self, object: &Value) -> bool {
        self.terms.iter().all(|t| {
            let actual = field_value(object, &t.field);
            (actual == t.value) == t.equal
        })
    }
}

/// The fields beyond `metadata.name` and `metadata.namespace` a kind is selectable by.
fn selectable_fields(kind: ResourceKind) -> &'static [&'static str] {
    match kind {
        ResourceKind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        ResourceKind::Node => &["spec.unschedulable"],
        ResourceKind::Namespace => &["status.phase"],
        ResourceKind::Service => &["spec.clusterIP", "spec.type"],
        ResourceKind::ReplicaSet => &["status.replicas"],
        _ => &[],
    }
}

/// The fields events are selectable by (pkg/registry/core/event/strategy.go).
pub const EVENT_FIELDS: [&str; 11] = [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
];

impl FieldSelector {
    /// The events API's refusal of a field it cannot select by, if any.
    pub fn unsupported_for_events(&self) -> Option<String> {
        let bad = self.terms.iter().find(|t| {
            !META.contains(&t.field.as_str()) && !EVENT_FIELDS.contains(&t.field.as_str())
        })?;
        let why = format!("field label not supported: {}", bad.field);
        Some(self.refusal("/v1, Resource=events", "", &why))
    }
}

/// A field's value as the selectable-fields set holds it: a missing field is empty, a
/// boolean or number in its text form, `status.podIPs` the first IP, `source` the event's
/// component.
fn field_value(object: &Value, field: &str) -> String {
    let path = match field {
        "status.podIPs" => "status.podIP",
        "source" => "source.component",
        other => other,
    };
    let mut at = object;
    for key in path.split('.') {
        match at.get(key) {
            Some(v) => at = v,
            None => return String::new(),
        }
    }
    match at {
        Value::Str(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_parse_and_match_like_the_api_server() {
        let pod = Value::object(vec![
            (
                "metadata",
                Value::object(vec![("name", Value::Str("web".into()))]),
            ),
            (
                "spec",
                Value::object(vec![("nodeName", Value::Str("kind-worker".into()))]),
            ),
            (
                "status",
                Value::object(vec![("phase", Value::Str("Running".into()))]),
            ),
        ]);
        let s = FieldSelector::parse("spec.nodeName=kind-worker,status.phase!=Failed").unwrap();
        assert!(s.matches(&pod));
        assert!(!FieldSelector::parse("spec.nodeName==other")
            .unwrap()
            .matches(&pod));
        assert!(FieldSelector::parse("status.nominatedNodeName=")
            .unwrap()
            .matches(&pod));
        assert_eq!(
            FieldSelector::parse("oops").unwrap_err(),
            "invalid selector: 'oops'; can't understand 'oops'"
        );
        let bad = FieldSelector::parse("spec.image=nginx").unwrap();
        assert_eq!(
            bad.unsupported(ResourceKind::Pod, ""),
            Some("Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.image=nginx\": field label not supported: spec.image\n".into())
        );
        assert!(FieldSelector::parse("metadata.name=x")
            .unwrap()
            .unsupported(ResourceKind::Deployment, "")
            .is_none());
    }
}
