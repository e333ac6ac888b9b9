//! Object metadata, labels, annotations and label selectors
//! (`staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go` and `generic.go`,
//! `pkg/apis/meta/v1/validation/validation.go`, v0.33.1).

use crate::api::{LabelSelector, ObjectMeta, StringMap};
use crate::apiserver::errors::{go_quote, go_string_map, BadValue, FieldError, FieldPath};
use crate::apiserver::names;

/// `FieldImmutableErrorMsg`.
pub const FIELD_IMMUTABLE: &str = "field is immutable";
/// `IsNegativeErrorMsg`.
pub const IS_NEGATIVE: &str = "must be greater than or equal to 0";
/// `TotalAnnotationSizeLimitB`: 256 kB.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);

/// A name rule (`ValidateNameFunc`): the name and whether it is a `generateName` prefix.
pub type NameFn = fn(&str, bool) -> Vec<String>;

/// `ValidateNonnegativeField`.
pub fn validate_nonnegative(value: i64, path: &FieldPath) -> Vec<FieldError> {
    if value < 0 {
        vec![FieldError::invalid(path, BadValue::Int(value), IS_NEGATIVE)]
    } else {
        Vec::new()
    }
}

/// `ValidateLabelName`: a label key must be a qualified name.
pub fn validate_label_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    names::is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, BadValue::str(name), &m))
        .collect()
}

/// `ValidateLabels`: keys are qualified names, values valid label values; errors carry the
/// map's path, not the key's.
pub fn validate_labels(labels: &StringMap, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        errs.extend(validate_label_name(k, path));
        for m in names::is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, BadValue::str(v), &m));
        }
    }
    errs
}

/// `ValidateAnnotations`: keys (lower-cased) are qualified names; the total is at most 256 kB.
pub fn validate_annotations(annotations: &StringMap, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total: usize = 0;
    for (k, v) in annotations {
        for m in names::is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, BadValue::str(k), &m));
        }
        total = total.saturating_add(k.len()).saturating_add(v.len());
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(
            path,
            TOTAL_ANNOTATION_SIZE_LIMIT as i64,
        ));
    }
    errs
}

/// `ValidateObjectMeta` (and core's wrapper): name or generateName, namespace, labels,
/// annotations, owner references.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    requires_namespace: bool,
    name_fn: NameFn,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !meta.generate_name.is_empty() {
        for m in name_fn(&meta.generate_name, true) {
            errs.push(FieldError::invalid(
                &path.child("generateName"),
                BadValue::str(&meta.generate_name),
                &m,
            ));
        }
    }
    if meta.name.is_empty() {
        errs.push(FieldError::required(
            &path.child("name"),
            "name or generateName is required",
        ));
    } else {
        for m in name_fn(&meta.name, false) {
            errs.push(FieldError::invalid(
                &path.child("name"),
                BadValue::str(&meta.name),
                &m,
            ));
        }
    }
    if requires_namespace {
        if meta.namespace.is_empty() {
            errs.push(FieldError::required(&path.child("namespace"), ""));
        } else {
            for m in names::name_is_dns_label(&meta.namespace, false) {
                errs.push(FieldError::invalid(
                    &path.child("namespace"),
                    BadValue::str(&meta.namespace),
                    &m,
                ));
            }
        }
    } else if !meta.namespace.is_empty() {
        errs.push(FieldError::forbidden(
            &path.child("namespace"),
            "not allowed on this type",
        ));
    }
    errs.extend(validate_nonnegative(
        meta.generation,
        &path.child("generation"),
    ));
    errs.extend(validate_labels(&meta.labels, &path.child("labels")));
    errs.extend(validate_annotations(
        &meta.annotations,
        &path.child("annotations"),
    ));
    let refs = path.child("ownerReferences");
    let mut first_controller = String::new();
    for r in &meta.owner_references {
        // schema.FromAPIVersionAndKind: the version is what follows the last '/'.
        let version = r.api_version.rsplit('/').next().unwrap_or("");
        if version.is_empty() {
            errs.push(FieldError::invalid(
                &refs.child("apiVersion"),
                BadValue::str(&r.api_version),
                "version must not be empty",
            ));
        }
        if r.kind.is_empty() {
            errs.push(FieldError::invalid(
                &refs.child("kind"),
                BadValue::str(&r.kind),
                "kind must not be empty",
            ));
        }
        if r.name.is_empty() {
            errs.push(FieldError::invalid(
                &refs.child("name"),
                BadValue::str(&r.name),
                "name must not be empty",
            ));
        }
        if r.uid.is_empty() {
            errs.push(FieldError::invalid(
                &refs.child("uid"),
                BadValue::str(&r.uid),
                "uid must not be empty",
            ));
        }
        if r.controller == Some(true) {
            let current = format!("{}/{}", r.kind, r.name);
            if first_controller.is_empty() {
                first_controller = current;
            } else {
                errs.push(FieldError::invalid(
                    &refs,
                    BadValue::Raw("[]v1.OwnerReference{...}".to_string()),
                    &format!("Only one reference can have Controller set to true. Found \"true\" in references for {first_controller} and {current}"),
                ));
            }
        }
    }
    errs
}

/// `ValidateObjectMetaUpdate`: identity fields may not change and an update names the version
/// it replaces.
pub fn validate_object_meta_update(
    new: &ObjectMeta,
    old: &ObjectMeta,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if new.resource_version.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("resourceVersion"),
            BadValue::str(""),
            "must be specified for an update",
        ));
    }
    if new.generation < old.generation {
        errs.push(FieldError::invalid(
            &path.child("generation"),
            BadValue::Int(new.generation),
            "must not be decremented",
        ));
    }
    for (field, n, o) in [
        ("name", &new.name, &old.name),
        ("namespace", &new.namespace, &old.namespace),
        ("uid", &new.uid, &old.uid),
    ] {
        if n != o {
            errs.push(FieldError::invalid(
                &path.child(field),
                BadValue::str(n),
                FIELD_IMMUTABLE,
            ));
        }
    }
    if new.creation_timestamp != old.creation_timestamp {
        // metav1.Time prints through its String() (Go's time format).
        errs.push(FieldError::invalid(
            &path.child("creationTimestamp"),
            BadValue::Raw(new.creation_timestamp.clone()),
            FIELD_IMMUTABLE,
        ));
    }
    errs.extend(validate_labels(&new.labels, &path.child("labels")));
    errs.extend(validate_annotations(
        &new.annotations,
        &path.child("annotations"),
    ));
    errs
}

/// `ValidateLabelSelector` (strict: label values in expressions must be valid).
pub fn validate_label_selector(sel: &LabelSelector, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = validate_labels(&sel.match_labels, &path.child("matchLabels"));
    for (i, r) in sel.match_expressions.iter().enumerate() {
        let rp = path.child("matchExpressions").index(i);
        match r.operator.as_str() {
            "In" | "NotIn" => {
                if r.values.is_empty() {
                    errs.push(FieldError::required(
                        &rp.child("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !r.values.is_empty() {
                    errs.push(FieldError::forbidden(
                        &rp.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            _ => errs.push(FieldError::invalid(
                &rp.child("operator"),
                BadValue::str(&r.operator),
                "not a valid selector operator",
            )),
        }
        errs.extend(validate_label_name(&r.key, &rp.child("key")));
        for (vi, v) in r.values.iter().enumerate() {
            for m in names::is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &rp.child("values").index(vi),
                    BadValue::str(v),
                    &m,
                ));
            }
        }
    }
    errs
}

/// `%#v` of a `metav1.LabelSelector`, as immutable-selector errors print it.
pub fn go_label_selector(sel: &LabelSelector) -> String {
    let exprs = if sel.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = sel
            .match_expressions
            .iter()
            .map(|r| {
                let values = if r.values.is_empty() {
                    "[]string(nil)".to_string()
                } else {
                    let v: Vec<String> = r.values.iter().map(|s| go_quote(s)).collect();
                    format!("[]string{{{}}}", v.join(", "))
                };
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
                    go_quote(&r.key),
                    go_quote(&r.operator)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{exprs}}}",
        go_string_map(&sel.match_labels)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LabelSelectorRequirement;

    fn meta(name: &str, ns: &str) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            namespace: ns.into(),
            ..Default::default()
        }
    }

    #[test]
    fn names_and_namespaces() {
        let p = FieldPath::new("metadata");
        assert!(validate_object_meta(
            &meta("web", "default"),
            true,
            names::name_is_dns_subdomain,
            &p
        )
        .is_empty());
        let errs = validate_object_meta(&meta("", ""), true, names::name_is_dns_subdomain, &p);
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "metadata.name: Required value: name or generateName is required",
                "metadata.namespace: Required value",
            ]
        );
        let errs =
            validate_object_meta(&meta("web", "default"), false, names::name_is_dns_label, &p);
        assert_eq!(
            errs[0].to_string(),
            "metadata.namespace: Forbidden: not allowed on this type"
        );
    }

    #[test]
    fn labels_report_the_map_path() {
        let labels: StringMap = [("app".to_string(), "-bad".to_string())].into();
        let errs = validate_labels(&labels, &FieldPath::new("metadata").child("labels"));
        assert_eq!(errs.len(), 1);
        assert!(errs[0]
            .to_string()
            .starts_with("metadata.labels: Invalid value: \"-bad\": a valid label must be"));
    }

    #[test]
    fn selectors_print_as_go_structs() {
        let sel = LabelSelector {
            match_labels: [("app".to_string(), "nginx2".to_string())].into(),
            match_expressions: Vec::new(),
        };
        // The form seen in real "field is immutable" replies for Deployments.
        assert_eq!(
            go_label_selector(&sel),
            "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"nginx2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
        );
        let sel = LabelSelector {
            match_labels: StringMap::new(),
            match_expressions: vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "Bogus".into(),
                values: vec![],
            }],
        };
        let errs = validate_label_selector(&sel, &FieldPath::new("spec").child("selector"));
        assert_eq!(
            errs[0].to_string(),
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Bogus\": not a valid selector operator"
        );
    }

    #[test]
    fn updates_keep_identity() {
        let old = ObjectMeta {
            resource_version: "1".into(),
            ..meta("a", "default")
        };
        let new = ObjectMeta {
            resource_version: "1".into(),
            ..meta("b", "default")
        };
        let errs = validate_object_meta_update(&new, &old, &FieldPath::new("metadata"));
        assert_eq!(
            errs[0].to_string(),
            "metadata.name: Invalid value: \"b\": field is immutable"
        );
    }
}
