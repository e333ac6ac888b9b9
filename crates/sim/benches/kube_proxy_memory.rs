//! Heap held by one node's kube-proxy state at 10,000 Services x 15 endpoints: the generated
//! rule set plus the nat and filter tables it was applied to. Counted by a global allocator
//! that tracks live bytes, so it measures exactly what the simulator keeps, not the OS's view.
//!
//! Run with `cargo bench -p svclab-sim --bench kube_proxy_memory` (prints, does not time).

mod common;

use std::sync::atomic::Ordering;

mod counting_alloc;

use counting_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    for (label, nodeport_every) in [("clusterip", None), ("nodeport_mix", Some(5))] {
        let services = common::services(10_000, nodeport_every);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let (rules, filter, nat) = common::full_sync(&services);
        let after_sync = LIVE.load(Ordering::Relaxed);
        let peak = PEAK.load(Ordering::Relaxed);
        drop(rules);
        let tables_only = LIVE.load(Ordering::Relaxed);
        let rule_count: usize = [&filter, &nat]
            .iter()
            .flat_map(|t| t.chains())
            .map(|c| c.rules.len())
            .sum();
        let chain_count: usize = [&filter, &nat].iter().map(|t| t.chains().count()).sum();
        println!(
            "{label} 10000x{}: {rule_count} rules in {chain_count} chains; held {:.1} MiB \
             (tables {:.1} MiB, ProxyRules {:.1} MiB), peak during sync {:.1} MiB, \
             {:.0} bytes/rule",
            common::ENDPOINTS,
            mib(after_sync - before),
            mib(tables_only - before),
            mib(after_sync - tables_only),
            mib(peak - before),
            (after_sync - before) as f64 / rule_count.max(1) as f64,
        );
        drop((filter, nat));
    }
}
