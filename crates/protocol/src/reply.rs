//! What the engine answers.

use serde::{Deserialize, Serialize};

use crate::request::FileEntry;
use crate::view::LabView;

/// A piece of a command's output, on stdout or stderr, in the order written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    /// Written to stderr.
    pub stderr: bool,
    /// The text, newlines included.
    pub text: String,
}

/// A problem in a file, where its tool would report it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// 1-based line, 0 when the tool gives none.
    pub line: usize,
    /// 1-based column, 0 when the tool gives none.
    pub column: usize,
    /// The tool's own words.
    pub message: String,
    /// A note (a field the lab does not simulate) rather than an error.
    pub note: bool,
}

/// What a batch of requests did, beside what the rules say each pod should get.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrafficView {
    /// Where the requests started, as asked (`host`, `node NAME`, `pod NS/NAME`).
    pub from: String,
    /// Where they went (`IP:PORT`).
    pub to: String,
    /// The node whose rules each request met first, by node name, with counts (the node
    /// addressed, the node a load balancer picked, or the source's own node).
    pub entered: Vec<(String, u64)>,
    /// Requests sent.
    pub sent: u64,
    /// Answers per pod (`namespace/name`).
    pub per_pod: Vec<(String, u64)>,
    /// Answers per node.
    pub per_node: Vec<(String, u64)>,
    /// Requests that got no answer.
    pub timed_out: u64,
    /// Requests refused.
    pub refused: u64,
    /// Each pod's share according to the first node's `KUBE-SVC-…` chain, when the target is a
    /// Service port.
    pub expected: Vec<(String, f64)>,
    /// What went wrong, in curl's words, when the target could not be read.
    pub error: Option<String>,
    /// Every request's trace, in the order sent, for small batches (see the engine's
    /// `TRACED_BATCH`); empty for larger ones.
    pub traces: Vec<TraceView>,
}

/// A rule a traced packet matched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleHit {
    /// The netfilter hook (`PREROUTING`, `OUTPUT`, …).
    pub hook: String,
    /// The table (`nat`, `filter`, `mangle`).
    pub table: String,
    /// The chain.
    pub chain: String,
    /// The rule's number in `iptables -L --line-numbers`; 0 when the chain's policy applied.
    pub rule: usize,
    /// The rule as `iptables -S` prints it.
    pub text: String,
}

/// One place a traced request passed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HopView {
    /// `host`, a node, a pod or a balancer.
    pub place: String,
    /// What happened there.
    pub note: String,
    /// The packet as it left (addresses after NAT).
    pub packet: String,
    /// The rules it matched there, in order.
    pub rules: Vec<RuleHit>,
}

/// A traced request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceView {
    /// Where it started and where it went, as asked.
    pub from: String,
    /// The target.
    pub to: String,
    /// The hops.
    pub hops: Vec<HopView>,
    /// How it ended, in a line (`answered by dev/nginx-…`, or curl's error).
    pub ending: String,
    /// The pod that answered (`namespace/name`) and its node, when one did.
    pub served: Option<(String, String)>,
    /// The node whose rules it met first, when known.
    pub entered: Option<String>,
    /// Why it could not be sent, when it could not.
    pub error: Option<String>,
}

/// The buffer `kubectl edit` opened in its editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editing {
    /// The temporary file kubectl named (`/tmp/kubectl-edit-N.yaml`).
    pub file: String,
    /// Its text: kubectl's header, any reasons the last save failed, the object.
    pub text: String,
}

/// One message from the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has loaded and listens: the page may send its requests.
    Listening,
    /// The engine is running the lab with this seed.
    Ready {
        /// The simulator's version.
        version: String,
        /// The seed.
        seed: u64,
        /// Journal entries replayed.
        replayed: usize,
    },
    /// A command's output, and the prompt to show next.
    Output {
        /// The output, in order.
        chunks: Vec<Chunk>,
        /// The next prompt (the continuation prompt while a command is incomplete).
        prompt: String,
        /// The session's history, for ↑/↓.
        history: Vec<String>,
        /// The editor `kubectl edit` opened, while it is open.
        editing: Option<Editing>,
    },
    /// Tab completion: the candidates for the word starting at byte `start`.
    Completion {
        /// The text the completion was for.
        typed: String,
        /// Where the completed word starts.
        start: usize,
        /// The candidates.
        candidates: Vec<String>,
    },
    /// The workspace's files, after a command changed them.
    Files(Vec<FileEntry>),
    /// A file's problems.
    Diagnostics {
        /// The file checked.
        path: String,
        /// What its tool reports.
        items: Vec<Diagnostic>,
    },
    /// The outcome of a batch of requests.
    Traffic(TrafficView),
    /// What the page draws.
    View(LabView),
    /// A read-only command's output.
    Inspection {
        /// The command, as the learner would type it.
        command: String,
        /// What it printed.
        chunks: Vec<Chunk>,
    },
    /// A request followed hop by hop.
    Trace(TraceView),
    /// The lessons read.
    Lessons(Vec<crate::lesson::LessonView>),
    /// A share link's fragment (without the `#`).
    ShareLink(String),
    /// The seed and files a share link holds (its journal is empty).
    Shared(crate::request::Seeded),
    /// A request the engine could not read (a bug in the page, never the learner's input).
    Error(String),
}
