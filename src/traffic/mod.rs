//! Traffic controls and counters: send requests from a source to a target through the
//! simulated data path, and compare each pod's observed share with the rules' expected one.

mod targets;

use leptos::prelude::*;
use svclab_protocol::Request;

use crate::engine::EngineLink;
use crate::i18n::{fill, texts};
use crate::state::{Counters, LabState, LeftTab, TraceOrigin};
pub use targets::ALB_IP;
use targets::{alb_targets, sources, targets};

/// The steady rate: this many requests…
const STEADY_BATCH: u32 = 10;
/// …this often.
const STEADY_EVERY: std::time::Duration = std::time::Duration::from_millis(1000);

/// Animation speeds offered.
const SPEEDS: [(f64, &str); 4] = [(0.5, "×0.5"), (1.0, "×1"), (2.0, "×2"), (4.0, "×4")];

/// The batch sizes offered.
const BATCHES: [u32; 4] = [1, 10, 100, 1000];

/// The traffic controls: a toolbar under the map's header.
#[component]
pub fn TrafficControls() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let t = texts();
    let source = state.traffic_source;
    let target = RwSignal::new(String::new());
    let all_sources = move || {
        state
            .view
            .with(|v| sources(v, t().source_host, t().source_alb))
    };
    // From the ALB only the node port matters: it picks the worker.
    let all_targets = move || {
        if source.get() == "alb" {
            state.view.with(alb_targets)
        } else {
            state.view.with(targets)
        }
    };

    // Keep a valid target selected as Services come and go.
    Effect::new(move |_| {
        let options = all_targets();
        let current = target.get_untracked();
        if !options.iter().any(|(value, _)| *value == current) {
            target.set(options.first().map(|(v, _)| v.clone()).unwrap_or_default());
        }
    });

    // A click shows the chart, unless the lesson is open (a step shows its own shares); the
    // steady rate's ticks leave the tabs alone, so that editing or reading is not interrupted.
    let send = move |count: u32, show_chart: bool| {
        let to = target.get_untracked();
        if to.is_empty() {
            return;
        }
        link.send(Request::Traffic {
            from: source.get_untracked(),
            to,
            count,
        });
        if show_chart && state.left_tab.get_untracked() != LeftTab::Lesson {
            state.left_tab.set(LeftTab::Chart);
        }
    };

    // A steady rate: a batch every second while on, stopped when the target goes away.
    let steady = RwSignal::new(false);
    let ticker = StoredValue::new_local(None::<IntervalHandle>);
    Effect::new(move |_| {
        let on = steady.get() && !target.get().is_empty();
        if let Some(h) = ticker.get_value() {
            h.clear();
            ticker.set_value(None);
        }
        if on {
            let handle =
                set_interval_with_handle(move || send(STEADY_BATCH, false), STEADY_EVERY).ok();
            ticker.set_value(handle);
        }
    });
    on_cleanup(move || {
        if let Some(h) = ticker.get_value() {
            h.clear();
        }
    });

    view! {
        <div class="lab-traffic" role="group" aria-label=move || t().traffic>
                <div class="lab-traffic__controls">
                    <strong>{move || t().traffic}</strong>
                    <label>{move || t().from}
                        <select data-testid="traffic-source" on:change=move |ev| source.set(event_target_value(&ev)) prop:value=move || source.get()>
                            {move || all_sources().into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>{move || t().to}
                        <select data-testid="traffic-target" on:change=move |ev| target.set(event_target_value(&ev)) prop:value=move || target.get()>
                            {move || all_targets().into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <span class="lab-traffic__send">
                        {move || t().send}
                        {BATCHES.into_iter().map(|n| view! {
                            <button type="button" data-testid=format!("send-{n}") on:click=move |_| send(n, true)
                                aria-label=move || fill(t().send_n, &[&n.to_string()])
                                prop:disabled=move || target.get().is_empty()>{n.to_string()}</button>
                        }).collect_view()}
                    </span>
                    <button type="button" data-testid="steady" aria-pressed=move || steady.get().to_string()
                        prop:disabled=move || target.get().is_empty()
                        on:click=move |_| steady.update(|s| *s = !*s)>{move || t().steady}</button>
                    <label>
                        <span class="lab-visually-hidden">{move || t().speed}</span>
                        <select data-testid="speed" title=move || t().speed
                            on:change=move |ev| state.speed.set(event_target_value(&ev).parse().unwrap_or(1.0))>
                            {SPEEDS.into_iter().map(|(v, label)| view! { <option value=v.to_string() selected=v == 1.0>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="button" data-testid="trace-one" prop:disabled=move || target.get().is_empty()
                        title=move || t().trace_one_title
                        on:click=move |_| {
                            state.trace_origin.set(TraceOrigin::Button);
                            link.send(Request::Trace { from: source.get_untracked(), to: target.get_untracked() });
                        }>{move || t().trace_one}</button>
                    <button type="button" data-testid="reset-counters" on:click=move |_| state.counters.set(Counters::default())>{move || t().reset}</button>
                    <Totals />
                </div>
            {move || state.traffic_error.get().map(|e| view! { <p class="lab-error" role="alert">{e}</p> })}
        </div>
    }
}

/// The running totals.
#[component]
pub fn Totals() -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    view! {
        <span class="lab-traffic__totals" data-testid="traffic-totals">
            {move || state.counters.with(|c| {
                fill(
                    t().totals,
                    &[
                        &c.sent.to_string(),
                        &(c.accounted() - c.failed).to_string(),
                        &c.failed.to_string(),
                    ],
                )
            })}
        </span>
    }
}
