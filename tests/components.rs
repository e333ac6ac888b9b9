//! Component tests: mount the page's components in headless Chromium, with the real engine
//! answering in-process (the page runs it in a Web Worker), and read the DOM.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use service_lab::engine::EngineLink;
use service_lab::state::{storage, LabState};
use service_lab::Lab;
use svclab_engine::Engine;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element attached to the test page's body, to mount a component into.
fn new_host() -> web_sys::HtmlElement {
    let document = document();
    let host: web_sys::HtmlElement = document
        .create_element("div")
        .expect("create a host element")
        .unchecked_into();
    document
        .body()
        .expect("the test page has a body")
        .append_child(&host)
        .expect("attach the host element");
    host
}

/// Mounts the lab with the engine answering in-process; returns the host element.
fn mount_lab() -> web_sys::HtmlElement {
    mount_lab_with(storage::fresh(service_lab::DEFAULT_SEED))
}

/// Mounts the lab on a saved lab (seed, files, journal).
fn mount_lab_with(saved: svclab_protocol::Seeded) -> web_sys::HtmlElement {
    storage::clear();
    let host = new_host();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let state = LabState::new();
        let engine = Rc::new(RefCell::new(Engine::default()));
        let link = EngineLink::new(
            move |request| {
                for reply in engine.borrow_mut().handle(request) {
                    state.apply(reply);
                }
            },
            saved.clone(),
        );
        view! { <Lab state=state link=link /> }
    });
    handle.forget();
    host
}

fn find(host: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    host.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no {selector} on the page"))
}

fn text(host: &web_sys::HtmlElement, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

/// Types a line into the terminal's input as a person would: set the text, fire `input`,
/// press Enter.
fn type_line(host: &web_sys::HtmlElement, line: &str) {
    let input: web_sys::HtmlInputElement =
        find(host, "[data-testid=terminal-input]").unchecked_into();
    input.set_value(line);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("input event");
    input.dispatch_event(&event).expect("dispatch input");
    let keys = web_sys::KeyboardEventInit::new();
    keys.set_key("Enter");
    keys.set_bubbles(true);
    let enter = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &keys)
        .expect("keydown event");
    input.dispatch_event(&enter).expect("dispatch Enter");
}

#[wasm_bindgen_test]
async fn the_header_shows_the_simulator_version_once_the_engine_runs() {
    let host = mount_lab();
    leptos::task::tick().await;
    assert_eq!(text(&host, "h1"), "Service Lab");
    let version = text(&host, "[data-testid=sim-version]");
    assert!(
        version.starts_with("simulator v") && version.ends_with(svclab_sim::VERSION),
        "version badge reads {version:?}"
    );
    assert_eq!(text(&host, "[data-testid=seed]"), "seed 1");
}

#[wasm_bindgen_test]
async fn the_terminal_runs_kind_and_kubectl_and_the_map_shows_the_nodes() {
    let host = mount_lab();
    type_line(
        &host,
        "kind create cluster --name service-demo --config=./manifests/kind-config.yaml",
    );
    type_line(&host, "kubectl get nodes");
    leptos::task::tick().await;
    let out = text(&host, "[data-testid=terminal-output]");
    assert!(
        out.contains("Set kubectl context to \"kind-service-demo\""),
        "{out}"
    );
    assert!(
        out.contains("$ kubectl get nodes"),
        "the line is echoed: {out}"
    );
    assert!(out.contains("service-demo-worker2"), "{out}");
    assert_eq!(text(&host, "[data-testid=terminal-prompt]"), "$ ");
    let nodes = host
        .query_selector_all("[data-testid=node]")
        .expect("query nodes")
        .length();
    assert_eq!(nodes, 3);
}

#[wasm_bindgen_test]
async fn the_editor_shows_a_broken_manifest_at_its_line_and_column() {
    let host = mount_lab();
    leptos::task::tick().await;
    let area: web_sys::HtmlTextAreaElement = find(&host, "[data-testid=editor]").unchecked_into();
    // The first file is the kind config; break its indentation.
    area.set_value("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  - role: worker\n");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("input event");
    area.dispatch_event(&event).expect("dispatch input");
    // The check runs after the editor's pause.
    gloo_timers_sleep(400).await;
    let problems = text(&host, "[data-testid=problems]");
    assert!(
        problems.contains("5:"),
        "the problem is placed on line 5: {problems}"
    );
    assert!(
        problems.contains("ERROR: failed to create cluster"),
        "{problems}"
    );
}

/// Waits `ms` milliseconds of real time.
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("set a timeout");
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn a_full_journal_is_said_in_the_terminal() {
    let mut saved = storage::fresh(service_lab::DEFAULT_SEED);
    saved.journal = vec![svclab_protocol::Request::Cancel; storage::MAX_JOURNAL];
    let host = mount_lab_with(saved);
    leptos::task::tick().await;
    let notice = text(&host, "[data-testid=journal-full]");
    assert!(notice.contains("5,000"), "{notice}");
}

/// Every hop note and ending the engine writes in a range of traces (served across nodes,
/// through the ALB, from a pod, refused, dropped by a Local policy, a stopped node, no route
/// from the host) reads in Japanese; English stays as the engine wrote it.
#[wasm_bindgen_test]
fn every_trace_sentence_the_engine_writes_is_said_in_japanese() {
    use service_lab::i18n::{hop_note, trace_ending, Lang};
    use svclab_protocol::{Reply, Request};

    let mut engine = Engine::default();
    engine.handle(Request::Start(storage::fresh(service_lab::DEFAULT_SEED)));
    let mut sentences: Vec<(bool, String)> = Vec::new();
    let mut trace = |engine: &mut Engine, from: &str, to: &str| {
        let replies = engine.handle(Request::Trace {
            from: from.into(),
            to: to.into(),
        });
        let Some(Reply::Trace(trace)) = replies.first() else {
            panic!("no trace for {from} → {to}: {replies:?}");
        };
        sentences.extend(trace.hops.iter().map(|h| (true, h.note.clone())));
        sentences.push((false, trace.ending.clone()));
    };
    for line in [
        "kind create cluster --name service-demo --config=./manifests/kind-config.yaml",
        "kubectl create namespace dev",
        "kubectl apply -f ./manifests/nginx-replicaset.yaml",
        "kubectl apply -f ./manifests/nginx-service-nodeport.yaml",
        "sleep 10",
    ] {
        engine.handle(Request::Line(line.into()));
    }
    for (from, to) in [
        ("host", "172.18.0.2:30000"),
        ("host", "172.18.0.3:30000"),
        ("alb", "172.18.0.4:30000"),
        ("service-demo-worker", "nginx-service.dev:80"),
        ("host", "172.18.0.3:31999"),
        ("host", "10.96.0.1:443"),
    ] {
        trace(&mut engine, from, to);
    }
    engine.handle(Request::Line(
        "kubectl patch svc nginx-service -n dev -p '{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}'"
            .into(),
    ));
    trace(&mut engine, "host", "172.18.0.2:30000");
    engine.handle(Request::Line("docker stop service-demo-worker".into()));
    trace(&mut engine, "host", "172.18.0.3:30000");

    let distinct: std::collections::BTreeSet<&str> =
        sentences.iter().map(|(_, s)| s.as_str()).collect();
    assert!(
        distinct.len() >= 8,
        "too few kinds of sentence: {distinct:?}"
    );
    for (is_hop, english) in &sentences {
        let (en, ja) = if *is_hop {
            (hop_note(Lang::En, english), hop_note(Lang::Ja, english))
        } else {
            (
                trace_ending(Lang::En, english),
                trace_ending(Lang::Ja, english),
            )
        };
        assert_eq!(&en, english);
        assert!(
            english.is_empty() || !ja.is_ascii(),
            "not said in Japanese: {english:?} → {ja:?}"
        );
    }
}
