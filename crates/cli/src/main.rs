//! `svclab`: Service Lab on the command line, a thin shell over the simulator and the
//! terminal engine. `svclab run SCRIPT` types a script's lines into a fresh lab exactly as a
//! person would at the page's terminal; `svclab` alone is an interactive prompt.

mod interactive;
mod lesson;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use svclab_terminal::io::{Output, Stream};
use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

const USAGE: &str = "\
Service Lab on the command line: a simulated kind cluster with kube-proxy.

Usage:
  svclab                                   an interactive prompt
  svclab run [--seed N] [--workdir DIR] [--echo] [SCRIPT | -]
                                           run a script's lines as if typed at the terminal
  svclab lesson [--workdir DIR] FILE…     check lesson files: run each step's commands, then its checks
  svclab --version | --help

Options of run:
  --seed N       every random choice (pod names, IPs, traffic) follows from N (default 1)
  --workdir DIR  files such as ./manifests/x.yaml are read relative to DIR (default .)
  --echo         print each command after its prompt, like a terminal transcript
";

/// The seed when none is given, so two runs of one script print the same bytes.
pub(crate) const DEFAULT_SEED: u64 = 1;

struct RunOptions {
    seed: u64,
    workdir: PathBuf,
    echo: bool,
    script: Option<String>,
}

fn parse_run(args: &[String]) -> Result<RunOptions, String> {
    let mut opts = RunOptions {
        seed: DEFAULT_SEED,
        workdir: PathBuf::from("."),
        echo: false,
        script: None,
    };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let mut value = |name: &str| -> Result<String, String> {
            let v = args
                .get(i)
                .cloned()
                .ok_or(format!("{name} needs a value"))?;
            i += 1;
            Ok(v)
        };
        match arg.as_str() {
            "--seed" => {
                let v = value("--seed")?;
                opts.seed = v
                    .parse()
                    .map_err(|_| format!("--seed takes a number, not {v:?}"))?;
            }
            "--workdir" => opts.workdir = PathBuf::from(value("--workdir")?),
            "--echo" => opts.echo = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            path => opts.script = Some(path.to_string()),
        }
    }
    Ok(opts)
}

/// Writes output chunks to the real stdout and stderr, in order.
pub(crate) fn emit(out: &Output) {
    let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
    for (stream, text) in &out.chunks {
        let _ = match stream {
            Stream::Stdout => stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush()),
            Stream::Stderr => stderr
                .write_all(text.as_bytes())
                .and_then(|_| stderr.flush()),
        };
    }
}

pub(crate) fn exit_code(status: i32) -> ExitCode {
    ExitCode::from(u8::try_from(status.rem_euclid(256)).unwrap_or(1))
}

fn run(args: &[String]) -> ExitCode {
    let opts = match parse_run(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("svclab run: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match opts.script.as_deref() {
        None | Some("-") => {
            let mut buf = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut buf) {
                eprintln!("svclab run: reading stdin: {e}");
                return ExitCode::from(2);
            }
            buf
        }
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("svclab run: {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut session = Session::new(opts.seed, Workspace::Disk(opts.workdir));
    let mut last = 0;
    for line in text.lines() {
        if opts.echo {
            println!("{}{line}", session.prompt());
        }
        let out = session.type_line(line);
        emit(&out);
        if !session.in_continuation() {
            last = out.status;
        }
        if let Some(code) = session.exited() {
            return exit_code(code);
        }
    }
    if session.in_continuation() {
        let out = session.end_of_input();
        emit(&out);
        last = out.status;
    }
    // A script has no one at an editor: `kubectl edit` closes as if nothing was changed.
    while session.editing().is_some() {
        let out = session.finish_edit(None);
        emit(&out);
        last = out.status;
    }
    exit_code(last)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => interactive::run(),
        Some("run") => run(&args[1..]),
        Some("lesson") => lesson::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("svclab {}", svclab_sim::VERSION);
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("svclab: unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
