//! Running totals of the traffic sent from the page: per pod, per node, and the requests that
//! got no answer, so that the totals always add up to the requests sent.

use std::collections::BTreeMap;

use svclab_protocol::TrafficView;

/// Totals since the last reset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counters {
    /// Requests sent.
    pub sent: u64,
    /// Answers per pod (`namespace/name`).
    pub per_pod: BTreeMap<String, u64>,
    /// Answers per node.
    pub per_node: BTreeMap<String, u64>,
    /// Timed out or refused.
    pub failed: u64,
    /// The expected share per pod from the last batch's rules.
    pub expected: Vec<(String, f64)>,
}

impl Counters {
    /// Adds a batch.
    pub fn add(&mut self, report: &TrafficView) {
        self.sent += report.sent;
        for (pod, n) in &report.per_pod {
            *self.per_pod.entry(pod.clone()).or_default() += n;
        }
        for (node, n) in &report.per_node {
            *self.per_node.entry(node.clone()).or_default() += n;
        }
        self.failed += report.timed_out + report.refused;
        if !report.expected.is_empty() {
            self.expected = report.expected.clone();
        }
    }

    /// Adds one traced request.
    pub fn add_trace(&mut self, trace: &svclab_protocol::TraceView) {
        if trace.error.is_some() {
            return;
        }
        self.sent += 1;
        match &trace.served {
            Some((pod, node)) => {
                *self.per_pod.entry(pod.clone()).or_default() += 1;
                *self.per_node.entry(node.clone()).or_default() += 1;
            }
            None => self.failed += 1,
        }
    }

    /// Answers counted, plus failures: equal to `sent`.
    pub fn accounted(&self) -> u64 {
        self.per_pod.values().sum::<u64>() + self.failed
    }

    /// The largest per-pod count, for scaling bars.
    pub fn max_pod(&self) -> u64 {
        self.per_pod.values().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_add_up_to_what_was_sent() {
        let mut c = Counters::default();
        c.add(&TrafficView {
            sent: 10,
            per_pod: vec![("dev/a".into(), 6), ("dev/b".into(), 3)],
            per_node: vec![("w".into(), 9)],
            timed_out: 1,
            ..TrafficView::default()
        });
        c.add(&TrafficView {
            sent: 5,
            per_pod: vec![("dev/a".into(), 5)],
            per_node: vec![("w".into(), 5)],
            ..TrafficView::default()
        });
        assert_eq!(c.sent, 15);
        assert_eq!(c.accounted(), 15);
        assert_eq!(c.per_pod["dev/a"], 11);
        assert_eq!(c.max_pod(), 11);
    }
}
