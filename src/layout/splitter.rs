//! A draggable split between two panels, also moved with the arrow keys (a `separator` for
//! assistive technology, with its value in percent).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Which way the split runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Between columns: dragging moves it left and right.
    Columns,
    /// Between rows: dragging moves it up and down.
    Rows,
}

/// Keyboard steps move the split by this many percent.
const STEP: f64 = 2.0;

/// The split. `value` is the size in percent of the first panel for columns, of the second
/// (the terminal) for rows; `to_value` turns a pointer position, as a fraction of the parent,
/// into that value.
#[component]
pub fn Splitter(
    /// Which way it runs.
    direction: Direction,
    /// Its value, in percent.
    value: Signal<f64>,
    /// Sets the value (already clamped by the caller).
    on_change: Callback<f64>,
    /// The label for assistive technology.
    #[prop(into)]
    label: Signal<&'static str>,
) -> impl IntoView {
    let dragging = StoredValue::new(false);
    let to_value = move |fraction: f64| match direction {
        Direction::Columns => fraction * 100.0,
        Direction::Rows => (1.0 - fraction) * 100.0,
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        dragging.set_value(true);
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        if !dragging.get_value() {
            return;
        }
        let Some(parent) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.parent_element())
        else {
            return;
        };
        let r = parent.get_bounding_client_rect();
        let fraction = match direction {
            Direction::Columns => (f64::from(ev.client_x()) - r.left()) / r.width().max(1.0),
            Direction::Rows => (f64::from(ev.client_y()) - r.top()) / r.height().max(1.0),
        };
        on_change.run(to_value(fraction));
    };
    let on_up = move |_| dragging.set_value(false);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let delta = match (direction, ev.key().as_str()) {
            (Direction::Columns, "ArrowLeft") | (Direction::Rows, "ArrowDown") => -STEP,
            (Direction::Columns, "ArrowRight") | (Direction::Rows, "ArrowUp") => STEP,
            _ => return,
        };
        ev.prevent_default();
        on_change.run(value.get_untracked() + delta);
    };
    let (class, orientation) = match direction {
        Direction::Columns => ("lab-splitter lab-splitter--columns", "vertical"),
        Direction::Rows => ("lab-splitter lab-splitter--rows", "horizontal"),
    };
    view! {
        <div class=class role="separator" tabindex="0" aria-orientation=orientation
            aria-label=move || label.get()
            aria-valuenow=move || format!("{:.0}", value.get()) aria-valuemin="0" aria-valuemax="100"
            on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up
            on:keydown=on_key></div>
    }
}
