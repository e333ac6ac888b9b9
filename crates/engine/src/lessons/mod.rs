//! Guided lessons: data files read here, their checks evaluated against the lab, and the
//! validation `svclab lesson FILE` runs (every step's commands, then its checks).

mod check;
mod format;

pub use check::holds;
pub use format::{Action, Check, Lesson, Step, Text};

use svclab_protocol::ActionView;
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
    for (n, step) in lesson.steps.iter().enumerate() {
        if let Some(focus) = &step.focus {
            let known = matches!(focus.as_str(), "map" | "terminal")
                || focus.strip_prefix("node:").is_some_and(|n| !n.is_empty())
                || focus
                    .strip_prefix("service:")
                    .is_some_and(|s| s.split_once('/').is_some());
            if !known {
                return Err(format!(
                    "{source}: step {}: focus {focus:?} is not map, terminal, node:NAME or service:NAMESPACE/NAME",
                    n + 1
                ));
            }
        }
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
    /// Each action, with why it could not be done when it could not.
    pub actions: Vec<(Action, Option<String>)>,
}

impl StepReport {
    /// Whether every check held and every action could be done.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|(_, ok)| *ok) && self.actions.iter().all(|(_, e)| e.is_none())
    }
}

/// Does an action as the page's button would, on `session`'s lab; `Some(why)` when it cannot.
/// A chain is listed on a copy of the lab, as the inspector lists it, so that looking changes
/// nothing (not the commands a `typed` check reads).
fn perform(session: &mut Session, action: &Action) -> Option<String> {
    match &action.0 {
        ActionView::Traffic { from, to, count } => {
            crate::send_traffic(&mut session.lab, from, to, *count).error
        }
        ActionView::Trace { from, to } => crate::trace_request(&mut session.lab, from, to).error,
        ActionView::Chain {
            node,
            service,
            highlight,
        } => {
            let Some(chain) = crate::lab_view(&session.lab).svc_chain(service) else {
                return Some(format!("no Service {service} with a KUBE-SVC chain"));
            };
            let mut scratch = Session::new(session.lab.seed(), session.workspace.clone());
            scratch.lab = session.lab.clone();
            let out =
                scratch.type_line(&format!("docker exec {node} iptables -t nat -L {chain} -n"));
            if out.status != 0 {
                return Some(out.stderr().trim_end().to_owned());
            }
            // A highlight that lights nothing is a mistake in the lesson.
            highlight
                .as_ref()
                .filter(|h| !out.stdout().contains(h.as_str()))
                .map(|h| format!("no line of {chain} on {node} contains {h:?}"))
        }
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
            let actions = step
                .actions
                .iter()
                .map(|a| (a.clone(), perform(session, a)))
                .collect();
            StepReport {
                title: step.title.en.clone(),
                checks: step
                    .check
                    .iter()
                    .map(|c| (c.clone(), holds(session, c)))
                    .collect(),
                actions,
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
                actions: s.actions.iter().map(|a| a.0.clone()).collect(),
                checks: s.check.iter().map(|c| both(&c.describe())).collect(),
            })
            .collect(),
    }
}
