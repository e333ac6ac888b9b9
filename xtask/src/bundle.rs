//! The bundle report: each file in dist/ with its raw and gzip sizes, the first-load total, and
//! the engine worker's size.
//!
//! The first load is what the page needs to draw itself: its wasm, js, css and html. The
//! engine (simulator + terminal, `engine*` files) runs in a Web Worker that the page starts
//! once it is drawn, so it is counted on its own, with its own budget.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

/// The first-load budget: wasm + js + css + html, gzip -9, in bytes (1 KB = 1000 bytes).
pub const FIRST_LOAD_BUDGET: u64 = 400_000;

/// The engine worker's budget, gzip -9: a guard against growth (671 KB when the worker was
/// split out, 703 KB with share links and load balancer traffic, 767 KB with kubectl
/// patch/edit/annotate, logs by selector, shell arrays and the tools' help texts, 816 KB with
/// DaemonSets, ConfigMaps and node affinity: raised from 800 KB then; 842 KB with resources
/// and volumes; 864-870 KB with ConfigMap variables, `rollout restart/history/undo`, DaemonSet
/// surge and large-cluster routing: raised from 850 KB then; 905 KB with Secrets, downward
/// API and projected volumes, `--dry-run`, describe for every kind, `port-forward` with job
/// control and the host's published ports: raised from 900 KB then; 944 KB with StatefulSets
/// and ControllerRevisions; 973 KB with PersistentVolumeClaims, PersistentVolumes,
/// StorageClasses and the local-path provisioner: raised from 950 KB then). It loads after
/// the first paint, so it does not count against the first-load budget.
pub const ENGINE_BUDGET: u64 = 1_000_000;

/// What a page load fetches before the lab is usable.
const FIRST_LOAD_EXTENSIONS: [&str; 4] = ["wasm", "js", "css", "html"];

/// The worker's files (`engine.js`, `engine_bg.wasm`, `engine_loader.js`), named by Trunk after
/// the `engine` binary.
const ENGINE_PREFIX: &str = "engine";

/// Sizes of the built site.
pub struct Totals {
    /// gzip bytes of everything a first load fetches.
    pub first_load_gzip: u64,
    /// gzip bytes of the engine worker.
    pub engine_gzip: u64,
}

/// When a file is fetched.
#[derive(PartialEq)]
enum Load {
    First,
    Engine,
    OnDemand,
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
        "\n{:<48} {:>10} {:>10}  loaded",
        "file in dist/", "raw", "gzip -9"
    );
    let (mut raw_total, mut gzip_total, mut first_load_gzip, mut engine_gzip) = (0, 0, 0, 0);
    for file in &files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("could not read {}: {e}", file.display()))?;
        let raw = bytes.len() as u64;
        let gzip = gzip_size(&bytes)?;
        let load = load_of(file);
        let name = file
            .strip_prefix(dist)
            .unwrap_or(file)
            .display()
            .to_string();
        println!(
            "{name:<48} {:>10} {:>10}  {}",
            kb(raw),
            kb(gzip),
            match load {
                Load::First => "first load",
                Load::Engine => "engine worker",
                Load::OnDemand => "",
            }
        );
        raw_total += raw;
        gzip_total += gzip;
        match load {
            Load::First => first_load_gzip += gzip,
            Load::Engine => engine_gzip += gzip,
            Load::OnDemand => {}
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
    println!(
        "engine worker, fetched after the first paint: {} gzip, budget {}",
        kb(engine_gzip),
        kb(ENGINE_BUDGET)
    );
    Ok(Totals {
        first_load_gzip,
        engine_gzip,
    })
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

fn load_of(file: &Path) -> Load {
    let fetched = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| FIRST_LOAD_EXTENSIONS.contains(&e));
    let engine = file
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(ENGINE_PREFIX));
    match (fetched, engine) {
        (false, _) => Load::OnDemand,
        (true, true) => Load::Engine,
        (true, false) => Load::First,
    }
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
