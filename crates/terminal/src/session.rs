//! A learner's terminal session: the lab, their files, and a stack of shells — the host's
//! own, plus one for each `docker exec -it NODE bash` or `kubectl exec -it POD -- bash`
//! they are inside, left with `exit`. The page and `svclab` both type lines into it.

use svclab_sim::lab::Lab;

use crate::io::Output;
use crate::jobs::Jobs;
use crate::programs::kubectl::edit::EditSession;
use crate::programs::place::Place;
use crate::programs::Context;
use crate::shell::{PromptKind, Shell};
use crate::workspace::Workspace;
use crate::world::World;

/// Virtual time each command line takes (a person reads the output and types the next one),
/// so that pods started by one command are running by the next, as on a real laptop.
pub const COMMAND_STEP_MS: u64 = 5_000;

/// One shell of the stack and where it runs.
struct Level {
    shell: Shell,
    place: Place,
}

/// The terminal session.
pub struct Session {
    /// The simulated clusters.
    pub lab: Lab,
    /// The learner's files.
    pub workspace: Workspace,
    levels: Vec<Level>,
    pending: String,
    /// Every command run, in whichever shell of the stack (the host's, a node's, a pod's).
    commands: Vec<String>,
    /// Lines typed so far: bash's interactive line counter, which its warnings quote.
    lines_typed: usize,
    /// The editor `kubectl edit` opened, while it is open.
    editing: Option<EditSession>,
    /// The host shell's background jobs.
    jobs: Jobs,
}

/// Whether a port-forward's pod is still the running pod it connected to.
fn forward_alive(lab: &Lab, f: &crate::jobs::Forward) -> bool {
    lab.cluster(&f.cluster)
        .and_then(|c| c.store.get::<svclab_sim::api::Pod>(&f.namespace, &f.pod))
        .is_some_and(|p| {
            p.metadata.uid == f.uid
                && p.metadata.deletion_timestamp.is_none()
                && p.status.phase == "Running"
        })
}

/// Commands remembered in [`Session::commands`]; older ones are forgotten.
pub const COMMANDS_KEPT: usize = 10_000;

fn host_shell() -> Shell {
    let env = vec![
        ("HOME".to_string(), "/home/learner".to_string()),
        ("USER".to_string(), "learner".to_string()),
        ("HOSTNAME".to_string(), "laptop".to_string()),
        (
            "PATH".to_string(),
            "/usr/local/bin:/usr/bin:/bin".to_string(),
        ),
    ];
    Shell::new(env, crate::world::HOST_WORKDIR.into(), PromptKind::User)
}

impl Session {
    /// A fresh session: no clusters yet, the given files, every random choice from `seed`.
    pub fn new(seed: u64, workspace: Workspace) -> Session {
        Session {
            lab: Lab::new(seed),
            workspace,
            levels: vec![Level {
                shell: host_shell(),
                place: Place::Host,
            }],
            pending: String::new(),
            commands: Vec::new(),
            lines_typed: 0,
            editing: None,
            jobs: Jobs::default(),
        }
    }

    /// Every command run so far, in any shell of the stack, oldest first (at most
    /// [`COMMANDS_KEPT`]). A lesson's "you typed …" checks read it.
    pub fn commands(&self) -> &[String] {
        &self.commands
    }

    /// Where the innermost shell runs.
    pub fn place(&self) -> &Place {
        self.levels.last().map_or(&Place::Host, |l| &l.place)
    }

    /// The prompt to show: the continuation prompt while a command is incomplete.
    pub fn prompt(&self) -> String {
        let Some(level) = self.levels.last() else {
            return "$ ".into();
        };
        if self.pending.is_empty() {
            level.shell.prompt()
        } else {
            level.shell.continuation_prompt().to_string()
        }
    }

    /// Whether a command is waiting for more lines.
    pub fn in_continuation(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The host shell's history, oldest first.
    pub fn history(&self) -> Vec<String> {
        self.levels
            .first()
            .map(|l| l.shell.history().to_vec())
            .unwrap_or_default()
    }

    /// Drops a half-typed command (Ctrl-C at a continuation prompt).
    pub fn cancel(&mut self) {
        self.pending.clear();
    }

    /// The editor `kubectl edit` opened, while it is open (the page shows it; `svclab`
    /// hands it to `$EDITOR`).
    pub fn editing(&self) -> Option<&EditSession> {
        self.editing.as_ref()
    }

    /// The editor closed: `saved` is the text written (`None`: quit without writing).
    /// kubectl reports, and may reopen the editor (see [`Session::editing`]).
    pub fn finish_edit(&mut self, saved: Option<&str>) -> Output {
        let Some(session) = self.editing.take() else {
            return Output::status(0);
        };
        let mut ctx = Context {
            lab: &mut self.lab,
            workspace: &mut self.workspace,
        };
        let (out, again) = session.finish(saved, &mut ctx);
        self.editing = again;
        out
    }

    /// One line as typed at the prompt: run it once the command is complete. A line typed
    /// while an editor is open first closes it unchanged, as an editor that exits at once
    /// (`EDITOR=true`) would.
    pub fn type_line(&mut self, line: &str) -> Output {
        if self.editing.is_some() {
            let mut out = Output::default();
            while self.editing.is_some() {
                let closed = self.finish_edit(None);
                out.chunks.extend(closed.chunks);
            }
            let next = self.type_line(line);
            out.chunks.extend(next.chunks);
            out.status = next.status;
            return out;
        }
        self.lines_typed += 1;
        if !self.pending.is_empty() {
            self.pending.push('\n');
        }
        self.pending.push_str(line);
        let Some(level) = self.levels.last() else {
            return Output::status(0);
        };
        if level.shell.needs_more(&self.pending) {
            return Output::status(0);
        }
        let command = std::mem::take(&mut self.pending);
        if self.commands.len() >= COMMANDS_KEPT {
            self.commands.remove(0);
        }
        self.commands.push(command.clone());
        self.run_command(&command, false)
    }

    /// The input ends (a script's last line, Ctrl-D): a half-typed command runs as bash runs
    /// it then. A here-document missing its delimiter ends with a warning; anything else
    /// unfinished is bash's `syntax error: unexpected end of file`.
    pub fn end_of_input(&mut self) -> Output {
        if self.pending.is_empty() {
            return Output::status(0);
        }
        let command = std::mem::take(&mut self.pending);
        self.commands.push(command.clone());
        self.run_command(&command, true)
    }

    fn run_command(&mut self, command: &str, at_end_of_input: bool) -> Output {
        let Some(level) = self.levels.last_mut() else {
            return Output::status(0);
        };
        let mut world = World {
            lab: &mut self.lab,
            workspace: &mut self.workspace,
            place: level.place.clone(),
            enter: None,
            edit: None,
            jobs: matches!(level.place, Place::Host).then_some(&mut self.jobs),
        };
        let mut out = if at_end_of_input {
            let first_line = self.lines_typed + 1 - command.lines().count().max(1);
            level
                .shell
                .run_line_at_end_of_input(command, &mut world, first_line)
        } else {
            level.shell.run_line(command, &mut world)
        };
        let enter = world.enter.take();
        if let Some(edit) = world.edit.take() {
            self.editing = Some(edit);
        }
        let exited = level.shell.exited();
        self.lab.advance_ms(COMMAND_STEP_MS);
        // Before the next prompt bash reports the jobs that ended: a port-forward whose pod
        // went away has said so and exited.
        if !self.jobs.is_empty() {
            let lab = &self.lab;
            for notice in self.jobs.reap(|f| forward_alive(lab, f)) {
                out.err("error: lost connection to pod\n");
                out.err(notice);
            }
        }
        if exited.is_some() && self.levels.len() > 1 {
            self.levels.pop();
        }
        if let Some(enter) = enter {
            let env = crate::exec::environment(&self.lab, &enter.place, &enter.hostname);
            self.levels.push(Level {
                shell: Shell::new(env, "/".into(), PromptKind::Root),
                place: enter.place,
            });
        }
        out
    }

    /// Runs a script's lines as if typed one by one (`svclab run`): multi-line blocks
    /// complete as at the prompt, and `docker exec -it NODE bash` moves the following lines
    /// into the node until `exit`. With `echo`, each command is shown after its prompt.
    pub fn run_script(&mut self, text: &str, echo: bool) -> Output {
        let mut out = Output::default();
        for line in text.lines() {
            if echo {
                out.out(format!("{}{line}\n", self.prompt()));
            }
            let o = self.type_line(line);
            out.chunks.extend(o.chunks);
            out.status = o.status;
        }
        if !self.pending.is_empty() {
            let o = self.end_of_input();
            out.chunks.extend(o.chunks);
            out.status = o.status;
        }
        while self.editing.is_some() {
            let o = self.finish_edit(None);
            out.chunks.extend(o.chunks);
            out.status = o.status;
        }
        out
    }

    /// Whether the host shell itself was asked to exit (`exit` at the top level), and with
    /// which status.
    pub fn exited(&self) -> Option<i32> {
        match self.levels.as_slice() {
            [only] => only.shell.exited(),
            _ => None,
        }
    }
}
