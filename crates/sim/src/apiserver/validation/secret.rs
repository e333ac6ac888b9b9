//! Secrets (`pkg/apis/core/validation/validation.go`: `ValidateSecret`, `ValidateSecretUpdate`,
//! v1.33): keys as ConfigMap keys, at most 1 MiB in all, and the keys each built-in type
//! requires. The well-formedness of a docker config's JSON is not checked here.

use crate::api::Secret;
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::configmap::{config_map_key_errors, immutable_errors, MAX_SIZE};
use super::meta::{validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE};

/// `ValidateSecret`.
pub fn validate_secret(secret: &Secret) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &secret.metadata,
        true,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let data = FieldPath::new("data");
    let mut total = 0usize;
    for (key, value) in &secret.data {
        for msg in config_map_key_errors(key) {
            errs.push(FieldError::invalid(
                &data.key(key),
                BadValue::str(key),
                &msg,
            ));
        }
        total += value.len();
    }
    if total > MAX_SIZE {
        errs.push(FieldError::too_long(&data, MAX_SIZE as i64));
    }
    let has = |key: &str| secret.data.contains_key(key);
    let required = |key: &str| FieldError::required(&data.key(key), "");
    match secret.type_.as_str() {
        "kubernetes.io/service-account-token" => {
            let key = "kubernetes.io/service-account.name";
            if secret
                .metadata
                .annotations
                .get(key)
                .is_none_or(|v| v.is_empty())
            {
                errs.push(FieldError::required(
                    &FieldPath::new("metadata").child("annotations").key(key),
                    "",
                ));
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => errs.push(required(".dockercfg")),
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
            errs.push(required(".dockerconfigjson"))
        }
        // Either may be empty, but one must be there.
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            errs.push(required("username"));
            errs.push(required("password"));
        }
        "kubernetes.io/ssh-auth"
            if secret
                .data
                .get("ssh-privatekey")
                .is_none_or(|v| v.is_empty()) =>
        {
            errs.push(required("ssh-privatekey"))
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                errs.push(required("tls.crt"));
            }
            if !has("tls.key") {
                errs.push(required("tls.key"));
            }
        }
        _ => {}
    }
    errs
}

/// `ValidateSecretUpdate`: the type never changes, and an immutable Secret keeps its data.
pub fn validate_secret_update(new: &Secret, old: &Secret) -> Vec<FieldError> {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    if new.type_ != old.type_ {
        errs.push(FieldError::invalid(
            &FieldPath::new("type"),
            BadValue::str(&new.type_),
            FIELD_IMMUTABLE,
        ));
    }
    // StringData is not checked: it was folded into data before validation.
    errs.extend(immutable_errors(
        (old.immutable, new.immutable),
        &[("data", new.data != old.data)],
    ));
    errs.extend(validate_secret(new));
    errs
}
