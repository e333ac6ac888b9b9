//! Lessons as the page shows them: read by the engine from their YAML files.

use serde::{Deserialize, Serialize};

/// A text in English and Japanese.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    /// English.
    pub en: String,
    /// Japanese.
    pub ja: String,
}

/// One lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonView {
    /// Its id (`clusterip-nodeport`).
    pub id: String,
    /// Its title.
    pub title: Bilingual,
    /// The class's seed.
    pub seed: u64,
    /// Its steps.
    pub steps: Vec<StepView>,
}

/// One step of a lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    /// Its title.
    pub title: Bilingual,
    /// What to understand.
    pub text: Bilingual,
    /// Commands to type (a multi-line block is one command).
    pub commands: Vec<String>,
    /// What to look at.
    pub look: Option<Bilingual>,
    /// The part of the page to look at: `map`, `terminal`, `node:NAME` or `service:NS/NAME`.
    pub focus: Option<String>,
    /// Buttons that drive the page.
    #[serde(default)]
    pub actions: Vec<ActionView>,
    /// Each check, described.
    pub checks: Vec<Bilingual>,
}

/// A lesson step's button that drives the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionView {
    /// Send `count` requests from `from` to `to`, as the traffic controls do.
    Traffic {
        /// The source, as the traffic controls name it.
        from: String,
        /// The target (`IP:PORT`, `NODE:PORT` or `NAME:PORT`).
        to: String,
        /// How many.
        count: u32,
    },
    /// Trace one request.
    Trace {
        /// The source.
        from: String,
        /// The target.
        to: String,
    },
    /// Show a Service's `KUBE-SVC-…` chain on a node.
    Chain {
        /// The node.
        node: String,
        /// The Service, `NS/NAME`.
        service: String,
        /// Lines of the listing to light up: those containing this text (`probability`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        highlight: Option<String>,
    },
}
