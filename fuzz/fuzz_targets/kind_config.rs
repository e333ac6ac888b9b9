//! Any text given to `kind create cluster --config` parses, validates and lays out without a
//! panic: it either builds a plan or returns kind's error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use svclab_sim::kind::{plan_create, CreateRequest};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let existing = vec!["kind".to_string()];
    let result = plan_create(&CreateRequest {
        config_yaml: Some(text),
        name_flag: None,
        env_cluster_name: None,
        image_flag: None,
        existing_clusters: &existing,
    });
    if let Err(e) = result {
        let _ = e.cli_message();
    }
});
