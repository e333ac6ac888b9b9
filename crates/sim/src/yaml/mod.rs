//! YAML as the Go tools the lab imitates read it: libyaml events (via `unsafe-libyaml`) built into
//! a go-yaml-like node tree with 1-based line/column positions, and go-yaml's scalar resolution.
//!
//! Shared by the kind config loader (`crate::kind`, go-yaml v3 semantics) and the manifest
//! decoder (`crate::manifest`, kubectl's go-yaml v2 semantics via sigs.k8s.io/yaml).

mod location;
mod quote;
pub(crate) mod resolve;
pub(crate) mod tree;

pub use location::Location;
pub use quote::go_quote;
