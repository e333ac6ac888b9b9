//! A pod's nginx access log, kept as compact records (client, time, request, status, size) and
//! rendered as nginx's `log_format main` lines only when read (`kubectl logs`): a batch of a
//! million requests must not format a million dates.

use std::collections::VecDeque;
use std::net::Ipv4Addr;

use super::nginx::{log_line, Request};

/// Lines kept per pod (like a container log rotated by size).
pub const ACCESS_LOG_KEEP: usize = 1000;

/// One request line: `(method, path, user agent)`, stored once however often it repeats.
type Line = [String; 3];

/// One logged request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Record {
    client: Ipv4Addr,
    at_ms: u64,
    /// Index into [`AccessLog::lines_seen`].
    request: usize,
    status: u16,
    body_bytes_sent: usize,
}

/// The last [`ACCESS_LOG_KEEP`] requests one pod's nginx served, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessLog {
    /// Distinct request lines; records point here.
    lines_seen: Vec<Line>,
    records: VecDeque<Record>,
}

impl AccessLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs one request answered with `status` and `body_bytes_sent` at `at_ms`.
    pub fn push(
        &mut self,
        client: Ipv4Addr,
        at_ms: u64,
        request: &Request,
        status: u16,
        body_bytes_sent: usize,
    ) {
        let request = self.intern(request);
        self.push_line(client, at_ms, request, status, body_bytes_sent);
    }

    /// [`AccessLog::push`] of a request already interned with [`AccessLog::intern`] (a batch
    /// of one request interns it once); the number stays valid until another request is
    /// interned.
    pub fn push_line(
        &mut self,
        client: Ipv4Addr,
        at_ms: u64,
        request: usize,
        status: u16,
        body_bytes_sent: usize,
    ) {
        if self.records.len() >= ACCESS_LOG_KEEP {
            self.records.pop_front();
        }
        self.records.push_back(Record {
            client,
            at_ms,
            request,
            status,
            body_bytes_sent,
        });
    }

    /// The number of a request's line (method, path, user agent), stored once. The newest
    /// line is checked first: a batch repeats one request.
    pub fn intern(&mut self, r: &Request) -> usize {
        let same = |l: &Line| l[0] == r.method && l[1] == r.path && l[2] == r.user_agent;
        if let Some(i) = self.lines_seen.iter().rposition(same) {
            return i;
        }
        // Lines no record uses any more are dropped once they outnumber the records.
        if self.lines_seen.len() >= 2 * ACCESS_LOG_KEEP {
            self.compact();
        }
        self.lines_seen
            .push([r.method.clone(), r.path.clone(), r.user_agent.clone()]);
        self.lines_seen.len() - 1
    }

    /// Keeps only the request lines records still use.
    fn compact(&mut self) {
        let mut kept: Vec<Line> = Vec::new();
        let mut map = vec![usize::MAX; self.lines_seen.len()];
        for rec in &mut self.records {
            let Some(slot) = map.get_mut(rec.request) else {
                continue;
            };
            if *slot == usize::MAX {
                *slot = kept.len();
                kept.push(
                    self.lines_seen
                        .get(rec.request)
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            rec.request = *slot;
        }
        self.lines_seen = kept;
    }

    /// How many lines the log holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether nothing was logged.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The lines, oldest first, as nginx writes them.
    pub fn lines(&self) -> Vec<String> {
        self.records.iter().map(|r| self.render(r)).collect()
    }

    fn render(&self, r: &Record) -> String {
        let [method, path, agent] = self
            .lines_seen
            .get(r.request)
            .map_or(["", "", ""], |l| [&l[0], &l[1], &l[2]]);
        log_line(
            &r.client.to_string(),
            r.at_ms,
            [method, path, agent],
            r.status,
            r.body_bytes_sent,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::LAB_EPOCH_MS;

    fn get(path: &str) -> Request {
        Request {
            method: "GET".into(),
            path: path.into(),
            host: "x".into(),
            user_agent: "curl/8.9.1".into(),
        }
    }

    #[test]
    fn keeps_the_last_lines_and_renders_them_like_nginx() {
        let mut log = AccessLog::new();
        let client = Ipv4Addr::new(10, 244, 1, 1);
        for i in 0..(3 * ACCESS_LOG_KEEP) {
            log.push(client, LAB_EPOCH_MS, &get(&format!("/{i}")), 404, 153);
        }
        assert_eq!(log.len(), ACCESS_LOG_KEEP);
        assert!(log.lines_seen.len() <= 2 * ACCESS_LOG_KEEP);
        let lines = log.lines();
        assert_eq!(
            lines.last().map(String::as_str),
            Some("10.244.1.1 - - [13/Aug/2024:22:50:00 +0000] \"GET /2999 HTTP/1.1\" 404 153 \"-\" \"curl/8.9.1\" \"-\"")
        );
        assert!(lines[0].contains("\"GET /2000 HTTP/1.1\""), "{}", lines[0]);
    }
}
