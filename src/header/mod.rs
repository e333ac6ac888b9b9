//! The header: the lab's name, its seed (settable: a class shares one), share, reset, and the
//! simulator's version.

mod share;

use leptos::prelude::*;
use svclab_protocol::{Request, Seeded};

use crate::engine::EngineLink;
use crate::i18n::{fill, texts, Lang};
use crate::layout::Layout;
use crate::state::LabState;
pub use share::{open_shared_link, ShareBar};

/// The header bar.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let lang = expect_context::<RwSignal<Lang>>();
    let layout = expect_context::<RwSignal<Layout>>();
    let t = texts();

    let reset = move |_| {
        let ok = window()
            .confirm_with_message(t().reset_confirm)
            .unwrap_or(false);
        if ok {
            clear_views(state);
            link.reset(state.seed.get_untracked());
        }
    };

    let set_seed = move |_| {
        let current = state.seed.get_untracked().to_string();
        let Ok(Some(answer)) = window().prompt_with_message_and_default(t().seed_prompt, &current)
        else {
            return;
        };
        match answer.trim().parse::<u64>() {
            Ok(seed) => {
                state.diagnostics.set(Default::default());
                link.start_over(&state, seed);
            }
            Err(_) => {
                let _ =
                    window().alert_with_message(&fill(t().seed_invalid, &[&format!("{answer:?}")]));
            }
        }
    };

    let share = move |_| {
        link.send(Request::Share(Seeded {
            seed: state.seed.get_untracked(),
            files: state.files.get_untracked(),
            journal: Vec::new(),
        }));
    };

    view! {
        <header class="lab-header">
            <img class="lab-header__logo" src="public/favicon.svg" alt="" width="28" height="28" />
            <h1 class="lab-header__title">"Service Lab"</h1>
            <span class="lab-header__subtitle">{move || t().subtitle}</span>
            <button type="button" class="lab-header__seed" data-testid="seed" on:click=set_seed
                title=move || t().seed_title>
                {move || fill(t().seed, &[&state.seed.get().to_string()])}
            </button>
            <button type="button" data-testid="toggle-left"
                aria-pressed=move || (!layout.get().left_hidden).to_string()
                on:click=move |_| layout.update(|l| l.left_hidden = !l.left_hidden)>
                {move || t().left_panel}
            </button>
            <button type="button" data-testid="toggle-terminal"
                aria-pressed=move || (!layout.get().terminal_hidden).to_string()
                on:click=move |_| layout.update(|l| l.terminal_hidden = !l.terminal_hidden)>
                {move || t().terminal_panel}
            </button>
            <button type="button" data-testid="presenter"
                aria-pressed=move || layout.get().presenter.to_string()
                on:click=move |_| layout.update(|l| l.presenter = !l.presenter)>
                {move || t().presenter}
            </button>
            <button type="button" on:click=share data-testid="share">{move || t().share}</button>
            <button type="button" on:click=reset data-testid="reset-lab">{move || t().reset_lab}</button>
            <button type="button" data-testid="language" title=move || t().language_title
                lang=move || if lang.get() == Lang::En { "ja" } else { "en" }
                on:click=move |_| lang.update(|l| *l = if *l == Lang::En { Lang::Ja } else { Lang::En })>
                {move || t().language_switch}
            </button>
            <span class="lab-header__version" data-testid="sim-version">
                {move || {
                    let v = state.version.get();
                    if v.is_empty() { t().loading_simulator.to_owned() } else { fill(t().simulator, &[&v]) }
                }}
            </span>
        </header>
        <ShareBar />
    }
}

/// Empties what the page shows of the old lab before a new one starts.
fn clear_views(state: LabState) {
    state.forget_lab();
    state.diagnostics.set(Default::default());
}
