//! Component tests: mount the page's components in headless Chromium and read the DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use service_lab::App;
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

/// Mounts `App` into a fresh element and returns that element.
fn mount_app() -> web_sys::HtmlElement {
    let host = new_host();
    let handle = leptos::mount::mount_to(host.clone(), App);
    handle.forget();
    host
}

#[wasm_bindgen_test]
fn app_names_the_lab_and_the_simulator_version() {
    let host = mount_app();
    let title = host
        .query_selector("h1")
        .expect("query h1")
        .expect("the page has an h1");
    assert_eq!(title.text_content().as_deref(), Some("Service Lab"));
    let version = host
        .query_selector("[data-testid=sim-version]")
        .expect("query the version")
        .expect("the page shows the simulator version");
    let text = version.text_content().unwrap_or_default();
    assert!(
        text.ends_with(svclab_sim::VERSION),
        "version badge reads {text:?}"
    );
}

/// Types a line into the terminal's input as a person would: set the text, fire `input`,
/// press Enter.
fn type_line(host: &web_sys::HtmlElement, line: &str) {
    let input: web_sys::HtmlInputElement = host
        .query_selector("[data-testid=terminal-input]")
        .expect("query the input")
        .expect("the terminal has an input")
        .unchecked_into();
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
async fn the_terminal_runs_kind_and_kubectl_in_the_browser() {
    use svclab_terminal::session::Session;
    let host = new_host();
    let session = StoredValue::new_local(Session::new(1, service_lab::article::workspace()));
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <service_lab::terminal::Terminal session=session /> }
    });
    handle.forget();
    type_line(
        &host,
        "kind create cluster --name service-demo --config=./manifests/kind-config.yaml",
    );
    type_line(&host, "kubectl get nodes");
    leptos::task::tick().await;
    let text = host
        .query_selector("[data-testid=terminal-output]")
        .expect("query the output")
        .expect("the terminal has output")
        .text_content()
        .unwrap_or_default();
    assert!(
        text.contains("Set kubectl context to \"kind-service-demo\""),
        "{text}"
    );
    assert!(text.contains("service-demo-worker2"), "{text}");
    let prompt = host
        .query_selector("[data-testid=terminal-prompt]")
        .expect("query the prompt")
        .expect("a prompt")
        .text_content();
    assert_eq!(prompt.as_deref(), Some("$ "));
}
