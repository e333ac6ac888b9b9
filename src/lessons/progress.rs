//! The step a learner is on, per lesson, kept in localStorage.

const PREFIX: &str = "service-lab.lesson.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The saved step of a lesson (0 when none).
pub fn load_step(lesson: &str) -> usize {
    storage()
        .and_then(|s| s.get_item(&format!("{PREFIX}{lesson}")).ok().flatten())
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
}

/// The lesson last open, if any.
pub fn load_chosen() -> Option<String> {
    storage().and_then(|s| s.get_item(&format!("{PREFIX}open")).ok().flatten())
}

/// Remembers the lesson open.
pub fn save_chosen(lesson: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("{PREFIX}open"), lesson);
    }
}

/// Saves the step.
pub fn save_step(lesson: &str, step: usize) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("{PREFIX}{lesson}"), &step.to_string());
    }
}
