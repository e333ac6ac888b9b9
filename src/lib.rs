//! Service Lab's page: Leptos components that are views over the simulator (`svclab-sim`).
//!
//! Components hold no domain logic: they read the simulator's state and hand it text.

mod app;
/// The article's files for a new lab (mounted with the terminal in issue #5).
pub mod article;
/// The terminal panel (built; mounted once the engine fits the first-load budget, issue #5).
pub mod terminal;

pub use app::App;
