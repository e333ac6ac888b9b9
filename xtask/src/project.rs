//! Where the project's pieces are, and the environment every child command runs with.

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding the top-level Cargo.toml).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The npm project of the browser toolchain: Playwright, axe-core and binaryen.
pub fn e2e_dir() -> PathBuf {
    root().join("e2e")
}

/// The `PATH` for child commands: the project-local wasm-opt (npm binaryen) comes first, because
/// Debian's older binaryen breaks the module and Trunk runs whichever `wasm-opt` it finds first.
pub fn child_path() -> String {
    let mut parts = vec![e2e_dir().join("node_modules").join(".bin")];
    if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(parts)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The exact version of a package in the workspace's Cargo.lock, if it is there.
pub fn locked_version(package: &str) -> Option<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).ok()?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let end = lock[start..].find('"')? + start;
    Some(lock[start..end].to_string())
}
