//! The lesson open and the step a learner is on, per lesson, kept in localStorage.

use crate::browser::{read, write};

const PREFIX: &str = "service-lab.lesson.";

/// The saved step of a lesson (0 when none).
pub fn load_step(lesson: &str) -> usize {
    read(&format!("{PREFIX}{lesson}"))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
}

/// The lesson last open, if any.
pub fn load_chosen() -> Option<String> {
    read(&format!("{PREFIX}open"))
}

/// Remembers the lesson open.
pub fn save_chosen(lesson: &str) {
    write(&format!("{PREFIX}open"), lesson);
}

/// Saves the step.
pub fn save_step(lesson: &str, step: usize) {
    write(&format!("{PREFIX}{lesson}"), &step.to_string());
}
