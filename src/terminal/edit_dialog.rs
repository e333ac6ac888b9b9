//! The editor `kubectl edit` opens. In a real terminal it is `vi` on
//! `/tmp/kubectl-edit-N.yaml`, taking the whole screen until it quits; here it is a dialog
//! over the page with the same buffer. "Save and quit" sends the text back (`:wq`), "Quit
//! without saving" leaves the file as it was (`:q!`); kubectl then reports in the terminal,
//! and may open the editor again with the reasons a save failed.

use leptos::prelude::*;
use svclab_protocol::Request;

use crate::engine::EngineLink;
use crate::i18n::{fill, texts};
use crate::state::LabState;

/// The dialog, shown while the engine reports an open editor.
#[component]
pub fn EditDialog() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let t = texts();
    let text_ref = NodeRef::<leptos::html::Textarea>::new();

    let close = move |saved: Option<String>| {
        state.editing.set(None);
        link.send(Request::FinishEdit(saved));
    };
    let save = move || {
        let text = text_ref.get().map(|el| el.value());
        close(text);
    };

    // The buffer goes in when the editor opens (or reopens with reasons), and takes focus.
    Effect::new(move |_| {
        let Some(editing) = state.editing.get() else {
            return;
        };
        if let Some(el) = text_ref.get() {
            el.set_value(&editing.text);
            // vi starts at the top of the file.
            let _ = el.set_selection_range(0, 0);
            el.set_scroll_top(0);
            let _ = el.focus();
        }
    });

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "s" {
            ev.prevent_default();
            save();
        }
    };

    view! {
        // Always in the page, hidden while closed, so the text area exists when it opens.
        <div class="lab-edit" role="dialog" aria-modal="true" aria-labelledby="lab-edit-title" data-testid="edit-dialog"
            hidden=move || state.editing.get().is_none()>
                <div class="lab-edit__box">
                    <h2 id="lab-edit-title" class="lab-edit__title">
                        {move || fill(t().edit_title, &[&state.editing.get().map(|e| e.file).unwrap_or_default()])}
                    </h2>
                    <p class="lab-edit__help">{move || t().edit_help}</p>
                    <textarea
                        class="lab-edit__text"
                        data-testid="edit-text"
                        aria-label=move || t().edit_title_short
                        spellcheck="false"
                        autocapitalize="off"
                        node_ref=text_ref
                        on:keydown=on_keydown
                    ></textarea>
                    <div class="lab-edit__actions">
                        <button type="button" class="lab-button lab-button--primary" data-testid="edit-save"
                            on:click=move |_| save()>{move || t().edit_save}</button>
                        <button type="button" class="lab-button" data-testid="edit-quit"
                            on:click=move |_| close(None)>{move || t().edit_quit}</button>
                    </div>
                </div>
        </div>
    }
}
