//! PersistentVolumeClaims, PersistentVolumes and StorageClasses
//! (`pkg/apis/core/validation/validation.go`: `ValidatePersistentVolumeClaim`,
//! `ValidatePersistentVolumeClaimSpec`, `ValidatePersistentVolumeClaimUpdate`,
//! `ValidatePersistentVolume`, `ValidatePersistentVolumeSpec`; `pkg/apis/storage/validation`:
//! `ValidateStorageClass`, `ValidateStorageClassUpdate`). The update of a claim is refused
//! with the first line of the real message; the `cmp.Diff` of the two specs that follows it
//! upstream is not reproduced.

use crate::api::{
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, StorageClass,
};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::meta::{
    validate_label_selector, validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE,
};

/// `supportedAccessModes`, as `sets.List` sorts them.
const ACCESS_MODES: [&str; 4] = [
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];
/// `supportedVolumeModes`.
const VOLUME_MODES: [&str; 2] = ["Block", "Filesystem"];
/// `supportedReclaimPolicy` of a volume.
const VOLUME_RECLAIM_POLICIES: [&str; 3] = ["Delete", "Recycle", "Retain"];
/// A class's reclaim policies (storage validation's `supportedReclaimPolicy`).
const CLASS_RECLAIM_POLICIES: [&str; 2] = ["Delete", "Retain"];
/// `supportedVolumeBindingModes`.
const BINDING_MODES: [&str; 2] = ["Immediate", "WaitForFirstConsumer"];

/// `ValidatePersistentVolumeClaim`.
pub fn validate_persistent_volume_claim(claim: &PersistentVolumeClaim) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &claim.metadata,
        true,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    errs.extend(validate_claim_spec(&claim.spec, &FieldPath::new("spec")));
    errs
}

/// `ValidatePersistentVolumeClaimSpec`: access modes, the storage request, the class name and
/// the volume mode.
pub fn validate_claim_spec(spec: &PersistentVolumeClaimSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = access_mode_errors(&spec.access_modes, &path.child("accessModes"));
    if let Some(selector) = &spec.selector {
        errs.extend(validate_label_selector(selector, &path.child("selector")));
    }
    let storage = path.child("resources").key("storage");
    match spec.resources.requests.get("storage") {
        None => errs.push(FieldError::required(&storage, "")),
        Some(q) if q.milli_value() <= 0 => errs.push(FieldError::invalid(
            &storage,
            BadValue::str(&q.canonical()),
            "must be greater than zero",
        )),
        Some(_) => {}
    }
    if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
        for msg in names::name_is_dns_subdomain(class, false) {
            errs.push(FieldError::invalid(
                &path.child("storageClassName"),
                BadValue::str(class),
                &msg,
            ));
        }
    }
    if let Some(mode) = spec.volume_mode.as_deref() {
        if !VOLUME_MODES.contains(&mode) {
            errs.push(FieldError::not_supported(
                &path.child("volumeMode"),
                BadValue::str(mode),
                &VOLUME_MODES,
            ));
        }
    }
    errs
}

fn access_mode_errors(modes: &[String], path: &FieldPath) -> Vec<FieldError> {
    if modes.is_empty() {
        return vec![FieldError::required(
            path,
            "at least 1 access mode is required",
        )];
    }
    modes
        .iter()
        .filter(|m| !ACCESS_MODES.contains(&m.as_str()))
        .map(|m| FieldError::not_supported(path, BadValue::str(m), &ACCESS_MODES))
        .collect()
}

/// `ValidatePersistentVolumeClaimUpdate`: the spec may not change once created (but for a
/// bound claim's requests, which the lab does not resize).
pub fn validate_persistent_volume_claim_update(
    new: &PersistentVolumeClaim,
    old: &PersistentVolumeClaim,
) -> Vec<FieldError> {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    errs.extend(validate_claim_spec(&new.spec, &FieldPath::new("spec")));
    let mut comparable = old.spec.clone();
    // The binder fills in volumeName; an update that leaves it out keeps it.
    if new.spec.volume_name.is_empty() {
        comparable.volume_name.clear();
    }
    if comparable != new.spec {
        errs.push(FieldError::forbidden(
            &FieldPath::new("spec"),
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        ));
    }
    errs
}

/// `ValidatePersistentVolume`.
pub fn validate_persistent_volume(pv: &PersistentVolume) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &pv.metadata,
        false,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let spec = FieldPath::new("spec");
    errs.extend(access_mode_errors(
        &pv.spec.access_modes,
        &spec.child("accessModes"),
    ));
    let capacity = spec.child("capacity");
    match pv.spec.capacity.get("storage") {
        None if pv.spec.capacity.is_empty() => errs.push(FieldError::required(&capacity, "")),
        None => {}
        Some(q) if q.milli_value() <= 0 => errs.push(FieldError::invalid(
            &capacity.key("storage"),
            BadValue::str(&q.canonical()),
            "must be greater than zero",
        )),
        Some(_) => {}
    }
    for key in pv.spec.capacity.keys().filter(|k| k.as_str() != "storage") {
        errs.push(FieldError::not_supported(
            &capacity.key(key),
            BadValue::str(key),
            &["storage"],
        ));
    }
    let policy = &pv.spec.persistent_volume_reclaim_policy;
    if !policy.is_empty() && !VOLUME_RECLAIM_POLICIES.contains(&policy.as_str()) {
        errs.push(FieldError::not_supported(
            &spec.child("persistentVolumeReclaimPolicy"),
            BadValue::str(policy),
            &VOLUME_RECLAIM_POLICIES,
        ));
    }
    match (&pv.spec.host_path, &pv.spec.local) {
        (None, None) => errs.push(FieldError::required(&spec, "must specify a volume type")),
        (Some(_), Some(_)) => errs.push(FieldError::forbidden(
            &spec.child("local"),
            "may not specify more than 1 volume type",
        )),
        (Some(h), None) if h.path.is_empty() => errs.push(FieldError::required(
            &spec.child("hostPath").child("path"),
            "",
        )),
        (None, Some(l)) if l.path.is_empty() => {
            errs.push(FieldError::required(&spec.child("local").child("path"), ""))
        }
        _ => {}
    }
    if pv.spec.local.is_some() && pv.spec.node_affinity.is_none() {
        errs.push(FieldError::required(
            &spec.child("nodeAffinity"),
            "Local volume requires node affinity",
        ));
    }
    errs
}

/// `ValidatePersistentVolumeUpdate`: the source and the volume mode may not change.
pub fn validate_persistent_volume_update(
    new: &PersistentVolume,
    old: &PersistentVolume,
) -> Vec<FieldError> {
    let mut errs = validate_persistent_volume(new);
    errs.extend(validate_object_meta_update(
        &new.metadata,
        &old.metadata,
        &FieldPath::new("metadata"),
    ));
    let spec = FieldPath::new("spec");
    if (&new.spec.host_path, &new.spec.local) != (&old.spec.host_path, &old.spec.local) {
        errs.push(FieldError::forbidden(
            &spec.child("persistentvolumesource"),
            "spec.persistentvolumesource is immutable after creation",
        ));
    }
    if new.spec.volume_mode != old.spec.volume_mode {
        errs.push(FieldError::invalid(
            &spec.child("volumeMode"),
            BadValue::str(new.spec.volume_mode.as_deref().unwrap_or("")),
            FIELD_IMMUTABLE,
        ));
    }
    errs
}

/// `ValidateStorageClass`.
pub fn validate_storage_class(class: &StorageClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &class.metadata,
        false,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    if class.provisioner.is_empty() {
        errs.push(FieldError::required(&FieldPath::new("provisioner"), ""));
    } else {
        // validateProvisioner: ValidateQualifiedName of the lower-cased name.
        for msg in names::is_qualified_name(&class.provisioner.to_ascii_lowercase()) {
            errs.push(FieldError::invalid(
                &FieldPath::new("provisioner"),
                BadValue::str(&class.provisioner),
                &msg,
            ));
        }
    }
    if let Some(policy) = class.reclaim_policy.as_deref() {
        if !CLASS_RECLAIM_POLICIES.contains(&policy) {
            errs.push(FieldError::not_supported(
                &FieldPath::new("reclaimPolicy"),
                BadValue::str(policy),
                &CLASS_RECLAIM_POLICIES,
            ));
        }
    }
    match class.volume_binding_mode.as_deref() {
        None => errs.push(FieldError::required(
            &FieldPath::new("volumeBindingMode"),
            "",
        )),
        Some(mode) if !BINDING_MODES.contains(&mode) => errs.push(FieldError::not_supported(
            &FieldPath::new("volumeBindingMode"),
            BadValue::str(mode),
            &BINDING_MODES,
        )),
        Some(_) => {}
    }
    errs
}

/// `ValidateStorageClassUpdate`: parameters, provisioner, reclaim policy and binding mode are
/// fixed once created.
pub fn validate_storage_class_update(new: &StorageClass, old: &StorageClass) -> Vec<FieldError> {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    if new.parameters != old.parameters {
        errs.push(FieldError::forbidden(
            &FieldPath::new("parameters"),
            "updates to parameters are forbidden.",
        ));
    }
    if new.provisioner != old.provisioner {
        errs.push(FieldError::forbidden(
            &FieldPath::new("provisioner"),
            "updates to provisioner are forbidden.",
        ));
    }
    if new.reclaim_policy != old.reclaim_policy {
        errs.push(FieldError::forbidden(
            &FieldPath::new("reclaimPolicy"),
            "updates to reclaimPolicy are forbidden.",
        ));
    }
    if new.volume_binding_mode != old.volume_binding_mode {
        errs.push(FieldError::invalid(
            &FieldPath::new("volumeBindingMode"),
            BadValue::str(new.volume_binding_mode.as_deref().unwrap_or("")),
            FIELD_IMMUTABLE,
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::HostPathVolumeSource;

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn class(provisioner: &str) -> StorageClass {
        let mut c = StorageClass {
            provisioner: provisioner.into(),
            ..Default::default()
        };
        c.metadata.name = "fast".into();
        crate::apiserver::validation::default_storage_class(&mut c);
        c
    }

    #[test]
    fn a_class_names_its_provisioner_as_a_qualified_name() {
        assert!(validate_storage_class(&class("rancher.io/local-path")).is_empty());
        assert!(validate_storage_class(&class("Example.COM/Disk")).is_empty());
        assert_eq!(
            texts(&validate_storage_class(&class(""))),
            ["provisioner: Required value"]
        );
        let mut bad = class("rancher.io/local-path");
        bad.reclaim_policy = Some("Recycle".into());
        assert_eq!(
            texts(&validate_storage_class(&bad)),
            ["reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\""]
        );
    }

    #[test]
    fn a_class_keeps_its_provisioner_and_parameters() {
        let mut old = class("rancher.io/local-path");
        old.metadata.resource_version = "7".into();
        let mut new = old.clone();
        new.provisioner = "example.com/disk".into();
        new.parameters = crate::api::StringMap::from(std::collections::BTreeMap::from([(
            "a".to_string(),
            "b".to_string(),
        )]));
        assert_eq!(
            texts(&validate_storage_class_update(&new, &old)),
            [
                "parameters: Forbidden: updates to parameters are forbidden.",
                "provisioner: Forbidden: updates to provisioner are forbidden."
            ]
        );
    }

    #[test]
    fn a_volume_needs_a_source_capacity_and_access_modes() {
        let mut pv = PersistentVolume::default();
        pv.metadata.name = "pv1".into();
        assert_eq!(
            texts(&validate_persistent_volume(&pv)),
            [
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.capacity: Required value",
                "spec: Required value: must specify a volume type"
            ]
        );
        pv.spec.access_modes = vec!["ReadWriteOnce".into()];
        pv.spec.capacity.insert(
            "storage".into(),
            crate::api::Quantity::parse("1Gi").expect("a quantity"),
        );
        pv.spec.host_path = Some(HostPathVolumeSource {
            path: "/mnt".into(),
            type_: None,
        });
        assert!(validate_persistent_volume(&pv).is_empty());
    }
}
