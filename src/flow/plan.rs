//! Which dots fly where: a traffic batch turned into flights between anchors (the source, the
//! node whose kube-proxy took the request, the pod that answered), and each flight's position
//! at a time (no DOM here).

use svclab_protocol::TrafficView;

/// A place on the map a dot flies from, through or to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The learner's host.
    Host,
    /// The hand-made ALB in front of the workers.
    Alb,
    /// A node's kube-proxy.
    Node(String),
    /// A pod (`namespace/name`).
    Pod(String),
}

/// One request in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    /// When it leaves, in ms of page time.
    pub start_ms: f64,
    /// Indexes into the batch's anchors: source, entry node, destination (the same as the entry
    /// for a request nobody answered).
    pub legs: [usize; 3],
    /// Nobody answered.
    pub failed: bool,
    /// Its own trace in the batch, when the batch carries them.
    pub trace: Option<usize>,
}

/// How long one flight takes at speed 1.
pub const FLIGHT_MS: f64 = 1200.0;
/// How long a batch takes to leave at speed 1 (launches are spread over it).
pub const SPREAD_MS: f64 = 1500.0;
/// Past this many dots in flight, flows are drawn as widths instead of dots.
pub const DOT_LIMIT: usize = 500;

/// The anchors a batch needs and its flights, interleaving pods so that the dots mix as the
/// simulator's statistic choices did. `speed` scales time (2 = twice as fast).
pub fn plan(batch: &TrafficView, now_ms: f64, speed: f64) -> (Vec<Anchor>, Vec<Flight>) {
    let mut anchors = vec![source_anchor(&batch.from)];
    let index_of = |a: Anchor, anchors: &mut Vec<Anchor>| match anchors.iter().position(|x| *x == a)
    {
        Some(i) => i,
        None => {
            anchors.push(a);
            anchors.len() - 1
        }
    };
    // Destinations: each answered request to its pod, the rest failed at their entry.
    let mut remaining: Vec<(usize, u64)> = batch
        .per_pod
        .iter()
        .map(|(pod, n)| (index_of(Anchor::Pod(pod.clone()), &mut anchors), *n))
        .collect();
    let failed = batch.timed_out + batch.refused;
    let entries: Vec<(usize, u64)> = batch
        .entered
        .iter()
        .map(|(node, n)| (index_of(Anchor::Node(node.clone()), &mut anchors), *n))
        .collect();
    let total = batch.sent.max(1);
    let step = SPREAD_MS / speed.max(0.1) / total as f64;
    if !batch.traces.is_empty() {
        // Each request as it really went: its entry node and the pod that answered.
        let first_entry = entries.first().map_or(0, |(a, _)| *a);
        let flights = batch
            .traces
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let entry = t.entered.as_ref().map_or(first_entry, |n| {
                    index_of(Anchor::Node(n.clone()), &mut anchors)
                });
                let (to, failed) = match &t.served {
                    Some((pod, _)) => (index_of(Anchor::Pod(pod.clone()), &mut anchors), false),
                    None => (entry, true),
                };
                Flight {
                    start_ms: now_ms + step * i as f64,
                    legs: [0, entry, to],
                    failed,
                    trace: Some(i),
                }
            })
            .collect();
        return (anchors, flights);
    }
    let mut flights = Vec::with_capacity(batch.sent as usize);
    let mut failed_left = failed;
    let mut entry_left = entries.clone();
    for i in 0..batch.sent {
        // Round-robin over the pods that still have requests, then the failures.
        let open = remaining.iter().filter(|(_, n)| *n > 0).count().max(1);
        let dest = remaining
            .iter_mut()
            .filter(|(_, n)| *n > 0)
            .nth((i as usize) % open);
        let entry = entry_left
            .iter_mut()
            .find(|(_, n)| *n > 0)
            .map(|(a, n)| {
                *n -= 1;
                *a
            })
            .or_else(|| entries.first().map(|(a, _)| *a))
            .unwrap_or(0);
        let (to, is_failed) = match dest {
            Some((a, n)) => {
                *n -= 1;
                (*a, false)
            }
            None if failed_left > 0 => {
                failed_left -= 1;
                (entry, true)
            }
            None => break,
        };
        flights.push(Flight {
            start_ms: now_ms + step * i as f64,
            legs: [0, entry, to],
            failed: is_failed,
            trace: None,
        });
    }
    (anchors, flights)
}

fn source_anchor(from: &str) -> Anchor {
    if let Some(node) = from.strip_prefix("node ") {
        Anchor::Node(node.to_owned())
    } else if from == "alb" {
        Anchor::Alb
    } else if let Some(pod) = from.strip_prefix("pod ") {
        Anchor::Pod(pod.to_owned())
    } else {
        Anchor::Host
    }
}

/// Where a flight is at `now_ms`, as the leg it is on and how far along (0..1); `None` before
/// it leaves or after it lands.
pub fn position(f: &Flight, now_ms: f64, speed: f64) -> Option<(usize, f64)> {
    let t = (now_ms - f.start_ms) / (FLIGHT_MS / speed.max(0.1));
    if !(0.0..1.0).contains(&t) {
        return None;
    }
    // Two legs of equal time: source → kube-proxy, kube-proxy → pod.
    Some(if t < 0.5 {
        (0, t * 2.0)
    } else {
        (1, (t - 0.5) * 2.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> TrafficView {
        TrafficView {
            from: "host".into(),
            to: "172.18.0.3:30000".into(),
            entered: vec![("w".into(), 10)],
            sent: 10,
            per_pod: vec![("dev/a".into(), 6), ("dev/b".into(), 3)],
            timed_out: 1,
            ..TrafficView::default()
        }
    }

    #[test]
    fn every_request_gets_one_flight_to_where_the_simulator_sent_it() {
        let (anchors, flights) = plan(&batch(), 0.0, 1.0);
        assert_eq!(
            anchors,
            [
                Anchor::Host,
                Anchor::Pod("dev/a".into()),
                Anchor::Pod("dev/b".into()),
                Anchor::Node("w".into())
            ]
        );
        assert_eq!(flights.len(), 10);
        let to = |i: usize| {
            flights
                .iter()
                .filter(|f| f.legs[2] == i && !f.failed)
                .count()
        };
        assert_eq!((to(1), to(2)), (6, 3));
        assert_eq!(flights.iter().filter(|f| f.failed).count(), 1);
        assert!(flights.iter().all(|f| f.legs[0] == 0 && f.legs[1] == 3));
        // Launches are spread out, in order.
        assert!(flights.windows(2).all(|w| w[0].start_ms < w[1].start_ms));
        // Pods alternate while both have requests left.
        assert_ne!(flights[0].legs[2], flights[1].legs[2]);
    }

    #[test]
    fn a_traced_batch_flies_each_request_where_its_trace_went() {
        let trace = |entered: &str, served: Option<&str>| svclab_protocol::TraceView {
            entered: Some(entered.into()),
            served: served.map(|p| (p.to_owned(), entered.to_owned())),
            ..Default::default()
        };
        let mut b = batch();
        b.sent = 3;
        b.traces = vec![
            trace("w", Some("dev/b")),
            trace("w2", Some("dev/a")),
            trace("w", None),
        ];
        let (anchors, flights) = plan(&b, 0.0, 1.0);
        let name = |i: usize| anchors[i].clone();
        assert_eq!(name(flights[0].legs[2]), Anchor::Pod("dev/b".into()));
        assert_eq!(name(flights[1].legs[1]), Anchor::Node("w2".into()));
        assert!(flights[2].failed && flights[2].legs[2] == flights[2].legs[1]);
        assert_eq!(
            flights.iter().map(|f| f.trace).collect::<Vec<_>>(),
            [Some(0), Some(1), Some(2)]
        );
    }

    #[test]
    fn a_flight_crosses_two_legs_then_lands() {
        let f = Flight {
            start_ms: 100.0,
            legs: [0, 1, 2],
            failed: false,
            trace: None,
        };
        assert_eq!(position(&f, 50.0, 1.0), None);
        assert_eq!(position(&f, 100.0, 1.0), Some((0, 0.0)));
        assert_eq!(position(&f, 100.0 + FLIGHT_MS * 0.75, 1.0), Some((1, 0.5)));
        assert_eq!(position(&f, 100.0 + FLIGHT_MS, 1.0), None);
        // Twice as fast, landed by half the time.
        assert_eq!(position(&f, 100.0 + FLIGHT_MS * 0.5, 2.0), None);
    }
}
