//! kube-proxy's iptables rules at Kubernetes' scale thresholds, on one node:
//! - `full_sync`: generate every Service's rules and apply them into fresh tables, for 1,000
//!   and 10,000 ClusterIP Services (15 endpoints each) and 10,000 with every fifth a NodePort;
//! - `incremental`: one endpoint turns Ready (or back) in one of 10,000 Services, and only that
//!   Service is regenerated and applied (kube-proxy's partial sync).
//!
//! Run with `cargo bench -p svclab-sim --bench kube_proxy_rules`.

mod common;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn full_sync(c: &mut Criterion) {
    let mut group = c.benchmark_group("full_sync");
    // A 10k sync takes about a second: ten samples keep a run within a minute.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for (label, n, nodeport_every) in [
        ("clusterip", 1_000, None),
        ("clusterip", 10_000, None),
        ("nodeport_mix", 10_000, Some(5)),
    ] {
        let services = common::services(n, nodeport_every);
        group.bench_with_input(BenchmarkId::new(label, n), &services, |b, services| {
            // Dropping a node's tables is not part of a sync: keep it out of the timing.
            b.iter_with_large_drop(|| common::full_sync(services));
        });
    }
    group.finish();
}

fn incremental(c: &mut Criterion) {
    let mut group = c.benchmark_group("incremental");
    group.sample_size(20);
    let services = common::services(10_000, Some(5));
    let (mut rules, mut filter, mut nat) = common::full_sync(&services);
    // A NodePort Service (index divisible by 5), so its KUBE-NODEPORTS entries move too.
    let mut changed = services.get(4_995).cloned().expect("10k services");
    group.bench_function("one_endpoint_ready/10000", |b| {
        b.iter(|| {
            // Flip one endpoint's readiness: each iteration is one EndpointSlice update.
            if let Some(ep) = changed.endpoints.first_mut() {
                ep.ready = !ep.ready;
                ep.serving = ep.ready;
            }
            rules.upsert(changed.clone()).expect("valid service");
            rules
                .apply(&mut filter, &mut nat, None)
                .expect("partial apply");
        });
    });
    group.finish();
}

criterion_group!(benches, full_sync, incremental);
criterion_main!(benches);
