//! The last traced request: each hop with the rules it matched, each rule a link to its chain
//! in the inspector.

use leptos::prelude::*;

use crate::i18n::{fill, hop_note, texts, trace_ending, Lang};
use crate::state::{LabState, Selection, TraceOrigin};

/// The trace, when there is one. `scope` prefixes its test ids, for a second copy in the
/// lesson panel.
#[component]
pub fn TraceSteps(#[prop(default = "")] scope: &'static str) -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    let lang = expect_context::<RwSignal<Lang>>();
    move || {
        let lang = lang.get();
        state.trace.get().map(|trace| {
            view! {
                <section class="lab-trace" aria-label="Packet trace" data-testid=format!("{scope}trace")>
                    <h3>{fill(t().trace, &[&trace.from, &trace.to])}</h3>
                    {match state.trace_origin.get() {
                        TraceOrigin::Button | TraceOrigin::Lesson => None,
                        TraceOrigin::ClickedDot => Some(t().trace_clicked_exact),
                        TraceOrigin::LikeClickedDot => Some(t().trace_clicked),
                    }.map(|note| view! { <p class="lab-muted lab-trace__note">{note}</p> })}
                    {trace.error.clone().map(|e| view! { <p class="lab-error">{e}</p> })}
                    <ol class="lab-trace__hops">
                        {trace.hops.into_iter().map(|hop| {
                            let place = hop.place.clone();
                            view! {
                                <li class="lab-trace__hop">
                                    <div><strong>{hop.place.clone()}</strong>" · "{hop_note(lang, &hop.note)}</div>
                                    <div class="lab-mono lab-muted">{hop.packet.clone()}</div>
                                    <ul class="lab-trace__rules">
                                        {hop.rules.into_iter().map(|rule| {
                                            let node = place.clone();
                                            let chain = rule.chain.clone();
                                            let nat = rule.table == "nat";
                                            let label = format!("{} {} #{}", rule.table, rule.chain, if rule.rule == 0 { "policy".to_owned() } else { rule.rule.to_string() });
                                            view! {
                                                <li>
                                                    <button type="button" class="lab-trace__rule" prop:disabled=!nat
                                                        title=t().show_chain
                                                        on:click=move |_| state.selection.set(Some(Selection::Chain { node: node.clone(), chain: chain.clone() }))>
                                                        <span class="lab-trace__where">{label}</span>
                                                        <code>{rule.text}</code>
                                                    </button>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <p class="lab-trace__ending" data-testid=format!("{scope}trace-ending")>{trace_ending(lang, &trace.ending)}</p>
                </section>
            }
        })
    }
}
