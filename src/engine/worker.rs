//! The engine as a Web Worker (`engine_loader.js`, built by Trunk from `crates/engine`). It is
//! fetched after the page's first paint; requests wait in a queue until it says `Listening`.
//! Ctrl-C on a command still running ends the worker and starts a new one on the journal.

use std::cell::RefCell;
use std::rc::Rc;

use svclab_protocol::{decode, encode, Reply, Request, Seeded};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use super::EngineLink;
use crate::state::LabState;

/// The worker's script, beside index.html (relative, so the lab works under any base path).
const WORKER_SCRIPT: &str = "./engine_loader.js";

struct Connection {
    worker: Option<Worker>,
    listening: bool,
    queue: Vec<String>,
}

type Shared = Rc<RefCell<Connection>>;

/// Starts the worker and returns the link to it; replies go into `state`.
pub fn spawn_worker(state: LabState, lab: Seeded) -> EngineLink {
    let connection: Shared = Rc::new(RefCell::new(Connection {
        worker: None,
        listening: false,
        queue: Vec::new(),
    }));
    start(&connection, state);
    let post = {
        let connection = Rc::clone(&connection);
        move |request: Request| {
            let text = encode(&request);
            let mut c = connection.borrow_mut();
            match (&c.worker, c.listening) {
                (Some(worker), true) => {
                    let _ = worker.post_message(&JsValue::from_str(&text));
                }
                _ => c.queue.push(text),
            }
        }
    };
    let restart = move || {
        {
            let mut c = connection.borrow_mut();
            if let Some(worker) = c.worker.take() {
                worker.terminate();
            }
            c.listening = false;
            c.queue.clear();
        }
        start(&connection, state);
    };
    EngineLink::new(post, lab).with_restart(restart)
}

/// A new worker on `connection`, its replies going into `state`.
fn start(connection: &Shared, state: LabState) {
    match Worker::new(WORKER_SCRIPT) {
        Ok(worker) => {
            let on_message = {
                let connection = Rc::clone(connection);
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
            // The handler lives as long as the page (a restarted worker's old one is unused).
            on_message.forget();
            connection.borrow_mut().worker = Some(worker);
        }
        Err(e) => state.apply(Reply::Error(format!(
            "the engine could not start: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        ))),
    }
}

fn flush(connection: &Shared) {
    let mut c = connection.borrow_mut();
    c.listening = true;
    let queued = std::mem::take(&mut c.queue);
    if let Some(worker) = &c.worker {
        for text in queued {
            let _ = worker.post_message(&JsValue::from_str(&text));
        }
    }
}
