//! The header: the lab's name, its seed (settable: a class shares one), share, reset, and the
//! simulator's version.

mod share;

use leptos::prelude::*;
use svclab_protocol::{Request, Seeded};

use crate::engine::EngineLink;
use crate::state::LabState;
pub use share::{open_shared_link, ShareBar};

/// The header bar.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();

    let reset = move |_| {
        let ok = window()
            .confirm_with_message("Reset the lab? The cluster, the terminal and your edits to the article's files are replaced by a fresh lab.")
            .unwrap_or(false);
        if ok {
            clear_views(state);
            link.reset(state.seed.get_untracked());
        }
    };

    let set_seed = move |_| {
        let current = state.seed.get_untracked().to_string();
        let Ok(Some(answer)) = window().prompt_with_message_and_default(
            "Seed for a new lab (everyone using the same seed gets the same pod names, IPs and traffic split). Your files are kept; the cluster starts over.",
            &current,
        ) else {
            return;
        };
        match answer.trim().parse::<u64>() {
            Ok(seed) => {
                clear_views(state);
                link.reset_to(Seeded {
                    seed,
                    files: state.files.get_untracked(),
                    journal: Vec::new(),
                });
            }
            Err(_) => {
                let _ = window().alert_with_message(&format!(
                    "{answer:?} is not a seed: use a whole number from 0 to {}",
                    u64::MAX
                ));
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
            <span class="lab-header__subtitle">"ClusterIP & NodePort on kind, kube-proxy in iptables mode"</span>
            <button type="button" class="lab-header__seed" data-testid="seed" on:click=set_seed
                title="The seed every random choice comes from: set it to match your class">
                {move || format!("seed {}", state.seed.get())}
            </button>
            <button type="button" on:click=share data-testid="share">"Share"</button>
            <button type="button" on:click=reset data-testid="reset-lab">"Reset lab"</button>
            <span class="lab-header__version" data-testid="sim-version">
                {move || {
                    let v = state.version.get();
                    if v.is_empty() { "loading simulator…".to_owned() } else { format!("simulator v{v}") }
                }}
            </span>
        </header>
        <ShareBar />
    }
}

/// Empties what the page shows of the old lab before a new one starts.
fn clear_views(state: LabState) {
    state.lines.set(Vec::new());
    state.diagnostics.set(Default::default());
    state.counters.set(Default::default());
    state.trace.set(None);
    state.selection.set(None);
    state.inspection.set(None);
}
