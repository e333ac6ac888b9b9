//! The inspector: the selected node's kube-proxy chain with its per-rule counters, or the
//! selected object as `kubectl describe` shows it, and the last traced request hop by hop.
//! Everything shown is the output of the real command, run on a copy of the lab.

mod trace;

use leptos::prelude::*;
use svclab_protocol::Request;

use crate::engine::EngineLink;
use crate::i18n::{fill, texts};
use crate::state::{LabState, Selection};
use crate::terminal::LineKind;
pub use trace::TraceSteps;

/// The inspector panel's body.
#[component]
pub fn Inspector() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let t = texts();

    // Run the selection's command again whenever the lab changes, so counters stay live.
    Effect::new(move |_| {
        state.view.track();
        if let Some(selection) = state.selection.get() {
            link.send(Request::Inspect(selection.command()));
        }
    });

    view! {
        <div class="lab-inspector" data-testid="inspector">
            <TraceSteps />
            <ChainPicker />
            <FormatPicker />
            {move || state.inspection.with(Option::is_none).then(|| view! {
                <p class="lab-muted lab-inspector__hint">{t().inspector_hint}</p>
            })}
            <InspectionOutput />
        </div>
    }
}

/// The selection's command and what it printed, the rules the last trace matched lit.
/// `scope` prefixes its test id, for a second copy in the lesson panel.
#[component]
pub fn InspectionOutput(
    #[prop(default = "")] scope: &'static str,
    /// Also light the lines containing this text (a lesson's "look here").
    #[prop(default = None)]
    highlight: Option<String>,
) -> impl IntoView {
    let state = expect_context::<LabState>();

    // The trace's rule numbers in the chain on show, to light them up.
    let lit_rules = move || -> Vec<usize> {
        let (Some(Selection::Chain { node, chain }), Some(trace)) =
            (state.selection.get(), state.trace.get())
        else {
            return Vec::new();
        };
        trace
            .hops
            .iter()
            .filter(|h| h.place == node)
            .flat_map(|h| &h.rules)
            .filter(|r| r.table == "nat" && r.chain == chain && r.rule > 0)
            .map(|r| r.rule)
            .collect()
    };

    move || {
        state.inspection.get().map(|(command, lines)| {
            let lit = lit_rules();
            view! {
                <p class="lab-inspector__command"><code>{format!("$ {command}")}</code></p>
                <pre class="lab-inspector__output" data-testid=format!("{scope}inspection")>
                    {lines.into_iter().map(|l| {
                        let number = l.text.split_whitespace().next().and_then(|n| n.parse::<usize>().ok());
                        let hit = number.is_some_and(|n| lit.contains(&n))
                            || highlight.as_deref().is_some_and(|h| l.text.contains(h));
                        let class = match (hit, l.kind) {
                            (true, _) => "lab-inspector__line lab-inspector__line--hit",
                            (false, LineKind::Stderr) => "lab-inspector__line lab-error",
                            _ => "lab-inspector__line",
                        };
                        view! { <div class=class>{l.text}</div> }
                    }).collect_view()}
                </pre>
            }
        })
    }
}

/// For a selected object: `describe` or YAML.
#[component]
fn FormatPicker() -> impl IntoView {
    let state = expect_context::<LabState>();
    let choice = move |yaml: bool, label: &'static str| {
        let pressed = move || matches!(state.selection.get(), Some(Selection::Object { yaml: y, .. }) if y == yaml);
        view! {
            <button type="button" aria-pressed=move || pressed().to_string()
                on:click=move |_| state.selection.update(|s| {
                    if let Some(Selection::Object { yaml: y, .. }) = s {
                        *y = yaml;
                    }
                })>{label}</button>
        }
    };
    move || {
        matches!(state.selection.get(), Some(Selection::Object { .. })).then(|| {
            view! {
                <div class="lab-inspector__formats" role="group" aria-label="kubectl">
                    {choice(false, "describe")}
                    {choice(true, "-o yaml")}
                </div>
            }
        })
    }
}

/// For a selected node: its kube-proxy chains to pick from.
#[component]
fn ChainPicker() -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    let node_chains = move || {
        let Some(Selection::Chain { node, chain }) = state.selection.get() else {
            return None;
        };
        let chains = state.view.with(|v| {
            v.cluster
                .as_ref()
                .and_then(|c| c.nodes.iter().find(|n| n.name == node))
                .map(|n| n.kube_chains.clone())
                .unwrap_or_default()
        });
        Some((node, chain, chains))
    };
    move || {
        node_chains().map(|(node, current, chains)| {
            let node_for_change = node.clone();
            view! {
                <label class="lab-inspector__picker">
                    {fill(t().nat_chain, &[&node])}
                    <select data-testid="chain-picker"
                        prop:value=current
                        on:change=move |ev| state.selection.set(Some(Selection::Chain {
                            node: node_for_change.clone(),
                            chain: event_target_value(&ev),
                        }))>
                        {chains.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                    </select>
                </label>
            }
        })
    }
}
