//! What the page asks the engine.

use serde::{Deserialize, Serialize};

/// A file of the learner's workspace, by path (`manifests/nginx-service-nodeport.yaml`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path relative to the terminal's working directory.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// How a lab begins: the seed every random choice comes from, the files as they were when the
/// lab started, and the requests that changed it since, replayed in order. The simulator is
/// deterministic, so replaying the journal rebuilds the same cluster after a reload.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seeded {
    /// The lab's seed.
    pub seed: u64,
    /// The workspace before the journal.
    pub files: Vec<FileEntry>,
    /// Requests that changed the lab, oldest first.
    pub journal: Vec<Request>,
}

/// One request from the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Start a new lab (replacing any), then answer `Ready`, `Files` and `View`.
    Start(Seeded),
    /// A line typed into the terminal; answered by `Output`, then `Files` if the command wrote a
    /// file, then `View`.
    Line(String),
    /// Ctrl-C: drop a half-typed command; answered by `Output`.
    Cancel,
    /// The `kubectl edit` editor closed: the text saved, or `None` to quit without saving;
    /// answered like `Line`.
    FinishEdit(Option<String>),
    /// Tab on the typed text; answered by `Completion`.
    Complete(String),
    /// An editor's text, saved into the workspace (no answer).
    PutFile(FileEntry),
    /// A file removed from the workspace (no answer).
    DeleteFile(String),
    /// Check a file as its tool would read it; answered by `Diagnostics`.
    Check(FileEntry),
    /// Run a read-only command (`kubectl describe …`, `docker exec NODE iptables …`) on a copy
    /// of the lab, so that looking changes nothing; answered by `Inspection`.
    Inspect(String),
    /// Send one request from `from` to `to` and follow it hop by hop; answered by `Trace`, then
    /// `View`.
    Trace {
        /// Where the request starts.
        from: String,
        /// Where it goes.
        to: String,
    },
    /// Read lesson files (YAML); answered by `Lessons` (and `Error` for a file that does not
    /// read). Their progress then comes with every `View`.
    Lessons(Vec<FileEntry>),
    /// Pack a lab's seed and files into a share link's fragment; answered by `ShareLink`.
    Share(Seeded),
    /// Read a share link's fragment back; answered by `Shared` (or `Error`).
    OpenShare(String),
    /// Send `count` requests from `from` (`host`, a node name, or `pod NS/NAME`) to `to`
    /// (`IP:PORT`); answered by `Traffic`, then `View`.
    Traffic {
        /// Where the requests start.
        from: String,
        /// Where they go.
        to: String,
        /// How many.
        count: u32,
    },
}

impl Request {
    /// Whether the request changes the lab, so that a reload must replay it.
    pub fn changes_lab(&self) -> bool {
        matches!(
            self,
            Request::Line(_)
                | Request::Cancel
                | Request::FinishEdit(_)
                | Request::PutFile(_)
                | Request::DeleteFile(_)
                | Request::Traffic { .. }
                | Request::Trace { .. }
        )
    }
}
