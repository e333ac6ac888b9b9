//! The terminal panel: a view over a `svclab_terminal::session::Session`. It holds no logic of
//! its own: each line typed goes to the session, whose output is shown as the real tools
//! print it.

mod lines;

pub use lines::{Line, LineKind};

use leptos::prelude::*;
use svclab_terminal::io::Stream;
use svclab_terminal::session::Session;
use svclab_terminal::shell::CLEAR_SCREEN;

/// The terminal: scrollback, a prompt and an input line, with history on ↑/↓.
#[component]
pub fn Terminal(
    /// The session the terminal types into.
    session: StoredValue<Session, LocalStorage>,
) -> impl IntoView {
    let (lines, set_lines) = signal(Vec::<Line>::new());
    let (prompt, set_prompt) = signal(session.with_value(|s| s.prompt()));
    let (input, set_input) = signal(String::new());
    // Where ↑/↓ is in the history: None = editing a new line.
    let history_pos = StoredValue::new(None::<usize>);

    let submit = move || {
        let line = input.get_untracked();
        set_input.set(String::new());
        history_pos.set_value(None);
        let shown_prompt = prompt.get_untracked();
        let out = session.try_update_value(|s| {
            let out = s.type_line(&line);
            set_prompt.set(s.prompt());
            out
        });
        set_lines.update(|all| {
            all.push(Line::input(&shown_prompt, &line));
            for (stream, text) in out.map(|o| o.chunks).unwrap_or_default() {
                if text.contains(CLEAR_SCREEN) {
                    all.clear();
                    continue;
                }
                let kind = match stream {
                    Stream::Stdout => LineKind::Stdout,
                    Stream::Stderr => LineKind::Stderr,
                };
                all.extend(Line::split(&text, kind));
            }
            lines::trim_scrollback(all);
        });
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            submit();
        }
        "ArrowUp" | "ArrowDown" => {
            ev.prevent_default();
            let history = session.with_value(|s| s.history());
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
            let typed = input.get_untracked();
            let completion = session.with_value(|s| svclab_terminal::complete::complete(s, &typed));
            match completion.candidates.as_slice() {
                [] => {}
                [only] => {
                    let head = typed.get(..completion.start).unwrap_or("");
                    set_input.set(format!("{head}{only} "));
                }
                many => {
                    // Like bash on a second Tab: list the choices under the prompt line.
                    let listed = many.join("  ");
                    set_lines.update(|all| {
                        all.push(Line::input(&prompt.get_untracked(), &typed));
                        all.push(Line {
                            kind: LineKind::Stdout,
                            text: listed,
                        });
                    });
                }
            }
        }
        "c" if ev.ctrl_key() => {
            ev.prevent_default();
            session.update_value(|s| s.cancel());
            set_lines.update(|all| {
                all.push(Line::input(
                    &prompt.get_untracked(),
                    &format!("{}^C", input.get_untracked()),
                ))
            });
            set_input.set(String::new());
            set_prompt.set(session.with_value(|s| s.prompt()));
        }
        _ => {}
    };

    view! {
        <section class="lab-terminal" aria-label="Terminal">
            <div class="lab-terminal__scroll" role="log" aria-live="polite" data-testid="terminal-output">
                <For each=move || lines.get().into_iter().enumerate() key=|(i, _)| *i let((_, line))>
                    <div class=line.kind.class()>{line.text}</div>
                </For>
            </div>
            <label class="lab-terminal__input">
                <span class="lab-terminal__prompt" data-testid="terminal-prompt">{prompt}</span>
                <input
                    type="text"
                    data-testid="terminal-input"
                    aria-label="Command"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=input
                    on:input=move |ev| set_input.set(event_target_value(&ev))
                    on:keydown=on_keydown
                />
            </label>
        </section>
    }
}
