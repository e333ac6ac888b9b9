//! Namespaces (`pkg/apis/core/validation/validation.go`: `ValidateNamespace`,
//! `ValidateNamespaceUpdate`). A namespace name is a DNS-1123 label and the object has no
//! namespace of its own.

use crate::api::Namespace;
use crate::apiserver::errors::{FieldError, FieldPath};
use crate::apiserver::names;

use super::meta::{validate_object_meta, validate_object_meta_update};

/// `ValidateNamespace`.
pub fn validate_namespace(ns: &Namespace) -> Vec<FieldError> {
    validate_object_meta(
        &ns.metadata,
        false,
        names::name_is_dns_label,
        &FieldPath::new("metadata"),
    )
}

/// `ValidateNamespaceUpdate`.
pub fn validate_namespace_update(new: &Namespace, old: &Namespace) -> Vec<FieldError> {
    validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_names_are_labels() {
        let mut ns = Namespace::default();
        ns.metadata.name = "dev".into();
        assert!(validate_namespace(&ns).is_empty());
        ns.metadata.name = "dev.team".into();
        assert_eq!(
            validate_namespace(&ns)[0].to_string(),
            "metadata.name: Invalid value: \"dev.team\": must not contain dots"
        );
    }
}
