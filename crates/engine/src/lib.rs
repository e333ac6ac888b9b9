//! The engine behind the page: a terminal session over the simulated lab, answering the page's
//! [`svclab_protocol::Request`]s. Pure Rust, tested natively; `main.rs` runs it in a Web Worker.

mod diagnostics;
mod engine;
/// Guided lessons: format, checks, validation.
pub mod lessons;
mod share;
mod traffic;
mod view;

pub use diagnostics::diagnose;
pub use engine::Engine;
pub use share::{open_fragment, share_fragment};
pub use traffic::{send_traffic, trace_request, ALB_IP, MAX_BATCH, TRACED_BATCH};
pub use view::lab_view;
