//! One lab session answering requests in order.

use std::collections::BTreeMap;

use svclab_protocol::{Chunk, Editing, FileEntry, Reply, Request, Seeded};
use svclab_terminal::io::Stream;
use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

use crate::{diagnose, lab_view, open_fragment, send_traffic, share_fragment, trace_request};

/// Journal entries replayed at most: a reload must stay quick even after a long lesson.
pub const MAX_JOURNAL: usize = 5_000;

/// The session and the journal that rebuilds it.
pub struct Engine {
    session: Session,
    lessons: Vec<crate::lessons::Lesson>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            session: Session::new(1, Workspace::Memory(BTreeMap::new())),
            lessons: Vec::new(),
        }
    }
}

impl Engine {
    /// The session (for tests and the CLI).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Answers one request.
    pub fn handle(&mut self, request: Request) -> Vec<Reply> {
        match request {
            Request::Start(seeded) => self.start(seeded),
            Request::Line(line) => self.changing(|session| session.type_line(&line)),
            Request::FinishEdit(saved) => {
                self.changing(|session| session.finish_edit(saved.as_deref()))
            }
            Request::Cancel => {
                self.session.cancel();
                vec![self.output(Vec::new())]
            }
            Request::Complete(typed) => {
                let c = svclab_terminal::complete::complete(&self.session, &typed);
                vec![Reply::Completion {
                    typed,
                    start: c.start,
                    candidates: c.candidates,
                }]
            }
            Request::PutFile(file) => {
                // A path the workspace refuses cannot come from the page's own file list.
                let _ = self.session.workspace.write(&file.path, &file.text, false);
                Vec::new()
            }
            Request::DeleteFile(path) => {
                if let Workspace::Memory(files) = &mut self.session.workspace {
                    files.remove(&svclab_terminal::workspace::normalize(&path));
                }
                Vec::new()
            }
            Request::Check(file) => vec![Reply::Diagnostics {
                items: diagnose(&file.path, &file.text),
                path: file.path,
            }],
            Request::Inspect(command) => {
                // A copy of the lab runs the command, so that looking changes nothing (not even
                // the virtual clock each typed command advances).
                let mut scratch =
                    Session::new(self.session.lab.seed(), self.session.workspace.clone());
                scratch.lab = self.session.lab.clone();
                let out = scratch.type_line(&command);
                vec![Reply::Inspection {
                    command,
                    chunks: chunks(out.chunks),
                }]
            }
            Request::Lessons(files) => {
                let mut replies = Vec::new();
                self.lessons.clear();
                for file in files {
                    match crate::lessons::parse_lesson(&file.path, &file.text) {
                        Ok(lesson) => self.lessons.push(lesson),
                        Err(e) => replies.push(Reply::Error(e)),
                    }
                }
                replies.push(Reply::Lessons(
                    self.lessons
                        .iter()
                        .map(crate::lessons::lesson_view)
                        .collect(),
                ));
                replies.push(self.view());
                replies
            }
            Request::Share(lab) => vec![Reply::ShareLink(share_fragment(&lab))],
            Request::OpenShare(fragment) => vec![match open_fragment(&fragment) {
                Ok(lab) => Reply::Shared(lab),
                Err(e) => Reply::Error(e),
            }],
            Request::Trace { from, to } => {
                let trace = trace_request(&mut self.session.lab, &from, &to);
                vec![Reply::Trace(trace), self.view()]
            }
            Request::Traffic { from, to, count } => {
                let report = send_traffic(&mut self.session.lab, &from, &to, count);
                vec![Reply::Traffic(report), self.view()]
            }
        }
    }

    fn start(&mut self, seeded: Seeded) -> Vec<Reply> {
        let files = seeded
            .files
            .into_iter()
            .map(|f| (svclab_terminal::workspace::normalize(&f.path), f.text))
            .collect();
        self.session = Session::new(seeded.seed, Workspace::Memory(files));
        // The replayed commands' output becomes the scrollback the learner had before reloading.
        let mut transcript = Vec::new();
        let mut replayed = 0;
        for request in seeded.journal.into_iter().take(MAX_JOURNAL) {
            // A Start inside a journal would recurse; only lab-changing requests are kept.
            if !request.changes_lab() {
                continue;
            }
            if let Request::Line(line) = &request {
                transcript.push(Chunk {
                    stderr: false,
                    text: format!("{}{line}\n", self.session.prompt()),
                });
            }
            for reply in self.handle(request) {
                if let Reply::Output { chunks, .. } = reply {
                    transcript.extend(chunks);
                }
            }
            replayed += 1;
        }
        vec![
            Reply::Ready {
                version: svclab_sim::VERSION.to_owned(),
                seed: seeded.seed,
                replayed,
            },
            Reply::Output {
                chunks: transcript,
                prompt: self.session.prompt(),
                history: self.session.history(),
                editing: self.editing(),
            },
            Reply::Files(self.files()),
            self.view(),
        ]
    }

    /// Runs something that may change the lab and the files: its output, the files if they
    /// changed, and the new view.
    fn changing(
        &mut self,
        run: impl FnOnce(&mut Session) -> svclab_terminal::io::Output,
    ) -> Vec<Reply> {
        let before = self.files();
        let out = run(&mut self.session);
        let mut replies = vec![self.output(out.chunks)];
        let after = self.files();
        if after != before {
            replies.push(Reply::Files(after));
        }
        replies.push(self.view());
        replies
    }

    fn output(&self, out: Vec<(Stream, String)>) -> Reply {
        Reply::Output {
            chunks: chunks(out),
            prompt: self.session.prompt(),
            history: self.session.history(),
            editing: self.editing(),
        }
    }

    fn editing(&self) -> Option<Editing> {
        self.session.editing().map(|e| Editing {
            file: e.file.clone(),
            text: e.buffer.clone(),
        })
    }

    fn files(&self) -> Vec<FileEntry> {
        match &self.session.workspace {
            Workspace::Memory(files) => files
                .iter()
                .map(|(path, text)| FileEntry {
                    path: path.clone(),
                    text: text.clone(),
                })
                .collect(),
            Workspace::Disk(_) => Vec::new(),
        }
    }

    fn view(&self) -> Reply {
        let mut view = lab_view(&self.session.lab);
        view.lessons = self
            .lessons
            .iter()
            .map(|l| (l.id.clone(), crate::lessons::progress(&self.session, l)))
            .collect();
        Reply::View(view)
    }
}

/// The terminal's output pieces as the protocol carries them.
fn chunks(out: Vec<(Stream, String)>) -> Vec<Chunk> {
    out.into_iter()
        .map(|(stream, text)| Chunk {
            stderr: stream == Stream::Stderr,
            text,
        })
        .collect()
}
