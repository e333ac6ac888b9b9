//! The Files panel: the workspace's files (`manifests/…`), one open in the editor, with the
//! buttons that run the real command for it.

mod editor;
mod highlight;
mod transfer;

use leptos::prelude::*;
use svclab_protocol::{FileEntry, Request};

use crate::engine::EngineLink;
use crate::i18n::{fill, texts};
use crate::state::LabState;
use crate::terminal::run_command;

pub use editor::Editor;

/// The command that applies a file: kind creates a cluster from a kind config, kubectl applies
/// anything else.
pub fn apply_command(path: &str, text: &str) -> String {
    if path.ends_with("kind-config.yaml") || text.contains("apiVersion: kind.x-k8s.io/") {
        format!("kind create cluster --name service-demo --config=./{path}")
    } else {
        format!("kubectl apply -f ./{path}")
    }
}

/// A path typed or uploaded, made safe for the workspace: relative, no `..`, no empty parts.
fn safe_path(raw: &str) -> String {
    raw.split(['/', '\\'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect::<Vec<_>>()
        .join("/")
}

/// The file list and the editor.
#[component]
pub fn FilesPanel() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let t = texts();
    let selected = RwSignal::new(String::new());

    // Select the first file once the files arrive.
    Effect::new(move |_| {
        let files = state.files.get();
        let current = selected.get_untracked();
        if !files.iter().any(|f| f.path == current) {
            if let Some(first) = files.first() {
                selected.set(first.path.clone());
            }
        }
    });

    let apply = move || {
        let path = selected.get_untracked();
        let text = state
            .files
            .get_untracked()
            .into_iter()
            .find(|f| f.path == path)
            .map(|f| f.text)
            .unwrap_or_default();
        // The engine may not have the last keystrokes yet (the editor saves after a pause).
        link.send(Request::PutFile(FileEntry {
            path: path.clone(),
            text: text.clone(),
        }));
        run_command(link, state, &apply_command(&path, &text));
    };

    let add_file = move |_| {
        let existing = state.files.get_untracked();
        let path = (1..)
            .map(|i| format!("manifests/new-{i}.yaml"))
            .find(|p| !existing.iter().any(|f| &f.path == p))
            .unwrap_or_default();
        let file = FileEntry {
            path: path.clone(),
            text: String::new(),
        };
        state.files.update(|f| {
            f.push(file.clone());
            f.sort_by(|a, b| a.path.cmp(&b.path));
        });
        link.send(Request::PutFile(file));
        selected.set(path);
    };

    // Puts a file in the workspace (replacing one at the same path) and opens it.
    let put_file = move |file: FileEntry| {
        let path = file.path.clone();
        state.files.update(|f| {
            f.retain(|x| x.path != file.path);
            f.push(file.clone());
            f.sort_by(|a, b| a.path.cmp(&b.path));
        });
        link.send(Request::PutFile(file));
        selected.set(path);
    };

    let rename_file = move |_| {
        let path = selected.get_untracked();
        let Some(file) = state
            .files
            .get_untracked()
            .into_iter()
            .find(|f| f.path == path)
        else {
            return;
        };
        let Ok(Some(answer)) =
            window().prompt_with_message_and_default(&fill(t().rename_prompt, &[&path]), &path)
        else {
            return;
        };
        let new_path = safe_path(&answer);
        if new_path.is_empty() || new_path == path {
            return;
        }
        state.files.update(|f| f.retain(|x| x.path != path));
        link.send(Request::DeleteFile(path));
        put_file(FileEntry {
            path: new_path,
            text: file.text,
        });
    };

    let download_file = move |_| {
        let path = selected.get_untracked();
        if let Some(file) = state
            .files
            .get_untracked()
            .into_iter()
            .find(|f| f.path == path)
        {
            transfer::download(&file.path, &file.text);
        }
    };

    let upload_ref = NodeRef::<leptos::html::Input>::new();
    let on_upload = move |_| {
        let Some(input) = upload_ref.get() else {
            return;
        };
        transfer::read_uploads(
            &input,
            move |name, text| {
                put_file(FileEntry {
                    path: format!("manifests/{}", safe_path(&name)),
                    text,
                })
            },
            move |name| {
                let _ = window().alert_with_message(&fill(t().upload_refused, &[&name]));
            },
        );
    };

    let delete_file = move |_| {
        let path = selected.get_untracked();
        if path.is_empty() {
            return;
        }
        let confirmed = window()
            .confirm_with_message(&fill(t().delete_confirm, &[&path]))
            .unwrap_or(false);
        if confirmed {
            state.files.update(|f| f.retain(|x| x.path != path));
            link.send(Request::DeleteFile(path));
        }
    };

    view! {
        <div class="lab-files">
            <div class="lab-panel__toolbar">
                <div class="lab-panel__actions">
                    <button type="button" on:click=add_file title=move || t().new_file_title>{move || t().new_file}</button>
                    <button type="button" on:click=rename_file>{move || t().rename}</button>
                    <button type="button" on:click=download_file data-testid="download">{move || t().download}</button>
                    <label class="lab-upload">
                        {move || t().upload}
                        <input type="file" accept=".yaml,.yml,.json,.txt" multiple node_ref=upload_ref
                            data-testid="upload" on:change=on_upload />
                    </label>
                    <button type="button" on:click=delete_file title=move || t().delete_title>{move || t().delete}</button>
                    <button type="button" class="lab-button--primary" data-testid="apply-file" on:click=move |_| apply()
                        title=move || t().apply_title>
                        {move || if selected.get().ends_with("kind-config.yaml") { t().create_cluster } else { t().apply }}
                    </button>
                </div>
            </div>
            <ul class="lab-files__list" role="tablist" aria-label=move || t().workspace_files>
                <For each=move || state.files.get() key=|f| f.path.clone() let(file)>
                    {
                        let path = file.path.clone();
                        let path_for_click = path.clone();
                        let path_for_selected = path.clone();
                        let path_for_problems = path.clone();
                        let problems = Memo::new(move |_| {
                            state.diagnostics.with(|d| d.get(&path_for_problems).map_or(0, |items| items.iter().filter(|i| !i.note).count()))
                        });
                        view! {
                            <li role="presentation">
                                <button type="button" role="tab"
                                    class="lab-files__item"
                                    title=path.clone()
                                    aria-selected=move || (selected.get() == path_for_selected).to_string()
                                    on:click=move |_| selected.set(path_for_click.clone())>
                                    {path.rsplit('/').next().unwrap_or(&path).to_owned()}
                                    <Show when=move || { problems.get() > 0 }>
                                        <span class="lab-badge lab-badge--error" title="errors">{problems}" ✕"</span>
                                    </Show>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Editor path=selected on_apply=Callback::new(move |_| apply()) />
        </div>
    }
}
