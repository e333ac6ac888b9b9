//! The lesson panel: a lesson's steps one at a time, each with its explanation, the commands
//! (a button types each into the terminal), what to look at, and checks that turn green as the
//! lab meets them. The lessons are data files (`content/lessons/*.yaml`) read by the engine.

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

mod actions;
mod deep_link;
mod panel;
mod progress;
mod shares;

pub use deep_link::{fragment, parse, LessonLink};
pub use panel::LessonPanel;

use svclab_protocol::FileEntry;

/// The embedded lesson files, as the engine reads them.
pub fn lesson_files() -> Vec<FileEntry> {
    LESSON_FILES
        .iter()
        .map(|(name, text)| FileEntry {
            path: format!("content/lessons/{name}"),
            text: (*text).to_owned(),
        })
        .collect()
}
