//! `cargo xtask serve` (Trunk's dev server with live reload) and `cargo xtask dist` (release build).

use crate::process::{self, command};
use crate::setup::{self, Scope};

/// Installs what serving needs, then runs `trunk serve` at http://127.0.0.1:8080.
pub fn run(extra_args: &[String]) -> Result<(), String> {
    setup::run(Scope::Web)?;
    println!("\nService Lab: http://127.0.0.1:8080 (Ctrl-C stops the server)");
    let mut args = vec!["serve"];
    args.extend(extra_args.iter().map(String::as_str));
    process::run(&mut command("trunk", &args))
}

/// Builds the release site into dist/, to be hosted at `public_url` (for example /service-lab/).
pub fn dist(public_url: &str) -> Result<(), String> {
    setup::run(Scope::Web)?;
    release_build(public_url, "dist")
}

/// `trunk build --release` into `dist_dir`, for hosting at `public_url`.
pub fn release_build(public_url: &str, dist_dir: &str) -> Result<(), String> {
    process::run(&mut command(
        "trunk",
        &[
            "build",
            "--release",
            "--public-url",
            public_url,
            "--dist",
            dist_dir,
        ],
    ))
}
