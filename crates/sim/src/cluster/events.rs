//! Kubernetes Events: what `kubectl get events` and `describe` show.

/// One event about one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The namespace of the object.
    pub namespace: String,
    /// The object, as `kind/name` (e.g. `pod/nginx-replicaset-abcde`).
    pub object: String,
    /// `Normal` or `Warning`.
    pub type_: String,
    /// One word, e.g. `Scheduled`.
    pub reason: String,
    /// The sentence.
    pub message: String,
    /// Who reported it, e.g. `default-scheduler`, `kubelet`.
    pub source: String,
    /// The node of a kubelet's event (`source.host`), else empty.
    pub host: String,
    /// The part of the object it is about, e.g. `spec.containers{nginx}`, else empty.
    pub field_path: String,
    /// When it was first seen (virtual ms).
    pub first_ms: u64,
    /// When it was last seen.
    pub last_ms: u64,
    /// How often it happened.
    pub count: u32,
    /// Nanoseconds past `first_ms`: the lab's clock counts milliseconds, so events recorded in
    /// the same one are told apart (and named apart) by the order they came in.
    pub first_ns: u32,
}

/// The cluster's event log (kept bounded, as the API server expires events after an hour).
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    // A ring: dropping the oldest of 5,000 events from a Vec moved all the others, on every
    // event once the log was full (millions of moves while 150,000 pods start).
    events: std::collections::VecDeque<Event>,
    /// Events recorded so far, for `first_ns`.
    recorded: u64,
}

/// The most events kept; older ones are dropped first.
const MAX_EVENTS: usize = 5000;

impl EventLog {
    /// Records an event, folding it into an identical recent one as the event recorder does.
    /// `host` is the reporting node (the kubelet's), `field_path` the part of the object it is
    /// about (a container); both empty for the control plane's components.
    #[allow(clippy::too_many_arguments)]
    pub fn record_at(
        &mut self,
        now_ms: u64,
        namespace: &str,
        object: &str,
        type_: &str,
        reason: &str,
        message: &str,
        source: &str,
        host: &str,
        field_path: &str,
    ) {
        if let Some(e) = self.events.iter_mut().rev().take(50).find(|e| {
            e.namespace == namespace
                && e.object == object
                && e.reason == reason
                && e.message == message
        }) {
            e.count = e.count.saturating_add(1);
            e.last_ms = now_ms;
            return;
        }
        if self.events.len() >= MAX_EVENTS {
            self.events.pop_front();
        }
        self.recorded = self.recorded.wrapping_add(1);
        let first_ns = u32::try_from(self.recorded % 1_000_000).unwrap_or(0);
        self.events.push_back(Event {
            namespace: namespace.to_string(),
            object: object.to_string(),
            type_: type_.to_string(),
            reason: reason.to_string(),
            message: message.to_string(),
            source: source.to_string(),
            host: host.to_string(),
            field_path: field_path.to_string(),
            first_ms: now_ms,
            last_ms: now_ms,
            count: 1,
            first_ns,
        });
    }

    /// Events in one namespace (or all), oldest first.
    pub fn list<'a>(&'a self, namespace: Option<&'a str>) -> impl Iterator<Item = &'a Event> + 'a {
        self.events
            .iter()
            .filter(move |e| namespace.is_none_or(|ns| e.namespace == ns))
    }

    /// Events about one object, oldest first.
    pub fn about<'a>(
        &'a self,
        namespace: &'a str,
        object: &'a str,
    ) -> impl Iterator<Item = &'a Event> + 'a {
        self.events
            .iter()
            .filter(move |e| e.namespace == namespace && e.object == object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_events_are_counted_not_duplicated() {
        let mut log = EventLog::default();
        for (t, pod) in [(1, "pod/a"), (5, "pod/a"), (6, "pod/b")] {
            log.record_at(
                t, "dev", pod, "Normal", "Pulled", "done", "kubelet", "w", "",
            );
        }
        let about_a: Vec<_> = log.about("dev", "pod/a").collect();
        assert_eq!(about_a.len(), 1);
        assert_eq!(
            (about_a[0].count, about_a[0].first_ms, about_a[0].last_ms),
            (2, 1, 5)
        );
        assert_eq!(log.list(Some("dev")).count(), 2);
        // Recorded in the same millisecond, two events still get distinct nanoseconds.
        log.record_at(
            6, "dev", "pod/c", "Normal", "Pulled", "x", "kubelet", "w", "",
        );
        let at_6: Vec<u32> = log
            .list(Some("dev"))
            .filter(|e| e.first_ms == 6)
            .map(|e| e.first_ns)
            .collect();
        assert_eq!(at_6.len(), 2);
        assert_ne!(at_6[0], at_6[1]);
        assert_eq!(log.list(Some("kube-system")).count(), 0);
    }
}
