//! `cargo xtask test`: every check and test the project has, in order, stopping at the first failure.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::bundle;
use crate::process::{self, command};
use crate::project;
use crate::serve::release_build;
use crate::setup::{self, Scope};

/// One named step of the test run.
struct Step {
    name: &'static str,
    run: fn() -> Result<(), String>,
}

const STEPS: &[Step] = &[
    Step {
        name: "install what is missing",
        run: || setup::run(Scope::Everything),
    },
    Step {
        name: "cargo fmt --check",
        run: || cargo(&["fmt", "--all", "--check"]),
    },
    Step {
        name: "clippy (native)",
        run: || {
            cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
        },
    },
    Step {
        name: "clippy (wasm32)",
        run: || {
            cargo(&[
                "clippy",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "service-lab",
                "-p",
                "svclab-sim",
                "-p",
                "svclab-engine",
                "--lib",
                "--bins",
                "--tests",
                "--",
                "-D",
                "warnings",
            ])
        },
    },
    Step {
        name: "native tests",
        run: || cargo(&["test", "--workspace"]),
    },
    Step {
        name: "component tests (wasm-bindgen-test, headless Chromium)",
        run: component_tests,
    },
    Step {
        name: "release build at /",
        run: || release_build("/", "dist"),
    },
    Step {
        name: "release build at /service-lab/",
        run: || release_build("/service-lab/", "dist-subpath"),
    },
    Step {
        name: "end-to-end tests (Playwright)",
        run: end_to_end,
    },
    Step {
        name: "bundle budget",
        run: bundle_budget,
    },
];

/// Runs every step; the first failure ends the run with an error.
pub fn run() -> Result<(), String> {
    let started = Instant::now();
    let mut timings = Vec::new();
    for step in STEPS {
        println!("\n=== {} ===", step.name);
        let step_started = Instant::now();
        let outcome = (step.run)();
        timings.push((step.name, step_started.elapsed(), outcome.is_ok()));
        if let Err(message) = outcome {
            print_timings(&timings);
            return Err(format!("step \"{}\" failed: {message}", step.name));
        }
    }
    print_timings(&timings);
    println!(
        "\nxtask test: all {} steps passed in {}",
        STEPS.len(),
        minutes(started.elapsed())
    );
    Ok(())
}

fn cargo(args: &[&str]) -> Result<(), String> {
    process::run(&mut command("cargo", args))
}

fn component_tests() -> Result<(), String> {
    let mut cmd = command(
        "cargo",
        &[
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "service-lab",
            "--tests",
        ],
    );
    cmd.env("CHROMEDRIVER", setup::chromedriver_path());
    process::run(&mut cmd)
}

fn end_to_end() -> Result<(), String> {
    playwright(&[])
}

/// The page benchmark: frame times of the map's animation in headless Chromium, printed (see
/// `e2e/bench/frames.bench.ts`). Builds dist/ first.
pub fn bench_page() -> Result<(), String> {
    setup::run(setup::Scope::Everything)?;
    crate::serve::dist("/")?;
    playwright(&["--config", "bench.config.ts"])
}

fn playwright(extra: &[&str]) -> Result<(), String> {
    let dir = project::e2e_dir();
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("node_modules/@playwright/test/cli.js"))
        .arg("test")
        .args(extra)
        .current_dir(&dir)
        .env("PATH", project::child_path())
        .env("CHROMIUM_PATH", setup::chromium_path());
    process::run(&mut cmd)
}

fn bundle_budget() -> Result<(), String> {
    let totals = bundle::report(&project::root().join("dist"))?;
    if totals.first_load_gzip > bundle::FIRST_LOAD_BUDGET {
        return Err(format!(
            "the first load is {} bytes gzip, over the {} byte budget",
            totals.first_load_gzip,
            bundle::FIRST_LOAD_BUDGET
        ));
    }
    if totals.engine_gzip == 0 {
        return Err("dist/ has no engine worker (engine_bg.wasm): the lab cannot run".into());
    }
    if totals.engine_gzip > bundle::ENGINE_BUDGET {
        return Err(format!(
            "the engine worker is {} bytes gzip, over its {} byte budget",
            totals.engine_gzip,
            bundle::ENGINE_BUDGET
        ));
    }
    Ok(())
}

fn print_timings(timings: &[(&str, Duration, bool)]) {
    println!("\nstep timings:");
    for (name, took, ok) in timings {
        println!(
            "  {:<58} {:>8}  {}",
            name,
            minutes(*took),
            if *ok { "ok" } else { "FAILED" }
        );
    }
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}m{:02}s", s / 60, s % 60)
}
