//! Running a parsed list over a [`Host`]: and-or lists, pipelines, compound commands, simple
//! commands and the order bash looks a command name up in (function, builtin, utility, program).
//!
//! Programs run to completion one after the other; a pipeline hands each command's whole
//! standard output to the next one's input. That is not how a kernel schedules a pipe, but the
//! output is the same for the commands a learner runs (nothing here waits on its reader).

use crate::coreutils;
use crate::io::{Host, Output, Stream};

use super::ast::{AndOr, Command, Connector, List, Pipeline, Redir, RedirOp, Word};
use super::expand::ExpError;
use super::lexer::ParseError;
use super::state::{Flow, Input, State};

/// The most iterations one `for`/`while`/`until` loop may run before the lab stops it, so a
/// `while true` cannot hang the page.
pub const MAX_LOOP_ITERATIONS: usize = 10_000;
/// The most simple commands one command line (or script) may run.
pub const MAX_STEPS: u64 = 200_000;
/// The most output (bytes) one command line may produce.
pub const MAX_OUTPUT: usize = 8 * 1024 * 1024;
/// The deepest nesting of function calls and `bash -c` shells.
pub const MAX_CALL_DEPTH: usize = 100;

/// Where a file descriptor points while a command with redirections runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Out,
    Err,
    Null,
    File(usize),
}

struct FileOut {
    path: String,
    shown: String,
    append: bool,
    content: String,
}

struct Redirs {
    fd1: Target,
    fd2: Target,
    files: Vec<FileOut>,
    stdin: Option<String>,
}

/// Everything a running command line needs besides the shell's state.
pub(crate) struct Ctx<'a> {
    pub(crate) host: &'a mut dyn Host,
    pub(crate) interrupt: Option<&'a mut dyn FnMut() -> bool>,
    pub(crate) history: &'a mut Vec<String>,
    /// `$0` as messages show it (`bash`, or the script's name).
    pub(crate) name: String,
    /// Interactive messages have no `line N:`.
    pub(crate) interactive: bool,
    pub(crate) line: usize,
    pub(crate) line_offset: usize,
    pub(crate) steps: u64,
    pub(crate) produced: usize,
    /// Whether stdout and stderr, where they are now, end up in /dev/null: what goes there
    /// reaches no screen and no file, so it does not count against the output limit.
    pub(crate) discarding: (bool, bool),
    pub(crate) depth: usize,
    /// Inside an `if`/`while` condition or a non-final `&&`/`||` operand (`set -e` ignores).
    pub(crate) cond_depth: usize,
    /// The status a lab stop (Ctrl-C, a limit) leaves.
    pub(crate) abort_status: Option<i32>,
    /// Virtual wall clock (milliseconds since the epoch) for `date`.
    pub(crate) clock_ms: i64,
    /// The status of the last command substitution of the current simple command.
    pub(crate) subst_status: Option<i32>,
    /// Running a list item ended with `&`: the host may start it as a background job.
    pub(crate) background: bool,
}

impl Ctx<'_> {
    /// `bash: ` interactively, `bash: line 3: ` in a script or `-c` string.
    pub(crate) fn prefix(&self) -> String {
        if self.interactive {
            format!("{}: ", self.name)
        } else {
            format!("{}: line {}: ", self.name, self.line + self.line_offset)
        }
    }

    /// Appends a finished command's output, counting it against the output limit.
    pub(crate) fn emit(&mut self, out: &mut Output, produced: Output) {
        for (stream, text) in produced.chunks {
            let discarded = match stream {
                Stream::Stdout => self.discarding.0,
                Stream::Stderr => self.discarding.1,
            };
            if !discarded {
                self.produced += text.len();
            }
            match stream {
                Stream::Stdout => out.out(text),
                Stream::Stderr => out.err(text),
            }
        }
    }

    fn stop(&mut self, out: &mut Output, message: String, status: i32) -> Flow {
        out.err(message);
        self.abort_status = Some(status);
        Flow::Abort
    }

    /// Between commands: the Ctrl-C hook and the lab's limits.
    fn tick(&mut self, out: &mut Output) -> Option<Flow> {
        if self.abort_status.is_some() {
            return Some(Flow::Abort);
        }
        self.steps += 1;
        if let Some(check) = self.interrupt.as_mut() {
            if check() {
                // The terminal echoes ^C; bash then starts a new line.
                return Some(self.stop(out, "^C\n".into(), 130));
            }
        }
        if self.steps > MAX_STEPS {
            let msg = format!(
                "{}stopped after {MAX_STEPS} commands (Service Lab's limit)\n",
                self.prefix()
            );
            return Some(self.stop(out, msg, 1));
        }
        if self.produced > MAX_OUTPUT {
            let msg = format!(
                "{}output stopped after {} MiB (Service Lab's limit)\n",
                self.prefix(),
                MAX_OUTPUT >> 20
            );
            return Some(self.stop(out, msg, 1));
        }
        None
    }

    pub(crate) fn exec_list(
        &mut self,
        st: &mut State,
        list: &List,
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        for (ao, background) in &list.items {
            // `cmd &`: the host starts what it can run in the background (a port-forward on
            // the learner's machine); anything else runs in the foreground.
            let outer = std::mem::replace(&mut self.background, *background);
            let flow = self.and_or(st, ao, input, out);
            self.background = outer;
            if flow != Flow::Next {
                return flow;
            }
            if st.errexit && st.status != 0 && self.cond_depth == 0 {
                return Flow::Exit;
            }
        }
        Flow::Next
    }

    fn and_or(&mut self, st: &mut State, ao: &AndOr, input: &mut Input, out: &mut Output) -> Flow {
        let guarded = !ao.rest.is_empty();
        if guarded {
            self.cond_depth += 1;
        }
        let mut flow = self.pipeline(st, &ao.first, input, out);
        for (i, (conn, p)) in ao.rest.iter().enumerate() {
            if flow != Flow::Next {
                break;
            }
            let run = match conn {
                Connector::And => st.status == 0,
                Connector::Or => st.status != 0,
            };
            if run {
                let last = i + 1 == ao.rest.len();
                if last {
                    self.cond_depth -= 1;
                }
                flow = self.pipeline(st, p, input, out);
                if last {
                    self.cond_depth += 1;
                }
            }
        }
        if guarded {
            self.cond_depth -= 1;
        }
        flow
    }

    fn pipeline(
        &mut self,
        st: &mut State,
        p: &Pipeline,
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        if p.negate {
            self.cond_depth += 1;
        }
        let flow = match p.commands.as_slice() {
            [single] => {
                let f = self.exec_command(st, single, input, out);
                st.pipestatus = vec![st.status];
                f
            }
            commands => self.multi_pipeline(st, commands, &p.with_stderr, input, out),
        };
        if p.negate {
            self.cond_depth -= 1;
            st.status = i32::from(st.status == 0);
        }
        flow
    }

    fn multi_pipeline(
        &mut self,
        st: &mut State,
        commands: &[Command],
        with_stderr: &[bool],
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        let mut statuses = Vec::new();
        let mut piped: Option<String> = None;
        let count = commands.len();
        for (i, cmd) in commands.iter().enumerate() {
            // Every element of a pipeline runs in a subshell (bash without `lastpipe`).
            let mut sub = st.clone();
            let mut tmp = Output::default();
            let flow = match piped.take() {
                None => self.exec_command(&mut sub, cmd, input, &mut tmp),
                Some(data) => self.exec_command(&mut sub, cmd, &mut Input::new(data), &mut tmp),
            };
            statuses.push(sub.status);
            if i + 1 == count {
                for (stream, text) in tmp.chunks {
                    match stream {
                        Stream::Stdout => out.out(text),
                        Stream::Stderr => out.err(text),
                    }
                }
            } else {
                let both = with_stderr.get(i).copied().unwrap_or(false);
                let mut data = String::new();
                for (stream, text) in tmp.chunks {
                    if stream == Stream::Stdout || both {
                        data.push_str(&text);
                    } else {
                        out.err(text);
                    }
                }
                piped = Some(data);
            }
            if flow == Flow::Abort {
                return Flow::Abort;
            }
        }
        st.status = if st.pipefail {
            statuses
                .iter()
                .rev()
                .find(|&&s| s != 0)
                .copied()
                .unwrap_or(0)
        } else {
            statuses.last().copied().unwrap_or(0)
        };
        st.pipestatus = statuses;
        Flow::Next
    }

    pub(crate) fn exec_command(
        &mut self,
        st: &mut State,
        cmd: &Command,
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        match cmd {
            Command::Simple {
                assigns,
                words,
                redirs,
                line,
            } => {
                self.line = *line;
                if let Some(f) = self.tick(out) {
                    return f;
                }
                self.simple(st, assigns, words, redirs, input, out)
            }
            Command::Group(list, redirs) => {
                self.with_redirs(st, redirs, input, out, &mut |cx, st, input, out| {
                    cx.exec_list(st, list, input, out)
                })
            }
            Command::Subshell(list, redirs) => {
                self.with_redirs(st, redirs, input, out, &mut |cx, st, input, out| {
                    let mut sub = st.clone();
                    let flow = cx.exec_list(&mut sub, list, input, out);
                    st.status = sub.status;
                    if flow == Flow::Abort {
                        Flow::Abort
                    } else {
                        Flow::Next
                    }
                })
            }
            Command::For {
                var,
                words,
                body,
                redirs,
            } => self.with_redirs(st, redirs, input, out, &mut |cx, st, input, out| {
                cx.for_loop(st, var, words.as_deref(), body, input, out)
            }),
            Command::If {
                branches,
                otherwise,
                redirs,
            } => self.with_redirs(st, redirs, input, out, &mut |cx, st, input, out| {
                for (cond, body) in branches {
                    cx.cond_depth += 1;
                    let flow = cx.exec_list(st, cond, input, out);
                    cx.cond_depth -= 1;
                    if flow != Flow::Next {
                        return flow;
                    }
                    if st.status == 0 {
                        return cx.exec_list(st, body, input, out);
                    }
                }
                match otherwise {
                    Some(body) => cx.exec_list(st, body, input, out),
                    None => {
                        st.status = 0;
                        Flow::Next
                    }
                }
            }),
            Command::While {
                until,
                cond,
                body,
                redirs,
            } => self.with_redirs(st, redirs, input, out, &mut |cx, st, input, out| {
                cx.while_loop(st, *until, cond, body, input, out)
            }),
            Command::Case { word, arms, redirs } => {
                self.with_redirs(st, redirs, input, out, &mut |cx, st, input, out| {
                    let subject = match cx.expand_string(st, word, out) {
                        Ok(s) => s,
                        Err(e) => return cx.expansion_failed(st, e, out),
                    };
                    let chars: Vec<char> = subject.chars().collect();
                    for arm in arms {
                        for pat in &arm.patterns {
                            let compiled = match cx.expand_pattern(st, pat, out) {
                                Ok(p) => p,
                                Err(e) => return cx.expansion_failed(st, e, out),
                            };
                            if super::pattern::matches(&compiled, &chars) {
                                st.status = 0;
                                return cx.exec_list(st, &arm.body, input, out);
                            }
                        }
                    }
                    st.status = 0;
                    Flow::Next
                })
            }
            Command::Function { name, body } => {
                let body = std::rc::Rc::new((**body).clone());
                match st.functions.iter_mut().find(|(k, _)| k == name) {
                    Some((_, b)) => *b = body,
                    None => st.functions.push((name.clone(), body)),
                }
                st.status = 0;
                Flow::Next
            }
        }
    }

    fn loop_limit(&mut self, keyword: &str, out: &mut Output) -> Flow {
        let msg = format!(
            "{}{keyword}: loop stopped after {MAX_LOOP_ITERATIONS} iterations (Service Lab's limit)\n",
            self.prefix()
        );
        self.stop(out, msg, 1)
    }

    fn for_loop(
        &mut self,
        st: &mut State,
        var: &str,
        words: Option<&[Word]>,
        body: &List,
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        let items = match words {
            None => st.positional.clone(),
            Some(words) => {
                let mut items = Vec::new();
                for w in words {
                    match self.expand_fields(st, w, out) {
                        Ok(f) => items.extend(f),
                        Err(e) => return self.expansion_failed(st, e, out),
                    }
                }
                items
            }
        };
        st.status = 0;
        for (n, item) in items.into_iter().enumerate() {
            if n >= MAX_LOOP_ITERATIONS {
                return self.loop_limit("for", out);
            }
            st.set(var, item);
            match self.exec_list(st, body, input, out) {
                Flow::Next | Flow::Continue(1) => {}
                Flow::Break(1) => break,
                Flow::Break(n) => return Flow::Break(n - 1),
                Flow::Continue(n) => return Flow::Continue(n - 1),
                f => return f,
            }
        }
        Flow::Next
    }

    fn while_loop(
        &mut self,
        st: &mut State,
        until: bool,
        cond: &List,
        body: &List,
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        let mut last = 0;
        let mut n = 0;
        loop {
            if n >= MAX_LOOP_ITERATIONS {
                return self.loop_limit(if until { "until" } else { "while" }, out);
            }
            n += 1;
            self.cond_depth += 1;
            let flow = self.exec_list(st, cond, input, out);
            self.cond_depth -= 1;
            if flow != Flow::Next {
                return flow;
            }
            if (st.status == 0) == until {
                break;
            }
            let flow = self.exec_list(st, body, input, out);
            last = st.status;
            match flow {
                Flow::Next | Flow::Continue(1) => {}
                Flow::Break(1) => break,
                Flow::Break(n) => return Flow::Break(n - 1),
                Flow::Continue(n) => return Flow::Continue(n - 1),
                f => return f,
            }
        }
        st.status = last;
        Flow::Next
    }

    fn simple(
        &mut self,
        st: &mut State,
        assigns: &[super::ast::Assign],
        words: &[Word],
        redirs: &[Redir],
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        self.subst_status = None;
        let mut argv = Vec::new();
        for w in words {
            match self.expand_fields(st, w, out) {
                Ok(f) => argv.extend(f),
                Err(e) => return self.expansion_failed(st, e, out),
            }
        }
        let mut values = Vec::new();
        for a in assigns {
            if a.index.is_some() || a.elements.is_some() {
                if let Err(e) = self.assign_array(st, a, out) {
                    return self.expansion_failed(st, e, out);
                }
                continue;
            }
            let v = match self.expand_assignment(st, &a.value, out) {
                Ok(v) => v,
                Err(e) => return self.expansion_failed(st, e, out),
            };
            let v = if a.append {
                format!("{}{}", st.get(&a.name).unwrap_or(""), v)
            } else {
                v
            };
            values.push((a.name.clone(), v));
        }
        if argv.is_empty() {
            for (n, v) in values {
                st.set(&n, v);
            }
            st.status = self.subst_status.unwrap_or(0);
            if redirs.is_empty() {
                return Flow::Next;
            }
            let status = st.status;
            return self.with_redirs(st, redirs, input, out, &mut |_, st, _, _| {
                st.status = status;
                Flow::Next
            });
        }
        // `VAR=value cmd`: the variables are set, exported, for this command only.
        let saved: Vec<(String, Option<super::state::Var>)> = values
            .iter()
            .map(|(n, _)| {
                (
                    n.clone(),
                    st.vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()),
                )
            })
            .collect();
        for (n, v) in values {
            st.set(&n, v);
            st.export(&n);
        }
        let flow = self.with_redirs(st, redirs, input, out, &mut |cx, st, input, out| {
            cx.dispatch(st, &argv, input, out)
        });
        for (n, old) in saved {
            match old {
                Some(v) => match st.vars.iter_mut().find(|(k, _)| *k == n) {
                    Some((_, slot)) => *slot = v,
                    None => st.vars.push((n, v)),
                },
                None => st.unset(&n),
            }
        }
        flow
    }

    pub(crate) fn expansion_failed(
        &mut self,
        st: &mut State,
        e: ExpError,
        out: &mut Output,
    ) -> Flow {
        match e {
            ExpError::Abort => Flow::Abort,
            ExpError::Message(m) => {
                out.err(format!("{}{}\n", self.prefix(), m));
                st.status = 1;
                Flow::Fatal
            }
        }
    }

    /// Runs `body` with the redirections applied: output is collected, then sent where each
    /// descriptor points (the terminal, a file, `/dev/null`).
    fn with_redirs(
        &mut self,
        st: &mut State,
        redirs: &[Redir],
        input: &mut Input,
        out: &mut Output,
        body: &mut dyn FnMut(&mut Self, &mut State, &mut Input, &mut Output) -> Flow,
    ) -> Flow {
        if redirs.is_empty() {
            return body(self, st, input, out);
        }
        let r = match self.setup_redirs(st, redirs, out) {
            Ok(r) => r,
            Err(flow) => return flow,
        };
        let mut tmp = Output::default();
        let outer = self.discarding;
        let discards = |t: Target| match t {
            Target::Null => true,
            Target::Out => outer.0,
            Target::Err => outer.1,
            Target::File(_) => false,
        };
        self.discarding = (discards(r.fd1), discards(r.fd2));
        let flow = match &r.stdin {
            Some(data) => body(self, st, &mut Input::new(data.clone()), &mut tmp),
            None => body(self, st, input, &mut tmp),
        };
        self.discarding = outer;
        let Redirs {
            fd1,
            fd2,
            mut files,
            ..
        } = r;
        for (stream, text) in tmp.chunks {
            let target = if stream == Stream::Stdout { fd1 } else { fd2 };
            match target {
                Target::Out => out.out(text),
                Target::Err => out.err(text),
                Target::Null => {}
                Target::File(i) => {
                    if let Some(f) = files.get_mut(i) {
                        f.content.push_str(&text);
                    }
                }
            }
        }
        for f in files {
            if let Err(e) = self.host.write_file(&f.path, &f.content, f.append) {
                out.err(format!("{}{}: {}\n", self.prefix(), f.shown, e));
                st.status = 1;
            }
        }
        flow
    }

    fn setup_redirs(
        &mut self,
        st: &mut State,
        redirs: &[Redir],
        out: &mut Output,
    ) -> Result<Redirs, Flow> {
        let mut r = Redirs {
            fd1: Target::Out,
            fd2: Target::Err,
            files: Vec::new(),
            stdin: None,
        };
        for redir in redirs {
            let target = match self.expand_string(st, &redir.target, out) {
                Ok(t) => t,
                Err(e) => return Err(self.expansion_failed(st, e, out)),
            };
            let fail = |cx: &mut Self, st: &mut State, out: &mut Output, msg: String| {
                out.err(format!("{}{}\n", cx.prefix(), msg));
                st.status = 1;
                Flow::Next
            };
            match redir.op {
                RedirOp::Out | RedirOp::Append | RedirOp::OutErr | RedirOp::AppendErr => {
                    if target.is_empty() {
                        return Err(fail(self, st, out, ": No such file or directory".into()));
                    }
                    let append = matches!(redir.op, RedirOp::Append | RedirOp::AppendErr);
                    let t = match target.as_str() {
                        "/dev/null" => Target::Null,
                        "/dev/stdout" => r.fd1,
                        "/dev/stderr" => r.fd2,
                        _ => {
                            let path = st.resolve(&target);
                            match r.files.iter().position(|f| f.path == path) {
                                Some(i) => Target::File(i),
                                None => {
                                    r.files.push(FileOut {
                                        path,
                                        shown: target.clone(),
                                        append,
                                        content: String::new(),
                                    });
                                    Target::File(r.files.len() - 1)
                                }
                            }
                        }
                    };
                    if matches!(redir.op, RedirOp::OutErr | RedirOp::AppendErr) {
                        r.fd1 = t;
                        r.fd2 = t;
                    } else if redir.fd == 1 {
                        r.fd1 = t;
                    } else if redir.fd == 2 {
                        r.fd2 = t;
                    }
                }
                RedirOp::In => {
                    if target == "/dev/null" {
                        r.stdin = Some(String::new());
                        continue;
                    }
                    match self.host.read_file(&st.resolve(&target)) {
                        Ok(data) => r.stdin = Some(data),
                        Err(e) => return Err(fail(self, st, out, format!("{target}: {e}"))),
                    }
                }
                RedirOp::Dup => {
                    let t = match target.as_str() {
                        "1" => r.fd1,
                        "2" => r.fd2,
                        "-" => Target::Null,
                        "0" => continue,
                        other => {
                            return Err(fail(
                                self,
                                st,
                                out,
                                format!("{other}: Bad file descriptor"),
                            ))
                        }
                    };
                    if redir.fd == 1 {
                        r.fd1 = t;
                    } else if redir.fd == 2 {
                        r.fd2 = t;
                    }
                }
                RedirOp::HereString => r.stdin = Some(format!("{target}\n")),
                RedirOp::HereDoc => r.stdin = Some(target),
            }
        }
        Ok(r)
    }

    /// Finds and runs a command: function, builtin, `sh`/`bash`, utility, then the host's
    /// programs.
    pub(crate) fn dispatch(
        &mut self,
        st: &mut State,
        argv: &[String],
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        let Some(name) = argv.first() else {
            st.status = 0;
            return Flow::Next;
        };
        if let Some(body) = st.function(name) {
            return self.call_function(st, &body, argv, input, out);
        }
        if super::builtins::is_builtin(name) {
            return super::builtins::run(self, st, argv, input, out);
        }
        if name == "sh" || name == "bash" {
            if let Some(flow) = self.run_shell(st, argv, input, out) {
                return flow;
            }
        }
        // A program this place provides wins over the utility of the same name: a pod's or
        // node's `hostname` knows its place (`-f`, `-i`).
        if coreutils::is_utility(name) && !self.host.programs().iter().any(|p| p == name) {
            let stdin = if coreutils::reads_stdin(name) {
                input.take_all()
            } else {
                String::new()
            };
            let mut env = CoreEnv { cx: self, st };
            let produced = coreutils::run(argv, &stdin, &mut env);
            st.status = produced.status;
            self.emit(out, produced);
            return Flow::Next;
        }
        // A program reading its input gets all of it; the loop's input is not consumed (most
        // programs here, like curl, never read it).
        if self.background {
            if let Some(started) = self.host.run_background(argv) {
                st.status = started.status;
                self.emit(out, started);
                return Flow::Next;
            }
        }
        let env = st.environment();
        match self.host.run(argv, input.rest(), &env) {
            Some(produced) => {
                st.status = produced.status;
                self.emit(out, produced);
            }
            None if name == "sh" || name == "bash" => st.status = 0,
            None => {
                if name.contains('/') {
                    out.err(format!(
                        "{}{}: No such file or directory\n",
                        self.prefix(),
                        name
                    ));
                } else {
                    out.err(format!("{}{}: command not found\n", self.prefix(), name));
                }
                st.status = 127;
            }
        }
        Flow::Next
    }

    fn call_function(
        &mut self,
        st: &mut State,
        body: &Command,
        argv: &[String],
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        if st.call_depth >= MAX_CALL_DEPTH {
            let name = argv.first().cloned().unwrap_or_default();
            let msg = format!(
                "{}{name}: maximum function nesting level exceeded ({MAX_CALL_DEPTH})\n",
                self.prefix()
            );
            return self.stop(out, msg, 1);
        }
        let saved = std::mem::replace(&mut st.positional, argv.iter().skip(1).cloned().collect());
        st.call_depth += 1;
        let flow = self.exec_command(st, body, input, out);
        st.call_depth -= 1;
        st.positional = saved;
        match flow {
            Flow::Return => Flow::Next,
            f => f,
        }
    }

    /// `bash -c 'script' [name [args…]]`, `bash file [args…]`, `echo cmds | bash`: a child
    /// shell that sees only the exported variables. `None` for an interactive `bash` with
    /// nothing to read (left to the host).
    fn run_shell(
        &mut self,
        st: &mut State,
        argv: &[String],
        input: &mut Input,
        out: &mut Output,
    ) -> Option<Flow> {
        let mut args = argv.iter().skip(1).peekable();
        let mut script = None;
        let mut script_name = None;
        let mut errexit = false;
        while let Some(a) = args.peek() {
            match a.as_str() {
                "-c" => {
                    args.next();
                    let Some(s) = args.next() else {
                        out.err(format!(
                            "{}: -c: option requires an argument\n",
                            argv.first()?
                        ));
                        st.status = 2;
                        return Some(Flow::Next);
                    };
                    script = Some(s.clone());
                    break;
                }
                "-e" => {
                    errexit = true;
                    args.next();
                }
                "-x" | "-u" | "-l" | "-i" | "--norc" | "--login" | "-s" => {
                    args.next();
                }
                _ => break,
            }
        }
        let mut rest: Vec<String> = args.cloned().collect();
        let is_c = script.is_some();
        let text = match script {
            Some(s) => {
                if !rest.is_empty() {
                    script_name = Some(rest.remove(0));
                }
                s
            }
            None if !rest.is_empty() => {
                let file = rest.remove(0);
                match self.host.read_file(&st.resolve(&file)) {
                    Ok(t) => {
                        script_name = Some(file);
                        t
                    }
                    Err(e) => {
                        out.err(format!("{}: {}: {}\n", argv.first()?, file, e));
                        st.status = 127;
                        return Some(Flow::Next);
                    }
                }
            }
            None if !input.rest().is_empty() => input.take_all(),
            None => return None,
        };
        if self.depth >= MAX_CALL_DEPTH {
            let msg = format!(
                "{}: nested shells too deep (Service Lab's limit)\n",
                argv.first()?
            );
            return Some(self.stop(out, msg, 1));
        }
        let mut child = State::new(st.environment(), st.cwd.clone());
        child.pid = st.pid.wrapping_add(1 + self.depth as u32);
        child.errexit = errexit;
        child.arg0 = script_name
            .clone()
            .unwrap_or_else(|| argv.first().cloned().unwrap_or_default());
        child.positional = rest;
        let syntax_name = if script_name.is_some() && !is_c {
            child.arg0.clone()
        } else if is_c {
            format!("{}: -c", child.arg0)
        } else {
            child.arg0.clone()
        };
        let saved = (
            std::mem::replace(&mut self.name, child.arg0.clone()),
            std::mem::replace(&mut self.interactive, false),
            std::mem::replace(&mut self.line_offset, 0),
            self.line,
        );
        self.depth += 1;
        let flow = self.run_text(&mut child, &text, &syntax_name, input, out);
        self.depth -= 1;
        (self.name, self.interactive, self.line_offset, self.line) = saved;
        st.status = child.status;
        Some(if flow == Flow::Abort {
            Flow::Abort
        } else {
            Flow::Next
        })
    }

    /// Runs a non-interactive text (a script or `-c` string): parse, then run; a syntax error
    /// prints bash's two-line message and sets status 2.
    pub(crate) fn run_text(
        &mut self,
        st: &mut State,
        text: &str,
        syntax_name: &str,
        input: &mut Input,
        out: &mut Output,
    ) -> Flow {
        match super::parser::parse(text) {
            Ok(list) => self.exec_list(st, &list, input, out),
            Err(e) => {
                out.err(syntax_message(
                    &e,
                    syntax_name,
                    false,
                    text,
                    self.line_offset,
                ));
                st.status = 2;
                Flow::Next
            }
        }
    }
}

/// bash's message for a syntax error: one line interactively, two (with the source line) in a
/// script or `-c` string.
pub(crate) fn syntax_message(
    e: &ParseError,
    name: &str,
    interactive: bool,
    source: &str,
    offset: usize,
) -> String {
    let at = |line: usize| {
        if interactive {
            format!("{name}: ")
        } else {
            format!("{name}: line {}: ", line + offset)
        }
    };
    match e {
        ParseError::Unexpected { token, line } => {
            let mut s = format!(
                "{}syntax error near unexpected token `{}'\n",
                at(*line),
                token
            );
            if !interactive {
                let src = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
                s.push_str(&format!("{}`{}'\n", at(*line), src));
            }
            s
        }
        ParseError::Incomplete {
            looking_for: Some(c),
            line,
        } => format!(
            "{}unexpected EOF while looking for matching `{}'\n",
            at(*line),
            c
        ),
        ParseError::Incomplete {
            looking_for: None,
            line,
        } => {
            format!("{}syntax error: unexpected end of file\n", at(*line))
        }
        ParseError::Unsupported { what, line } => {
            format!(
                "{}{} are not supported in Service Lab's shell\n",
                at(*line),
                what
            )
        }
    }
}

/// The utilities' view of the shell: files relative to its directory, its exported
/// variables, and running other commands (for `xargs` and `env CMD`).
struct CoreEnv<'c, 'a> {
    cx: &'c mut Ctx<'a>,
    st: &'c mut State,
}

impl coreutils::Env for CoreEnv<'_, '_> {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        if path == "/dev/null" {
            return Ok(String::new());
        }
        self.cx.host.read_file(&self.st.resolve(path))
    }

    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
        if path == "/dev/null" {
            return Ok(());
        }
        self.cx
            .host
            .write_file(&self.st.resolve(path), content, append)
    }

    fn environment(&self) -> Vec<(String, String)> {
        self.st.environment()
    }

    fn run(&mut self, argv: &[String], stdin: &str, env: &[(String, String)]) -> Output {
        let mut sub = self.st.clone();
        for (k, v) in env {
            sub.set(k, v.clone());
            sub.export(k);
        }
        let mut out = Output::default();
        if let Some(Flow::Abort) = self.cx.tick(&mut out) {
            out.status = self.cx.abort_status.unwrap_or(1);
            return out;
        }
        self.cx
            .dispatch(&mut sub, argv, &mut Input::new(stdin.to_string()), &mut out);
        out.status = sub.status;
        out
    }

    fn sleep_ms(&mut self, ms: u64) {
        self.cx.host.sleep_ms(ms);
        self.cx.clock_ms = self.cx.clock_ms.saturating_add(ms as i64);
    }

    fn now_ms(&self) -> i64 {
        self.cx.clock_ms
    }

    fn hostname(&self) -> String {
        self.st.get("HOSTNAME").unwrap_or("localhost").to_string()
    }
}
