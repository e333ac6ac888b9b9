//! ConfigMaps (`pkg/apis/core/validation/validation.go`: `ValidateConfigMap`,
//! `ValidateConfigMapUpdate`; keys by `IsConfigMapKey` in apimachinery's validation.go).

use crate::api::ConfigMap;
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::meta::{validate_object_meta, validate_object_meta_update};

/// `core.MaxSecretSize`: 1 MiB over all values (ConfigMaps and Secrets alike).
pub(super) const MAX_SIZE: usize = 1024 * 1024;

/// Why an immutable ConfigMap or Secret refuses a change.
const IMMUTABLE: &str = "field is immutable when `immutable` is set";

/// `ValidateConfigMap`.
pub fn validate_config_map(cm: &ConfigMap) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &cm.metadata,
        true,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let mut total = 0usize;
    let data = FieldPath::new("data");
    for (key, value) in &cm.data {
        for msg in config_map_key_errors(key) {
            errs.push(FieldError::invalid(
                &data.key(key),
                BadValue::str(key),
                &msg,
            ));
        }
        if cm.binary_data.contains_key(key) {
            errs.push(FieldError::invalid(
                &data.key(key),
                BadValue::str(key),
                "duplicate of key present in binaryData",
            ));
        }
        total += value.len();
    }
    let binary = FieldPath::new("binaryData");
    for (key, value) in &cm.binary_data {
        for msg in config_map_key_errors(key) {
            errs.push(FieldError::invalid(
                &binary.key(key),
                BadValue::str(key),
                &msg,
            ));
        }
        // Stored as base64 text; the API counts the decoded bytes.
        total += value.len() / 4 * 3;
    }
    if total > MAX_SIZE {
        errs.push(FieldError::too_long(&FieldPath::new(""), MAX_SIZE as i64));
    }
    errs
}

/// `ValidateConfigMapUpdate`.
pub fn validate_config_map_update(new: &ConfigMap, old: &ConfigMap) -> Vec<FieldError> {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    errs.extend(immutable_errors(
        (old.immutable, new.immutable),
        &[
            ("data", new.data != old.data),
            ("binaryData", new.binary_data != old.binary_data),
        ],
    ));
    errs.extend(validate_config_map(new));
    errs
}

/// What an object that was `immutable` refuses on update (ConfigMaps and Secrets): dropping the
/// flag, and any change to the `changed` fields named.
pub(super) fn immutable_errors(
    (old, new): (Option<bool>, Option<bool>),
    changed: &[(&str, bool)],
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old != Some(true) {
        return errs;
    }
    if new != Some(true) {
        errs.push(FieldError::forbidden(
            &FieldPath::new("immutable"),
            IMMUTABLE,
        ));
    }
    for (field, _) in changed.iter().filter(|(_, differs)| *differs) {
        errs.push(FieldError::forbidden(&FieldPath::new(field), IMMUTABLE));
    }
    errs
}

/// `IsConfigMapKey`: at most 253 characters of `[-._a-zA-Z0-9]`, and not `.`, `..` or `..x`.
pub fn config_map_key_errors(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push(names::max_len_error(253));
    }
    let valid = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
    if !valid {
        errs.push(names::regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    // hasChDirPrefix.
    if key == "." {
        errs.push("must not be '.'".into());
    } else if key == ".." {
        errs.push("must not be '..'".into());
    } else if key.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_is_config_map_key() {
        assert!(config_map_key_errors("index.html").is_empty());
        assert!(config_map_key_errors("KEY_NAME-1").is_empty());
        assert_eq!(config_map_key_errors(".."), vec!["must not be '..'"]);
        let slash = config_map_key_errors("a/b");
        assert_eq!(slash.len(), 1);
        assert!(slash[0].starts_with("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used"), "{}", slash[0]);
    }

    #[test]
    fn an_immutable_config_map_keeps_its_data() {
        let mut old = ConfigMap::default();
        old.metadata.name = "cfg".into();
        old.immutable = Some(true);
        old.data.insert("a".into(), "1".into());
        let mut new = old.clone();
        new.data.insert("a".into(), "2".into());
        let errs: Vec<String> = validate_config_map_update(&new, &old)
            .iter()
            .map(|e| e.to_string())
            .filter(|e| !e.starts_with("metadata"))
            .collect();
        assert_eq!(
            errs,
            vec!["data: Forbidden: field is immutable when `immutable` is set"]
        );
    }
}
