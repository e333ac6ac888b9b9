//! The page's link to the engine: requests go out in order, every lab-changing one is kept in
//! the saved journal first, so a reload replays exactly what the learner did.

mod worker;

pub use worker::spawn_worker;

use std::rc::Rc;

use leptos::prelude::*;
use svclab_protocol::{Request, Seeded};

use crate::state::storage;

/// Sends requests to the engine (a Web Worker on the page; the engine itself in tests).
#[derive(Clone, Copy)]
pub struct EngineLink {
    post: StoredValue<Rc<dyn Fn(Request)>, LocalStorage>,
    restart: StoredValue<Option<Rc<dyn Fn()>>, LocalStorage>,
    lab: StoredValue<Seeded, LocalStorage>,
    /// Whether the journal is full: later changes are not saved, and a reload rebuilds the lab
    /// as it was when it filled.
    full: RwSignal<bool>,
}

impl EngineLink {
    /// A link that hands each request to `post`, journaling into `lab`.
    pub fn new(post: impl Fn(Request) + 'static, lab: Seeded) -> EngineLink {
        EngineLink {
            post: StoredValue::new_local(Rc::new(post)),
            restart: StoredValue::new_local(None),
            full: RwSignal::new(lab.journal.len() >= storage::MAX_JOURNAL),
            lab: StoredValue::new_local(lab),
        }
    }

    /// Whether the saved journal is full (the page says so).
    pub fn journal_full(&self) -> bool {
        self.full.get()
    }

    /// The same link, able to end a busy engine and start a fresh one (the worker's).
    pub fn with_restart(self, restart: impl Fn() + 'static) -> EngineLink {
        self.restart.set_value(Some(Rc::new(restart)));
        self
    }

    /// Ctrl-C while `running` typed lines are still unanswered: those lines leave the journal
    /// and the engine starts again from it, as if they had never run. Without a restartable
    /// engine, only the half-typed input is dropped.
    pub fn interrupt(&self, running: usize) {
        let Some(restart) = self.restart.get_value() else {
            self.post(Request::Cancel);
            return;
        };
        self.lab.update_value(|lab| {
            drop_last_lines(&mut lab.journal, running);
            storage::save(lab);
        });
        restart();
        self.start();
    }

    /// Starts (or restarts) the engine on the saved lab, with the lessons.
    pub fn start(&self) {
        let seeded = self.lab.get_value();
        self.post(Request::Start(seeded));
        self.post(Request::Lessons(crate::lessons::lesson_files()));
    }

    /// Throws the lab away and starts a fresh one with the article's files and `seed`.
    pub fn reset(&self, seed: u64) {
        self.reset_to(storage::fresh(seed));
    }

    /// Throws the lab away and starts `lab` (a new seed, or a share link's files).
    pub fn reset_to(&self, lab: Seeded) {
        storage::save(&lab);
        self.full.set(lab.journal.len() >= storage::MAX_JOURNAL);
        self.lab.set_value(lab);
        self.start();
    }

    /// A new lab with `seed` and the learner's files as they are now (the seed button, a
    /// lesson's restart or seed, a class link); the old lab's views are emptied.
    pub fn start_over(&self, state: &crate::state::LabState, seed: u64) {
        state.forget_lab();
        self.reset_to(Seeded {
            seed,
            files: state.files.get_untracked(),
            journal: Vec::new(),
        });
    }

    /// The lab as saved: seed, starting files and journal.
    pub fn saved(&self) -> Seeded {
        self.lab.get_value()
    }

    /// Sends one request.
    pub fn send(&self, request: Request) {
        if request.changes_lab() {
            let mut kept = true;
            self.lab.update_value(|lab| {
                kept = journal(&mut lab.journal, request.clone());
                storage::save(lab);
            });
            if !kept && !self.full.get_untracked() {
                self.full.set(true);
            }
        }
        self.post(request);
    }

    fn post(&self, request: Request) {
        let post = self.post.get_value();
        post(request);
    }
}

/// Removes the last `count` typed lines from the journal (keeping edits made meanwhile).
fn drop_last_lines(entries: &mut Vec<Request>, count: usize) {
    let mut left = count;
    let mut i = entries.len();
    while left > 0 && i > 0 {
        i -= 1;
        if matches!(entries.get(i), Some(Request::Line(_))) {
            entries.remove(i);
            left -= 1;
        }
    }
}

/// Appends to the journal; an edit to the file the previous entry edited replaces it, so typing
/// in an editor costs one entry, not one per keystroke. Returns whether it was kept (a full
/// journal keeps nothing more).
fn journal(entries: &mut Vec<Request>, request: Request) -> bool {
    if let (Some(Request::PutFile(last)), Request::PutFile(next)) = (entries.last_mut(), &request) {
        if last.path == next.path {
            last.text.clone_from(&next.text);
            return true;
        }
    }
    if entries.len() < storage::MAX_JOURNAL {
        entries.push(request);
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use svclab_protocol::FileEntry;

    fn put(path: &str, text: &str) -> Request {
        Request::PutFile(FileEntry {
            path: path.into(),
            text: text.into(),
        })
    }

    #[test]
    fn an_interrupt_drops_the_running_lines_and_keeps_the_edits() {
        let mut j = vec![
            Request::Line("kind create cluster".into()),
            Request::Line("while true; do :; done".into()),
            put("a.yaml", "x"),
            Request::Line("echo queued".into()),
        ];
        drop_last_lines(&mut j, 2);
        assert_eq!(
            j,
            vec![
                Request::Line("kind create cluster".into()),
                put("a.yaml", "x")
            ]
        );
        drop_last_lines(&mut j, 5);
        assert_eq!(j, vec![put("a.yaml", "x")]);
    }

    #[test]
    fn consecutive_edits_of_one_file_take_one_journal_entry() {
        let mut j = Vec::new();
        journal(&mut j, put("a.yaml", "x"));
        journal(&mut j, put("a.yaml", "xy"));
        journal(&mut j, Request::Line("kubectl apply -f a.yaml".into()));
        journal(&mut j, put("a.yaml", "xyz"));
        journal(&mut j, put("b.yaml", "b"));
        assert_eq!(
            j,
            vec![
                put("a.yaml", "xy"),
                Request::Line("kubectl apply -f a.yaml".into()),
                put("a.yaml", "xyz"),
                put("b.yaml", "b"),
            ]
        );
    }

    #[test]
    fn a_full_journal_keeps_nothing_more_and_says_so() {
        let mut j = vec![Request::Cancel; storage::MAX_JOURNAL - 1];
        assert!(journal(&mut j, Request::Line("one more".into())));
        assert!(!journal(&mut j, Request::Line("past the end".into())));
        assert_eq!(j.len(), storage::MAX_JOURNAL);
        // Typing in the last file edited still updates its entry.
        j.push(put("a.yaml", "x"));
        j.remove(0);
        assert!(journal(&mut j, put("a.yaml", "xy")));
    }
}
