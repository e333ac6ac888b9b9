//! Service Lab's simulator: a kind cluster with kube-proxy in iptables mode, as a pure-Rust library.
//!
//! Nothing here knows about the DOM or the terminal: the page (`service-lab`) and the command-line
//! tool (`svclab`) are thin shells that read this crate's state and feed it text.

pub mod api;
pub mod apiserver;
pub mod base64;
pub mod cluster;
pub mod controllers;
pub mod iptables;
pub mod kind;
pub mod kubeproxy;
pub mod lab;
pub mod manifest;
pub mod names;
pub mod netfilter;
pub mod network;
pub mod random;
pub mod yaml;

/// The simulator's version, shown by the page and the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
