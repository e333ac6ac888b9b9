//! `svclab`: Service Lab on the command line, a thin shell over the simulator.

use std::process::ExitCode;

const USAGE: &str = "\
Service Lab on the command line: a simulated kind cluster with kube-proxy.

Usage:
  svclab run [--seed N] [--workdir DIR] [SCRIPT | -]   run a lab script (not yet available)
  svclab --version                                     print the version
  svclab --help                                        print this help
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => {
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
