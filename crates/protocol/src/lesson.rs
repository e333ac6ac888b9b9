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
    /// The part of the page to look at: `map`, `terminal`, `chart` or `inspector`.
    pub focus: Option<String>,
    /// Each check, described.
    pub checks: Vec<Bilingual>,
}
