//! Pod volumes and container mounts (`pkg/apis/core/validation/validation.go`:
//! `ValidateVolumes`, `validateConfigMapVolumeSource`, `validateSecretVolumeSource`,
//! `ValidateVolumeMounts`), for the parts
//! the lab keeps. (The real server checks mounts in `validateContainerCommon`; the lab checks
//! them after each container's other fields, in the same order per container.)

use std::collections::BTreeSet;

use crate::api::{KeyToPath, Volume, VolumeMount};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};

use super::pod::dns1123_label;

/// `ValidateVolumes`: names are DNS-1123 labels and unique; a ConfigMap or Secret source
/// names one.
pub fn validate_volumes(volumes: &[Volume], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, v) in volumes.iter().enumerate() {
        let p = path.index(i);
        let name = p.child("name");
        if v.name.is_empty() {
            errs.push(FieldError::required(&name, ""));
        } else {
            errs.extend(dns1123_label(&v.name, &name));
        }
        if !seen.insert(v.name.as_str()) {
            errs.push(FieldError::duplicate(&name, BadValue::str(&v.name)));
        }
        if let Some(cm) = &v.config_map {
            let source = p.child("configMap");
            if cm.name.is_empty() {
                errs.push(FieldError::required(&source.child("name"), ""));
            }
            errs.extend(validate_mode_and_items(cm.default_mode, &cm.items, &source));
        }
        if let Some(secret) = &v.secret {
            let source = p.child("secret");
            if secret.secret_name.is_empty() {
                errs.push(FieldError::required(&source.child("secretName"), ""));
            }
            errs.extend(validate_mode_and_items(
                secret.default_mode,
                &secret.items,
                &source,
            ));
        }
    }
    errs
}

const FILE_MODE_ERROR: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// The rest of `validateConfigMapVolumeSource` and `validateSecretVolumeSource`: `defaultMode`,
/// then each item (`validateKeyToPath`).
fn validate_mode_and_items(
    default_mode: Option<i32>,
    items: &[KeyToPath],
    source: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(mode) = default_mode.filter(|m| !(0..=0o777).contains(m)) {
        errs.push(FieldError::invalid(
            &source.child("defaultMode"),
            BadValue::Int(i64::from(mode)),
            FILE_MODE_ERROR,
        ));
    }
    for (j, item) in items.iter().enumerate() {
        let ip = source.child("items").index(j);
        if item.key.is_empty() {
            errs.push(FieldError::required(&ip.child("key"), ""));
        }
        let path = ip.child("path");
        if item.path.is_empty() {
            errs.push(FieldError::required(&path, ""));
        }
        errs.extend(validate_local_non_reserved_path(&item.path, &path));
        if let Some(mode) = item.mode.filter(|m| !(0..=0o777).contains(m)) {
            errs.push(FieldError::invalid(
                &ip.child("mode"),
                BadValue::Int(i64::from(mode)),
                FILE_MODE_ERROR,
            ));
        }
    }
    errs
}

/// `ValidateLocalNonReservedPath`: a descending path that does not start with `..` (the
/// kubelet keeps its own `..data` links there).
fn validate_local_non_reserved_path(target: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = validate_local_descending_path(target, path);
    if target.starts_with("..") {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(target),
            "must not start with '..'",
        ));
    }
    errs
}

/// `ValidateVolumeMounts`: each names a volume of the pod, at a path no other mount uses.
pub fn validate_volume_mounts(
    mounts: &[VolumeMount],
    volumes: &[Volume],
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut paths = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let p = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        } else if !volumes.iter().any(|v| v.name == m.name) {
            errs.push(FieldError::not_found(
                &p.child("name"),
                BadValue::str(&m.name),
            ));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(&p.child("mountPath"), ""));
        } else if !paths.insert(m.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                &p.child("mountPath"),
                BadValue::str(&m.mount_path),
                "must be unique",
            ));
        }
        if !m.sub_path.is_empty() {
            errs.extend(validate_local_descending_path(
                &m.sub_path,
                &p.child("subPath"),
            ));
        }
    }
    errs
}

/// `validateLocalDescendingPath`: relative, and no `..` component.
fn validate_local_descending_path(target: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(target),
            "must be a relative path",
        ));
    }
    if target.split('/').any(|part| part == "..") {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(target),
            "must not contain '..'",
        ));
    }
    errs
}
