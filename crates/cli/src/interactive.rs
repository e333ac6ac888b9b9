//! `svclab` with no arguments: an interactive prompt with line editing, history (↑/↓) and the
//! page's Tab completion, over one session.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use svclab_terminal::complete::complete;
use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

use crate::{emit, exit_code, DEFAULT_SEED};

/// Completes from the live session, as the page's terminal does.
struct LabHelper {
    session: Rc<RefCell<Session>>,
}

impl Completer for LabHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let typed = line.get(..pos).unwrap_or(line);
        let mut completion = complete(&self.session.borrow(), typed);
        // Like bash, a unique completion ends the word.
        if let [only] = completion.candidates.as_mut_slice() {
            only.push(' ');
        }
        Ok((completion.start, completion.candidates))
    }
}

impl Hinter for LabHelper {
    type Hint = String;
}

impl Highlighter for LabHelper {}

impl Validator for LabHelper {}

impl Helper for LabHelper {}

/// `kubectl edit` at the prompt: the buffer goes to a real temporary file that the learner's
/// `$KUBE_EDITOR`, `$EDITOR` or `vi` opens, as kubectl launches it (`sh -c "EDITOR FILE"`).
fn edit_with_local_editor(session: &mut Session) -> svclab_terminal::io::Output {
    let Some(editing) = session.editing() else {
        return svclab_terminal::io::Output::status(0);
    };
    let name = editing
        .file
        .rsplit('/')
        .next()
        .unwrap_or("kubectl-edit.yaml");
    let path = std::env::temp_dir().join(name);
    let editor = std::env::var("KUBE_EDITOR")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let launched = std::fs::write(&path, &editing.buffer).and_then(|()| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&path)
            .status()
    });
    let saved = match launched {
        Ok(status) if status.success() => std::fs::read_to_string(&path).ok(),
        _ => {
            let _ = std::fs::remove_file(&path);
            let mut out = session.finish_edit(None);
            out.status = 1;
            out.err(format!(
                "error: there was a problem with the editor \"{editor}\"\n"
            ));
            return out;
        }
    };
    let _ = std::fs::remove_file(&path);
    session.finish_edit(saved.as_deref())
}

/// Runs the prompt until `exit` at the top level or end of input.
pub fn run() -> ExitCode {
    let session = Rc::new(RefCell::new(Session::new(
        DEFAULT_SEED,
        Workspace::Disk(PathBuf::from(".")),
    )));
    let mut editor = match Editor::<LabHelper, rustyline::history::DefaultHistory>::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("svclab: cannot start the prompt: {e}");
            return ExitCode::from(1);
        }
    };
    editor.set_helper(Some(LabHelper {
        session: Rc::clone(&session),
    }));
    let mut last = 0;
    loop {
        let prompt = session.borrow().prompt();
        match editor.readline(&prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let out = session.borrow_mut().type_line(&line);
                emit(&out);
                last = out.status;
                while session.borrow().editing().is_some() {
                    let out = edit_with_local_editor(&mut session.borrow_mut());
                    emit(&out);
                    last = out.status;
                }
                if let Some(code) = session.borrow().exited() {
                    return exit_code(code);
                }
            }
            // Ctrl-C drops a half-typed command, as bash does.
            Err(ReadlineError::Interrupted) => {
                session.borrow_mut().cancel();
                println!("^C");
            }
            Err(_) => return exit_code(last),
        }
    }
}
