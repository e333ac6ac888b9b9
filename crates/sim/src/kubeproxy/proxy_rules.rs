//! The proxier's rule state for one node: per-service-port rule groups kept in a map so one
//! service can be regenerated alone (kube-proxy's partial sync), assembled into the
//! iptables-restore input and applied to the [`crate::iptables`] model.
//!
//! Determinism: upstream iterates `proxier.svcPortMap` (a Go map, random order); we iterate
//! service ports sorted by `svcPortNameString` (`ns/name:port`) instead.

use std::collections::{BTreeMap, BTreeSet};

use super::chain_names::is_service_chain_name;
use super::fixed::{
    filter_chain_names, filter_rules_head, filter_rules_tail, nat_rules_head, nat_rules_tail,
    JUMP_CHAINS, NAT_CHAIN_NAMES,
};
use super::model::{NodeView, ServicePortInput};
use super::probability::ProbabilityCache;
use super::service_rules::{
    service_port_rules, ServicePortRules, SyncContext, KUBE_PROXY_CANARY,
    LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
};
use crate::iptables::{parse_rule_args, parse_rule_line, split_words, ParseError, Rule, Table};

/// A parsed restore line: chain and typed rule.
type TypedLine = (String, Rule);

/// One service port's generated lines and their typed form, pre-grouped for applying.
#[derive(Clone, Debug)]
struct Entry {
    input: ServicePortInput,
    rules: ServicePortRules,
    /// Rules for the shared filter chains, in write order.
    filter_typed: Vec<TypedLine>,
    /// Rules for the shared nat chains (KUBE-SERVICES, KUBE-NODEPORTS), in write order.
    nat_shared: Vec<TypedLine>,
    /// The service port's own nat chains with their rules, in declaration order.
    nat_own: Vec<(String, Vec<Rule>)>,
}

/// kube-proxy's rules on one node.
#[derive(Clone, Debug)]
pub struct ProxyRules {
    view: NodeView,
    entries: BTreeMap<String, Entry>,
    probabilities: ProbabilityCache,
    total_endpoints: usize,
    large_cluster: bool,
    /// Service ports changed since the last apply (partial sync set).
    dirty: BTreeSet<String>,
    /// Chains that changed services no longer declare (to `-X` on apply).
    removed_chains: BTreeSet<String>,
    /// Whether the next apply must be a full one.
    need_full: bool,
}

fn parse_lines(lines: &[String]) -> Result<Vec<TypedLine>, ParseError> {
    lines.iter().map(|l| parse_rule_line(l)).collect()
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
            dirty: BTreeSet::new(),
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

    /// The generated groups, in service port name order.
    pub fn service_ports(&self) -> impl Iterator<Item = &ServicePortRules> {
        self.entries.values().map(|e| &e.rules)
    }

    /// Replaces every service port (a full sync).
    pub fn sync_all(&mut self, services: &[ServicePortInput]) -> Result<(), ParseError> {
        self.entries.clear();
        self.total_endpoints = services.iter().map(|s| s.endpoints.len()).sum();
        self.large_cluster = self.total_endpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
        for svc in services {
            if let Some(entry) = self.generate(svc)? {
                self.entries.insert(entry.rules.name.clone(), entry);
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
        let entry = self.generate(&svc)?;
        let new_chains: BTreeSet<&String> = entry
            .as_ref()
            .map(|e| e.rules.nat_chains.iter().collect())
            .unwrap_or_default();
        if let Some(old) = &old {
            for c in &old.rules.nat_chains {
                if !new_chains.contains(c) {
                    self.removed_chains.insert(c.clone());
                }
            }
        }
        if let Some(entry) = entry {
            self.entries.insert(key.clone(), entry);
        }
        self.dirty.insert(key);
        Ok(())
    }

    /// Removes one service port (by `ns/name:port`).
    pub fn remove(&mut self, service_port_name: &str) -> Result<(), ParseError> {
        if let Some(old) = self.entries.remove(service_port_name) {
            self.total_endpoints -= old.input.endpoints.len().min(self.total_endpoints);
            self.removed_chains.extend(old.rules.nat_chains);
            self.refresh_mode()?;
        }
        self.dirty.insert(service_port_name.to_string());
        Ok(())
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
            if let Some(entry) = self.generate(svc)? {
                self.entries.insert(entry.rules.name.clone(), entry);
            }
        }
        self.need_full = true;
        Ok(true)
    }

    fn generate(&mut self, svc: &ServicePortInput) -> Result<Option<Entry>, ParseError> {
        let mut ctx = SyncContext {
            view: &self.view,
            large_cluster: self.large_cluster,
            probabilities: &mut self.probabilities,
        };
        let Some(rules) = service_port_rules(svc, &mut ctx) else {
            return Ok(None);
        };
        let mut nat_own: Vec<(String, Vec<Rule>)> = rules
            .nat_chains
            .iter()
            .map(|c| (c.clone(), Vec::new()))
            .collect();
        let mut nat_shared = Vec::new();
        for (chain, rule) in parse_lines(&rules.nat_rules)? {
            // A service port owns at most a few chains plus one per endpoint: search from the
            // end, where the most recently written chain is.
            match nat_own.iter_mut().rev().find(|(c, _)| *c == chain) {
                Some((_, list)) => list.push(rule),
                None => nat_shared.push((chain, rule)),
            }
        }
        Ok(Some(Entry {
            input: svc.clone(),
            filter_typed: parse_lines(&rules.filter_rules)?,
            nat_shared,
            nat_own,
            rules,
        }))
    }

    /// The text kube-proxy hands to `iptables-restore --noflush --counters` on a full sync
    /// (without the `-X` lines for stale chains, which depend on what the kernel had).
    pub fn restore_text(&self) -> String {
        let v = &self.view;
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
        for e in self.entries.values() {
            for l in &e.rules.filter_rules {
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
        for e in self.entries.values() {
            for c in &e.rules.nat_chains {
                out.push_str(&format!(":{c} - [0:0]\n"));
            }
        }
        for l in &nat_rules_head(v) {
            push(&mut out, l);
        }
        for e in self.entries.values() {
            for l in &e.rules.nat_rules {
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
        let v = &self.view;

        // Top-level filter chains: all rebuilt on every sync.
        let mut filter_chains: BTreeMap<String, Vec<Rule>> = filter_chain_names(v)
            .into_iter()
            .map(|c| (c.to_string(), Vec::new()))
            .collect();
        let head = parse_lines(&filter_rules_head(v))?;
        let tail = parse_lines(&filter_rules_tail(v))?;
        let service_filter = self.entries.values().flat_map(|e| e.filter_typed.iter());
        for (chain, rule) in head.iter().chain(service_filter).chain(tail.iter()) {
            filter_chains
                .entry(chain.clone())
                .or_default()
                .push(rule.clone());
        }
        for (chain, rules) in filter_chains {
            filter.set_chain_rules(&chain, rules);
        }

        // Top-level nat chains, then the own chains of every (full) or changed (partial) port.
        let mut nat_chains: BTreeMap<String, Vec<Rule>> = NAT_CHAIN_NAMES
            .iter()
            .map(|c| (c.to_string(), Vec::new()))
            .collect();
        let head = parse_lines(&nat_rules_head(v))?;
        let tail = parse_lines(&nat_rules_tail(v))?;
        let shared = self.entries.values().flat_map(|e| e.nat_shared.iter());
        for (chain, rule) in head.iter().chain(shared).chain(tail.iter()) {
            nat_chains
                .entry(chain.clone())
                .or_default()
                .push(rule.clone());
        }
        for (chain, rules) in nat_chains {
            nat.set_chain_rules(&chain, rules);
        }
        let mut declared: BTreeSet<&str> = BTreeSet::new();
        for e in self.entries.values() {
            if full || self.dirty.contains(&e.rules.name) {
                for (chain, rules) in &e.nat_own {
                    nat.set_chain_rules(chain, rules.clone());
                    if !full {
                        declared.insert(chain);
                    }
                }
            }
        }

        // Delete stale service chains.
        if full {
            let active: BTreeSet<&str> = self
                .entries
                .values()
                .flat_map(|e| e.rules.nat_chains.iter().map(String::as_str))
                .collect();
            nat.remove_chains_where(|c| is_service_chain_name(c) && !active.contains(c));
        } else {
            for c in &self.removed_chains {
                if !declared.contains(c.as_str()) {
                    nat.remove_chain(c);
                }
            }
        }
        self.removed_chains.clear();
        self.dirty.clear();
        Ok(())
    }
}
