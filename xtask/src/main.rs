//! `cargo xtask`: Service Lab's set-up, serve, test and release commands.
//!
//! Every command installs what it needs first (see `setup`), so a fresh machine with only Rust,
//! Node.js and npm goes straight from a clone to a served page or a green test run.

mod bundle;
mod process;
mod project;
mod serve;
mod setup;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command>

Commands:
  serve           install what is missing, then `trunk serve` at http://127.0.0.1:8080 with live reload
  test            install what is missing, then run every check and test (what CI runs)
  setup [--web]   only install the toolchain (--web: just what serving and building need)
  dist [URL]      release build into dist/, for hosting at public URL (default /)
  bundle          print each file in dist/ with its raw and gzip size
  bench-page      release build, then the map animation's frame times in headless Chromium
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(&args[1..]),
        Some("test") => test::run(),
        Some("setup") => setup::run(if args.iter().any(|a| a == "--web") {
            setup::Scope::Web
        } else {
            setup::Scope::Everything
        }),
        Some("dist") => serve::dist(args.get(1).map(String::as_str).unwrap_or("/")),
        Some("bundle") => bundle::report(&project::root().join("dist")).map(|_| ()),
        Some("bench-page") => test::bench_page(),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
