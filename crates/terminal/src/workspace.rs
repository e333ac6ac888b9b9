//! The learner's files: the page keeps them in memory (the editors' `kind-config.yaml` and
//! `manifests/`), the CLI reads them from a directory on disk.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where `kubectl apply -f ./manifests/x.yaml` and `kind create cluster --config …` read from.
#[derive(Clone, Debug)]
pub enum Workspace {
    /// Files by path relative to the working directory (`manifests/x.yaml`).
    Memory(BTreeMap<String, String>),
    /// A directory on disk (the CLI's `--workdir`).
    Disk(PathBuf),
}

/// `./a/../b/x.yaml` → `b/x.yaml`; absolute paths keep no leading slash.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

impl Workspace {
    /// Reads a file; the error is the `open PATH: no such file or directory` text Go tools print.
    pub fn read(&self, path: &str) -> Result<String, String> {
        let missing = || format!("open {path}: no such file or directory");
        match self {
            Workspace::Memory(files) => files.get(&normalize(path)).cloned().ok_or_else(missing),
            Workspace::Disk(dir) => {
                std::fs::read_to_string(dir.join(path)).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => missing(),
                    _ => format!("open {path}: {e}"),
                })
            }
        }
    }

    /// Writes (or appends to) a file.
    pub fn write(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
        match self {
            Workspace::Memory(files) => {
                let entry = files.entry(normalize(path)).or_default();
                if !append {
                    entry.clear();
                }
                entry.push_str(content);
                Ok(())
            }
            Workspace::Disk(dir) => {
                use std::io::Write;
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .write(true)
                    .append(append)
                    .truncate(!append)
                    .open(dir.join(path))
                    .map_err(|e| format!("{path}: {e}"))?;
                file.write_all(content.as_bytes())
                    .map_err(|e| format!("{path}: {e}"))
            }
        }
    }

    /// The files of a directory (for `kubectl apply -f DIR`), sorted, `.yaml`/`.yml`/`.json` only.
    pub fn list_dir(&self, dir: &str) -> Option<Vec<String>> {
        let wanted = |name: &str| {
            name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
        };
        match self {
            Workspace::Memory(files) => {
                let prefix = normalize(dir);
                let prefix = if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}/")
                };
                let found: Vec<String> = files
                    .keys()
                    .filter(|k| {
                        k.starts_with(&prefix) && !k[prefix.len()..].contains('/') && wanted(k)
                    })
                    .cloned()
                    .collect();
                (!found.is_empty() || files.keys().any(|k| k.starts_with(&prefix))).then_some(found)
            }
            Workspace::Disk(root) => {
                let entries = std::fs::read_dir(root.join(dir)).ok()?;
                let mut found: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.path().is_file())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| wanted(n))
                    .map(|n| format!("{}/{n}", dir.trim_end_matches('/')))
                    .collect();
                found.sort();
                Some(found)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_like_a_shell() {
        assert_eq!(normalize("./manifests/x.yaml"), "manifests/x.yaml");
        assert_eq!(
            normalize("manifests/../manifests//x.yaml"),
            "manifests/x.yaml"
        );
    }

    #[test]
    fn memory_files_read_write_and_list() {
        let mut ws = Workspace::Memory(BTreeMap::new());
        ws.write("./manifests/a.yaml", "a", false).expect("write");
        ws.write("manifests/a.yaml", "b", true).expect("append");
        assert_eq!(ws.read("manifests/a.yaml").as_deref(), Ok("ab"));
        assert_eq!(
            ws.read("./nope.yaml"),
            Err("open ./nope.yaml: no such file or directory".to_string())
        );
        assert_eq!(
            ws.list_dir("./manifests"),
            Some(vec!["manifests/a.yaml".to_string()])
        );
        assert_eq!(ws.list_dir("other"), None);
    }
}
