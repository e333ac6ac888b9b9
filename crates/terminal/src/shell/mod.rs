//! The bash subset the lab's terminal runs: what a learner pastes from a tutorial runs as in a
//! real bash 5.2 and prints what bash and GNU coreutils print.
//!
//! - [`lexer`] and [`parser`]: text → [`ast`], and whether a text is complete
//!   ([`Shell::needs_more`]) the way bash decides to show the `> ` prompt.
//! - [`brace`], [`expand`], [`arith`], [`pattern`]: word expansion.
//! - `exec` and `builtins`: running commands over a [`Host`].
//!
//! Limits keep a pasted `while true` from hanging the page: [`MAX_LOOP_ITERATIONS`] per loop,
//! [`MAX_STEPS`] commands and [`MAX_OUTPUT`] bytes per command line, [`MAX_NESTING`] levels of
//! nesting. [`Shell::set_interrupt`] installs the Ctrl-C check made before every command.

pub mod arith;
mod array;
pub mod ast;
pub mod brace;
mod builtin_help;
pub mod builtins;
mod exec;
mod expand;
mod heredoc;
pub mod lexer;
pub mod parser;
pub mod pattern;
mod state;

#[cfg(test)]
mod tests;

use crate::io::{Host, Output};

pub use builtins::{echo, printf, quote, BUILTINS, CLEAR_SCREEN, KEYWORDS};
pub use exec::{MAX_CALL_DEPTH, MAX_LOOP_ITERATIONS, MAX_OUTPUT, MAX_STEPS};
pub use lexer::{ParseError, MAX_NESTING};

use exec::{syntax_message, Ctx};
use state::{Flow, Input, State};

/// Which prompt the shell shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// A learner's own terminal: `$ `.
    User,
    /// A root shell in a container (a kind node after `docker exec -it NODE bash`):
    /// `root@HOSTNAME:DIR# `, as Debian's default `PS1` shows it.
    Root,
    /// A fixed prompt.
    Custom(String),
}

/// The default virtual time for `date`: the moment of the article's `curl --head` output,
/// Tue, 13 Aug 2024 22:54:53 GMT (the host has no clock; `sleep` advances it).
pub const DEFAULT_EPOCH_MS: i64 = 1_723_589_693_000;

/// An interactive bash: variables, working directory, history and functions persist from one
/// command line to the next.
pub struct Shell {
    st: State,
    history: Vec<String>,
    prompt: PromptKind,
    name: String,
    interrupt: Option<Box<dyn FnMut() -> bool>>,
    exited: Option<i32>,
    /// The last run ended on an expansion error or a lab stop (a script stops there).
    stopped: bool,
    /// Running a `-c` string (syntax errors name `-c`).
    command_string: bool,
    clock_ms: i64,
}

impl std::fmt::Debug for Shell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shell")
            .field("cwd", &self.st.cwd)
            .field("status", &self.st.status)
            .field("history", &self.history.len())
            .finish()
    }
}

impl Shell {
    /// A shell with these exported variables (`HOME`, `HOSTNAME`, `PATH`, …), working
    /// directory and prompt.
    pub fn new(env: Vec<(String, String)>, cwd: String, prompt: PromptKind) -> Shell {
        Shell {
            st: State::new(env, cwd),
            history: Vec::new(),
            prompt,
            name: "bash".into(),
            interrupt: None,
            exited: None,
            stopped: false,
            command_string: false,
            clock_ms: DEFAULT_EPOCH_MS,
        }
    }

    /// Sets the name messages start with (`bash`, or `sh` for a shell started as `sh`).
    pub fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
        self.st.arg0 = name.to_string();
    }

    /// Sets the virtual wall clock `date` reads (milliseconds since 1970); `sleep` advances it.
    pub fn set_clock_ms(&mut self, ms: i64) {
        self.clock_ms = ms;
    }

    /// The virtual wall clock.
    pub fn clock_ms(&self) -> i64 {
        self.clock_ms
    }

    /// Installs the check made before every command: when it returns true the running command
    /// line stops, `^C` is printed and the status is 130 (how the page's Ctrl-C reaches a
    /// running script).
    pub fn set_interrupt(&mut self, check: Box<dyn FnMut() -> bool>) {
        self.interrupt = Some(check);
    }

    /// The primary prompt (`PS1`).
    pub fn prompt(&self) -> String {
        match &self.prompt {
            PromptKind::User => "$ ".into(),
            PromptKind::Custom(p) => p.clone(),
            PromptKind::Root => {
                let host = self.st.get("HOSTNAME").unwrap_or("localhost");
                let home = self.st.get("HOME").unwrap_or("/root");
                let dir = if self.st.cwd == home {
                    "~".to_string()
                } else if let Some(rest) = self.st.cwd.strip_prefix(&format!("{home}/")) {
                    format!("~/{rest}")
                } else {
                    self.st.cwd.clone()
                };
                format!("root@{host}:{dir}# ")
            }
        }
    }

    /// The continuation prompt (`PS2`).
    pub fn continuation_prompt(&self) -> &'static str {
        "> "
    }

    /// The working directory.
    pub fn cwd(&self) -> &str {
        &self.st.cwd
    }

    /// A variable's value.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.st.get(name)
    }

    /// Sets (and exports) a variable, as the page does for `KUBECONFIG`-like settings.
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.st.set(name, value.to_string());
        self.st.export(name);
    }

    /// The exported variables, in the order they were set.
    pub fn environment(&self) -> Vec<(String, String)> {
        self.st.environment()
    }

    /// `$?`.
    pub fn last_status(&self) -> i32 {
        self.st.status
    }

    /// `Some(status)` once `exit` ran: the terminal should close this shell (after a
    /// `docker exec … bash`, return to the host's).
    pub fn exited(&self) -> Option<i32> {
        self.exited
    }

    /// The history, oldest first, one entry per command (multi-line commands joined as bash's
    /// `cmdhist` does).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Whether `pending` (the lines typed so far, joined by `\n`, without a final newline: the
    /// Enter that ended the last line is implied) needs more lines before it
    /// can run: an open quote, a trailing `\`, `|`, `&&` or `||`, an unfinished `for`, `if`,
    /// `while`, `case`, `{` or `(`. A syntax error does not need more: running it prints the
    /// error.
    pub fn needs_more(&self, pending: &str) -> bool {
        let text = format!("{pending}\n");
        match parser::parse(&text) {
            Err(ParseError::Incomplete { .. }) => true,
            Err(_) => false,
            // A line ending in an unescaped `\` continues (the parse, seeing the end of the text
            // right after `\`-newline, took the command as finished).
            Ok(_) => {
                let body = pending;
                let backslashes = body.len() - body.trim_end_matches('\\').len();
                backslashes % 2 == 1
            }
        }
    }

    /// Runs one complete command line (possibly several lines, as typed) interactively:
    /// records it in the history, prints bash's interactive messages (`bash: foo: command not
    /// found`), and returns what it printed and `$?`.
    pub fn run_line(&mut self, line: &str, host: &mut dyn Host) -> Output {
        let entry = history_entry(line);
        if !entry.trim().is_empty() {
            self.history.push(entry);
        }
        self.run(line, host, true, 0)
    }

    /// Runs the command the input ended in (the end of a script typed line by line, or
    /// Ctrl-D at a continuation prompt). A here-document missing its delimiter ends there with
    /// bash's warning; `first_line` is the number of the command's first line among all the
    /// lines typed, as bash's interactive line counter has it.
    pub fn run_line_at_end_of_input(
        &mut self,
        line: &str,
        host: &mut dyn Host,
        first_line: usize,
    ) -> Output {
        let entry = history_entry(line);
        if !entry.trim().is_empty() {
            self.history.push(entry);
        }
        let mut warnings = String::new();
        let parsed = parser::parse_at_end_of_input(line).map(|(list, unterminated)| {
            for (at, wanted) in unterminated {
                warnings.push_str(&format!(
                    "{}: warning: here-document at line {} delimited by end-of-file (wanted `{wanted}')\n",
                    self.name,
                    first_line + at - 1
                ));
            }
            list
        });
        let mut out = Output::default();
        if !warnings.is_empty() {
            out.err(warnings);
        }
        let ran = self.run_parsed(parsed, line, host, true, 0);
        append(&mut out, ran);
        out.status = self.st.status;
        out
    }

    /// Runs a script as bash reads one: each command runs as soon as it is complete, so a
    /// syntax error further down does not stop the commands before it. Messages carry
    /// `NAME: line N:` with the shell's name.
    pub fn run_script(&mut self, text: &str, host: &mut dyn Host) -> Output {
        let mut out = Output::default();
        let mut pending = String::new();
        let mut start_line = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if pending.is_empty() {
                start_line = i;
            }
            pending.push_str(line);
            if self.needs_more(&pending) {
                continue;
            }
            let chunk = std::mem::take(&mut pending);
            let o = self.run(&chunk, host, false, start_line);
            append(&mut out, o);
            if self.exited.is_some() || self.stopped {
                break;
            }
        }
        if !pending.is_empty() && self.exited.is_none() {
            let o = self.run(&pending, host, false, start_line);
            append(&mut out, o);
        }
        out.status = self.st.status;
        out
    }

    /// `bash -c SCRIPT NAME ARGS…` in this shell's state: `$0` is `name`, `$1…` are `args`,
    /// messages read `NAME: line N: …`. For programs that run a command in a container
    /// (`kubectl exec POD -- sh -c '…'`).
    pub fn run_command_string(
        &mut self,
        script: &str,
        name: &str,
        args: &[String],
        host: &mut dyn Host,
    ) -> Output {
        let saved = (
            self.name.clone(),
            std::mem::replace(&mut self.st.positional, args.to_vec()),
            self.st.arg0.clone(),
        );
        self.name = name.to_string();
        self.st.arg0 = name.to_string();
        self.command_string = true;
        let out = self.run(script, host, false, 0);
        self.command_string = false;
        self.name = saved.0;
        self.st.positional = saved.1;
        self.st.arg0 = saved.2;
        out
    }

    fn run(
        &mut self,
        text: &str,
        host: &mut dyn Host,
        interactive: bool,
        line_offset: usize,
    ) -> Output {
        self.run_parsed(parser::parse(text), text, host, interactive, line_offset)
    }

    /// Runs what the parser made of `text`, or prints its syntax error.
    fn run_parsed(
        &mut self,
        parsed: Result<ast::List, ParseError>,
        text: &str,
        host: &mut dyn Host,
        interactive: bool,
        line_offset: usize,
    ) -> Output {
        let mut out = Output::default();
        let list = match parsed {
            Ok(l) => l,
            Err(e) => {
                // A `-c` string's syntax errors say so: `bash: -c: line 1: …`.
                let name = if self.command_string {
                    format!("{}: -c", self.name)
                } else {
                    self.name.clone()
                };
                out.err(syntax_message(&e, &name, interactive, text, line_offset));
                self.st.status = 2;
                out.status = 2;
                return out;
            }
        };
        let mut interrupt = self.interrupt.take();
        let mut cx = Ctx {
            host,
            interrupt: interrupt
                .as_mut()
                .map(|b| &mut **b as &mut dyn FnMut() -> bool),
            history: &mut self.history,
            name: self.name.clone(),
            interactive,
            line: 1,
            line_offset,
            steps: 0,
            produced: 0,
            discarding: (false, false),
            depth: 0,
            cond_depth: 0,
            abort_status: None,
            clock_ms: self.clock_ms,
            subst_status: None,
            background: false,
        };
        let flow = cx.exec_list(&mut self.st, &list, &mut Input::default(), &mut out);
        self.stopped = matches!(flow, Flow::Fatal | Flow::Abort);
        self.clock_ms = cx.clock_ms;
        if let Some(status) = cx.abort_status {
            self.st.status = status;
        }
        drop(cx);
        self.interrupt = interrupt;
        if flow == Flow::Exit {
            if interactive {
                out.err("exit\n");
            }
            self.exited = Some(self.st.status);
        }
        out.status = self.st.status;
        out
    }
}

/// Appends one output to another, merging neighbouring pieces of the same stream.
fn append(out: &mut Output, more: Output) {
    for (stream, text) in more.chunks {
        match stream {
            crate::io::Stream::Stdout => out.out(text),
            crate::io::Stream::Stderr => out.err(text),
        }
    }
}

/// How bash's history (with `cmdhist`) records a multi-line command: one entry, lines joined
/// with `; `, or with a space after a line that ends in an operator or keyword where `;` is
/// not allowed.
fn history_entry(text: &str) -> String {
    let mut entry = String::new();
    let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
    let mut ended_in_here_document = false;
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            entry.push_str(line);
            continue;
        }
        let prev = entry.trim_end();
        let parsed = parser::parse(&format!("{entry}\n"));
        let open_quote = matches!(
            parsed,
            Err(ParseError::Incomplete {
                looking_for: Some(_),
                ..
            })
        );
        // bash keeps a here-document's lines as lines (bashhist.c, `PST_HEREDOC`).
        let open_here_document = matches!(parsed, Err(ParseError::Incomplete { .. }))
            && entry.replace("<<<", "").contains("<<");
        ended_in_here_document |= open_here_document;
        let glue = if open_quote || open_here_document {
            "\n"
        } else if prev.ends_with('\\') {
            entry.truncate(prev.len() - 1);
            ""
        } else if [
            "|", "&&", "||", ";", "&", "(", "{", "do", "then", "else", "in",
        ]
        .iter()
        .any(|t| {
            prev == *t
                || prev.ends_with(&format!(" {t}"))
                || (t.len() <= 2 && !t.chars().all(|c| c.is_alphabetic()) && prev.ends_with(t))
        }) || prev.is_empty()
        {
            " "
        } else {
            "; "
        };
        entry.push_str(glue);
        entry.push_str(line);
    }
    // …and the newline after its delimiter line.
    if ended_in_here_document {
        entry.push('\n');
    }
    entry
}
