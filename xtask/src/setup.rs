//! Installs what the lab needs, each piece only when it is missing or at the wrong version.
//!
//! The recipe and its traps are in the project's toolchain notes: trunk 0.21 (0.22 needs a newer
//! rustc), wasm-bindgen-cli at exactly the lockfile's version (otherwise Trunk tries to download
//! one), wasm-opt from npm's binaryen (Debian's breaks the module), Debian's Chromium.

use std::path::Path;

use crate::process::{self, command, first_line};
use crate::project;

/// How much to install.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// What building and serving the page need.
    Web,
    /// Also what the tests need: Chromium, chromedriver, Playwright.
    Everything,
}

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const TRUNK_SERIES: &str = "0.21";

/// Installs every missing piece for `scope`.
pub fn run(scope: Scope) -> Result<(), String> {
    rust_components()?;
    wasm_target()?;
    trunk()?;
    wasm_bindgen_cli()?;
    npm_packages()?;
    if scope == Scope::Everything {
        chromium()?;
    }
    Ok(())
}

fn rust_components() -> Result<(), String> {
    let have_fmt = first_line("cargo", &["fmt", "--version"]).is_some();
    let have_clippy = first_line("cargo", &["clippy", "--version"]).is_some();
    if have_fmt && have_clippy {
        return Ok(());
    }
    process::run(&mut command(
        "rustup",
        &["component", "add", "rustfmt", "clippy"],
    ))
}

fn wasm_target() -> Result<(), String> {
    let installed = command("rustup", &["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm target: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    process::run(&mut command("rustup", &["target", "add", WASM_TARGET]))
}

fn trunk() -> Result<(), String> {
    // `trunk --version` prints "trunk 0.21.14".
    if let Some(line) = first_line("trunk", &["--version"]) {
        if line
            .strip_prefix("trunk ")
            .is_some_and(|v| v.starts_with(&format!("{TRUNK_SERIES}.")))
        {
            return Ok(());
        }
        println!("found {line}; this project needs trunk {TRUNK_SERIES}.x");
    }
    let requirement = format!("~{TRUNK_SERIES}");
    process::run(&mut command(
        "cargo",
        &["install", "trunk", "--version", &requirement, "--locked"],
    ))
}

fn wasm_bindgen_cli() -> Result<(), String> {
    let wanted = project::locked_version("wasm-bindgen")
        .ok_or("Cargo.lock names no wasm-bindgen version; run `cargo generate-lockfile`")?;
    // `wasm-bindgen --version` prints "wasm-bindgen 0.2.100".
    let found = first_line("wasm-bindgen", &["--version"]);
    if found.as_deref() == Some(&format!("wasm-bindgen {wanted}")) {
        return Ok(());
    }
    // Not --locked: the registry lacks one of the CLI's locked dependency versions.
    let exact = format!("={wanted}");
    process::run(&mut command(
        "cargo",
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &exact,
            "--force",
        ],
    ))
}

fn npm_packages() -> Result<(), String> {
    let dir = project::e2e_dir();
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("e2e/package-lock.json is missing: {e}"))?;
    let stamp = dir.join("node_modules").join(".service-lab-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    if !process::exists("npm") {
        return Err("npm is needed (Node.js 20 or later): install Node.js and npm first".into());
    }
    let mut install = command("npm", &["ci", "--no-audit", "--no-fund"]);
    // Playwright drives Debian's Chromium; it must never try to download a browser.
    install
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    process::run(&mut install)?;
    std::fs::write(&stamp, lock).map_err(|e| format!("could not write {}: {e}", stamp.display()))
}

/// The Chromium that Playwright and wasm-bindgen-test drive.
pub fn chromium_path() -> String {
    std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// The chromedriver that wasm-bindgen-test-runner talks to.
pub fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// Debian packages the browser tests use: the browser, its driver, and a Japanese font so that
/// screenshots of the Japanese UI show text rather than empty boxes.
const BROWSER_PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "fonts-ipafont-gothic"];

fn chromium() -> Result<(), String> {
    let browser = chromium_path();
    let driver = chromedriver_path();
    let japanese_font = first_line("fc-list", &[":lang=ja"]).is_some_and(|l| !l.is_empty());
    let have_browser = Path::new(&browser).exists() && Path::new(&driver).exists();
    if have_browser && japanese_font {
        return Ok(());
    }
    if !process::exists("apt-get") {
        if have_browser {
            println!("note: no Japanese font found; screenshots of Japanese text will show boxes");
            return Ok(());
        }
        return Err(format!(
            "Chromium and chromedriver are needed for the browser tests, and this machine has no apt-get.\n\
             Install both (same version), then set CHROMIUM_PATH={browser} and CHROMEDRIVER={driver} to their paths."
        ));
    }
    let as_root = first_line("id", &["-u"]).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        if as_root {
            command("apt-get", args)
        } else {
            let mut with_sudo = vec!["apt-get"];
            with_sudo.extend_from_slice(args);
            command("sudo", &with_sudo)
        }
    };
    process::run(&mut apt(&["update"]))?;
    let mut install = vec!["install", "-y"];
    install.extend_from_slice(&BROWSER_PACKAGES);
    process::run(&mut apt(&install))
}
