//! Files in and out of the lab: download the open file, upload YAML files from disk. Uploaded
//! text is untrusted: it is bounded in size and only ever shown as text.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The largest file accepted from disk (the article's manifests are under 1 KB).
pub const MAX_UPLOAD: f64 = 256.0 * 1024.0;

/// Saves `text` as a download named after the path's last part.
pub fn download(path: &str, text: &str) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let href = format!(
        "data:text/yaml;charset=utf-8,{}",
        String::from(web_sys::js_sys::encode_uri_component(text))
    );
    let Ok(anchor) = document().create_element("a") else {
        return;
    };
    let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
    anchor.set_href(&href);
    anchor.set_download(name);
    anchor.click();
}

/// Reads the files chosen in `input`, calling `add(name, text)` for each readable one and
/// `refuse(name)` for each too large or not text.
pub fn read_uploads(
    input: &web_sys::HtmlInputElement,
    add: impl Fn(String, String) + 'static,
    refuse: impl Fn(String) + 'static,
) {
    let Some(list) = input.files() else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    input.set_value("");
    leptos::task::spawn_local(async move {
        for file in files {
            let name = file.name();
            if file.size() > MAX_UPLOAD {
                refuse(name);
                continue;
            }
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => match text.as_string() {
                    Some(text) => add(name, text),
                    None => refuse(name),
                },
                Err(_) => refuse(name),
            }
        }
    });
}
