//! `svclab lesson [--workdir DIR] FILE…`: checks that a lesson file reads, then runs every
//! step's commands in a fresh lab with the lesson's seed and checks the step, as a learner
//! following it would. Exits non-zero if a file does not read or a check fails.

use std::path::PathBuf;
use std::process::ExitCode;

use svclab_engine::lessons::{parse_lesson, validate};
use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

/// Runs the command.
pub fn run(args: &[String]) -> ExitCode {
    let mut workdir = PathBuf::from(".");
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        match arg.as_str() {
            "--workdir" => match args.get(i) {
                Some(dir) => {
                    workdir = PathBuf::from(dir);
                    i += 1;
                }
                None => {
                    eprintln!("svclab lesson: --workdir needs a value");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with("--") => {
                eprintln!("svclab lesson: unknown option {s}");
                return ExitCode::from(2);
            }
            path => files.push(path.to_owned()),
        }
    }
    if files.is_empty() {
        eprintln!("svclab lesson: give a lesson file (content/lessons/*.yaml)");
        return ExitCode::from(2);
    }
    let mut ok = true;
    for file in &files {
        let lesson = match std::fs::read_to_string(file)
            .map_err(|e| format!("{file}: {e}"))
            .and_then(|text| parse_lesson(file, &text))
        {
            Ok(lesson) => lesson,
            Err(e) => {
                eprintln!("svclab lesson: {e}");
                ok = false;
                continue;
            }
        };
        println!(
            "{file}: {} ({} steps, seed {})",
            lesson.title.en,
            lesson.steps.len(),
            lesson.seed
        );
        let mut session = Session::new(lesson.seed, Workspace::Disk(workdir.clone()));
        for (n, step) in validate(&mut session, &lesson).iter().enumerate() {
            let mark = if step.passed() { "ok  " } else { "FAIL" };
            println!("  {mark} {}. {}", n + 1, step.title);
            for (check, held) in &step.checks {
                if !held {
                    println!("         not met: {check:?}");
                    ok = false;
                }
            }
            for (action, error) in &step.actions {
                if let Some(e) = error {
                    println!("         could not {action:?}: {e}");
                    ok = false;
                }
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
