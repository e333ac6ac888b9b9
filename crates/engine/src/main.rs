//! The engine's Web Worker: every message is a JSON [`svclab_protocol::Request`]; each answer
//! is posted back as JSON [`svclab_protocol::Reply`] texts, in order.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use svclab_engine::Engine;
    use svclab_protocol::{decode, encode, Reply, Request};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys_global();
    let engine = Rc::new(RefCell::new(Engine::default()));
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let replies = match decode::<Request>(&text) {
            Ok(request) => engine.borrow_mut().handle(request),
            Err(e) => vec![Reply::Error(e)],
        };
        for reply in replies {
            let _ = reply_scope.post_message(&JsValue::from_str(&encode(&reply)));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Tell the page the worker is listening.
    let _ = scope.post_message(&JsValue::from_str(&encode(&Reply::Listening)));

    fn js_sys_global() -> DedicatedWorkerGlobalScope {
        wasm_bindgen::JsValue::from(web_sys::js_sys::global()).unchecked_into()
    }
}

/// Natively the engine is a library (see `svclab`, the CLI); this binary only runs as a worker.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("svclab-engine runs in the browser as the page's Web Worker; use `svclab` natively");
}
