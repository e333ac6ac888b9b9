//! Traffic controls and counters: send requests from a source to a target through the
//! simulated data path, and compare each pod's observed share with the rules' expected one.

mod targets;

use leptos::prelude::*;
use svclab_protocol::Request;

use crate::engine::EngineLink;
use crate::i18n::{fill, texts};
use crate::state::{Counters, LabState, LeftTab};
use targets::{sources, targets};

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
    let source = RwSignal::new("host".to_owned());
    let target = RwSignal::new(String::new());
    let all_sources = move || state.view.with(|v| sources(v, t().source_host));
    let all_targets = move || state.view.with(targets);

    // Keep a valid target selected as Services come and go.
    Effect::new(move |_| {
        let options = all_targets();
        let current = target.get_untracked();
        if !options.iter().any(|(value, _)| *value == current) {
            target.set(options.first().map(|(v, _)| v.clone()).unwrap_or_default());
        }
    });

    let send = move |count: u32| {
        let to = target.get_untracked();
        if to.is_empty() {
            return;
        }
        link.send(Request::Traffic {
            from: source.get_untracked(),
            to,
            count,
        });
        state.left_tab.set(LeftTab::Chart);
    };

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
                            <button type="button" data-testid=format!("send-{n}") on:click=move |_| send(n)
                                aria-label=move || fill(t().send_n, &[&n.to_string()])
                                prop:disabled=move || target.get().is_empty()>{n.to_string()}</button>
                        }).collect_view()}
                    </span>
                    <label>
                        <span class="lab-visually-hidden">{move || t().speed}</span>
                        <select data-testid="speed" title=move || t().speed
                            on:change=move |ev| state.speed.set(event_target_value(&ev).parse().unwrap_or(1.0))>
                            {SPEEDS.into_iter().map(|(v, label)| view! { <option value=v.to_string() selected=v == 1.0>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="button" data-testid="trace-one" prop:disabled=move || target.get().is_empty()
                        title=move || t().trace_one_title
                        on:click=move |_| link.send(Request::Trace { from: source.get_untracked(), to: target.get_untracked() })>{move || t().trace_one}</button>
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

/// Requests per pod as bars, with the share the rules give each pod as a marker.
#[component]
pub fn ShareChart() -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    view! {
        <ul class="lab-chart" aria-label=move || t().requests_per_pod data-testid="share-chart" tabindex="0">
            {move || state.counters.with(|c| {
                let total = c.accounted().saturating_sub(c.failed).max(1) as f64;
                let scale = (c.max_pod() as f64 / total).max(
                    c.expected.iter().map(|(_, s)| *s).fold(0.0, f64::max),
                ).max(0.01);
                c.per_pod.iter().map(|(pod, n)| {
                    let observed = *n as f64 / total;
                    let expected = c.expected.iter().find(|(p, _)| p == pod).map(|(_, s)| *s);
                    let bar = format!("{:.1}%", observed / scale * 100.0);
                    let marker = expected.map(|e| format!("{:.1}%", e / scale * 100.0));
                    let label = match expected {
                        Some(e) => fill(t().rules_share, &[&n.to_string(), &format!("{:.1}", observed * 100.0), &format!("{:.1}", e * 100.0)]),
                        None => format!("{n} ({:.1}%)", observed * 100.0),
                    };
                    view! {
                        <li class="lab-chart__row">
                            <span class="lab-chart__pod">{pod.rsplit('/').next().unwrap_or(pod).to_owned()}</span>
                            <span class="lab-chart__track">
                                <span class="lab-chart__bar" style:width=bar></span>
                                {marker.map(|m| view! { <span class="lab-chart__expected" style:left=m title=t().expected_title></span> })}
                            </span>
                            <span class="lab-chart__value">{label}</span>
                        </li>
                    }
                }).collect_view()
            })}
        </ul>
    }
}
