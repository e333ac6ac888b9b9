//! Running child commands with the project's environment, and reporting how they ended.

use std::process::{Command, Stdio};

use crate::project;

/// A command prepared with the project's `PATH`, run from the workspace root.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(project::root())
        .env("PATH", project::child_path());
    cmd
}

/// Runs a command with inherited output (so each runner's own summary stays visible).
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = describe(cmd);
    println!("\n$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The first line a command prints on stdout, or None if it cannot run or fails.
pub fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let output = command(program, args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(|line| line.trim().to_string())
}

/// Whether a program is on the project's `PATH` and answers `--version`.
pub fn exists(program: &str) -> bool {
    first_line(program, &["--version"]).is_some()
}

fn describe(cmd: &Command) -> String {
    let mut shown = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}
