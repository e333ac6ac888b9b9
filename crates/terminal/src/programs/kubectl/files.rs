//! `-f FILE|DIR|-` for apply, create and delete: which files, read from the workspace, with
//! kubectl's error for a path that does not exist.

use crate::io::Output;
use crate::workspace::Workspace;

/// One manifest source: its name as kubectl prints it, and its text.
pub struct Source {
    /// The path as given (`./manifests/x.yaml`), or `STDIN`.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// Reads every `-f` argument; a directory contributes its `.yaml`/`.yml`/`.json` files.
pub fn read_all(paths: &[&str], workspace: &Workspace, stdin: &str) -> Result<Vec<Source>, Output> {
    let mut sources = Vec::new();
    for path in paths {
        if *path == "-" {
            sources.push(Source {
                name: "STDIN".into(),
                text: stdin.to_string(),
            });
            continue;
        }
        match workspace.read(path) {
            Ok(text) => sources.push(Source {
                name: path.to_string(),
                text,
            }),
            Err(_) => match workspace.list_dir(path) {
                Some(files) => {
                    for f in files {
                        if let Ok(text) = workspace.read(&f) {
                            let shown = if path.starts_with("./") {
                                format!("./{f}")
                            } else {
                                f
                            };
                            sources.push(Source { name: shown, text });
                        }
                    }
                }
                None => {
                    let mut out = Output::status(1);
                    out.err(format!("error: the path \"{path}\" does not exist\n"));
                    return Err(out);
                }
            },
        }
    }
    if sources.is_empty() {
        let mut out = Output::status(1);
        out.err("error: must specify one of -f and -k\n");
        return Err(out);
    }
    Ok(sources)
}
