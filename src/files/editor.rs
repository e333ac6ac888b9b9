//! The editor: a textarea over a highlighted copy of its text, with line numbers and the
//! file's problems at line and column. Edits are saved and checked after a short pause.

use std::time::Duration;

use leptos::prelude::*;
use svclab_protocol::{FileEntry, Request};
use wasm_bindgen::JsCast;

use super::highlight::highlight_line;
use crate::engine::EngineLink;
use crate::i18n::{fill, texts};
use crate::state::LabState;

/// The pause after the last keystroke before the text is saved and checked.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// The editor for the file at `path`.
#[component]
pub fn Editor(
    /// The open file.
    #[prop(into)]
    path: Signal<String>,
    /// Ctrl/Cmd+Enter.
    on_apply: Callback<()>,
) -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let t = texts();
    let text = RwSignal::new(String::new());
    let scroll = RwSignal::new((0, 0));
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let area_ref = NodeRef::<leptos::html::Textarea>::new();

    // Load the file's text when another file is opened or the engine changes it.
    Effect::new(move |_| {
        let p = path.get();
        let content = state
            .files
            .with(|files| files.iter().find(|f| f.path == p).map(|f| f.text.clone()));
        if let Some(content) = content {
            if content != text.get_untracked() {
                text.set(content.clone());
            }
            if !state.diagnostics.with_untracked(|d| d.contains_key(&p)) {
                link.send(Request::Check(FileEntry {
                    path: p,
                    text: content,
                }));
            }
        }
    });

    // When the last check was sent, to time its answer for the page benchmark.
    let check_sent = StoredValue::new(None::<f64>);
    Effect::new(move |_| {
        let p = path.get();
        state.diagnostics.with(|d| d.get(&p).map(|_| ()));
        if let Some(sent) = check_sent.get_value() {
            crate::bench_log::record("svclabCheckTimes", crate::bench_log::now_ms() - sent);
            check_sent.set_value(None);
        }
    });

    let save_and_check = move || {
        let file = FileEntry {
            path: path.get_untracked(),
            text: text.get_untracked(),
        };
        check_sent.set_value(Some(crate::bench_log::now_ms()));
        link.send(Request::PutFile(file.clone()));
        link.send(Request::Check(file));
    };

    let on_input = move |ev| {
        let typed = event_target_value(&ev);
        // The page's copy changes at once (Share and Apply read it); the engine gets the text
        // after the pause.
        let p = path.get_untracked();
        state.files.update(|files| {
            if let Some(f) = files.iter_mut().find(|f| f.path == p) {
                f.text.clone_from(&typed);
            }
        });
        text.set(typed);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        pending.set_value(set_timeout_with_handle(save_and_check, DEBOUNCE).ok());
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            save_and_check();
            on_apply.run(());
        } else if ev.key() == "Tab" && !ev.shift_key() {
            // Two spaces, inserted as typing would be, so that undo still works.
            ev.prevent_default();
            let document: web_sys::HtmlDocument = document().unchecked_into();
            let _ = document.exec_command_with_show_ui_and_value("insertText", false, "  ");
        }
    };

    let on_scroll = move |_| {
        if let Some(area) = area_ref.get() {
            scroll.set((area.scroll_top(), area.scroll_left()));
        }
    };

    let problems = move || {
        let p = path.get();
        state
            .diagnostics
            .with(|d| d.get(&p).cloned().unwrap_or_default())
    };
    let error_lines = move || {
        problems()
            .iter()
            .filter(|d| !d.note)
            .map(|d| d.line)
            .collect::<Vec<_>>()
    };

    let jump_to = move |line: usize, column: usize| {
        let Some(area) = area_ref.get() else { return };
        let content = text.get_untracked();
        let offset: usize = content
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(|l| l.encode_utf16().count())
            .sum::<usize>()
            + column.saturating_sub(1);
        let offset = u32::try_from(offset).unwrap_or(0);
        let _ = area.focus();
        let _ = area.set_selection_range(offset, offset);
    };

    view! {
        <div class="lab-editor">
            <div class="lab-editor__body">
                <div class="lab-editor__gutter" aria-hidden="true"
                    style:transform=move || format!("translateY({}px)", -scroll.get().0)>
                    {move || {
                        let errors = error_lines();
                        (1..=text.with(|t| t.split('\n').count()))
                            .map(|n| {
                                let class = if errors.contains(&n) { "lab-editor__num lab-editor__num--error" } else { "lab-editor__num" };
                                view! { <div class=class>{n}</div> }
                            })
                            .collect_view()
                    }}
                </div>
                <div class="lab-editor__code">
                    <pre class="lab-editor__highlight" aria-hidden="true"
                        style:transform=move || { let (top, left) = scroll.get(); format!("translate({}px, {}px)", -left, -top) }>
                        {move || {
                            let errors = error_lines();
                            text.with(|t| {
                                t.split('\n')
                                    .enumerate()
                                    .map(|(i, line)| {
                                        let class = if errors.contains(&(i + 1)) { "lab-editor__line lab-editor__line--error" } else { "lab-editor__line" };
                                        let spans = highlight_line(line)
                                            .into_iter()
                                            .map(|s| view! { <span class=s.class>{s.text}</span> })
                                            .collect_view();
                                        view! { <div class=class>{spans}"\u{200b}"</div> }
                                    })
                                    .collect_view()
                            })
                        }}
                    </pre>
                    <textarea
                        class="lab-editor__input"
                        data-testid="editor"
                        aria-label=move || fill(t().editing, &[&path.get()])
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        node_ref=area_ref
                        prop:value=move || text.get()
                        on:input=on_input
                        on:keydown=on_keydown
                        on:scroll=on_scroll
                    ></textarea>
                </div>
            </div>
            <ul class="lab-editor__problems" data-testid="problems" aria-label=move || t().problems>
                {move || {
                    let items = problems();
                    if items.is_empty() {
                        return view! { <li class="lab-editor__ok">{t().no_problems}</li> }.into_any();
                    }
                    items
                        .into_iter()
                        .map(|d| {
                            let (line, column) = (d.line, d.column);
                            let class = if d.note { "lab-problem lab-problem--note" } else { "lab-problem lab-problem--error" };
                            let label = if d.note { t().note } else { t().error };
                            view! {
                                <li class=class>
                                    <button type="button" on:click=move |_| jump_to(line, column)>
                                        <span class="lab-problem__kind">{label}</span>
                                        <span class="lab-problem__at">{format!("{line}:{column}")}</span>
                                        <span class="lab-problem__message">{d.message}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </div>
    }
}
