//! `brew install kind`: the article's first step. In the lab kind is already there, so
//! Homebrew says what it says for an installed, current formula.

use crate::io::Output;

/// Runs `brew …` (only `install` of the lab's tools).
pub fn run(argv: &[String]) -> Output {
    let words: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let mut out = Output::status(0);
    match words.as_slice() {
        ["install", formulae @ ..] if !formulae.is_empty() => {
            for f in formulae {
                let version = match *f {
                    "kind" => "0.29.0",
                    "kubectl" | "kubernetes-cli" => "1.33.1",
                    "curl" => "8.7.1",
                    other => {
                        out.status = 1;
                        out.err(format!("Error: No available formula with the name \"{other}\" (the lab has no internet).\n"));
                        continue;
                    }
                };
                out.err(format!(
                    "Warning: {f} {version} is already installed and up-to-date.\nTo reinstall {version}, run:\n  brew reinstall {f}\n"
                ));
            }
        }
        _ => {
            out.status = 1;
            out.err("Example usage:\n  brew install FORMULA...\n(the lab's brew only reports what is installed)\n");
        }
    }
    out
}
