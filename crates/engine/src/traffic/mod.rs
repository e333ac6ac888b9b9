//! A batch of requests from the page's traffic controls, through the simulator's data path,
//! with each pod's expected share read off the rules of the node the requests enter. Small
//! batches are followed request by request, so that a click on any of their dots shows that
//! very request's path.

mod expected;
mod route;
mod trace;

pub use route::ALB_IP;
pub use trace::trace_request;

use std::collections::BTreeMap;

use svclab_protocol::TrafficView;
use svclab_sim::lab::Lab;
use svclab_sim::network::traffic::{send_many, TrafficReport};

use expected::expected;
use route::Route;
use trace::{follow, End};

/// Requests one batch may send: the page offers up to 1,000; more would only stall the worker.
pub const MAX_BATCH: u32 = 100_000;

/// Batches up to this size come with every request's trace (the page draws them as dots).
pub const TRACED_BATCH: u64 = 100;

/// Sends `count` GET requests from `from` (`host`, `alb`, `node NAME`, or `pod NS/NAME`) to
/// `to` (`IP:PORT` or `NAME:PORT`) in the current cluster.
pub fn send_traffic(lab: &mut Lab, from: &str, to: &str, count: u32) -> TrafficView {
    let mut view = TrafficView {
        from: from.to_owned(),
        to: to.to_owned(),
        ..TrafficView::default()
    };
    let (cluster, route) = match Route::in_lab(lab, from, to) {
        Ok(found) => found,
        Err(e) => {
            view.error = Some(e);
            return view;
        }
    };
    let count = u64::from(count.min(MAX_BATCH));
    let mut report = TrafficReport::default();
    let mut entered: BTreeMap<String, u64> = BTreeMap::new();
    if count <= TRACED_BATCH {
        for turn in 0..count {
            let (trace, end) = follow(cluster, &route, turn as usize);
            count_trace(
                &mut report,
                &mut entered,
                &trace.served,
                trace.entered.as_deref(),
                end,
            );
            view.traces.push(trace);
        }
    } else if route.balanced(cluster) {
        // The balancer picks a node per connection.
        for turn in 0..count {
            match route.leg(cluster, turn as usize) {
                Ok(leg) => {
                    if let Some(node) = leg.entered {
                        *entered.entry(node).or_default() += 1;
                    }
                    let one =
                        send_many(cluster, &leg.source, leg.ip, leg.port, 1, &route.request());
                    merge(&mut report, one);
                }
                Err(_) => {
                    report.sent += 1;
                    report.refused += 1;
                }
            }
        }
    } else {
        if let Ok(leg) = route.leg(cluster, 0) {
            if let Some(node) = leg.entered {
                entered.insert(node, count);
            }
        }
        report = send_many(
            cluster,
            &route.source,
            route.ip,
            route.port,
            count,
            &route.request(),
        );
    }
    view.entered = entered.into_iter().collect();
    view.sent = report.sent;
    view.per_pod = report.per_pod.into_iter().collect();
    view.per_node = report.per_node.into_iter().collect();
    view.timed_out = report.timed_out;
    view.refused = report.refused;
    view.expected = expected(cluster, &route.source, route.ip, route.port);
    view
}

fn count_trace(
    report: &mut TrafficReport,
    entered: &mut BTreeMap<String, u64>,
    served: &Option<(String, String)>,
    entry: Option<&str>,
    end: End,
) {
    report.sent += 1;
    if let Some(node) = entry {
        *entered.entry(node.to_owned()).or_default() += 1;
    }
    match (end, served) {
        (End::Served, Some((pod, node))) => {
            *report.per_pod.entry(pod.clone()).or_default() += 1;
            *report.per_node.entry(node.clone()).or_default() += 1;
        }
        (End::Refused, _) => report.refused += 1,
        _ => report.timed_out += 1,
    }
}

fn merge(total: &mut TrafficReport, one: TrafficReport) {
    total.sent += one.sent;
    total.timed_out += one.timed_out;
    total.refused += one.refused;
    for (pod, n) in one.per_pod {
        *total.per_pod.entry(pod).or_default() += n;
    }
    for (node, n) in one.per_node {
        *total.per_node.entry(node).or_default() += n;
    }
}
