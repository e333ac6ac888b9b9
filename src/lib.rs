//! Service Lab's page: Leptos components that are views over the engine.
//!
//! The engine (simulator and terminal) runs in a Web Worker (`crates/engine`), loaded after the
//! first paint. Components hold no domain logic: they send requests and show the replies.

mod app;
/// The article's files for a new lab.
pub mod article;
/// Timings for the page benchmark.
pub mod bench_log;
/// localStorage and the page's address.
pub mod browser;
/// The share chart.
pub mod chart;
/// The link to the engine worker.
pub mod engine;
/// The Files panel and editor.
pub mod files;
/// Requests in flight on the map.
pub mod flow;
/// The header: seed, share, reset.
pub mod header;
/// The page's words in English and Japanese.
pub mod i18n;
/// The inspector: chains, objects, the packet trace.
pub mod inspector;
/// Panels: hide, resize, remembered.
pub mod layout;
/// Guided lessons.
pub mod lessons;
/// The cluster map.
pub mod map;
/// The page's state and its saved copy.
pub mod state;
/// The terminal panel.
pub mod terminal;
/// Traffic controls, counters and the share chart.
pub mod traffic;

pub use app::{App, Lab, DEFAULT_SEED};
