//! Container resources (`pkg/apis/core/validation/validation.go`:
//! `ValidateContainerResourceRequirements`, `validateResourceRequirements`,
//! `ValidateContainerResourceName`, `ValidateResourceQuantityValue`). Limits and requests are
//! visited in name order (Go ranges over the maps in random order).

use crate::api::{Quantity, ResourceRequirements};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::meta::IS_NEGATIVE;

/// `IsStandardContainerResourceName`.
fn standard_for_containers(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

/// `ValidateContainerResourceName` (a name with a domain prefix is an extended resource,
/// accepted).
fn validate_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = names::is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, BadValue::str(name), &m))
        .collect();
    if !name.contains('/') && !standard_for_containers(name) {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(name),
            "must be a standard resource for containers",
        ));
    }
    errs
}

/// `validateResourceRequirements` for a container.
pub fn validate_resources(r: &ResourceRequirements, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let limits = path.child("limits");
    let requests = path.child("requests");
    // Each entry's name, and a quantity that is not negative (`ValidateResourceQuantityValue`).
    let mut entry = |name: &str, quantity: &Quantity, p: FieldPath| {
        errs.extend(validate_name(name, &p));
        if quantity.milli_value() < 0 {
            errs.push(FieldError::invalid(
                &p,
                BadValue::str(&quantity.canonical()),
                IS_NEGATIVE,
            ));
        }
    };
    for (name, quantity) in &r.limits {
        entry(name, quantity, limits.key(name));
    }
    for (name, quantity) in &r.requests {
        entry(name, quantity, requests.key(name));
    }
    for (name, quantity) in &r.requests {
        let Some(limit) = r.limits.get(name) else {
            continue;
        };
        // Hugepages cannot be overcommitted: their request must equal the limit.
        if name.starts_with("hugepages-") && quantity != limit {
            errs.push(FieldError::invalid(
                &requests,
                BadValue::str(&quantity.canonical()),
                &format!("must be equal to {name} limit of {limit}"),
            ));
        } else if quantity > limit {
            errs.push(FieldError::invalid(
                &requests,
                BadValue::str(&quantity.canonical()),
                &format!("must be less than or equal to {name} limit of {limit}"),
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or(Quantity::ZERO)
    }

    fn errors(limits: &[(&str, &str)], requests: &[(&str, &str)]) -> Vec<String> {
        let r = ResourceRequirements {
            limits: limits.iter().map(|(k, v)| (k.to_string(), q(v))).collect(),
            requests: requests
                .iter()
                .map(|(k, v)| (k.to_string(), q(v)))
                .collect(),
        };
        let path = FieldPath::new("spec")
            .child("containers")
            .index(0)
            .child("resources");
        validate_resources(&r, &path)
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn requests_may_not_exceed_limits() {
        assert!(errors(&[("cpu", "1")], &[("cpu", "500m")]).is_empty());
        assert_eq!(
            errors(&[("cpu", "1")], &[("cpu", "2")]),
            ["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"]
        );
        assert_eq!(
            errors(&[("memory", "-1Mi")], &[]),
            ["spec.containers[0].resources.limits[memory]: Invalid value: \"-1Mi\": must be greater than or equal to 0"]
        );
    }

    #[test]
    fn resource_names_are_the_standard_ones() {
        assert_eq!(
            errors(&[], &[("cpus", "1")]),
            ["spec.containers[0].resources.requests[cpus]: Invalid value: \"cpus\": must be a standard resource for containers"]
        );
        assert!(errors(&[("nvidia.com/gpu", "1")], &[]).is_empty());
    }
}
