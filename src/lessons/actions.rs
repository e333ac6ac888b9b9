//! A lesson step's buttons that drive the page — send traffic, trace a request, show a
//! Service's `KUBE-SVC` chain — and what they produce, shown in the step itself so that the
//! learner reads the explanation and the result side by side.

use leptos::prelude::*;
use svclab_protocol::{ActionView, Request};

use super::shares::Shares;
use crate::engine::EngineLink;
use crate::i18n::{fill, texts};
use crate::inspector::{InspectionOutput, TraceSteps};
use crate::state::{LabState, Selection, TraceOrigin};

/// Which results of the step's buttons are on show. The lesson panel keeps it, so that
/// switching the language keeps them; it starts empty on every step.
#[derive(Clone, Copy)]
pub struct Shown {
    /// The pods' shares, after a traffic button.
    pub shares: RwSignal<bool>,
    /// The trace, after a trace button.
    pub traced: RwSignal<bool>,
    /// The chain (with the text whose lines it lights), or why there is none, after a chain
    /// button.
    pub chain: RwSignal<Option<Result<Option<String>, String>>>,
}

impl Shown {
    /// Nothing on show.
    pub fn new() -> Shown {
        Shown {
            shares: RwSignal::new(false),
            traced: RwSignal::new(false),
            chain: RwSignal::new(None),
        }
    }

    /// Back to nothing on show (a new step).
    pub fn clear(&self) {
        self.shares.set(false);
        self.traced.set(false);
        self.chain.set(None);
    }
}

/// The step's action buttons and their results.
#[component]
pub fn StepActions(actions: Vec<ActionView>, shown: Shown) -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let t = texts();
    let Shown {
        shares,
        traced,
        chain,
    } = shown;

    let buttons = actions
        .into_iter()
        .map(|action| {
            let label = {
                let action = action.clone();
                move || match &action {
                    ActionView::Traffic { from, to, count } => {
                        fill(t().action_traffic, &[&count.to_string(), from, to])
                    }
                    ActionView::Trace { from, to } => fill(t().action_trace, &[from, to]),
                    ActionView::Chain { node, service, .. } => {
                        fill(t().action_chain, &[service, node])
                    }
                }
            };
            let run = move |_| match action.clone() {
                ActionView::Traffic { from, to, count } => {
                    shares.set(true);
                    link.send(Request::Traffic { from, to, count });
                }
                ActionView::Trace { from, to } => {
                    traced.set(true);
                    state.trace_origin.set(TraceOrigin::Lesson);
                    link.send(Request::Trace { from, to });
                }
                ActionView::Chain { node, service, highlight } => {
                    match state.view.with_untracked(|v| v.svc_chain(&service)) {
                        Some(name) => {
                            chain.set(Some(Ok(highlight)));
                            state.selection.set(Some(Selection::Chain { node, chain: name }));
                        }
                        None => chain.set(Some(Err(fill(t().no_svc_chain, &[&service])))),
                    }
                }
            };
            view! {
                <li><button type="button" class="lab-button" data-testid="lesson-action" on:click=run>{label}</button></li>
            }
        })
        .collect_view();

    view! {
        <ul class="lab-lesson__actions">{buttons}</ul>
        <div class="lab-lesson__results">
            {move || shares.get().then(|| view! { <Shares /> })}
            {move || match chain.get() {
                Some(Ok(highlight)) => view! { <InspectionOutput scope="lesson-" highlight /> }.into_any(),
                Some(Err(e)) => view! { <p class="lab-error">{e}</p> }.into_any(),
                None => ().into_any(),
            }}
            {move || traced.get().then(|| view! { <TraceSteps scope="lesson-" /> })}
        </div>
    }
}
