//! The top-level layout of the page: header, files and editor, cluster map, traffic, terminal.

use leptos::prelude::*;

use crate::engine::{spawn_worker, EngineLink};
use crate::files::FilesPanel;
use crate::map::ClusterMap;
use crate::state::{storage, LabState};
use crate::terminal::Terminal;
use crate::traffic::TrafficPanel;

/// The seed a new lab gets (a class shares it; the header shows and sets it).
pub const DEFAULT_SEED: u64 = 1;

/// The page, with the engine running in its worker.
#[component]
pub fn App() -> impl IntoView {
    let state = LabState::new();
    let saved = storage::load().unwrap_or_else(|| storage::fresh(DEFAULT_SEED));
    let link = spawn_worker(state, saved);
    view! { <Lab state=state link=link /> }
}

/// The lab's layout over a given state and engine link (tests give their own link).
#[component]
pub fn Lab(state: LabState, link: EngineLink) -> impl IntoView {
    provide_context(state);
    provide_context(link);
    link.start();
    let reset = move |_| {
        let ok = window()
            .confirm_with_message("Reset the lab? The cluster, the terminal and your edits to the article's files are replaced by a fresh lab.")
            .unwrap_or(false);
        if ok {
            state.lines.set(Vec::new());
            state.diagnostics.set(Default::default());
            state.counters.set(Default::default());
            link.reset(state.seed.get_untracked());
        }
    };
    view! {
        <header class="lab-header">
            <img class="lab-header__logo" src="public/favicon.svg" alt="" width="28" height="28" />
            <h1 class="lab-header__title">"Service Lab"</h1>
            <span class="lab-header__subtitle">"ClusterIP & NodePort on kind, kube-proxy in iptables mode"</span>
            <span class="lab-header__seed" data-testid="seed">{move || format!("seed {}", state.seed.get())}</span>
            <button type="button" on:click=reset data-testid="reset-lab">"Reset lab"</button>
            <span class="lab-header__version" data-testid="sim-version">
                {move || {
                    let v = state.version.get();
                    if v.is_empty() { "loading simulator…".to_owned() } else { format!("simulator v{v}") }
                }}
            </span>
        </header>
        <main class="lab-main">
            <FilesPanel />
            <div class="lab-right">
                <ClusterMap />
                <TrafficPanel />
                <Terminal />
            </div>
        </main>
    }
}
