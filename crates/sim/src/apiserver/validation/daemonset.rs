//! DaemonSets (`pkg/apis/apps/validation/validation.go`: `ValidateDaemonSet`,
//! `ValidateDaemonSetSpec`, `ValidateDaemonSetUpdateStrategy`, `ValidateRollingUpdateDaemonSet`)
//! and the immutable selector of `pkg/registry/apps/daemonset/strategy.go`.
//!
//! The lab's `selector` is not optional, so an empty one stands for an absent one: a nil
//! selector is `labels.Nothing()`, which matches no template.

use crate::api::{DaemonSet, DaemonSetUpdateStrategy, IntOrString};
use crate::apiserver::errors::{go_quote, BadValue, FieldError, FieldPath};

use super::meta::{validate_label_selector, validate_nonnegative};
use super::pod::validate_pod_template_spec;
use super::workload::{
    go_int_or_string, go_pointer, int_or_percent_value, not_more_than_100_percent,
    selector_mismatch, validate_apps_object, validate_apps_update,
    validate_positive_int_or_percent,
};

/// `ValidateDaemonSet`.
pub fn validate_daemon_set(ds: &DaemonSet) -> Vec<FieldError> {
    validate_apps_object(&ds.metadata, validate_spec(ds))
}

/// `ValidateDaemonSetUpdate` plus the apps/v1 immutable selector.
pub fn validate_daemon_set_update(new: &DaemonSet, old: &DaemonSet) -> Vec<FieldError> {
    validate_apps_update(
        (&new.metadata, &old.metadata),
        validate_spec(new),
        (&new.spec.selector, &old.spec.selector),
    )
}

/// `ValidateDaemonSetSpec`.
fn validate_spec(ds: &DaemonSet) -> Vec<FieldError> {
    let spec = FieldPath::new("spec");
    let s = &ds.spec;
    let mut errs = validate_label_selector(&s.selector, &spec.child("selector"));
    let template = spec.child("template");
    errs.extend(selector_mismatch(&s.selector, &s.template, &template));
    errs.extend(validate_pod_template_spec(&s.template, &template));
    if s.template.spec.restart_policy != "Always" {
        errs.push(FieldError::not_supported(
            &template.child("spec").child("restartPolicy"),
            BadValue::str(&s.template.spec.restart_policy),
            &["Always"],
        ));
    }
    errs.extend(validate_nonnegative(
        i64::from(s.min_ready_seconds.unwrap_or(0)),
        &spec.child("minReadySeconds"),
    ));
    errs.extend(validate_update_strategy(
        &s.update_strategy,
        &spec.child("updateStrategy"),
    ));
    if let Some(limit) = s.revision_history_limit {
        errs.extend(validate_nonnegative(
            i64::from(limit),
            &spec.child("revisionHistoryLimit"),
        ));
    }
    errs
}

/// `ValidateDaemonSetUpdateStrategy` and `ValidateRollingUpdateDaemonSet`.
fn validate_update_strategy(s: &DaemonSetUpdateStrategy, path: &FieldPath) -> Vec<FieldError> {
    match s.type_.as_str() {
        "OnDelete" => Vec::new(),
        "RollingUpdate" => {
            let Some(ru) = &s.rolling_update else {
                return vec![FieldError::required(&path.child("rollingUpdate"), "")];
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
            errs.extend(not_more_than_100_percent(
                unavailable,
                &rp.child("maxUnavailable"),
            ));
            errs.extend(not_more_than_100_percent(surge, &rp.child("maxSurge")));
            let has_unavailable = int_or_percent_value(unavailable) != 0;
            let has_surge = int_or_percent_value(surge) != 0;
            if has_unavailable && has_surge {
                errs.push(FieldError::invalid(
                    &rp.child("maxSurge"),
                    BadValue::Raw(go_int_or_string(surge)),
                    "may not be set when maxUnavailable is non-zero",
                ));
            } else if !has_unavailable && !has_surge {
                errs.push(FieldError::required(
                    &rp.child("maxUnavailable"),
                    "cannot be 0 when maxSurge is 0",
                ));
            }
            errs
        }
        other => {
            // The value is the whole *apps.DaemonSetUpdateStrategy, printed with %#v.
            let ru = go_pointer(s.rolling_update.is_some(), "apps.RollingUpdateDaemonSet");
            vec![FieldError::not_supported(
                path,
                BadValue::Raw(format!(
                    "apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:{ru}}}",
                    go_quote(other)
                )),
                &["RollingUpdate", "OnDelete"],
            )]
        }
    }
}
