//! The top-level layout of the page: header, files and editor, cluster map, traffic, terminal.

use leptos::prelude::*;

use crate::engine::{spawn_worker, EngineLink};
use crate::files::FilesPanel;
use crate::header::{open_shared_link, Header};
use crate::inspector::Inspector;
use crate::map::ClusterMap;
use crate::state::{storage, LabState, LeftTab};
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
    open_shared_link(state, link);
    view! {
        <Header />
        <main class="lab-main">
            <LeftColumn />
            <div class="lab-right">
                <ClusterMap />
                <TrafficPanel />
                <Terminal />
            </div>
        </main>
    }
}

/// Files and the inspector, one at a time, as tabs (both stay mounted, so no edit is lost).
#[component]
fn LeftColumn() -> impl IntoView {
    let state = expect_context::<LabState>();
    let tab = state.left_tab;
    let tab_button = move |which: LeftTab, label: &'static str, id: &'static str| {
        view! {
            <button type="button" role="tab" id=id
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>{label}</button>
        }
    };
    view! {
        <section class="lab-panel lab-left" aria-label="Files and inspector">
            <header class="lab-panel__header" role="tablist">
                {tab_button(LeftTab::Files, "Files", "tab-files")}
                {tab_button(LeftTab::Inspector, "Inspector", "tab-inspector")}
            </header>
            <div class="lab-left__body" role="tabpanel" aria-labelledby="tab-files" hidden=move || tab.get() != LeftTab::Files>
                <FilesPanel />
            </div>
            <div class="lab-left__body" role="tabpanel" aria-labelledby="tab-inspector" hidden=move || tab.get() != LeftTab::Inspector>
                <Inspector />
            </div>
        </section>
    }
}
