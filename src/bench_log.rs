//! What the page benchmark and the browser tests read from `window`: timings in bounded arrays
//! (`svclabFrameTimes`, `svclabCheckTimes`) and where a flying dot is (`svclabDot`). Nothing
//! reads them in normal use.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, Reflect};

/// Entries kept per array, at most.
const LIMIT: u32 = 20_000;

/// Milliseconds since the page started.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Sets `window[name]` to `[x, y]`.
pub fn set_point(name: &str, x: f64, y: f64) {
    let Some(w) = web_sys::window() else { return };
    let point = Array::of2(&JsValue::from_f64(x), &JsValue::from_f64(y));
    let _ = Reflect::set(&w, &JsValue::from_str(name), &point);
}

/// Appends `ms` to `window[name]`.
pub fn record(name: &str, ms: f64) {
    let Some(w) = web_sys::window() else { return };
    let key = JsValue::from_str(name);
    let log = Reflect::get(&w, &key)
        .ok()
        .and_then(|v| v.dyn_into::<Array>().ok())
        .unwrap_or_else(|| {
            let a = Array::new();
            let _ = Reflect::set(&w, &key, &a);
            a
        });
    if log.length() < LIMIT {
        log.push(&JsValue::from_f64(ms));
    }
}
