//! What the page shows, as signals: the engine's replies land here, and the components read it.

mod counters;
pub mod storage;

pub use counters::Counters;

use std::collections::BTreeMap;

use leptos::prelude::*;
use svclab_protocol::{Diagnostic, FileEntry, LabView, Reply};

use crate::terminal::{Line, LineKind};

/// The page's state. Copyable handles to signals, shared through context.
#[derive(Clone, Copy)]
pub struct LabState {
    /// Whether the engine has started the lab.
    pub ready: RwSignal<bool>,
    /// The simulator's version, once the engine reports it.
    pub version: RwSignal<String>,
    /// The lab's seed.
    pub seed: RwSignal<u64>,
    /// Terminal scrollback.
    pub lines: RwSignal<Vec<Line>>,
    /// The prompt to show.
    pub prompt: RwSignal<String>,
    /// Command history, oldest first.
    pub history: RwSignal<Vec<String>>,
    /// Lines sent and not answered yet, oldest first (echoed with their prompt on answer).
    pub pending_lines: RwSignal<Vec<String>>,
    /// The workspace's files.
    pub files: RwSignal<Vec<FileEntry>>,
    /// Problems per file.
    pub diagnostics: RwSignal<BTreeMap<String, Vec<Diagnostic>>>,
    /// The cluster as the map draws it.
    pub view: RwSignal<LabView>,
    /// Requests answered per pod and node since the last reset.
    pub counters: RwSignal<Counters>,
    /// The last Tab completion: typed text, word start, candidates.
    pub completion: RwSignal<Option<(String, usize, Vec<String>)>>,
    /// The last traffic error, in curl's words.
    pub traffic_error: RwSignal<Option<String>>,
}

impl LabState {
    /// Empty state, before the engine answers.
    pub fn new() -> LabState {
        LabState {
            ready: RwSignal::new(false),
            version: RwSignal::new(String::new()),
            seed: RwSignal::new(0),
            lines: RwSignal::new(Vec::new()),
            prompt: RwSignal::new("$ ".to_owned()),
            history: RwSignal::new(Vec::new()),
            pending_lines: RwSignal::new(Vec::new()),
            files: RwSignal::new(Vec::new()),
            diagnostics: RwSignal::new(BTreeMap::new()),
            view: RwSignal::new(LabView::default()),
            counters: RwSignal::new(Counters::default()),
            completion: RwSignal::new(None),
            traffic_error: RwSignal::new(None),
        }
    }

    /// Takes in one reply from the engine.
    pub fn apply(&self, reply: Reply) {
        match reply {
            Reply::Listening => {}
            Reply::Ready { version, seed, .. } => {
                self.version.set(version);
                self.seed.set(seed);
                self.ready.set(true);
            }
            Reply::Output {
                chunks,
                prompt,
                history,
            } => {
                let echoed = self.pending_lines.try_update(|p| {
                    if p.is_empty() {
                        None
                    } else {
                        Some(p.remove(0))
                    }
                });
                let shown_prompt = self.prompt.get_untracked();
                self.lines.update(|all| {
                    if let Some(Some(line)) = echoed {
                        all.push(Line::input(&shown_prompt, &line));
                    }
                    crate::terminal::append_output(all, chunks);
                });
                self.prompt.set(prompt);
                self.history.set(history);
            }
            Reply::Completion {
                typed,
                start,
                candidates,
            } => self.completion.set(Some((typed, start, candidates))),
            Reply::Files(files) => self.files.set(files),
            Reply::Diagnostics { path, items } => self.diagnostics.update(|d| {
                d.insert(path, items);
            }),
            Reply::Traffic(report) => {
                self.traffic_error.set(report.error.clone());
                self.counters.update(|c| c.add(&report));
            }
            Reply::View(view) => self.view.set(view),
            Reply::Error(e) => self.lines.update(|all| {
                all.push(Line {
                    kind: LineKind::Stderr,
                    text: format!("service-lab: {e}"),
                })
            }),
        }
    }
}

impl Default for LabState {
    fn default() -> Self {
        Self::new()
    }
}
