//! What the page shows, as signals: the engine's replies land here, and the components read it.

mod counters;
pub mod storage;

pub use counters::Counters;

use std::collections::BTreeMap;

use leptos::prelude::*;
use svclab_protocol::{
    Diagnostic, Editing, FileEntry, LabView, LessonView, Reply, Seeded, TraceView, TrafficView,
};

use crate::terminal::{Line, LineKind};

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A node's nat chain, as `iptables -t nat -L CHAIN -n -v --line-numbers` lists it.
    Chain {
        /// The node.
        node: String,
        /// The chain.
        chain: String,
    },
    /// An object, as `kubectl describe` or `kubectl get -o yaml` shows it.
    Object {
        /// Shown as YAML rather than described.
        yaml: bool,
        /// `pod` or `service`.
        resource: &'static str,
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
}

impl Selection {
    /// The command that shows it, as the learner would type it.
    pub fn command(&self) -> String {
        match self {
            Selection::Chain { node, chain } => {
                format!("docker exec {node} iptables -t nat -L {chain} -n -v --line-numbers")
            }
            Selection::Object {
                yaml: false,
                resource,
                namespace,
                name,
            } => format!("kubectl describe {resource} {name} -n {namespace}"),
            Selection::Object {
                yaml: true,
                resource,
                namespace,
                name,
            } => format!("kubectl get {resource} {name} -n {namespace} -o yaml"),
        }
    }
}

/// How the trace on show was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceOrigin {
    /// "Trace one": a new request, traced.
    Button,
    /// A click on a dot: that very request.
    ClickedDot,
    /// A click on a dot of a large batch: a new request with the same source and target.
    LikeClickedDot,
    /// A lesson step's button: the step shows the trace itself.
    Lesson,
}

/// The left column's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftTab {
    /// Files and the editor.
    Files,
    /// The inspector and the packet trace.
    Inspector,
    /// Requests per pod against the rules' shares.
    Chart,
    /// The guided lesson.
    Lesson,
}

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
    /// What the inspector shows.
    pub selection: RwSignal<Option<Selection>>,
    /// The inspector's command and its output.
    pub inspection: RwSignal<Option<(String, Vec<Line>)>>,
    /// The last traced request.
    pub trace: RwSignal<Option<TraceView>>,
    /// The left column's open tab.
    pub left_tab: RwSignal<LeftTab>,
    /// The last share link made.
    pub share_link: RwSignal<Option<String>>,
    /// A share link's lab, read and waiting to be opened.
    pub shared: RwSignal<Option<Seeded>>,
    /// The last traffic batch, numbered, for the map to animate.
    pub last_traffic: RwSignal<Option<(u64, TrafficView)>>,
    /// Animation speed (1 = a request crosses the map in 1.2 s).
    pub speed: RwSignal<f64>,
    /// How the trace on show was asked for.
    pub trace_origin: RwSignal<TraceOrigin>,
    /// The lessons the engine read.
    pub lessons: RwSignal<Vec<LessonView>>,
    /// The part of the page the lesson step points at (`map`, `terminal`, …).
    pub focus: RwSignal<Option<String>>,
    /// The editor `kubectl edit` opened, while it is open.
    pub editing: RwSignal<Option<Editing>>,
    /// A command interrupted by Ctrl-C, shown after the replayed transcript.
    pub interrupted: RwSignal<Option<Line>>,
    /// Where the traffic controls send from (`host`, `alb`, `node NAME`, `pod NS/NAME`).
    pub traffic_source: RwSignal<String>,
}

impl LabState {
    /// Empties what the page shows of a lab that is being replaced: the terminal, the counters,
    /// the trace and the inspector. The editor's problems belong to the files and stay.
    pub fn forget_lab(&self) {
        self.lines.set(Vec::new());
        self.counters.set(Default::default());
        self.trace.set(None);
        self.selection.set(None);
        self.inspection.set(None);
    }

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
            selection: RwSignal::new(None),
            inspection: RwSignal::new(None),
            trace: RwSignal::new(None),
            left_tab: RwSignal::new(LeftTab::Lesson),
            share_link: RwSignal::new(None),
            shared: RwSignal::new(None),
            last_traffic: RwSignal::new(None),
            speed: RwSignal::new(1.0),
            traffic_source: RwSignal::new("host".to_owned()),
            interrupted: RwSignal::new(None),
            trace_origin: RwSignal::new(TraceOrigin::Button),
            lessons: RwSignal::new(Vec::new()),
            focus: RwSignal::new(None),
            editing: RwSignal::new(None),
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
                editing,
            } => {
                self.editing.set(editing);
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
                    if let Some(line) = self.interrupted.try_update(Option::take).flatten() {
                        all.push(line);
                    }
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
                let number = self
                    .last_traffic
                    .with_untracked(|l| l.as_ref().map_or(0, |(n, _)| n + 1));
                self.last_traffic.set(Some((number, report)));
            }
            Reply::View(view) => self.view.set(view),
            Reply::Inspection { command, chunks } => {
                let mut lines = Vec::new();
                crate::terminal::append_output(&mut lines, chunks);
                self.inspection.set(Some((command, lines)));
            }
            Reply::Lessons(lessons) => self.lessons.set(lessons),
            Reply::ShareLink(fragment) => self.share_link.set(Some(fragment)),
            Reply::Shared(lab) => self.shared.set(Some(lab)),
            Reply::Trace(trace) => {
                self.counters.update(|c| c.add_trace(&trace));
                self.trace.set(Some(trace));
                if self.trace_origin.get_untracked() != TraceOrigin::Lesson {
                    self.left_tab.set(LeftTab::Inspector);
                }
            }
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
