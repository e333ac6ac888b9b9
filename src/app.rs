//! The top-level layout of the page: header, files and editor, cluster map, traffic, terminal.

use leptos::prelude::*;

use crate::chart::ShareChart;
use crate::engine::{spawn_worker, EngineLink};
use crate::files::FilesPanel;
use crate::header::{open_shared_link, Header};
use crate::i18n::{texts, Lang};
use crate::inspector::Inspector;
use crate::layout::splitter::Direction;
use crate::layout::{Layout, Splitter, LEFT_MAX, LEFT_MIN, TERMINAL_MAX, TERMINAL_MIN};
use crate::lessons::LessonPanel;
use crate::map::ClusterMap;
use crate::state::{storage, LabState, LeftTab};
use crate::terminal::{EditDialog, Terminal};

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
    let lang = RwSignal::new(Lang::initial());
    provide_context(lang);
    Effect::new(move |_| lang.get().remember());
    let layout = RwSignal::new(Layout::load());
    provide_context(layout);
    Effect::new(move |_| layout.get().save());
    let t = texts();
    let left = Signal::derive(move || layout.get().left_pct);
    let terminal = Signal::derive(move || layout.get().terminal_pct);
    let hidden = move || layout.get().left_hidden;
    link.start();
    open_shared_link(state, link);
    view! {
        <Header />
        <main class="lab-main"
            class:lab-main--full=hidden
            class:lab-presenter=move || layout.get().presenter
            style=move || format!("--lab-left: {:.1}%; --lab-terminal: {:.1}%", left.get(), terminal.get())>
            <LeftColumn />
            <Show when=move || !hidden()>
                <Splitter direction=Direction::Columns value=left label=Signal::derive(move || t().resize_columns)
                    on_change=Callback::new(move |v: f64| layout.update(|l| l.left_pct = v.clamp(LEFT_MIN, LEFT_MAX))) />
            </Show>
            <div class="lab-right" class:lab-right--no-terminal=move || layout.get().terminal_hidden>
                <ClusterMap />
                <Splitter direction=Direction::Rows value=terminal label=Signal::derive(move || t().resize_rows)
                    on_change=Callback::new(move |v: f64| layout.update(|l| l.terminal_pct = v.clamp(TERMINAL_MIN, TERMINAL_MAX))) />
                <Terminal />
            </div>
        </main>
        // Over the whole page, as vi takes the terminal's screen (and shown even while the
        // terminal panel is hidden).
        <EditDialog />
    }
}

/// Files and the inspector, one at a time, as tabs (both stay mounted, so no edit is lost).
#[component]
fn LeftColumn() -> impl IntoView {
    let state = expect_context::<LabState>();
    let layout = expect_context::<RwSignal<Layout>>();
    let t = texts();
    let tab = state.left_tab;
    let tab_button = move |which: LeftTab, id: &'static str| {
        view! {
            <button type="button" role="tab" id=id
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>
                {move || match which {
                    LeftTab::Files => t().files,
                    LeftTab::Inspector => t().inspector,
                    LeftTab::Chart => t().chart,
                    LeftTab::Lesson => t().lesson,
                }}
            </button>
        }
    };
    view! {
        <section class="lab-panel lab-left" aria-label=move || t().files_and_inspector
            hidden=move || layout.get().left_hidden>
            <header class="lab-panel__header" role="tablist">
                {tab_button(LeftTab::Lesson, "tab-lesson")}
                {tab_button(LeftTab::Files, "tab-files")}
                {tab_button(LeftTab::Inspector, "tab-inspector")}
                {tab_button(LeftTab::Chart, "tab-chart")}
            </header>
            <div class="lab-left__body lab-lesson-tab" role="tabpanel" aria-labelledby="tab-lesson" hidden=move || tab.get() != LeftTab::Lesson>
                <LessonPanel />
            </div>
            <div class="lab-left__body" role="tabpanel" aria-labelledby="tab-files" hidden=move || tab.get() != LeftTab::Files>
                <FilesPanel />
            </div>
            <div class="lab-left__body" role="tabpanel" aria-labelledby="tab-inspector" hidden=move || tab.get() != LeftTab::Inspector>
                <Inspector />
            </div>
            <div class="lab-left__body lab-chart-tab" role="tabpanel" aria-labelledby="tab-chart" hidden=move || tab.get() != LeftTab::Chart>
                <p class="lab-muted lab-chart-tab__hint">{move || t().chart_hint}</p>
                <ShareChart />
            </div>
        </section>
    }
}
