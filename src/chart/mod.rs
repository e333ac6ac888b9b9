//! The share chart: requests per pod as bars (plotters, canvas), the rules' expected share of
//! each as an orange mark, and the numbers beneath. Counts change often while traffic flows;
//! the bars are redrawn at most once per animation frame, the axes only when the pods or the
//! scale change.

mod draw;

pub use draw::{axis_top, Axes, Bar};

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::i18n::{fill, texts};
use crate::state::{Counters, LabState};

/// What the axes canvas shows: the axes, the canvas width and the axis title.
type DrawnAxes = (Axes, u32, &'static str);

/// The chart's height in CSS pixels.
const HEIGHT: u32 = 220;

/// Bars for the counters: each pod's observed and expected share, in percent.
pub fn bars(c: &Counters) -> Vec<Bar> {
    let answered = c.accounted().saturating_sub(c.failed).max(1) as f64;
    c.per_pod
        .iter()
        .map(|(pod, n)| Bar {
            label: short(pod),
            observed: *n as f64 * 100.0 / answered,
            expected: c
                .expected
                .iter()
                .find(|(p, _)| p == pod)
                .map(|(_, s)| s * 100.0),
        })
        .collect()
}

/// `dev/nginx-replicaset-7s86j` → `7s86j`: the part that tells pods apart, for the axis.
fn short(pod: &str) -> String {
    let name = pod.rsplit('/').next().unwrap_or(pod);
    name.rsplit('-').next().unwrap_or(name).to_owned()
}

/// The chart and the numbers.
#[component]
pub fn ShareChart() -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    let axes_ref = NodeRef::<leptos::html::Canvas>::new();
    let bars_ref = NodeRef::<leptos::html::Canvas>::new();
    let drawn_axes: Rc<RefCell<Option<DrawnAxes>>> = Rc::new(RefCell::new(None));
    let frame_pending = Rc::new(Cell::new(false));

    Effect::new(move |_| {
        // Track the counters and the language; the drawing itself waits for the next frame.
        state.counters.track();
        let y_desc = t().share_axis;
        if frame_pending.replace(true) {
            return;
        }
        let drawn_axes = Rc::clone(&drawn_axes);
        let pending = Rc::clone(&frame_pending);
        let draw = Closure::once_into_js(move || {
            pending.set(false);
            let (Some(axes_canvas), Some(bars_canvas)) =
                (axes_ref.get_untracked(), bars_ref.get_untracked())
            else {
                return;
            };
            let bars = state.counters.with_untracked(bars);
            let axes = Axes {
                labels: bars.iter().map(|b| b.label.clone()).collect(),
                top: axis_top(&bars),
            };
            let width = axes_canvas
                .parent_element()
                .map_or(400, |p| p.client_width().max(200) as u32);
            for canvas in [&axes_canvas, &bars_canvas] {
                if canvas.width() != width {
                    canvas.set_width(width);
                }
                if canvas.height() != HEIGHT {
                    canvas.set_height(HEIGHT);
                }
            }
            let key = (axes.clone(), width, y_desc);
            if drawn_axes.borrow().as_ref() != Some(&key) {
                draw::draw_axes(axes_canvas, &axes, y_desc);
                *drawn_axes.borrow_mut() = Some(key);
            }
            draw::draw_bars(bars_canvas, &axes, &bars);
        });
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(draw.unchecked_ref());
        }
    });

    view! {
        <div class="lab-chart__plot" aria-hidden="true">
            <canvas node_ref=axes_ref></canvas>
            <canvas class="lab-chart__bars" node_ref=bars_ref></canvas>
        </div>
        <ul class="lab-chart" aria-label=move || t().requests_per_pod data-testid="share-chart" tabindex="0">
            {move || state.counters.with(|c| {
                bars(c).into_iter().zip(c.per_pod.iter()).map(|(b, (pod, n))| {
                    let label = match b.expected {
                        Some(e) => fill(t().rules_share, &[&n.to_string(), &format!("{:.1}", b.observed), &format!("{e:.1}")]),
                        None => format!("{n} ({:.1}%)", b.observed),
                    };
                    view! {
                        <li class="lab-chart__row">
                            <span class="lab-chart__pod">{pod.rsplit('/').next().unwrap_or(pod).to_owned()}</span>
                            <span class="lab-chart__value">{label}</span>
                        </li>
                    }
                }).collect_view()
            })}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_shares_of_the_answered_requests() {
        let mut c = Counters::default();
        c.add(&svclab_protocol::TrafficView {
            sent: 5,
            per_pod: vec![("dev/web-a1b2c".into(), 3), ("dev/web-d3e4f".into(), 1)],
            timed_out: 1,
            expected: vec![("dev/web-a1b2c".into(), 0.5), ("dev/web-d3e4f".into(), 0.5)],
            ..Default::default()
        });
        let b = bars(&c);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].label, "a1b2c");
        assert!((b[0].observed - 75.0).abs() < 1e-9);
        assert_eq!(b[1].expected, Some(50.0));
    }
}
