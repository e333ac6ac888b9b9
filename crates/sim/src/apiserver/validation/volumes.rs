//! Pod volumes and container mounts (`pkg/apis/core/validation/validation.go`:
//! `ValidateVolumes`, `validateConfigMapVolumeSource`, `validateSecretVolumeSource`,
//! `validateDownwardAPIVolumeSource`, `validateProjectedVolumeSource`, `ValidateVolumeMounts`),
//! for the parts
//! the lab keeps. (The real server checks mounts in `validateContainerCommon`; the lab checks
//! them after each container's other fields, in the same order per container.)

use std::collections::BTreeSet;

use crate::api::{DownwardApiVolumeFile, KeyToPath, ProjectedVolumeSource, Volume, VolumeMount};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};

use super::env::{validate_object_field_selector, VOLUME_FIELD_PATHS};
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
        if let Some(downward) = &v.downward_api {
            let source = p.child("downwardAPI");
            errs.extend(validate_mode(
                downward.default_mode,
                &source.child("defaultMode"),
            ));
            for (j, file) in downward.items.iter().enumerate() {
                errs.extend(validate_downward_file(
                    file,
                    &source.child("items").index(j),
                ));
            }
        }
        if let Some(projected) = &v.projected {
            let source = p.child("projected");
            errs.extend(validate_mode(
                projected.default_mode,
                &source.child("defaultMode"),
            ));
            errs.extend(validate_projection_sources(projected, &source));
        }
        // validatePersistentClaimVolumeSource.
        if let Some(claim) = &v.persistent_volume_claim {
            if claim.claim_name.is_empty() {
                errs.push(FieldError::required(
                    &p.child("persistentVolumeClaim").child("claimName"),
                    "",
                ));
            }
        }
    }
    errs
}

/// `validateProjectionSources`: each source names its object and has valid items, and no
/// two sources write the same path.
fn validate_projection_sources(
    projected: &ProjectedVolumeSource,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut all_paths: BTreeSet<&str> = BTreeSet::new();
    for (i, source) in projected.sources.iter().enumerate() {
        let src_path = path.child("sources").index(i);
        let mut count = 0;
        for (field, projection) in [
            ("secret", &source.secret),
            ("configMap", &source.config_map),
        ] {
            let Some(projection) = projection else {
                continue;
            };
            count += 1;
            let proj_path = src_path.child(field);
            if projection.name.is_empty() {
                errs.push(FieldError::required(&proj_path.child("name"), ""));
            }
            for (j, item) in projection.items.iter().enumerate() {
                errs.extend(validate_key_to_path(
                    item,
                    &proj_path.child("items").index(j),
                ));
                if !item.path.is_empty() && !all_paths.insert(item.path.as_str()) {
                    errs.push(FieldError::invalid(
                        path,
                        BadValue::str(&projection.name),
                        "conflicting duplicate paths",
                    ));
                }
            }
        }
        if let Some(downward) = &source.downward_api {
            count += 1;
            let proj_path = src_path.child("downwardAPI");
            for file in &downward.items {
                errs.extend(validate_downward_file(file, &proj_path));
                if !file.path.is_empty() && !all_paths.insert(file.path.as_str()) {
                    errs.push(FieldError::invalid(
                        path,
                        BadValue::str(&file.path),
                        "conflicting duplicate paths",
                    ));
                }
            }
        }
        if count > 1 {
            errs.push(FieldError::forbidden(
                &src_path,
                "may not specify more than 1 volume type per source",
            ));
        }
    }
    errs
}

/// `validateDownwardAPIVolumeFile`: a path, and exactly one of `fieldRef` (a volume field)
/// and `resourceFieldRef`.
fn validate_downward_file(file: &DownwardApiVolumeFile, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if file.path.is_empty() {
        errs.push(FieldError::required(&path.child("path"), ""));
    }
    errs.extend(validate_local_non_reserved_path(
        &file.path,
        &path.child("path"),
    ));
    match (&file.field_ref, &file.resource_field_ref) {
        (Some(field), resource) => {
            errs.extend(validate_object_field_selector(
                field,
                &VOLUME_FIELD_PATHS,
                &path.child("fieldRef"),
            ));
            if resource.is_some() {
                errs.push(FieldError::invalid(
                    path,
                    BadValue::str("resource"),
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                ));
            }
        }
        (None, Some(_)) => {}
        (None, None) => errs.push(FieldError::required(
            path,
            "one of fieldRef and resourceFieldRef is required",
        )),
    }
    errs.extend(validate_mode(file.mode, &path.child("mode")));
    errs
}

const FILE_MODE_ERROR: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// The rest of `validateConfigMapVolumeSource` and `validateSecretVolumeSource`: `defaultMode`,
/// then each item.
fn validate_mode_and_items(
    default_mode: Option<i32>,
    items: &[KeyToPath],
    source: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = validate_mode(default_mode, &source.child("defaultMode"));
    for (j, item) in items.iter().enumerate() {
        errs.extend(validate_key_to_path(item, &source.child("items").index(j)));
    }
    errs
}

/// File mode bits between 0 and 0777.
fn validate_mode(mode: Option<i32>, path: &FieldPath) -> Vec<FieldError> {
    match mode.filter(|m| !(0..=0o777).contains(m)) {
        Some(mode) => vec![FieldError::invalid(
            path,
            BadValue::Int(i64::from(mode)),
            FILE_MODE_ERROR,
        )],
        None => Vec::new(),
    }
}

/// `validateKeyToPath`.
fn validate_key_to_path(item: &KeyToPath, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if item.key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    }
    let file = path.child("path");
    if item.path.is_empty() {
        errs.push(FieldError::required(&file, ""));
    }
    errs.extend(validate_local_non_reserved_path(&item.path, &file));
    errs.extend(validate_mode(item.mode, &path.child("mode")));
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
