//! Embeds every lesson file of `content/lessons/` into the page, so that a teacher adds a
//! lesson by adding a YAML file (checked by `svclab lesson FILE`), with no code to change.

use std::path::Path;

fn main() {
    let dir = Path::new("content/lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut out = String::from(
        "/// The lesson files, by name.\npub const LESSON_FILES: &[(&str, &str)] = &[\n",
    );
    for name in &files {
        println!("cargo:rerun-if-changed=content/lessons/{name}");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            format!("{root}/content/lessons/{name}")
        ));
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("lessons.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=could not write {}: {e}", target.display());
    }
}
