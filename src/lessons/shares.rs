//! Each pod's share of the requests sent so far against the share its rules give it, as
//! compact bars inside a lesson step (the Chart tab draws the same numbers with plotters).

use leptos::prelude::*;

use crate::chart::{axis_top, bars};
use crate::i18n::{fill, texts};
use crate::state::LabState;

/// The bars: observed share as a bar, the rules' share as a mark, both numbers beside.
#[component]
pub fn Shares() -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    move || {
        let (sent, rows) = state.counters.with(|c| (c.sent, bars(c)));
        let top = axis_top(&rows).max(1.0);
        let scale = move |share: f64| format!("{:.1}%", (share / top * 100.0).clamp(0.0, 100.0));
        view! {
            <div class="lab-shares" data-testid="lesson-shares">
                <p class="lab-muted lab-shares__head">{fill(t().shares_heading, &[&sent.to_string()])}</p>
                {rows.into_iter().map(|b| {
                    let expected = b.expected.map(|e| format!("{e:.1}%")).unwrap_or_else(|| "–".into());
                    view! {
                        <div class="lab-shares__row" data-testid="share-row">
                            <span class="lab-shares__pod lab-mono">{b.label.clone()}</span>
                            <span class="lab-shares__track">
                                <span class="lab-shares__bar" style:width=scale(b.observed)></span>
                                {b.expected.map(|e| view! { <span class="lab-shares__expected" style:left=scale(e)></span> })}
                            </span>
                            <span class="lab-shares__numbers lab-mono">{format!("{:.1}% / {expected}", b.observed)}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
        }
    }
}
