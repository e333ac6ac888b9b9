//! What a shell remembers between commands: variables, positional parameters, the working
//! directory, functions, options. A subshell (`( … )`, a pipeline element, `$(…)`) works on a
//! clone, so nothing it changes leaks back — as with bash's fork.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::arith::Vars;
use super::ast::Command;

/// A shell variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Var {
    /// A scalar's value.
    pub(crate) value: String,
    pub(crate) exported: bool,
    /// An indexed array's elements by index (`value` is then unused); `None` for a scalar.
    pub(crate) elements: Option<BTreeMap<usize, String>>,
}

/// The shell's state.
#[derive(Clone, Debug)]
pub(crate) struct State {
    /// Variables in the order they were first set (`env` prints exported ones in this order).
    pub(crate) vars: Vec<(String, Var)>,
    pub(crate) positional: Vec<String>,
    pub(crate) arg0: String,
    pub(crate) cwd: String,
    pub(crate) status: i32,
    pub(crate) pipestatus: Vec<i32>,
    pub(crate) functions: Vec<(String, Rc<Command>)>,
    pub(crate) errexit: bool,
    pub(crate) pipefail: bool,
    pub(crate) pid: u32,
    /// How many function calls are active (for `return` and the recursion cap).
    pub(crate) call_depth: usize,
}

impl State {
    pub(crate) fn new(env: Vec<(String, String)>, cwd: String) -> State {
        let mut st = State {
            vars: Vec::new(),
            positional: Vec::new(),
            arg0: "bash".into(),
            cwd,
            status: 0,
            pipestatus: vec![0],
            functions: Vec::new(),
            errexit: false,
            pipefail: false,
            pid: 4242,
            call_depth: 0,
        };
        for (k, v) in env {
            st.set(&k, v);
            st.export(&k);
        }
        let cwd = st.cwd.clone();
        st.set("PWD", cwd);
        st.export("PWD");
        st
    }

    /// A variable's value (an array's element 0, as `$name` gives it).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        let var = self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v)?;
        match &var.elements {
            Some(elements) => elements.get(&0).map(String::as_str),
            None => Some(var.value.as_str()),
        }
    }

    fn var_mut(&mut self, name: &str) -> &mut Var {
        let at = match self.vars.iter().position(|(k, _)| k == name) {
            Some(at) => at,
            None => {
                self.vars.push((
                    name.to_string(),
                    Var {
                        value: String::new(),
                        exported: false,
                        elements: None,
                    },
                ));
                self.vars.len() - 1
            }
        };
        &mut self.vars[at].1
    }

    /// Sets a variable, keeping its export flag (on an array: element 0, as bash does).
    pub(crate) fn set(&mut self, name: &str, value: String) {
        let var = self.var_mut(name);
        match var.elements.as_mut() {
            Some(elements) => {
                elements.insert(0, value);
            }
            None => var.value = value,
        }
    }

    /// The elements of `name` by index: an array's, a set scalar as element 0, `PIPESTATUS`
    /// from the last pipeline; `None` when unset.
    pub(crate) fn elements(&self, name: &str) -> Option<BTreeMap<usize, String>> {
        if name == "PIPESTATUS" {
            return Some(
                self.pipestatus
                    .iter()
                    .map(|s| s.to_string())
                    .enumerate()
                    .collect(),
            );
        }
        let var = self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v)?;
        Some(match &var.elements {
            Some(elements) => elements.clone(),
            None => BTreeMap::from([(0, var.value.clone())]),
        })
    }

    /// Makes `name` an array holding `elements` (`name=(…)`).
    pub(crate) fn set_elements(&mut self, name: &str, elements: BTreeMap<usize, String>) {
        self.var_mut(name).elements = Some(elements);
    }

    /// Sets one element (`name[i]=v`); a scalar becomes an array with its value at 0.
    pub(crate) fn set_element(&mut self, name: &str, index: usize, value: String) {
        let var = self.var_mut(name);
        let elements = var.elements.get_or_insert_with(|| {
            let mut first = BTreeMap::new();
            if !var.value.is_empty() {
                first.insert(0, std::mem::take(&mut var.value));
            }
            first
        });
        elements.insert(index, value);
    }

    /// `unset 'name[i]'`.
    pub(crate) fn unset_element(&mut self, name: &str, index: usize) {
        if let Some((_, var)) = self.vars.iter_mut().find(|(k, _)| k == name) {
            match var.elements.as_mut() {
                Some(elements) => {
                    elements.remove(&index);
                }
                None if index == 0 => self.unset(name),
                None => {}
            }
        }
    }

    /// Marks a variable exported (creating it empty-but-unset is not modelled: an exported
    /// name without a value is set to the empty string only when given one).
    pub(crate) fn export(&mut self, name: &str) {
        if let Some((_, v)) = self.vars.iter_mut().find(|(k, _)| k == name) {
            v.exported = true;
        }
    }

    pub(crate) fn unset(&mut self, name: &str) {
        self.vars.retain(|(k, _)| k != name);
    }

    /// The exported variables, as a child process sees them.
    pub(crate) fn environment(&self) -> Vec<(String, String)> {
        self.vars
            .iter()
            // bash does not export arrays.
            .filter(|(_, v)| v.exported && v.elements.is_none())
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }

    pub(crate) fn function(&self, name: &str) -> Option<Rc<Command>> {
        self.functions
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, c)| c.clone())
    }

    /// The value of a parameter: special ones, positional ones, `PIPESTATUS[i]` and variables.
    pub(crate) fn param(&self, name: &str) -> Option<String> {
        match name {
            "?" => return Some(self.status.to_string()),
            "$" => return Some(self.pid.to_string()),
            "#" => return Some(self.positional.len().to_string()),
            "0" => return Some(self.arg0.clone()),
            "-" => return Some("hB".into()),
            "!" => return None,
            "@" | "*" => return Some(self.positional.join(" ")),
            _ => {}
        }
        if let Ok(n) = name.parse::<usize>() {
            return self.positional.get(n.checked_sub(1)?).cloned();
        }
        if let Some((base, sub)) = name.strip_suffix(']').and_then(|n| n.split_once('[')) {
            let elements = self.elements(base)?;
            return match sub {
                "@" | "*" => Some(elements.into_values().collect::<Vec<_>>().join(" ")),
                i => elements.get(&i.trim().parse::<usize>().ok()?).cloned(),
            };
        }
        if name == "PIPESTATUS" {
            return self.pipestatus.first().map(|s| s.to_string());
        }
        self.get(name).map(str::to_string)
    }

    /// Resolves a path against the working directory and normalises `.` and `..`.
    pub(crate) fn resolve(&self, path: &str) -> String {
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{}/{}", self.cwd, path)
        };
        normalize(&joined)
    }
}

/// `/a/./b/../c` → `/a/c`.
pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

impl Vars for State {
    fn get(&self, name: &str) -> Option<String> {
        self.param(name)
    }

    fn set(&mut self, name: &str, value: String) {
        State::set(self, name, value);
    }
}

/// The standard input of a command: a buffer read from the front, shared by the commands of
/// a loop body the way a real file descriptor is (`read` takes one line at a time).
#[derive(Clone, Debug, Default)]
pub(crate) struct Input {
    data: String,
    pos: usize,
}

impl Input {
    pub(crate) fn new(data: String) -> Input {
        Input { data, pos: 0 }
    }

    /// What has not been read yet.
    pub(crate) fn rest(&self) -> &str {
        self.data.get(self.pos..).unwrap_or("")
    }

    /// Reads everything left (a program that reads to end of file).
    pub(crate) fn take_all(&mut self) -> String {
        let s = self.rest().to_string();
        self.pos = self.data.len();
        s
    }

    /// Reads one line without its newline; `None` at end of input. The flag says whether the
    /// line ended with a newline (`read` fails on a last line without one, but still sets it).
    pub(crate) fn read_line(&mut self) -> Option<(String, bool)> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        match rest.find('\n') {
            Some(i) => {
                let line = rest[..i].to_string();
                self.pos += i + 1;
                Some((line, true))
            }
            None => {
                let line = rest.to_string();
                self.pos = self.data.len();
                Some((line, false))
            }
        }
    }
}

/// How a command ended, beyond its status: the control flow it asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Go on with the next command.
    Next,
    /// `break N`.
    Break(u32),
    /// `continue N`.
    Continue(u32),
    /// `return` from a function.
    Return,
    /// `exit`: leave the shell (or the subshell).
    Exit,
    /// An expansion error (`$((1/0))`, `${x!}`): bash abandons the command line when
    /// interactive and exits a non-interactive shell, so this ends the innermost shell or
    /// subshell like `exit`, without closing an interactive one.
    Fatal,
    /// Stop everything: Ctrl-C or a lab limit (the message is already printed).
    Abort,
}
