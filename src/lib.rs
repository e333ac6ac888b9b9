//! Service Lab's page: Leptos components that are views over the simulator (`svclab-sim`).
//!
//! Components hold no domain logic: they read the simulator's state and hand it text.

mod app;

pub use app::App;
