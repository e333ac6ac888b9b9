//! The bundle report: each file in dist/ with its raw and gzip sizes, and the first-load total.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

/// The first-load budget: wasm + js + css + html, gzip -9, in bytes (1 KB = 1000 bytes).
pub const FIRST_LOAD_BUDGET: u64 = 400_000;

/// What a page load fetches before the lab is usable.
const FIRST_LOAD_EXTENSIONS: [&str; 4] = ["wasm", "js", "css", "html"];

/// Sizes of the built site.
pub struct Totals {
    /// gzip bytes of everything a first load fetches.
    pub first_load_gzip: u64,
}

/// Prints the report for `dist` and returns its totals.
pub fn report(dist: &Path) -> Result<Totals, String> {
    let mut files = Vec::new();
    collect(dist, &mut files)?;
    if files.is_empty() {
        return Err(format!(
            "{} is empty: build it first (cargo xtask dist)",
            dist.display()
        ));
    }
    files.sort();
    println!(
        "\n{:<48} {:>10} {:>10}  first load",
        "file in dist/", "raw", "gzip -9"
    );
    let (mut raw_total, mut gzip_total, mut first_load_gzip) = (0, 0, 0);
    for file in &files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("could not read {}: {e}", file.display()))?;
        let raw = bytes.len() as u64;
        let gzip = gzip_size(&bytes)?;
        let first_load = is_first_load(file);
        let name = file
            .strip_prefix(dist)
            .unwrap_or(file)
            .display()
            .to_string();
        println!(
            "{name:<48} {:>10} {:>10}  {}",
            kb(raw),
            kb(gzip),
            if first_load { "yes" } else { "" }
        );
        raw_total += raw;
        gzip_total += gzip;
        if first_load {
            first_load_gzip += gzip;
        }
    }
    println!(
        "{:<48} {:>10} {:>10}",
        "total",
        kb(raw_total),
        kb(gzip_total)
    );
    println!(
        "first load (wasm + js + css + html): {} gzip, budget {}",
        kb(first_load_gzip),
        kb(FIRST_LOAD_BUDGET)
    );
    Ok(Totals { first_load_gzip })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("could not list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn is_first_load(file: &Path) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| FIRST_LOAD_EXTENSIONS.contains(&e))
}

fn gzip_size(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    let compressed = encoder.finish().map_err(|e| e.to_string())?;
    Ok(compressed.len() as u64)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
