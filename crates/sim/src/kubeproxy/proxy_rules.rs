//! The proxier's rule state for one node: per-service-port rule groups kept in a map so one
//! service can be regenerated alone (kube-proxy's partial sync), assembled into the
//! iptables-restore input and applied to the [`crate::iptables`] model.
//!
//! Determinism: upstream iterates `proxier.svcPortMap` (a Go map, random order); we iterate
//! service ports sorted by `svcPortNameString` (`ns/name:port`) instead.
//!
//! Scale (10,000 Services x 15 endpoints, about 470,000 rules): rules are built typed, never
//! as text (the restore text is rendered only on request); a service port's own chains are
//! kept only until applied, then the nat table holds the one copy; and a partial apply
//! splices the changed ports' entries into the shared chains instead of rebuilding them.

use std::collections::{BTreeMap, BTreeSet};

use super::chain_names::is_service_chain_name;
use super::fixed::{
    filter_chain_names, filter_rules_head, filter_rules_tail, nat_rules_head, nat_rules_tail,
    JUMP_CHAINS, NAT_CHAIN_NAMES,
};
use super::model::{NodeView, ServicePortInput};
use super::probability::ProbabilityCache;
use super::rule_sink::{shared_index, RuleSink, TypedRules, SHARED_CHAINS};
use super::rule_spec::RuleSpec;
use super::service_rules::{
    service_port_rules, write_service_port, ServicePortRules, SyncContext, KUBE_PROXY_CANARY,
    LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
};
use crate::iptables::{
    parse_rule_args, parse_rule_line, split_words, ParseError, Rule, Table, TableName,
};

/// Rules of kube-proxy's top-level chains with their counters: (table, chain, rules).
pub type CountedChains = Vec<(TableName, &'static str, Vec<Rule>)>;

/// Rules per shared chain (indexed like [`SHARED_CHAINS`]).
type SharedCounts = [usize; SHARED_CHAINS.len()];

/// An own nat chain of a service port with its rules.
type OwnChain = (String, Vec<Rule>);

/// One service port's state.
#[derive(Clone, Debug)]
struct Entry {
    /// What it was generated from: regenerated when largeClusterMode flips or text is asked.
    input: ServicePortInput,
    /// Its rules in the shared top-level chains, in write order (kept: small, and a full
    /// sync rebuilds those chains from every port's entries).
    shared: Vec<(usize, Rule)>,
    /// Its own nat chains until the next apply moves them into the nat table.
    pending: Option<Vec<OwnChain>>,
}

impl Entry {
    fn counts(&self) -> SharedCounts {
        counts_of(&self.shared)
    }
}

fn counts_of(shared: &[(usize, Rule)]) -> SharedCounts {
    let mut counts = [0; SHARED_CHAINS.len()];
    for (i, _) in shared {
        if let Some(n) = counts.get_mut(*i) {
            *n += 1;
        }
    }
    counts
}

/// A sink that keeps only the chains a service port declares.
#[derive(Default)]
struct DeclaredChains(Vec<String>);

impl RuleSink for DeclaredChains {
    fn declare(&mut self, chain: &str) {
        self.0.push(chain.to_string());
    }
    fn filter(&mut self, _: RuleSpec<'_>) {}
    fn nat(&mut self, _: RuleSpec<'_>) {}
}

/// kube-proxy's rules on one node.
#[derive(Clone, Debug)]
pub struct ProxyRules {
    view: NodeView,
    entries: BTreeMap<String, Entry>,
    probabilities: ProbabilityCache,
    total_endpoints: usize,
    large_cluster: bool,
    /// Service ports changed since the last apply (partial sync set), each with the number
    /// of rules it had in each shared chain at that apply (where the splice goes).
    dirty: BTreeMap<String, SharedCounts>,
    /// Chains that changed services no longer declare (to `-X` on apply).
    removed_chains: BTreeSet<String>,
    /// Whether the next apply must be a full one.
    need_full: bool,
}

fn parse_lines(lines: &[String]) -> Result<Vec<(String, Rule)>, ParseError> {
    lines.iter().map(|l| parse_rule_line(l)).collect()
}

/// The fixed (service-independent) rules of one node, typed: a dozen lines.
struct FixedRules {
    head: Vec<(TableName, String, Rule)>,
    tail: Vec<(TableName, String, Rule)>,
}

impl FixedRules {
    fn new(v: &NodeView) -> Result<Self, ParseError> {
        let typed = |table: TableName, lines: Vec<String>| -> Result<Vec<_>, ParseError> {
            Ok(parse_lines(&lines)?
                .into_iter()
                .map(|(c, r)| (table, c, r))
                .collect())
        };
        let mut head = typed(TableName::Filter, filter_rules_head(v))?;
        head.extend(typed(TableName::Nat, nat_rules_head(v))?);
        let mut tail = typed(TableName::Filter, filter_rules_tail(v))?;
        tail.extend(typed(TableName::Nat, nat_rules_tail(v))?);
        Ok(Self { head, tail })
    }

    /// Fixed rules of one chain (head or tail), cloned.
    fn of(list: &[(TableName, String, Rule)], table: TableName, chain: &str) -> Vec<Rule> {
        list.iter()
            .filter(|(t, c, _)| *t == table && c == chain)
            .map(|(_, _, r)| r.clone())
            .collect()
    }

    fn count(list: &[(TableName, String, Rule)], shared: usize) -> usize {
        SHARED_CHAINS.get(shared).map_or(0, |(table, chain)| {
            list.iter()
                .filter(|(t, c, _)| t == table && c == chain)
                .count()
        })
    }
}

fn table_of<'t>(table: TableName, filter: &'t mut Table, nat: &'t mut Table) -> &'t mut Table {
    match table {
        TableName::Nat => nat,
        _ => filter,
    }
}

impl ProxyRules {
    /// An empty rule set for a node (no services yet).
    pub fn new(view: NodeView) -> Self {
        Self {
            view,
            entries: BTreeMap::new(),
            probabilities: ProbabilityCache::default(),
            total_endpoints: 0,
            large_cluster: false,
            dirty: BTreeMap::new(),
            removed_chains: BTreeSet::new(),
            need_full: true,
        }
    }

    /// The node view the rules are generated for.
    pub fn view(&self) -> &NodeView {
        &self.view
    }

    /// Whether `largeClusterMode` is on (more than 1000 endpoints in total).
    pub fn large_cluster_mode(&self) -> bool {
        self.large_cluster
    }

    /// The restore lines of every service port, in service port name order (rendered on
    /// request: the rules themselves are kept typed).
    pub fn service_ports(&self) -> impl Iterator<Item = ServicePortRules> + '_ {
        let mut probabilities = self.probabilities.clone();
        self.entries.values().filter_map(move |e| {
            let mut ctx = SyncContext {
                view: &self.view,
                large_cluster: self.large_cluster,
                probabilities: &mut probabilities,
            };
            service_port_rules(&e.input, &mut ctx)
        })
    }

    /// Replaces every service port (a full sync).
    pub fn sync_all(&mut self, services: &[ServicePortInput]) -> Result<(), ParseError> {
        self.entries.clear();
        self.total_endpoints = services.iter().map(|s| s.endpoints.len()).sum();
        self.large_cluster = self.total_endpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
        for svc in services {
            if let Some((key, entry)) = self.generate(svc)? {
                self.entries.insert(key, entry);
            }
        }
        self.need_full = true;
        Ok(())
    }

    /// Adds or replaces one service port and regenerates only its chains, unless the
    /// endpoint total crosses largeClusterEndpointsThreshold (then everything changes).
    pub fn upsert(&mut self, svc: ServicePortInput) -> Result<(), ParseError> {
        let key = svc.port_name_string();
        let old = self.entries.remove(&key);
        let old_count = old.as_ref().map_or(0, |e| e.input.endpoints.len());
        self.total_endpoints =
            self.total_endpoints - old_count.min(self.total_endpoints) + svc.endpoints.len();
        // If the mode flipped, every other entry was regenerated; this one is generated below.
        self.refresh_mode()?;
        let entry = self.generate(&svc)?.map(|(_, e)| e);
        if !self.need_full {
            let new_chains: BTreeSet<&str> = entry
                .as_ref()
                .and_then(|e| e.pending.as_ref())
                .map(|own| own.iter().map(|(c, _)| c.as_str()).collect())
                .unwrap_or_default();
            let old_counts = old.as_ref().map(Entry::counts).unwrap_or_default();
            if let Some(old) = &old {
                for c in self.own_chain_names(old) {
                    if !new_chains.contains(c.as_str()) {
                        self.removed_chains.insert(c);
                    }
                }
            }
            // The first change since the last apply says what the tables hold.
            self.dirty.entry(key.clone()).or_insert(old_counts);
        }
        if let Some(entry) = entry {
            self.entries.insert(key, entry);
        }
        Ok(())
    }

    /// Removes one service port (by `ns/name:port`).
    pub fn remove(&mut self, service_port_name: &str) -> Result<(), ParseError> {
        if let Some(old) = self.entries.remove(service_port_name) {
            self.total_endpoints -= old.input.endpoints.len().min(self.total_endpoints);
            if !self.need_full {
                let chains = self.own_chain_names(&old);
                self.removed_chains.extend(chains);
                self.dirty
                    .entry(service_port_name.to_string())
                    .or_insert(old.counts());
            }
            self.refresh_mode()?;
        }
        Ok(())
    }

    /// The nat chains an entry declares (from its pending rules, or regenerated: they
    /// depend only on the input and the node).
    fn own_chain_names(&mut self, entry: &Entry) -> Vec<String> {
        if let Some(own) = &entry.pending {
            return own.iter().map(|(c, _)| c.clone()).collect();
        }
        let mut names = DeclaredChains::default();
        let mut ctx = SyncContext {
            view: &self.view,
            large_cluster: self.large_cluster,
            probabilities: &mut self.probabilities,
        };
        let key = entry.input.port_name_string();
        let _ = write_service_port(&entry.input, &key, &mut ctx, &mut names);
        names.0
    }

    /// Recomputes largeClusterMode; regenerates all entries if it flipped.
    fn refresh_mode(&mut self) -> Result<bool, ParseError> {
        let large = self.total_endpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
        if large == self.large_cluster {
            return Ok(false);
        }
        self.large_cluster = large;
        let inputs: Vec<ServicePortInput> =
            self.entries.values().map(|e| e.input.clone()).collect();
        for svc in &inputs {
            if let Some((key, entry)) = self.generate(svc)? {
                self.entries.insert(key, entry);
            }
        }
        self.need_full = true;
        Ok(true)
    }

    /// One service port's typed rules, keyed by its name; `None` if kube-proxy skips it.
    fn generate(&mut self, svc: &ServicePortInput) -> Result<Option<(String, Entry)>, ParseError> {
        let mut ctx = SyncContext {
            view: &self.view,
            large_cluster: self.large_cluster,
            probabilities: &mut self.probabilities,
        };
        let key = svc.port_name_string();
        let mut typed = TypedRules::default();
        if write_service_port(svc, &key, &mut ctx, &mut typed).is_none() {
            return Ok(None);
        }
        if let Some(e) = typed.error {
            return Err(e);
        }
        // The tables keep these vectors for good: drop the growth slack (a SEP chain's two
        // rules would otherwise sit in room for four).
        for (_, rules) in &mut typed.own {
            rules.shrink_to_fit();
        }
        let entry = Entry {
            input: svc.clone(),
            shared: typed.shared,
            pending: Some(typed.own),
        };
        Ok(Some((key, entry)))
    }

    /// The text kube-proxy hands to `iptables-restore --noflush --counters` on a full sync
    /// (without the `-X` lines for stale chains, which depend on what the kernel had).
    pub fn restore_text(&self) -> String {
        let v = &self.view;
        let groups: Vec<ServicePortRules> = self.service_ports().collect();
        let mut out = String::from("*filter\n");
        for c in filter_chain_names(v) {
            out.push_str(&format!(":{c} - [0:0]\n"));
        }
        let push = |out: &mut String, l: &String| {
            out.push_str(l);
            out.push('\n');
        };
        for l in &filter_rules_head(v) {
            push(&mut out, l);
        }
        for g in &groups {
            for l in &g.filter_rules {
                push(&mut out, l);
            }
        }
        for l in &filter_rules_tail(v) {
            push(&mut out, l);
        }
        out.push_str("COMMIT\n*nat\n");
        for c in NAT_CHAIN_NAMES {
            out.push_str(&format!(":{c} - [0:0]\n"));
        }
        for g in &groups {
            for c in &g.nat_chains {
                out.push_str(&format!(":{c} - [0:0]\n"));
            }
        }
        for l in &nat_rules_head(v) {
            push(&mut out, l);
        }
        for g in &groups {
            for l in &g.nat_rules {
                push(&mut out, l);
            }
        }
        for l in &nat_rules_tail(v) {
            push(&mut out, l);
        }
        out.push_str("COMMIT\n");
        out
    }

    /// Ensures the jump rules (EnsureChain + EnsureRule(Prepend)) and the canary chains,
    /// as a full sync does before restoring.
    pub fn ensure_jumps(
        filter: &mut Table,
        nat: &mut Table,
        mangle: Option<&mut Table>,
    ) -> Result<(), ParseError> {
        for j in JUMP_CHAINS {
            let table = match j.table {
                crate::iptables::TableName::Nat => &mut *nat,
                _ => &mut *filter,
            };
            table.ensure_chain(j.dst);
            let words = split_words(&j.args())?;
            let rule = parse_rule_args(&words)?;
            table
                .ensure_rule_prepended(j.src, rule)
                .map_err(|e| ParseError(e.to_string()))?;
        }
        // ipt.Monitor creates the canary chain in mangle, nat and filter.
        filter.ensure_chain(KUBE_PROXY_CANARY);
        nat.ensure_chain(KUBE_PROXY_CANARY);
        if let Some(m) = mangle {
            m.ensure_chain(KUBE_PROXY_CANARY);
        }
        Ok(())
    }

    /// The rules of kube-proxy's top-level chains (those every restore rewrites), with their
    /// counters, by table and chain.
    pub fn top_level_rules(&self, filter: &Table, nat: &Table) -> CountedChains {
        let filter_chains = filter_chain_names(&self.view)
            .into_iter()
            .map(|c| (TableName::Filter, c));
        let nat_chains = NAT_CHAIN_NAMES.iter().map(|c| (TableName::Nat, *c));
        filter_chains
            .chain(nat_chains)
            .filter_map(|(table, name)| {
                let table_ref = if table == TableName::Nat { nat } else { filter };
                let rules = table_ref.chain(name)?.rules.clone();
                Some((table, name, rules))
            })
            .collect()
    }

    /// Puts [`Self::top_level_rules`]' counters back on the rules still there after a restore
    /// (each old rule on the first equal rule after the previous one's place).
    pub fn restore_counters(filter: &mut Table, nat: &mut Table, counted: CountedChains) {
        for (table, name, old) in counted {
            let Some(chain) = table_of(table, filter, nat).chain_mut(name) else {
                continue;
            };
            let mut old = old.into_iter().peekable();
            for rule in &mut chain.rules {
                let Some(before) = old.peek() else { break };
                let mut same = before.clone();
                same.counters = rule.counters;
                if same == *rule {
                    rule.counters = before.counters;
                    old.next();
                }
            }
        }
    }

    /// Applies the rules to the tables like `iptables-restore --noflush`: declared chains are
    /// flushed and refilled (their counters restart at zero), stale service chains deleted.
    /// A partial apply (kube-proxy's partial sync) rewrites the top-level chains but only the
    /// chains of service ports changed since the last apply.
    pub fn apply(
        &mut self,
        filter: &mut Table,
        nat: &mut Table,
        mangle: Option<&mut Table>,
    ) -> Result<(), ParseError> {
        let full = std::mem::take(&mut self.need_full);
        if full {
            Self::ensure_jumps(filter, nat, mangle)?;
        }
        let fixed = FixedRules::new(&self.view)?;

        // Top-level chains without service rules: rebuilt from the fixed rules every sync.
        let filter_fixed = filter_chain_names(&self.view)
            .into_iter()
            .map(|c| (TableName::Filter, c));
        let nat_fixed = NAT_CHAIN_NAMES.iter().map(|c| (TableName::Nat, *c));
        for (table, chain) in filter_fixed.chain(nat_fixed) {
            if shared_index(table, chain).is_none() {
                let mut rules = FixedRules::of(&fixed.head, table, chain);
                rules.extend(FixedRules::of(&fixed.tail, table, chain));
                table_of(table, filter, nat).set_chain_rules(chain, rules);
            }
        }

        // Shared top-level chains: rebuilt on a full sync; on a partial one the changed
        // ports' entries are spliced in (unless the chain was edited behind our back).
        if full || !self.splice_shared(&fixed, filter, nat) {
            for shared in 0..SHARED_CHAINS.len() {
                self.rebuild_shared(&fixed, shared, filter, nat);
            }
        }
        // Every rule of a restored chain starts from zero counters.
        for (table, chain) in SHARED_CHAINS {
            if let Some(c) = table_of(table, filter, nat).chain_mut(chain) {
                for r in &mut c.rules {
                    r.counters = Default::default();
                }
            }
        }

        // The own chains of every (full) or changed (partial) port.
        if full {
            // Delete every service chain and restore the declared ones: the same end state
            // as deleting only the stale ones, without a set of 160,000 names.
            nat.remove_chains_where(is_service_chain_name);
            let keys: Vec<String> = self.entries.keys().cloned().collect();
            for key in &keys {
                for (chain, rules) in self.take_own(key)? {
                    nat.set_chain_rules_owned(chain, rules);
                }
            }
        } else {
            let mut declared: BTreeSet<String> = BTreeSet::new();
            let keys: Vec<String> = self.dirty.keys().cloned().collect();
            for key in &keys {
                if !self.entries.contains_key(key) {
                    continue;
                }
                for (chain, rules) in self.take_own(key)? {
                    if self.removed_chains.contains(&chain) {
                        declared.insert(chain.clone());
                    }
                    nat.set_chain_rules_owned(chain, rules);
                }
            }
            for c in &self.removed_chains {
                if !declared.contains(c) {
                    nat.remove_chain(c);
                }
            }
        }
        self.removed_chains.clear();
        self.dirty.clear();
        Ok(())
    }

    /// A port's own chains, moved out of its entry (regenerated if already applied).
    fn take_own(&mut self, key: &str) -> Result<Vec<OwnChain>, ParseError> {
        let Some(entry) = self.entries.get_mut(key) else {
            return Ok(Vec::new());
        };
        if let Some(own) = entry.pending.take() {
            return Ok(own);
        }
        let input = entry.input.clone();
        Ok(self
            .generate(&input)?
            .and_then(|(_, e)| e.pending)
            .unwrap_or_default())
    }

    /// Rewrites one shared chain: fixed head rules, every port's entries, fixed tail rules.
    fn rebuild_shared(
        &self,
        fixed: &FixedRules,
        shared: usize,
        filter: &mut Table,
        nat: &mut Table,
    ) {
        let Some(&(table, chain)) = SHARED_CHAINS.get(shared) else {
            return;
        };
        let mut rules = FixedRules::of(&fixed.head, table, chain);
        for e in self.entries.values() {
            rules.extend(
                e.shared
                    .iter()
                    .filter(|(i, _)| *i == shared)
                    .map(|(_, r)| r.clone()),
            );
        }
        rules.extend(FixedRules::of(&fixed.tail, table, chain));
        table_of(table, filter, nat).set_chain_rules(chain, rules);
    }

    /// Replaces the changed ports' entries in the shared chains in place. Returns false,
    /// touching nothing, if a chain does not hold what the last apply left (then the
    /// caller rebuilds the chains).
    fn splice_shared(&self, fixed: &FixedRules, filter: &mut Table, nat: &mut Table) -> bool {
        let mut pos: SharedCounts = [0; SHARED_CHAINS.len()];
        let mut expected = pos;
        for (i, (p, x)) in pos.iter_mut().zip(expected.iter_mut()).enumerate() {
            *p = FixedRules::count(&fixed.head, i);
            *x = *p + FixedRules::count(&fixed.tail, i);
        }
        // What the tables hold: unchanged ports' counts, changed ports' counts at last apply.
        for (key, e) in &self.entries {
            let counts = self.dirty.get(key).copied().unwrap_or_else(|| e.counts());
            add(&mut expected, &counts);
        }
        for (key, old) in &self.dirty {
            if !self.entries.contains_key(key) {
                add(&mut expected, old);
            }
        }
        for (i, (table, chain)) in SHARED_CHAINS.into_iter().enumerate() {
            let len = table_of(table, filter, nat)
                .chain(chain)
                .map(|c| c.rules.len());
            if len != expected.get(i).copied() {
                return false;
            }
        }

        // Walk ports and changed keys together, in name order: `pos` is where the next
        // port's entries start in each chain.
        let mut ports = self.entries.iter().peekable();
        for (key, old) in &self.dirty {
            while let Some((_, e)) = ports.next_if(|(k, _)| k.as_str() < key.as_str()) {
                add(&mut pos, &e.counts());
            }
            let new = ports.next_if(|(k, _)| *k == key).map(|(_, e)| e);
            for (i, (table, chain)) in SHARED_CHAINS.into_iter().enumerate() {
                let old_n = old.get(i).copied().unwrap_or(0);
                let rules: Vec<Rule> = new
                    .map(|e| {
                        e.shared
                            .iter()
                            .filter(|(s, _)| *s == i)
                            .map(|(_, r)| r.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if old_n == 0 && rules.is_empty() {
                    continue;
                }
                let at = pos.get(i).copied().unwrap_or(0);
                if let Some(c) = table_of(table, filter, nat).chain_mut(chain) {
                    let start = at.min(c.rules.len());
                    let end = (start + old_n).min(c.rules.len());
                    c.rules.splice(start..end, rules);
                }
            }
            if let Some(e) = new {
                add(&mut pos, &e.counts());
            }
        }
        true
    }
}

fn add(into: &mut SharedCounts, counts: &SharedCounts) {
    for (a, b) in into.iter_mut().zip(counts) {
        *a += b;
    }
}
