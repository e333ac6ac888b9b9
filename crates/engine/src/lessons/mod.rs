//! Guided lessons: data files read here, their checks evaluated against the lab, and the
//! validation `svclab lesson FILE` runs (every step's commands, then its checks).

mod check;
mod format;

pub use check::holds;
pub use format::{Check, Lesson, Step, Text};

use svclab_terminal::session::Session;

/// Reads a lesson file; errors name the line and column, as the YAML reader reports them.
pub fn parse_lesson(source: &str, text: &str) -> Result<Lesson, String> {
    let lesson: Lesson = serde_yaml_ng::from_str(text).map_err(|e| format!("{source}: {e}"))?;
    if lesson.steps.is_empty() {
        return Err(format!("{source}: a lesson needs at least one step"));
    }
    if lesson.id.is_empty()
        || !lesson
            .id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(format!(
            "{source}: id {:?} must be letters, digits and '-'",
            lesson.id
        ));
    }
    Ok(lesson)
}

/// Which checks of each step hold now.
pub fn progress(session: &Session, lesson: &Lesson) -> Vec<Vec<bool>> {
    lesson
        .steps
        .iter()
        .map(|s| s.check.iter().map(|c| holds(session, c)).collect())
        .collect()
}

/// One step's outcome when a lesson is validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// The step's English title.
    pub title: String,
    /// Each check, with whether it held after the step's commands.
    pub checks: Vec<(Check, bool)>,
}

impl StepReport {
    /// Whether every check held.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|(_, ok)| *ok)
    }
}

/// Runs every step's commands in `session` (a fresh lab with the lesson's seed and files), in
/// order, and checks each step right after its commands, as a learner following it would.
pub fn validate(session: &mut Session, lesson: &Lesson) -> Vec<StepReport> {
    lesson
        .steps
        .iter()
        .map(|step| {
            for command in &step.commands {
                for line in command.lines() {
                    session.type_line(line);
                }
            }
            StepReport {
                title: step.title.en.clone(),
                checks: step
                    .check
                    .iter()
                    .map(|c| (c.clone(), holds(session, c)))
                    .collect(),
            }
        })
        .collect()
}

/// The lesson as the page shows it.
pub fn lesson_view(lesson: &Lesson) -> svclab_protocol::LessonView {
    let both = |t: &Text| svclab_protocol::Bilingual {
        en: t.en.clone(),
        ja: t.ja.clone(),
    };
    svclab_protocol::LessonView {
        id: lesson.id.clone(),
        title: both(&lesson.title),
        seed: lesson.seed,
        steps: lesson
            .steps
            .iter()
            .map(|s| svclab_protocol::StepView {
                title: both(&s.title),
                text: both(&s.text),
                commands: s.commands.clone(),
                look: s.look.as_ref().map(both),
                focus: s.focus.clone(),
                checks: s.check.iter().map(|c| both(&c.describe())).collect(),
            })
            .collect(),
    }
}
