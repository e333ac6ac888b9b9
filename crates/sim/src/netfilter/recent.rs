//! The `recent` match's lists (net/netfilter/xt_recent.c): per network namespace, one table
//! per `--name`, each an LRU list of source (or destination) addresses with the times they
//! were seen. kube-proxy's `sessionAffinity: ClientIP` is built on it: `--set` in the
//! KUBE-SEP chain's DNAT rule, `--rcheck --seconds N --reap` in the KUBE-SVC chain.
//!
//! Time is the lab's virtual clock in milliseconds (the kernel uses jiffies; `--seconds`
//! becomes `seconds * HZ`, here `seconds * 1000`).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::iptables::{Recent, RecentMode};

/// `ip_list_tot`: entries per table (module parameter, default 100).
pub const IP_LIST_TOT: usize = 100;
/// `ip_pkt_list_tot`: timestamps kept per entry (module parameter, default 20).
pub const IP_PKT_LIST_TOT: usize = 20;

/// One address of a table (`struct recent_entry`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentEntry {
    /// The (masked) address.
    pub addr: Ipv4Addr,
    /// Ring buffer of times seen, in ms (at most [`IP_PKT_LIST_TOT`]).
    pub stamps: Vec<u64>,
    /// Next slot of the ring (`e->index`).
    index: usize,
}

impl RecentEntry {
    fn new(addr: Ipv4Addr, now_ms: u64) -> Self {
        // recent_entry_init: nstamps = 1, index = 1, stamps[0] = jiffies.
        Self {
            addr,
            stamps: vec![now_ms],
            index: 1,
        }
    }

    /// recent_entry_update: writes the next ring slot.
    fn update(&mut self, now_ms: u64) {
        self.index %= IP_PKT_LIST_TOT;
        if let Some(slot) = self.stamps.get_mut(self.index) {
            *slot = now_ms;
        } else {
            self.stamps.push(now_ms);
        }
        self.index += 1;
    }

    /// The newest time stamp (`stamps[index - 1]`).
    pub fn last_seen(&self) -> u64 {
        self.index
            .checked_sub(1)
            .and_then(|i| self.stamps.get(i))
            .copied()
            .unwrap_or(0)
    }
}

/// One `--name` table: entries in LRU order, oldest first (`t->lru_list`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentTable {
    /// The entries, least recently updated first.
    pub entries: Vec<RecentEntry>,
}

impl RecentTable {
    fn position(&self, addr: Ipv4Addr) -> Option<usize> {
        self.entries.iter().position(|e| e.addr == addr)
    }

    /// Moves entry `i` to the LRU tail (`list_move_tail` in recent_entry_update).
    fn touch(&mut self, i: usize) -> usize {
        if i < self.entries.len() {
            let e = self.entries.remove(i);
            self.entries.push(e);
        }
        self.entries.len().saturating_sub(1)
    }
}

/// All `recent` tables of one node (`/proc/net/xt_recent/*`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentTables {
    tables: BTreeMap<String, RecentTable>,
}

impl RecentTables {
    /// No tables yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&RecentTable> {
        self.tables.get(name)
    }

    /// Whether `addr` is listed in table `name`.
    pub fn contains(&self, name: &str, addr: Ipv4Addr) -> bool {
        self.table(name).is_some_and(|t| t.position(addr).is_some())
    }

    /// `/proc/net/xt_recent/<name>` lines: `src=1.2.3.4 ttl: 0 last_seen: T oldest_pkt: N T,T…`
    /// (recent_seq_show, with times in ms instead of jiffies and the ttl not modelled).
    pub fn proc_lines(&self, name: &str) -> Vec<String> {
        let Some(t) = self.table(name) else {
            return Vec::new();
        };
        t.entries
            .iter()
            .map(|e| {
                let stamps: Vec<String> = e.stamps.iter().map(u64::to_string).collect();
                format!(
                    "src={} ttl: 0 last_seen: {} oldest_pkt: {} {}",
                    e.addr,
                    e.last_seen(),
                    e.stamps.len(),
                    stamps.join(", ")
                )
            })
            .collect()
    }

    /// Evaluates one `recent` match (xt_recent.c `recent_mt`) for a packet's source and
    /// destination at virtual time `now_ms`; updates the table as the kernel does.
    pub fn check(&mut self, m: &Recent, src: Ipv4Addr, dst: Ipv4Addr, now_ms: u64) -> bool {
        let mut ret = m.invert;
        let raw = if m.dest_side { dst } else { src };
        let addr = Ipv4Addr::from(u32::from(raw) & u32::from(m.mask));
        // recent_mt_check creates the table when the rule is inserted; a rule evaluated here
        // always has one.
        // Look up by `&str` first: the common case allocates nothing.
        if !self.tables.contains_key(m.name.as_str()) {
            self.tables.insert(m.name.clone(), RecentTable::default());
        }
        let Some(t) = self.tables.get_mut(m.name.as_str()) else {
            return ret;
        };
        let Some(mut i) = t.position(addr) else {
            if m.mode != RecentMode::Set {
                return ret;
            }
            // recent_entry_init: a full table drops its oldest entry first.
            if t.entries.len() >= IP_LIST_TOT {
                t.entries.remove(0);
            }
            t.entries.push(RecentEntry::new(addr, now_ms));
            return !ret;
        };

        match m.mode {
            RecentMode::Set => ret = !ret,
            RecentMode::Remove => {
                t.entries.remove(i);
                return !ret;
            }
            RecentMode::Rcheck | RecentMode::Update => {
                // time = jiffies - seconds * HZ; a stamp counts unless time_after(time, stamp).
                let window_start = now_ms.saturating_sub(u64::from(m.seconds) * 1000);
                let mut hits = 0u32;
                if let Some(e) = t.entries.get(i) {
                    for &stamp in &e.stamps {
                        if m.seconds != 0 && window_start > stamp {
                            continue;
                        }
                        hits += 1;
                        if m.hit_count == 0 || hits >= m.hit_count {
                            ret = !ret;
                            break;
                        }
                    }
                }
                // recent_entry_reap: looks only at the LRU head (the oldest entry), and not if
                // it is the one about to be updated.
                if m.reap {
                    let updating = m.mode == RecentMode::Update && ret != m.invert;
                    let head_stale = t
                        .entries
                        .first()
                        .is_some_and(|head| window_start > head.last_seen());
                    if head_stale && !(updating && i == 0) {
                        t.entries.remove(0);
                        if i == 0 {
                            return ret;
                        }
                        i -= 1;
                    }
                }
            }
        }
        // `--set`, or `--update` that matched, refreshes the entry.
        let matched = ret != m.invert;
        if m.mode == RecentMode::Set || (m.mode == RecentMode::Update && matched) {
            let j = t.touch(i);
            if let Some(e) = t.entries.get_mut(j) {
                e.update(now_ms);
            }
        }
        ret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn rule(mode: RecentMode, seconds: u32, reap: bool, hits: u32) -> Recent {
        let mut r = Recent::new(mode, "T");
        r.seconds = seconds;
        r.reap = reap;
        r.hit_count = hits;
        r
    }

    #[test]
    fn set_then_rcheck_within_and_after_the_window() {
        let mut t = RecentTables::new();
        let a = ip("10.244.1.9");
        let any = ip("10.96.0.1");
        let check = rule(RecentMode::Rcheck, 10, true, 0);
        assert!(!t.check(&check, a, any, 0));
        assert!(t.check(&rule(RecentMode::Set, 0, false, 0), a, any, 1_000));
        assert!(
            t.check(&check, a, any, 11_000),
            "exactly 10 s old still counts"
        );
        assert!(!t.check(&check, a, any, 11_001));
        // --reap removed the stale head.
        assert!(!t.contains("T", a));
    }

    #[test]
    fn hitcount_update_remove_and_mask() {
        let mut t = RecentTables::new();
        let a = ip("192.168.7.9");
        let d = ip("10.0.0.1");
        let set = rule(RecentMode::Set, 0, false, 0);
        for ms in [0, 100, 200] {
            t.check(&set, a, d, ms);
        }
        assert!(t.check(&rule(RecentMode::Rcheck, 0, false, 3), a, d, 300));
        assert!(!t.check(&rule(RecentMode::Rcheck, 0, false, 5), a, d, 300));
        // --update matched: one more stamp.
        assert!(t.check(&rule(RecentMode::Update, 0, false, 0), a, d, 400));
        assert_eq!(t.table("T").unwrap().entries[0].stamps.len(), 4);
        assert!(t.check(&rule(RecentMode::Remove, 0, false, 0), a, d, 500));
        assert!(!t.contains("T", a));
        // --mask 255.255.255.0 lists the /24.
        let mut masked = Recent::new(RecentMode::Set, "M");
        masked.mask = ip("255.255.255.0");
        t.check(&masked, a, d, 0);
        assert!(t.contains("M", ip("192.168.7.0")));
        let mut inv = rule(RecentMode::Rcheck, 0, false, 0);
        inv.name = "M".into();
        inv.mask = ip("255.255.255.0");
        inv.invert = true;
        assert!(!t.check(&inv, ip("192.168.7.200"), d, 1));
        // The ring keeps at most 20 stamps.
        for ms in 0..50 {
            t.check(&set, a, d, ms);
        }
        assert_eq!(
            t.table("T").unwrap().entries[0].stamps.len(),
            IP_PKT_LIST_TOT
        );
        assert_eq!(t.table("T").unwrap().entries[0].last_seen(), 49);
        assert_eq!(t.proc_lines("T").len(), 1);
    }
}
