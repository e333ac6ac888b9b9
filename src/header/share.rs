//! Share links: the link shown for copying, and a link's lab opened on arrival.

use leptos::prelude::*;
use svclab_protocol::Request;

use crate::engine::EngineLink;
use crate::i18n::{texts, Lang};
use crate::state::LabState;

/// The made link, ready to copy, until closed.
#[component]
pub fn ShareBar() -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    let url = move || {
        state
            .share_link
            .get()
            .map(|fragment| crate::browser::link_to(&fragment))
    };
    move || {
        url().map(|url| {
            let copy_text = url.clone();
            view! {
                <div class="lab-sharebar" role="status">
                    <label>{t().share_link_label}
                        <input type="text" readonly data-testid="share-link" prop:value=url.clone()
                            on:focus=move |ev| { event_target::<web_sys::HtmlInputElement>(&ev).select(); } />
                    </label>
                    <button type="button" on:click=move |_| {
                        let _ = window().navigator().clipboard().write_text(&copy_text);
                    }>{t().copy}</button>
                    <button type="button" aria-label=t().close on:click=move |_| state.share_link.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// On arrival with `#lab=…`, asks the engine to read the link, then opens its lab once read
/// (asking first when the learner already has work saved). The fragment is removed, so a reload
/// does not open it again over the learner's changes.
pub fn open_shared_link(state: LabState, link: EngineLink) {
    let lang = expect_context::<RwSignal<Lang>>();
    let hash = window().location().hash().unwrap_or_default();
    if hash.starts_with("#lab=") {
        link.send(Request::OpenShare(hash));
        crate::browser::clear_fragment();
    }
    Effect::new(move |_| {
        let Some(lab) = state.shared.get() else {
            return;
        };
        state.shared.set(None);
        let has_work = !link.saved().journal.is_empty();
        let ok = !has_work
            || window()
                .confirm_with_message(lang.get_untracked().texts().open_shared_confirm)
                .unwrap_or(false);
        if ok {
            state.lines.set(Vec::new());
            state.diagnostics.set(Default::default());
            link.reset_to(lab);
        }
    });
}
