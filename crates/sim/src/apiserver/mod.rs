//! The lab's API server: its error model and kubectl's rendering of it, name syntax, per-kind
//! defaulting and validation, and the Service allocators. Behaviour and words follow Kubernetes
//! v1.33.1 (kind v0.29.0); each file names the upstream source it follows.
//!
//! A create runs, as kube-apiserver does: defaulting (`validation::defaults`), for Services the
//! IP-family initialisation and allocation (`allocators`), then validation; a non-empty error
//! list becomes [`errors::StatusError::invalid`], which [`errors::kubectl_error_output`] prints.

pub mod admission;
pub mod allocators;
pub mod errors;
pub mod names;
pub mod rest;
pub mod validation;

pub use errors::{
    kubectl_error_output, kubectl_plain_error, BadValue, ErrorType, FieldError, FieldPath,
    StatusError, StatusReason,
};

#[cfg(test)]
mod tests;
