//! Requests in flight on the map: each request of a traffic batch is a dot that flies from its
//! source to the kube-proxy of the node that took it, then to the pod that answered (crossing
//! to another node where the rules DNAT it there). One canvas, one animation loop, all dots in
//! one list: a batch costs one signal update, not one per dot. Past [`plan::DOT_LIMIT`] dots in
//! flight the legs are drawn as flows whose widths follow the traffic.

mod canvas;
mod plan;

pub use plan::{plan, position, Anchor, Flight, DOT_LIMIT, FLIGHT_MS, SPREAD_MS};

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::state::{LabState, LeftTab, TraceOrigin};
use canvas::{Hit, Sky};

/// The canvas over the map's body (`container`), animating each traffic batch.
#[component]
pub fn FlowLayer(container: NodeRef<leptos::html::Div>) -> impl IntoView {
    let state = expect_context::<LabState>();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let link = expect_context::<crate::engine::EngineLink>();
    let sky = Rc::new(RefCell::new(Sky::default()));
    let sky_for_effect = Rc::clone(&sky);
    // A click on a flying dot shows its request's trace (small batches carry one per
    // request); in a large batch it traces a new request with the same source and target.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(body) = container.get() else {
            return false;
        };
        let sky = Rc::clone(&sky);
        let body_for_click: web_sys::HtmlElement = body.clone().into();
        let on_click =
            Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
                let on_control = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("button, select, input, a").ok().flatten())
                    .is_some();
                if on_control {
                    return;
                }
                let r = body_for_click.get_bounding_client_rect();
                let x =
                    f64::from(ev.client_x()) - r.left() + f64::from(body_for_click.scroll_left());
                let y = f64::from(ev.client_y()) - r.top() + f64::from(body_for_click.scroll_top());
                let hit = sky.borrow().hit(x, y);
                match hit {
                    Some(Hit::Exact(trace)) => {
                        state.trace_origin.set(TraceOrigin::ClickedDot);
                        state.trace.set(Some(trace));
                        state.left_tab.set(LeftTab::Inspector);
                    }
                    Some(Hit::Like { from, to }) => {
                        state.trace_origin.set(TraceOrigin::LikeClickedDot);
                        link.send(svclab_protocol::Request::Trace { from, to });
                    }
                    None => {}
                }
            });
        let _ = body.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        // The listener lives as long as the map.
        on_click.forget();
        true
    });
    Effect::new(move |_| {
        let Some((_, batch)) = state.last_traffic.get() else {
            return;
        };
        let (Some(canvas), Some(body)) = (canvas_ref.get(), container.get()) else {
            return;
        };
        let speed = state.speed.get_untracked();
        Sky::launch(&sky_for_effect, canvas, body.into(), &batch, speed);
    });
    view! { <canvas class="lab-flow" aria-hidden="true" node_ref=canvas_ref></canvas> }
}
