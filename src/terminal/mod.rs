//! The terminal panel: a view over the engine's terminal session. Each line typed is sent to
//! the engine, whose output is shown as the real tools print it.

mod edit_dialog;
mod lines;

pub use edit_dialog::EditDialog;
pub use lines::{append_output, Line, LineKind};

use leptos::prelude::*;
use svclab_protocol::Request;

use crate::engine::EngineLink;
use crate::i18n::texts;
use crate::state::LabState;

/// Sends a command line as if typed (the page's buttons use this, so the learner sees the
/// command they stand for).
pub fn run_command(link: EngineLink, state: LabState, line: &str) {
    state.pending_lines.update(|p| p.push(line.to_owned()));
    link.send(Request::Line(line.to_owned()));
}

/// The terminal: scrollback, a prompt and an input line, with history on ↑/↓, Tab completion,
/// Ctrl-C, and multi-line paste.
#[component]
pub fn Terminal() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let t = texts();
    let (input, set_input) = signal(String::new());
    // Where ↑/↓ is in the history: None = editing a new line.
    let history_pos = StoredValue::new(None::<usize>);
    let scroll_ref = NodeRef::<leptos::html::Div>::new();

    // Keep the newest output in view.
    Effect::new(move |_| {
        state.lines.track();
        if let Some(el) = scroll_ref.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    // A completion that answers what is still typed is applied, as bash does on Tab.
    Effect::new(move |_| {
        let Some((typed, start, candidates)) = state.completion.get() else {
            return;
        };
        if typed != input.get_untracked() {
            return;
        }
        match candidates.as_slice() {
            [] => {}
            [only] => {
                let head = typed.get(..start).unwrap_or("");
                set_input.set(format!("{head}{only} "));
            }
            many => {
                // Like bash on a second Tab: list the choices under the prompt line.
                let listed = many.join("  ");
                state.lines.update(|all| {
                    all.push(Line::input(&state.prompt.get_untracked(), &typed));
                    all.push(Line {
                        kind: LineKind::Stdout,
                        text: listed,
                    });
                });
            }
        }
    });

    let submit = move |line: String| {
        history_pos.set_value(None);
        run_command(link, state, &line);
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            let line = input.get_untracked();
            set_input.set(String::new());
            submit(line);
        }
        "ArrowUp" | "ArrowDown" => {
            ev.prevent_default();
            let history = state.history.get_untracked();
            let up = ev.key() == "ArrowUp";
            let next = lines::step_history(history_pos.get_value(), history.len(), up);
            history_pos.set_value(next);
            set_input.set(
                next.and_then(|i| history.get(i).cloned())
                    .unwrap_or_default(),
            );
        }
        "Tab" => {
            ev.prevent_default();
            link.send(Request::Complete(input.get_untracked()));
        }
        "c" if ev.ctrl_key() => {
            ev.prevent_default();
            let running = state.pending_lines.get_untracked();
            if running.is_empty() {
                state.lines.update(|all| {
                    all.push(Line::input(
                        &state.prompt.get_untracked(),
                        &format!("{}^C", input.get_untracked()),
                    ))
                });
                set_input.set(String::new());
                link.send(Request::Cancel);
            } else {
                // A command is still running: the engine starts again without it, and the
                // replayed transcript replaces the scrollback, ending with the interrupted line.
                let shown = format!("{}^C", running.first().cloned().unwrap_or_default());
                state.pending_lines.set(Vec::new());
                state.lines.set(Vec::new());
                state
                    .interrupted
                    .set(Some(Line::input(&state.prompt.get_untracked(), &shown)));
                link.interrupt(running.len());
            }
        }
        "l" if ev.ctrl_key() => {
            ev.prevent_default();
            state.lines.set(Vec::new());
        }
        _ => {}
    };

    // A pasted block runs line by line, as a terminal feeds it to bash.
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        if !text.contains('\n') {
            return;
        }
        ev.prevent_default();
        let text = format!("{}{}", input.get_untracked(), text.replace("\r\n", "\n"));
        set_input.set(String::new());
        let mut parts: Vec<&str> = text.split('\n').collect();
        // The last piece has no newline yet: it stays in the input, as in a terminal.
        let rest = parts.pop().unwrap_or("");
        for line in parts {
            submit(line.to_owned());
        }
        set_input.set(rest.to_owned());
    };

    view! {
        <section class="lab-terminal" class:lab-focus=move || state.focus.get().as_deref() == Some("terminal")
            aria-label=move || t().terminal>
            <div class="lab-terminal__scroll" role="log" aria-live="polite" data-testid="terminal-output" tabindex="0" node_ref=scroll_ref>
                <For each=move || state.lines.get().into_iter().enumerate() key=|(i, line)| (*i, line.text.clone()) let((_, line))>
                    <div class=line.kind.class()>{line.text}</div>
                </For>
            </div>
            {move || link.journal_full().then(|| view! {
                <p class="lab-terminal__notice" role="status" data-testid="journal-full">{t().journal_full}</p>
            })}
            <label class="lab-terminal__input">
                <span class="lab-terminal__prompt" data-testid="terminal-prompt">{move || state.prompt.get()}</span>
                <input
                    type="text"
                    data-testid="terminal-input"
                    aria-label=move || t().command
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    prop:value=input
                    prop:disabled=move || state.editing.get().is_some()
                    on:input=move |ev| set_input.set(event_target_value(&ev))
                    on:keydown=on_keydown
                    on:paste=on_paste
                />
            </label>
        </section>
    }
}
