//! The engine as a Web Worker (`engine_loader.js`, built by Trunk from `crates/engine`). It is
//! fetched after the page's first paint; requests wait in a queue until it says `Listening`.

use std::cell::RefCell;
use std::rc::Rc;

use svclab_protocol::{decode, encode, Reply, Request};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use super::EngineLink;
use crate::state::LabState;
use svclab_protocol::Seeded;

/// The worker's script, beside index.html (relative, so the lab works under any base path).
const WORKER_SCRIPT: &str = "./engine_loader.js";

struct Connection {
    worker: Option<Worker>,
    listening: bool,
    queue: Vec<String>,
}

/// Starts the worker and returns the link to it; replies go into `state`.
pub fn spawn_worker(state: LabState, lab: Seeded) -> EngineLink {
    let connection = Rc::new(RefCell::new(Connection {
        worker: None,
        listening: false,
        queue: Vec::new(),
    }));
    match Worker::new(WORKER_SCRIPT) {
        Ok(worker) => {
            let on_message = {
                let connection = Rc::clone(&connection);
                Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    let text = event.data().as_string().unwrap_or_default();
                    match decode::<Reply>(&text) {
                        Ok(Reply::Listening) => flush(&connection),
                        Ok(reply) => state.apply(reply),
                        Err(e) => state.apply(Reply::Error(e)),
                    }
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            // The handler lives as long as the page.
            on_message.forget();
            connection.borrow_mut().worker = Some(worker);
        }
        Err(e) => state.apply(Reply::Error(format!(
            "the engine could not start: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        ))),
    }
    let post = move |request: Request| {
        let text = encode(&request);
        let mut c = connection.borrow_mut();
        match (&c.worker, c.listening) {
            (Some(worker), true) => {
                let _ = worker.post_message(&JsValue::from_str(&text));
            }
            _ => c.queue.push(text),
        }
    };
    EngineLink::new(post, lab)
}

fn flush(connection: &Rc<RefCell<Connection>>) {
    let mut c = connection.borrow_mut();
    c.listening = true;
    let queued = std::mem::take(&mut c.queue);
    if let Some(worker) = &c.worker {
        for text in queued {
            let _ = worker.post_message(&JsValue::from_str(&text));
        }
    }
}
