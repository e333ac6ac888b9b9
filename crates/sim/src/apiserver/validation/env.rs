//! A container's environment (`pkg/apis/core/validation/validation.go`: `ValidateEnv`,
//! `validateEnvVarValueFrom`, `validateObjectFieldSelector`, `validateConfigMapKeySelector`,
//! `ValidateEnvFrom`).

use crate::api::{EnvFromSource, EnvSourceRef, EnvVar, KeySelector, ObjectFieldSelector};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::configmap::config_map_key_errors;

/// `validVolumeDownwardAPIFieldPathExpressions`, sorted.
pub(super) const VOLUME_FIELD_PATHS: [&str; 5] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
];

/// `validEnvDownwardAPIFieldPathExpressions`, sorted.
const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The labels `podshelper.ConvertDownwardAPIFieldLabel` accepts for `v1`.
const CONVERTIBLE_FIELD_LABELS: [&str; 14] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// `ValidateEnv`, with relaxed names (RelaxedEnvironmentVariableValidation, on in v1.33).
pub fn validate_env(vars: &[EnvVar], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, ev) in vars.iter().enumerate() {
        let ip = path.index(i);
        if ev.name.is_empty() {
            errs.push(FieldError::required(&ip.child("name"), ""));
        } else {
            for m in names::is_relaxed_env_var_name(&ev.name) {
                errs.push(FieldError::invalid(
                    &ip.child("name"),
                    BadValue::str(&ev.name),
                    &m,
                ));
            }
        }
        errs.extend(validate_env_value_from(ev, &ip.child("valueFrom")));
    }
    errs
}

/// `validateEnvVarValueFrom` (`resourceFieldRef` is not simulated and not checked further).
fn validate_env_value_from(ev: &EnvVar, path: &FieldPath) -> Vec<FieldError> {
    let Some(from) = &ev.value_from else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let mut sources = 0;
    if let Some(fr) = &from.field_ref {
        sources += 1;
        errs.extend(validate_object_field_selector(
            fr,
            &ENV_FIELD_PATHS,
            &path.child("fieldRef"),
        ));
    }
    if from.resource_field_ref.is_some() {
        sources += 1;
    }
    if let Some(key_ref) = &from.config_map_key_ref {
        sources += 1;
        errs.extend(validate_key_selector(
            key_ref,
            &path.child("configMapKeyRef"),
        ));
    }
    if let Some(key_ref) = &from.secret_key_ref {
        sources += 1;
        errs.extend(validate_key_selector(key_ref, &path.child("secretKeyRef")));
    }
    if sources == 0 {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(""),
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ));
    } else if ev.value.as_deref().is_some_and(|v| !v.is_empty()) {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(""),
            "may not be specified when `value` is not empty",
        ));
    } else if sources > 1 {
        errs.push(FieldError::invalid(path, BadValue::str(""), ONE_FIELD));
    }
    errs
}

const ONE_FIELD: &str = "may not have more than one field specified at a time";

/// `validateConfigMapKeySelector` and `validateSecretKeySelector` (the same checks): the name
/// a DNS subdomain (`ValidateSecretName`; empty is invalid, not required), the key a config key.
fn validate_key_selector(s: &KeySelector, path: &FieldPath) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = names::name_is_dns_subdomain(&s.name, false)
        .iter()
        .map(|m| FieldError::invalid(&path.child("name"), BadValue::str(&s.name), m))
        .collect();
    if s.key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    } else {
        errs.extend(
            config_map_key_errors(&s.key)
                .iter()
                .map(|m| FieldError::invalid(&path.child("key"), BadValue::str(&s.key), m)),
        );
    }
    errs
}

/// `ValidateEnvFrom`, with a relaxed prefix (RelaxedEnvironmentVariableValidation).
pub fn validate_env_from(sources: &[EnvFromSource], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let ip = path.index(i);
        if !source.prefix.is_empty() {
            errs.extend(
                names::is_relaxed_env_var_name(&source.prefix)
                    .iter()
                    .map(|m| {
                        FieldError::invalid(&ip.child("prefix"), BadValue::str(&source.prefix), m)
                    }),
            );
        }
        let refs = [
            (&source.config_map_ref, "configMapRef"),
            (&source.secret_ref, "secretRef"),
        ];
        let mut count = 0;
        for (reference, field) in refs {
            if let Some(r) = reference {
                count += 1;
                errs.extend(validate_env_source_ref(r, &ip.child(field)));
            }
        }
        // Both messages name the list, not the entry (as upstream does).
        if count == 0 {
            errs.push(FieldError::invalid(
                path,
                BadValue::str(""),
                "must specify one of: `configMapRef` or `secretRef`",
            ));
        } else if count > 1 {
            errs.push(FieldError::invalid(path, BadValue::str(""), ONE_FIELD));
        }
    }
    errs
}

/// `validateConfigMapEnvSource` and `validateSecretEnvSource`: a name, valid as the object's
/// name (`ValidateConfigMapName`/`ValidateSecretName` with prefix allowed).
fn validate_env_source_ref(r: &EnvSourceRef, path: &FieldPath) -> Vec<FieldError> {
    if r.name.is_empty() {
        return vec![FieldError::required(&path.child("name"), "")];
    }
    names::name_is_dns_subdomain(&r.name, true)
        .iter()
        .map(|m| FieldError::invalid(&path.child("name"), BadValue::str(&r.name), m))
        .collect()
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → (`metadata.labels`, `app`).
fn split_subscripted(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_suffix("']")?;
    let (head, key) = rest.split_once("['")?;
    Some((head, key))
}

/// `validateObjectFieldSelector`: a field `ConvertDownwardAPIFieldLabel` knows, and one of
/// `expressions` (the env's or the volume's).
pub(super) fn validate_object_field_selector(
    fs: &ObjectFieldSelector,
    expressions: &[&str],
    path: &FieldPath,
) -> Vec<FieldError> {
    if fs.api_version.is_empty() {
        return vec![FieldError::required(&path.child("apiVersion"), "")];
    }
    if fs.field_path.is_empty() {
        return vec![FieldError::required(&path.child("fieldPath"), "")];
    }
    // podshelper.ConvertDownwardAPIFieldLabel
    let conversion_error = if fs.api_version != "v1" {
        Some(format!("unsupported pod version: {}", fs.api_version))
    } else if let Some((head, _)) = split_subscripted(&fs.field_path) {
        if head == "metadata.annotations" || head == "metadata.labels" {
            None
        } else {
            Some(format!(
                "field label does not support subscript: {}",
                fs.field_path
            ))
        }
    } else if CONVERTIBLE_FIELD_LABELS.contains(&fs.field_path.as_str())
        || fs.field_path == "spec.host"
    {
        None
    } else {
        Some(format!("field label not supported: {}", fs.field_path))
    };
    if let Some(e) = conversion_error {
        return vec![FieldError::invalid(
            &path.child("fieldPath"),
            BadValue::str(&fs.field_path),
            &format!("error converting fieldPath: {e}"),
        )];
    }
    let internal = if fs.field_path == "spec.host" {
        "spec.nodeName"
    } else {
        fs.field_path.as_str()
    };
    if let Some((head, key)) = split_subscripted(internal) {
        let key = if head == "metadata.annotations" {
            key.to_lowercase()
        } else {
            key.to_string()
        };
        return names::is_qualified_name(&key)
            .into_iter()
            .map(|m| FieldError::invalid(path, BadValue::str(&key), &m))
            .collect();
    }
    if !expressions.contains(&internal) {
        return vec![FieldError::not_supported(
            &path.child("fieldPath"),
            BadValue::str(internal),
            expressions,
        )];
    }
    Vec::new()
}
