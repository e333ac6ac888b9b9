//! A table (filter, nat, mangle): built-in chains in hook order, then user chains.

use std::collections::BTreeMap;

use super::chain::{Chain, Policy};
use super::rule::Rule;
use super::target::Target;

/// The tables the lab models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    /// `filter` (the default table).
    Filter,
    /// `nat`.
    Nat,
    /// `mangle`.
    Mangle,
}

impl TableName {
    /// The name used with `-t` and in `*table` lines.
    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Filter => "filter",
            TableName::Nat => "nat",
            TableName::Mangle => "mangle",
        }
    }

    /// Parses a `-t` argument.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "filter" => Some(TableName::Filter),
            "nat" => Some(TableName::Nat),
            "mangle" => Some(TableName::Mangle),
            _ => None,
        }
    }

    /// Built-in chains in netfilter hook order (the order `-L` and iptables-save use).
    pub fn builtin_chains(self) -> &'static [&'static str] {
        match self {
            TableName::Filter => &["INPUT", "FORWARD", "OUTPUT"],
            TableName::Nat => &["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
            TableName::Mangle => &["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        }
    }
}

/// Errors from table edits, worded as iptables words them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableError {
    /// The chain does not exist.
    NoSuchChain(String),
    /// The chain already exists.
    ChainExists(String),
    /// A built-in chain cannot be deleted, or a chain still referenced cannot be deleted.
    ChainBusy(String),
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableError::NoSuchChain(_) => {
                f.write_str("iptables: No chain/target/match by that name.")
            }
            TableError::ChainExists(_) => f.write_str("iptables: Chain already exists."),
            TableError::ChainBusy(_) => f.write_str("iptables: Directory not empty."),
        }
    }
}

/// A table: built-in chains (fixed, hook order) and user chains (kept sorted by name, which
/// is how both legacy libiptc and iptables-nft list them: strcmp order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    name: TableName,
    builtins: Vec<Chain>,
    user: BTreeMap<String, Chain>,
}

impl Table {
    /// A fresh table with empty built-in chains, policy ACCEPT.
    pub fn new(name: TableName) -> Self {
        Self {
            name,
            builtins: name
                .builtin_chains()
                .iter()
                .map(|c| Chain::builtin(c, Policy::Accept))
                .collect(),
            user: BTreeMap::new(),
        }
    }

    /// Which table this is.
    pub fn name(&self) -> TableName {
        self.name
    }

    /// All chains in listing order: built-ins in hook order, then user chains by strcmp.
    pub fn chains(&self) -> impl Iterator<Item = &Chain> {
        self.builtins.iter().chain(self.user.values())
    }

    /// A chain by name.
    pub fn chain(&self, name: &str) -> Option<&Chain> {
        self.builtins
            .iter()
            .find(|c| c.name == name)
            .or_else(|| self.user.get(name))
    }

    /// A chain by name, mutably (e.g. to bump counters).
    pub fn chain_mut(&mut self, name: &str) -> Option<&mut Chain> {
        if let Some(i) = self.builtins.iter().position(|c| c.name == name) {
            return self.builtins.get_mut(i);
        }
        self.user.get_mut(name)
    }

    /// Creates a user chain if missing (`iptables -N`, tolerant like kube-proxy's EnsureChain).
    pub fn ensure_chain(&mut self, name: &str) -> &mut Chain {
        if let Some(i) = self.builtins.iter().position(|c| c.name == name) {
            // Built-in names always exist; index is valid by construction.
            if let Some(c) = self.builtins.get_mut(i) {
                return c;
            }
        }
        self.user
            .entry(name.to_string())
            .or_insert_with(|| Chain::user(name))
    }

    /// `iptables -N`: errors if the chain exists.
    pub fn new_chain(&mut self, name: &str) -> Result<(), TableError> {
        if self.chain(name).is_some() {
            return Err(TableError::ChainExists(name.to_string()));
        }
        self.ensure_chain(name);
        Ok(())
    }

    /// Replaces a chain's rules, creating the chain if needed (an iptables-restore
    /// `:CHAIN - [0:0]` line followed by its `-A` lines under `--noflush`).
    pub fn set_chain_rules(&mut self, name: &str, rules: Vec<Rule>) {
        // Look up before inserting: most syncs refill chains that exist, and a lookup by
        // `&str` allocates nothing.
        if let Some(c) = self.chain_mut(name) {
            c.rules = rules;
            return;
        }
        let mut chain = Chain::user(name);
        chain.rules = rules;
        self.user.insert(name.to_string(), chain);
    }

    /// [`Self::set_chain_rules`] with an owned name, which becomes the map key when the
    /// chain is new (a full kube-proxy sync creates some 160,000 chains at 10k Services).
    pub fn set_chain_rules_owned(&mut self, name: String, rules: Vec<Rule>) {
        if let Some(c) = self.chain_mut(&name) {
            c.rules = rules;
            return;
        }
        let mut chain = Chain::user(&name);
        chain.rules = rules;
        self.user.insert(name, chain);
    }

    /// `iptables -A`.
    pub fn append(&mut self, chain: &str, rule: Rule) -> Result<(), TableError> {
        let c = self
            .chain_mut(chain)
            .ok_or_else(|| TableError::NoSuchChain(chain.to_string()))?;
        c.rules.push(rule);
        Ok(())
    }

    /// `iptables -I chain 1`.
    pub fn prepend(&mut self, chain: &str, rule: Rule) -> Result<(), TableError> {
        let c = self
            .chain_mut(chain)
            .ok_or_else(|| TableError::NoSuchChain(chain.to_string()))?;
        c.rules.insert(0, rule);
        Ok(())
    }

    /// kube-proxy's `EnsureRule(Prepend, ...)`: insert at the top unless an equal rule exists
    /// (pkg/util/iptables/iptables.go checks with `-C` first).
    pub fn ensure_rule_prepended(&mut self, chain: &str, rule: Rule) -> Result<(), TableError> {
        let c = self
            .chain_mut(chain)
            .ok_or_else(|| TableError::NoSuchChain(chain.to_string()))?;
        if !c.rules.iter().any(|r| same_rule(r, &rule)) {
            c.rules.insert(0, rule);
        }
        Ok(())
    }

    /// `iptables -X` of a user chain (it must exist and be unreferenced).
    pub fn delete_chain(&mut self, name: &str) -> Result<(), TableError> {
        if self.builtins.iter().any(|c| c.name == name) {
            return Err(TableError::ChainBusy(name.to_string()));
        }
        if !self.user.contains_key(name) {
            return Err(TableError::NoSuchChain(name.to_string()));
        }
        if self.references(name) > 0 {
            return Err(TableError::ChainBusy(name.to_string()));
        }
        self.user.remove(name);
        Ok(())
    }

    /// Removes user chains for which `stale` is true, without checks (kube-proxy's `-X`
    /// of chains it no longer writes; their jump rules are gone in the same restore).
    pub fn remove_chains_where(&mut self, mut stale: impl FnMut(&str) -> bool) {
        self.user.retain(|name, _| !stale(name));
    }

    /// Removes one user chain without checks (a `-X` inside a restore that also dropped the
    /// rules jumping to it). Returns whether it existed.
    pub fn remove_chain(&mut self, name: &str) -> bool {
        self.user.remove(name).is_some()
    }

    /// How many rules in this table jump to `chain` (the `(N references)` of `-L`).
    pub fn references(&self, chain: &str) -> usize {
        self.chains()
            .flat_map(|c| c.rules.iter())
            .filter(|r| matches!(&r.target, Target::Jump(t) if t == chain))
            .count()
    }

    /// Reference counts of every user chain, computed in one pass.
    pub fn reference_counts(&self) -> BTreeMap<&str, usize> {
        let mut counts: BTreeMap<&str, usize> = self.user.keys().map(|k| (k.as_str(), 0)).collect();
        for rule in self.chains().flat_map(|c| c.rules.iter()) {
            if let Target::Jump(t) = &rule.target {
                if let Some(n) = counts.get_mut(t.as_str()) {
                    *n += 1;
                }
            }
        }
        counts
    }

    /// Zeroes every rule and policy counter (`iptables -Z`).
    pub fn zero_counters(&mut self) {
        for c in self.builtins.iter_mut().chain(self.user.values_mut()) {
            c.policy_counters = Default::default();
            for r in &mut c.rules {
                r.counters = Default::default();
            }
        }
    }
}

/// `-C` equality: everything but the counters.
fn same_rule(a: &Rule, b: &Rule) -> bool {
    a.src == b.src
        && a.dst == b.dst
        && a.in_iface == b.in_iface
        && a.out_iface == b.out_iface
        && a.protocol == b.protocol
        && a.matches == b.matches
        && a.target == b.target
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_chains_sorted_and_references_counted() {
        let mut t = Table::new(TableName::Nat);
        t.ensure_chain("KUBE-SVC-B");
        t.ensure_chain("KUBE-MARK-MASQ");
        t.append(
            "OUTPUT",
            Rule::with_target(Target::Jump("KUBE-SVC-B".into())),
        )
        .unwrap();
        t.append(
            "PREROUTING",
            Rule::with_target(Target::Jump("KUBE-SVC-B".into())),
        )
        .unwrap();
        let names: Vec<_> = t.chains().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "PREROUTING",
                "INPUT",
                "OUTPUT",
                "POSTROUTING",
                "KUBE-MARK-MASQ",
                "KUBE-SVC-B"
            ]
        );
        assert_eq!(t.references("KUBE-SVC-B"), 2);
        assert_eq!(t.reference_counts().get("KUBE-MARK-MASQ"), Some(&0));
        assert_eq!(
            t.delete_chain("KUBE-SVC-B"),
            Err(TableError::ChainBusy("KUBE-SVC-B".into()))
        );
        assert!(t.delete_chain("KUBE-MARK-MASQ").is_ok());
        assert_eq!(
            t.append("NOPE", Rule::default()),
            Err(TableError::NoSuchChain("NOPE".into()))
        );
    }

    #[test]
    fn ensure_rule_prepended_is_idempotent() {
        let mut t = Table::new(TableName::Filter);
        t.ensure_chain("A");
        t.ensure_chain("B");
        let a = Rule::with_target(Target::Jump("A".into()));
        let b = Rule::with_target(Target::Jump("B".into()));
        t.ensure_rule_prepended("INPUT", a.clone()).unwrap();
        t.ensure_rule_prepended("INPUT", b).unwrap();
        t.ensure_rule_prepended("INPUT", a).unwrap();
        let targets: Vec<_> = t
            .chain("INPUT")
            .unwrap()
            .rules
            .iter()
            .map(|r| r.target.name())
            .collect();
        assert_eq!(targets, ["B", "A"]);
    }
}
