//! The messages between the page and the engine.
//!
//! The simulator and the terminal run in a Web Worker (`svclab-engine`), so that the page's
//! first load carries only the view, and a long command never freezes it. The two sides talk in
//! JSON text over `postMessage`: the page sends a [`Request`], the engine answers each one with
//! [`Reply`] messages, in order.

mod codec;
mod lesson;
mod reply;
mod request;
mod view;

pub use codec::{decode, encode};
pub use lesson::{ActionView, Bilingual, LessonView, StepView};
pub use reply::{Chunk, Diagnostic, Editing, HopView, Reply, RuleHit, TraceView, TrafficView};
pub use request::{FileEntry, Request, Seeded};
pub use view::{
    ClaimView, ClusterView, LabView, NodeView, PodView, PortView, ServiceProblem, ServiceView,
    WorkloadView,
};
