//! One request followed hop by hop: every place it passed and every rule it matched.

use svclab_protocol::{HopView, RuleHit, TraceView};
use svclab_sim::cluster::Cluster;
use svclab_sim::lab::Lab;
use svclab_sim::network::send::{send, Ending};

use super::route::{Leg, Route};

/// How a followed request ended, for the batch counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// A pod answered.
    Served,
    /// Nothing answered.
    TimedOut,
    /// Refused.
    Refused,
}

/// Sends one GET request from `from` to `to` in the current cluster and follows it. Through
/// the article's ALB, the node is drawn from the lab's generator (a single request has no turn
/// in a round robin).
pub fn trace_request(lab: &mut Lab, from: &str, to: &str) -> TraceView {
    let mut view = TraceView {
        from: from.to_owned(),
        to: to.to_owned(),
        ..TraceView::default()
    };
    let (cluster, route) = match Route::in_lab(lab, from, to) {
        Ok(found) => found,
        Err(e) => {
            view.error = Some(e);
            return view;
        }
    };
    let turn = cluster.rng.below(u64::from(u16::MAX)) as usize;
    follow(cluster, &route, turn).0
}

/// Connection number `turn` of `route`, followed.
pub fn follow(cluster: &mut Cluster, route: &Route, turn: usize) -> (TraceView, End) {
    let mut view = TraceView {
        from: route.from.clone(),
        to: route.to.clone(),
        ..TraceView::default()
    };
    let leg: Leg = match route.leg(cluster, turn) {
        Ok(leg) => leg,
        Err(ending) => {
            view.ending = ending;
            return (view, End::Refused);
        }
    };
    view.entered = leg.entered.clone();
    let outcome = send(cluster, &leg.source, leg.ip, leg.port, &route.request());
    view.hops = outcome
        .hops
        .into_iter()
        .map(|h| HopView {
            place: h.place,
            note: h.note,
            packet: h.packet,
            rules: h
                .rules
                .into_iter()
                .map(|r| RuleHit {
                    hook: r.hook.chain().to_owned(),
                    table: r.table.as_str().to_owned(),
                    chain: r.chain,
                    rule: r.rule.unwrap_or(0),
                    text: r.text,
                })
                .collect(),
        })
        .collect();
    let end = match outcome.ending {
        Ending::Served {
            namespace,
            pod,
            node,
            client,
            response,
        } => {
            view.ending = format!(
                "answered by {namespace}/{pod} on {node} ({} {}); the pod saw the client as {client}",
                response.status, response.reason
            );
            view.served = Some((format!("{namespace}/{pod}"), node));
            End::Served
        }
        Ending::TimedOut => {
            view.ending =
                "no answer: dropped or unroutable (curl would end with error 28, timed out)".into();
            End::TimedOut
        }
        Ending::Refused => {
            view.ending = route.refused();
            End::Refused
        }
    };
    (view, end)
}
