//! Traffic controls and counters: send requests from a source to a target through the
//! simulated data path, and compare each pod's observed share with the rules' expected one.

mod targets;

use leptos::prelude::*;
use svclab_protocol::Request;

use crate::engine::EngineLink;
use crate::state::{Counters, LabState};
use targets::{sources, targets};

/// The batch sizes offered.
const BATCHES: [u32; 4] = [1, 10, 100, 1000];

/// The traffic panel.
#[component]
pub fn TrafficPanel() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let source = RwSignal::new("host".to_owned());
    let target = RwSignal::new(String::new());
    let all_sources = move || state.view.with(sources);
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
    };

    view! {
        <section class="lab-panel lab-traffic" aria-label="Traffic">
            <header class="lab-panel__header">
                <h2>"Traffic"</h2>
                <Totals />
                <div class="lab-traffic__controls">
                    <label>"from "
                        <select data-testid="traffic-source" on:change=move |ev| source.set(event_target_value(&ev)) prop:value=move || source.get()>
                            {move || all_sources().into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>" to "
                        <select data-testid="traffic-target" on:change=move |ev| target.set(event_target_value(&ev)) prop:value=move || target.get()>
                            {move || all_targets().into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <span class="lab-traffic__send" role="group" aria-label="Send requests">
                        "send "
                        {BATCHES.into_iter().map(|n| view! {
                            <button type="button" data-testid=format!("send-{n}") on:click=move |_| send(n)
                                aria-label=format!("Send {n} requests")
                                prop:disabled=move || target.get().is_empty()>{n.to_string()}</button>
                        }).collect_view()}
                    </span>
                    <button type="button" data-testid="trace-one" prop:disabled=move || target.get().is_empty()
                        title="Send one request and follow it through the chains (shown in the inspector)"
                        on:click=move |_| link.send(Request::Trace { from: source.get_untracked(), to: target.get_untracked() })>"Trace one"</button>
                    <button type="button" data-testid="reset-counters" on:click=move |_| state.counters.set(Counters::default())>"Reset"</button>
                </div>
            </header>
            {move || state.traffic_error.get().map(|e| view! { <p class="lab-error" role="alert">{e}</p> })}
            <ShareChart />
        </section>
    }
}

#[component]
fn Totals() -> impl IntoView {
    let state = expect_context::<LabState>();
    view! {
        <span class="lab-traffic__totals" data-testid="traffic-totals">
            {move || state.counters.with(|c| {
                format!(
                    "sent {} = {} answered + {} failed",
                    c.sent,
                    c.accounted() - c.failed,
                    c.failed
                )
            })}
        </span>
    }
}

/// Requests per pod as bars, with the share the rules give each pod as a marker.
#[component]
fn ShareChart() -> impl IntoView {
    let state = expect_context::<LabState>();
    view! {
        <ul class="lab-chart" aria-label="Requests per pod" data-testid="share-chart" tabindex="0">
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
                        Some(e) => format!("{n} ({:.1}% · rules {:.1}%)", observed * 100.0, e * 100.0),
                        None => format!("{n} ({:.1}%)", observed * 100.0),
                    };
                    view! {
                        <li class="lab-chart__row">
                            <span class="lab-chart__pod">{pod.rsplit('/').next().unwrap_or(pod).to_owned()}</span>
                            <span class="lab-chart__track">
                                <span class="lab-chart__bar" style:width=bar></span>
                                {marker.map(|m| view! { <span class="lab-chart__expected" style:left=m title="expected share from the KUBE-SVC chain"></span> })}
                            </span>
                            <span class="lab-chart__value">{label}</span>
                        </li>
                    }
                }).collect_view()
            })}
        </ul>
    }
}
