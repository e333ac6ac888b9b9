//! ReplicaSets and Deployments (`pkg/apis/apps/validation/validation.go`), plus the selector
//! immutability the apps/v1 REST strategies add on update (`pkg/registry/apps/deployment/
//! strategy.go` and `pkg/registry/apps/replicaset/strategy.go`, `ValidateUpdate`).
//!
//! The lab's `selector` is not optional, so an empty selector stands for an absent one: that
//! gives `spec.selector: Required value` and, because `LabelSelectorAsSelector(nil)` is
//! `labels.Nothing()`, the template-labels mismatch too, as the real server reports.

use crate::api::{
    Deployment, DeploymentStrategy, IntOrString, LabelSelector, ObjectMeta, PodTemplateSpec,
    ReplicaSet,
};
use crate::apiserver::errors::{go_quote, BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::meta::{
    go_label_selector, validate_label_selector, validate_nonnegative, validate_object_meta,
    validate_object_meta_update, FIELD_IMMUTABLE,
};
use super::pod::validate_pod_template_spec;

/// An apps/v1 object's create validation: its metadata (a DNS subdomain name in a
/// namespace), then its spec's errors.
pub(super) fn validate_apps_object(meta: &ObjectMeta, spec: Vec<FieldError>) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        meta,
        true,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    errs.extend(spec);
    errs
}

/// An apps/v1 object's update validation: metadata against the stored object, the spec's
/// errors, then the selector the REST strategies keep immutable.
pub(super) fn validate_apps_update(
    (new, old): (&ObjectMeta, &ObjectMeta),
    spec: Vec<FieldError>,
    (new_selector, old_selector): (&LabelSelector, &LabelSelector),
) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(new, old, &FieldPath::new("metadata"));
    errs.extend(spec);
    errs.extend(immutable_selector(new_selector, old_selector));
    errs
}

/// `ValidateReplicaSet`.
pub fn validate_replica_set(rs: &ReplicaSet) -> Vec<FieldError> {
    validate_apps_object(&rs.metadata, validate_replica_set_spec(rs))
}

/// `ValidateReplicaSetUpdate` plus the apps/v1 immutable selector.
pub fn validate_replica_set_update(new: &ReplicaSet, old: &ReplicaSet) -> Vec<FieldError> {
    validate_apps_update(
        (&new.metadata, &old.metadata),
        validate_replica_set_spec(new),
        (&new.spec.selector, &old.spec.selector),
    )
}

fn validate_replica_set_spec(rs: &ReplicaSet) -> Vec<FieldError> {
    let spec = FieldPath::new("spec");
    let mut errs = validate_nonnegative(
        i64::from(rs.spec.replicas.unwrap_or(1)),
        &spec.child("replicas"),
    );
    errs.extend(validate_nonnegative(
        i64::from(rs.spec.min_ready_seconds.unwrap_or(0)),
        &spec.child("minReadySeconds"),
    ));
    errs.extend(validate_selector_and_template(
        &rs.spec.selector,
        &rs.spec.template,
        &spec,
    ));
    errs
}

/// `ValidateDeployment`.
pub fn validate_deployment(d: &Deployment) -> Vec<FieldError> {
    validate_apps_object(&d.metadata, validate_deployment_spec(d))
}

/// `ValidateDeploymentUpdate` plus the apps/v1 immutable selector.
pub fn validate_deployment_update(new: &Deployment, old: &Deployment) -> Vec<FieldError> {
    validate_apps_update(
        (&new.metadata, &old.metadata),
        validate_deployment_spec(new),
        (&new.spec.selector, &old.spec.selector),
    )
}

fn validate_deployment_spec(d: &Deployment) -> Vec<FieldError> {
    let spec = FieldPath::new("spec");
    let s = &d.spec;
    let mut errs =
        validate_nonnegative(i64::from(s.replicas.unwrap_or(1)), &spec.child("replicas"));
    errs.extend(validate_selector_and_template(
        &s.selector,
        &s.template,
        &spec,
    ));
    errs.extend(validate_strategy(&s.strategy, &spec.child("strategy")));
    let min_ready = s.min_ready_seconds.unwrap_or(0);
    errs.extend(validate_nonnegative(
        i64::from(min_ready),
        &spec.child("minReadySeconds"),
    ));
    if let Some(limit) = s.revision_history_limit {
        errs.extend(validate_nonnegative(
            i64::from(limit),
            &spec.child("revisionHistoryLimit"),
        ));
    }
    if let Some(deadline) = s.progress_deadline_seconds {
        let p = spec.child("progressDeadlineSeconds");
        errs.extend(validate_nonnegative(i64::from(deadline), &p));
        if deadline <= min_ready {
            errs.push(FieldError::invalid(
                &p,
                BadValue::Int(i64::from(deadline)),
                "must be greater than minReadySeconds",
            ));
        }
    }
    errs
}

/// The selector part of `ValidateReplicaSetSpec` / `ValidateDeploymentSpec` and
/// `ValidatePodTemplateSpecForReplicaSet`.
fn validate_selector_and_template(
    selector: &LabelSelector,
    template: &PodTemplateSpec,
    spec: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let sel_path = spec.child("selector");
    if selector.is_empty() {
        errs.push(FieldError::required(&sel_path, ""));
    } else {
        errs.extend(validate_label_selector(selector, &sel_path));
    }
    let tp = spec.child("template");
    errs.extend(selector_mismatch(selector, template, &tp));
    errs.extend(validate_pod_template_spec(template, &tp));
    if template.spec.restart_policy != "Always" {
        errs.push(FieldError::not_supported(
            &tp.child("spec").child("restartPolicy"),
            BadValue::str(&template.spec.restart_policy),
            &["Always"],
        ));
    }
    errs
}

/// The template's labels against the selector (every apps/v1 workload's template check). A
/// nil selector is `labels.Nothing()`, which is not `Empty()` and matches nothing.
pub(super) fn selector_mismatch(
    selector: &LabelSelector,
    template: &PodTemplateSpec,
    template_path: &FieldPath,
) -> Option<FieldError> {
    (selector.is_empty() || !selector.matches(&template.metadata.labels)).then(|| {
        FieldError::invalid(
            &template_path.child("metadata").child("labels"),
            BadValue::StringMap(template.metadata.labels.clone()),
            "`selector` does not match template `labels`",
        )
    })
}

/// `%#v` of a Go pointer field inside a printed struct: `(*T)(nil)`, or an address when set,
/// which the lab cannot reproduce and shows as a typical heap address.
pub(super) fn go_pointer(set: bool, go_type: &str) -> String {
    if set {
        format!("(*{go_type})(0xc000010000)")
    } else {
        format!("(*{go_type})(nil)")
    }
}

/// `%#v` of an `intstr.IntOrString` value (its `String()` has a pointer receiver, so the
/// error prints the struct).
pub(super) fn go_int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(n) => format!("intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:\"\"}}"),
        IntOrString::String(s) => {
            format!(
                "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
                go_quote(s)
            )
        }
    }
}

/// `IntOrString.IntValue()` on a percent-or-int (`getIntOrPercentValue`).
pub(super) fn int_or_percent_value(v: &IntOrString) -> i64 {
    match v {
        IntOrString::Int(n) => i64::from(*n),
        IntOrString::String(s) => {
            if names::is_valid_percent(s).is_empty() {
                s.strip_suffix('%')
                    .and_then(|d| d.parse::<i64>().ok())
                    .unwrap_or(0)
            } else {
                // IntValue(): strconv.Atoi, 0 on error.
                s.parse::<i64>().unwrap_or(0)
            }
        }
    }
}

/// `ValidatePositiveIntOrPercent`.
pub(super) fn validate_positive_int_or_percent(
    v: &IntOrString,
    path: &FieldPath,
) -> Vec<FieldError> {
    match v {
        IntOrString::String(s) => names::is_valid_percent(s)
            .into_iter()
            .map(|m| FieldError::invalid(path, BadValue::Raw(go_int_or_string(v)), &m))
            .collect(),
        IntOrString::Int(n) => validate_nonnegative(i64::from(*n), path),
    }
}

/// `IsNotMoreThan100Percent`.
pub(super) fn not_more_than_100_percent(v: &IntOrString, path: &FieldPath) -> Vec<FieldError> {
    if let IntOrString::String(s) = v {
        if names::is_valid_percent(s).is_empty() && int_or_percent_value(v) > 100 {
            return vec![FieldError::invalid(
                path,
                BadValue::Raw(go_int_or_string(v)),
                "must not be greater than 100%",
            )];
        }
    }
    Vec::new()
}

/// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`.
fn validate_strategy(s: &DeploymentStrategy, path: &FieldPath) -> Vec<FieldError> {
    match s.type_.as_str() {
        "Recreate" => {
            if s.rolling_update.is_some() {
                vec![FieldError::forbidden(
                    &path.child("rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                )]
            } else {
                Vec::new()
            }
        }
        "RollingUpdate" => {
            let Some(ru) = &s.rolling_update else {
                return vec![FieldError::required(
                    &path.child("rollingUpdate"),
                    "this should be defaulted and never be nil",
                )];
            };
            let rp = path.child("rollingUpdate");
            let zero = IntOrString::Int(0);
            let unavailable = ru.max_unavailable.as_ref().unwrap_or(&zero);
            let surge = ru.max_surge.as_ref().unwrap_or(&zero);
            let mut errs =
                validate_positive_int_or_percent(unavailable, &rp.child("maxUnavailable"));
            errs.extend(validate_positive_int_or_percent(
                surge,
                &rp.child("maxSurge"),
            ));
            if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
                errs.push(FieldError::invalid(
                    &rp.child("maxUnavailable"),
                    BadValue::Raw(go_int_or_string(unavailable)),
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
            errs.extend(not_more_than_100_percent(
                unavailable,
                &rp.child("maxUnavailable"),
            ));
            errs
        }
        other => {
            // The value is the whole *apps.DeploymentStrategy, printed with %#v; a set
            // rollingUpdate pointer prints as an address, which the lab cannot reproduce.
            let ru = if s.rolling_update.is_some() {
                "(*apps.RollingUpdateDeployment)(0xc000010000)"
            } else {
                "(*apps.RollingUpdateDeployment)(nil)"
            };
            vec![FieldError::not_supported(
                path,
                BadValue::Raw(format!(
                    "apps.DeploymentStrategy{{Type:{}, RollingUpdate:{ru}}}",
                    go_quote(other)
                )),
                &["Recreate", "RollingUpdate"],
            )]
        }
    }
}

/// `ValidateImmutableField(new.Spec.Selector, old.Spec.Selector, spec.selector)`.
fn immutable_selector(new: &LabelSelector, old: &LabelSelector) -> Vec<FieldError> {
    if new == old {
        return Vec::new();
    }
    let value = if new.is_empty() {
        // A nil *LabelSelector prints as "null".
        BadValue::Nil
    } else {
        BadValue::Raw(go_label_selector(new))
    };
    vec![FieldError::invalid(
        &FieldPath::new("spec").child("selector"),
        value,
        FIELD_IMMUTABLE,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{
        Container, DeploymentSpec, ObjectMeta, PodSpec, ReplicaSetSpec, RollingUpdate, StringMap,
    };
    use crate::apiserver::errors::{kubectl_error_output, StatusError};

    fn labels(k: &str, v: &str) -> StringMap {
        [(k.to_string(), v.to_string())].into()
    }

    fn template(l: StringMap) -> PodTemplateSpec {
        PodTemplateSpec {
            metadata: ObjectMeta {
                labels: l,
                ..Default::default()
            },
            spec: PodSpec {
                containers: crate::api::Shared::from(vec![Container {
                    name: "nginx".into(),
                    image: "nginx".into(),
                    image_pull_policy: "Always".into(),
                    ..Default::default()
                }]),
                restart_policy: "Always".into(),
                termination_grace_period_seconds: Some(30),
                ..Default::default()
            },
        }
    }

    fn deployment(sel: StringMap, tl: StringMap) -> Deployment {
        Deployment {
            metadata: ObjectMeta {
                name: "nginx".into(),
                namespace: "default".into(),
                resource_version: "1".into(),
                ..Default::default()
            },
            spec: DeploymentSpec {
                replicas: Some(1),
                selector: LabelSelector {
                    match_labels: sel,
                    match_expressions: vec![],
                },
                template: template(tl),
                strategy: DeploymentStrategy {
                    type_: "RollingUpdate".into(),
                    rolling_update: Some(RollingUpdate {
                        max_unavailable: Some(IntOrString::String("25%".into())),
                        max_surge: Some(IntOrString::String("25%".into())),
                    }),
                },
                min_ready_seconds: None,
                revision_history_limit: Some(10),
                progress_deadline_seconds: Some(600),
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_missing_selector_reads_as_in_the_wild() {
        // KUBERNETES.md §4.3, output seen in the wild for a Deployment without a selector.
        let d = deployment(StringMap::new(), labels("run", "app"));
        let errs = validate_deployment(&d);
        let err = StatusError::invalid("apps", "Deployment", "nginx", &errs);
        assert_eq!(
            kubectl_error_output(&err, Some(("creating", "d.yaml"))),
            "The Deployment \"nginx\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{\"run\":\"app\"}: `selector` does not match template `labels`\n"
        );
    }

    #[test]
    fn good_and_mismatched() {
        assert!(
            validate_deployment(&deployment(labels("app", "web"), labels("app", "web"))).is_empty()
        );
        let errs = validate_deployment(&deployment(labels("app", "web"), labels("app", "api")));
        assert_eq!(
            errs.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"]
        );
    }

    #[test]
    fn replicas_strategy_and_restart_policy() {
        let mut d = deployment(labels("app", "web"), labels("app", "web"));
        d.spec.replicas = Some(-1);
        d.spec.template.spec.restart_policy = "OnFailure".into();
        d.spec.strategy.rolling_update = Some(RollingUpdate {
            max_unavailable: Some(IntOrString::Int(0)),
            max_surge: Some(IntOrString::String("0%".into())),
        });
        d.spec.progress_deadline_seconds = Some(0);
        let got: Vec<String> = validate_deployment(&d)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0",
                "spec.progressDeadlineSeconds: Invalid value: 0: must be greater than minReadySeconds",
            ]
        );
        d.spec.strategy.type_ = "Bogus".into();
        d.spec.strategy.rolling_update = None;
        let got: Vec<String> = validate_deployment(&d)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(got.contains(&"spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"Bogus\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"".to_string()));
    }

    #[test]
    fn selectors_are_immutable_on_update() {
        let old = deployment(labels("app", "nginx"), labels("app", "nginx"));
        let new = deployment(labels("app", "nginx2"), labels("app", "nginx2"));
        let got: Vec<String> = validate_deployment_update(&new, &old)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            got,
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"nginx2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]
        );
    }

    #[test]
    fn replica_sets() {
        let rs = ReplicaSet {
            metadata: ObjectMeta {
                name: "web-1".into(),
                namespace: "default".into(),
                ..Default::default()
            },
            spec: ReplicaSetSpec {
                replicas: Some(2),
                min_ready_seconds: Some(-5),
                selector: LabelSelector {
                    match_labels: labels("app", "web"),
                    match_expressions: vec![],
                },
                template: template(labels("app", "web")),
            },
            ..Default::default()
        };
        let got: Vec<String> = validate_replica_set(&rs)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            got,
            ["spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0"]
        );
    }
}
