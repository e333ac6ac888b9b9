//! StatefulSets and ControllerRevisions (`pkg/apis/apps/validation/validation.go`:
//! `ValidateStatefulSet`, `ValidateStatefulSetSpec`, `ValidatePodTemplateSpecForStatefulSet`,
//! `validateRollingUpdateStatefulSet`, `ValidateStatefulSetUpdate`, `ValidateControllerRevision`).
//!
//! Two quirks of the real server are kept: a StatefulSet's pod template is checked only for its
//! labels and annotations (its spec is not validated: "currently this will check volumes, which
//! we know will fail"), and its name must be a DNS label, since it becomes the pods' hostnames.
//! An empty selector stands for an absent one, as in `workload.rs`.

use crate::api::{ControllerRevision, StatefulSet, StatefulSetUpdateStrategy};
use crate::apiserver::errors::{go_quote, BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::meta::{
    validate_annotations, validate_label_selector, validate_labels, validate_nonnegative,
    validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE,
};
use super::workload::{
    go_int_or_string, go_pointer, int_or_percent_value, not_more_than_100_percent,
    selector_mismatch, validate_positive_int_or_percent,
};

/// `ValidateStatefulSet`.
pub fn validate_stateful_set(set: &StatefulSet) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &set.metadata,
        true,
        names::name_is_dns_label,
        &FieldPath::new("metadata"),
    );
    errs.extend(validate_spec(set));
    errs
}

/// `ValidateStatefulSetUpdate`: the spec is valid, and only replicas, ordinals, template,
/// updateStrategy, the claim retention policy and minReadySeconds changed.
pub fn validate_stateful_set_update(new: &StatefulSet, old: &StatefulSet) -> Vec<FieldError> {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    errs.extend(validate_spec(new));
    let mut rest = new.spec.clone();
    rest.replicas = old.spec.replicas;
    rest.template = old.spec.template.clone();
    rest.update_strategy = old.spec.update_strategy.clone();
    rest.min_ready_seconds = old.spec.min_ready_seconds;
    rest.ordinals = old.spec.ordinals.clone();
    rest.persistent_volume_claim_retention_policy =
        old.spec.persistent_volume_claim_retention_policy.clone();
    if rest != old.spec {
        errs.push(FieldError::forbidden(
            &FieldPath::new("spec"),
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ));
    }
    errs
}

/// `ValidateStatefulSetSpec`.
fn validate_spec(set: &StatefulSet) -> Vec<FieldError> {
    let spec = FieldPath::new("spec");
    let s = &set.spec;
    let mut errs = Vec::new();
    match s.pod_management_policy.as_str() {
        "" => errs.push(FieldError::required(&spec.child("podManagementPolicy"), "")),
        "OrderedReady" | "Parallel" => {}
        other => errs.push(FieldError::invalid(
            &spec.child("podManagementPolicy"),
            BadValue::str(other),
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    errs.extend(validate_update_strategy(
        &s.update_strategy,
        &spec.child("updateStrategy"),
    ));
    if let Some(policy) = &s.persistent_volume_claim_retention_policy {
        let p = spec.child("persistentVolumeClaimRetentionPolicy");
        for (value, field) in [
            (&policy.when_deleted, "whenDeleted"),
            (&policy.when_scaled, "whenScaled"),
        ] {
            if value != "Retain" && value != "Delete" {
                errs.push(FieldError::not_supported(
                    &p.child(field),
                    BadValue::str(value),
                    &["Retain", "Delete"],
                ));
            }
        }
    }
    errs.extend(validate_nonnegative(
        i64::from(s.replicas.unwrap_or(1)),
        &spec.child("replicas"),
    ));
    errs.extend(validate_nonnegative(
        i64::from(s.min_ready_seconds),
        &spec.child("minReadySeconds"),
    ));
    if let Some(ordinals) = &s.ordinals {
        errs.extend(validate_nonnegative(
            i64::from(ordinals.start),
            &spec.child("ordinals.start"),
        ));
    }
    let selector = spec.child("selector");
    if s.selector.is_empty() {
        errs.push(FieldError::required(&selector, ""));
    } else {
        errs.extend(validate_label_selector(&s.selector, &selector));
    }
    // ValidatePodTemplateSpecForStatefulSet.
    let template = spec.child("template");
    errs.extend(selector_mismatch(&s.selector, &s.template, &template));
    errs.extend(validate_labels(
        &s.template.metadata.labels,
        &template.child("labels"),
    ));
    errs.extend(validate_annotations(
        &s.template.metadata.annotations,
        &template.child("annotations"),
    ));
    if s.template.spec.restart_policy != "Always" {
        errs.push(FieldError::not_supported(
            &template.child("spec").child("restartPolicy"),
            BadValue::str(&s.template.spec.restart_policy),
            &["Always"],
        ));
    }
    // (`activeDeadlineSeconds` is refused too, but the lab does not keep that pod field.)
    errs
}

/// The `updateStrategy` switch of `ValidateStatefulSetSpec` and
/// `validateRollingUpdateStatefulSet`.
fn validate_update_strategy(s: &StatefulSetUpdateStrategy, path: &FieldPath) -> Vec<FieldError> {
    let rolling = path.child("rollingUpdate");
    match (s.type_.as_str(), &s.rolling_update) {
        ("", _) => vec![FieldError::required(path, "")],
        ("OnDelete", None) | ("RollingUpdate", None) => Vec::new(),
        ("OnDelete", Some(ru)) => vec![FieldError::invalid(
            &rolling,
            BadValue::Raw(format!(
                "&apps.RollingUpdateStatefulSetStrategy{{Partition:{}, MaxUnavailable:{}}}",
                ru.partition.unwrap_or(0),
                go_pointer(ru.max_unavailable.is_some(), "intstr.IntOrString")
            )),
            "only allowed for updateStrategy 'RollingUpdate'",
        )],
        ("RollingUpdate", Some(ru)) => {
            let mut errs = validate_nonnegative(
                i64::from(ru.partition.unwrap_or(0)),
                &rolling.child("partition"),
            );
            if let Some(max) = &ru.max_unavailable {
                let p = rolling.child("maxUnavailable");
                errs.extend(validate_positive_int_or_percent(max, &p));
                if int_or_percent_value(max) == 0 {
                    errs.push(FieldError::invalid(
                        &p,
                        BadValue::Raw(go_int_or_string(max)),
                        "cannot be 0",
                    ));
                }
                errs.extend(not_more_than_100_percent(max, &p));
            }
            errs
        }
        (other, ru) => {
            // The value is the whole apps.StatefulSetUpdateStrategy, printed with %#v.
            let ru = go_pointer(ru.is_some(), "apps.RollingUpdateStatefulSetStrategy");
            vec![FieldError::invalid(
                path,
                BadValue::Raw(format!(
                    "apps.StatefulSetUpdateStrategy{{Type:{}, RollingUpdate:{ru}}}",
                    go_quote(other)
                )),
                "must be 'RollingUpdate' or 'OnDelete'",
            )]
        }
    }
}

/// `ValidateControllerRevision`: a DNS subdomain name, data, a revision that is not negative.
pub fn validate_controller_revision(revision: &ControllerRevision) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &revision.metadata,
        true,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    if revision.data.is_null() {
        errs.push(FieldError::required(
            &FieldPath::new("data"),
            "data is mandatory",
        ));
    }
    errs.extend(validate_nonnegative(
        revision.revision,
        &FieldPath::new("revision"),
    ));
    errs
}

/// `ValidateControllerRevisionUpdate`: the data never changes.
pub fn validate_controller_revision_update(
    new: &ControllerRevision,
    old: &ControllerRevision,
) -> Vec<FieldError> {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    errs.extend(validate_controller_revision(new));
    if new.data != old.data {
        errs.push(FieldError::invalid(
            &FieldPath::new("data"),
            BadValue::Omit,
            FIELD_IMMUTABLE,
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::IntOrString;
    use crate::apiserver::validation::default_stateful_set;

    fn set(yaml: &str) -> StatefulSet {
        let mut s: StatefulSet = serde_yaml_ng::from_str(yaml).expect("a StatefulSet");
        s.metadata.namespace = "default".into();
        default_stateful_set(&mut s);
        s
    }

    const WEB: &str = "metadata: {name: web}\nspec:\n  serviceName: nginx\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec:\n      containers: [{name: nginx, image: nginx}]\n";

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(FieldError::to_string).collect()
    }

    #[test]
    fn the_tutorial_set_is_valid_and_its_name_must_be_a_label() {
        assert!(validate_stateful_set(&set(WEB)).is_empty());
        let dotted = set(&WEB.replace("name: web", "name: web.v1"));
        let errs = messages(&validate_stateful_set(&dotted));
        assert_eq!(errs.len(), 1, "{errs:?}");
        // IsDNS1123Label: a valid subdomain that is not a label only lacks the dots rule.
        assert_eq!(
            errs,
            ["metadata.name: Invalid value: \"web.v1\": must not contain dots"]
        );
    }

    #[test]
    fn the_template_is_checked_against_the_selector_but_its_spec_is_not() {
        let wrong = set(&WEB.replace("labels: {app: nginx}", "labels: {app: web}"));
        let errs = messages(&validate_stateful_set(&wrong));
        assert_eq!(
            errs,
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"]
        );
        // A mount of a claim template's volume names no pod volume: not an error here.
        let claim = set(&WEB.replace(
            "image: nginx}",
            "image: nginx, volumeMounts: [{name: www, mountPath: /data}]}",
        ));
        assert!(validate_stateful_set(&claim).is_empty());
    }

    #[test]
    fn policies_and_strategies_use_the_servers_words() {
        let mut s = set(WEB);
        s.spec.pod_management_policy = "Burst".into();
        s.spec.update_strategy.type_ = "Recreate".into();
        s.spec.update_strategy.rolling_update = None;
        let errs = messages(&validate_stateful_set(&s));
        assert_eq!(
            errs,
            [
                "spec.podManagementPolicy: Invalid value: \"Burst\": must be 'OrderedReady' or 'Parallel'",
                "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'",
            ]
        );
        let mut s = set(WEB);
        s.spec.update_strategy.rolling_update = Some(crate::api::RollingUpdateStatefulSet {
            partition: Some(-1),
            max_unavailable: Some(IntOrString::Int(0)),
        });
        let errs = messages(&validate_stateful_set(&s));
        assert_eq!(
            errs,
            [
                "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: cannot be 0",
            ]
        );
    }

    #[test]
    fn only_some_spec_fields_may_change() {
        let mut old = set(WEB);
        old.metadata.resource_version = "7".into();
        let mut scaled = old.clone();
        scaled.spec.replicas = Some(5);
        scaled.spec.template.spec.containers[0].image = "nginx:1.27".into();
        let errs = messages(&validate_stateful_set_update(&scaled, &old));
        assert!(errs.is_empty(), "{errs:?}");
        let mut renamed = old.clone();
        renamed.spec.service_name = "other".into();
        assert_eq!(
            messages(&validate_stateful_set_update(&renamed, &old)),
            ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]
        );
    }
}
