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

use crate::state::LabState;
use canvas::Sky;

/// The canvas over the map's body (`container`), animating each traffic batch.
#[component]
pub fn FlowLayer(container: NodeRef<leptos::html::Div>) -> impl IntoView {
    let state = expect_context::<LabState>();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let sky = Rc::new(RefCell::new(Sky::default()));
    let sky_for_effect = Rc::clone(&sky);
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
