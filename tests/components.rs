//! Component tests: mount the page's components in headless Chromium and read the DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use service_lab::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `App` into a fresh element and returns that element.
fn mount_app() -> web_sys::HtmlElement {
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
