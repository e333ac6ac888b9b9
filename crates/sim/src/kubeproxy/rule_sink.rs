//! Where the per-service-port generator puts its rules: as restore text
//! ([`ServicePortRules`], what kube-proxy hands iptables-restore) or as typed rules ready to
//! apply ([`TypedRules`]). One generator feeds both, so the two cannot drift apart.

use super::rule_spec::RuleSpec;
use super::service_rules::{
    ServicePortRules, KUBE_EXTERNAL_SERVICES, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL, KUBE_SERVICES,
};
use crate::iptables::{ParseError, Rule, TableName};

/// Receives one service port's rules in the order kube-proxy writes them.
pub(crate) trait RuleSink {
    /// A nat chain the service port owns (`:NAME - [0:0]`); all are declared before any rule.
    fn declare(&mut self, chain: &str);
    /// A rule for the filter table (`filterRules`).
    fn filter(&mut self, rule: RuleSpec<'_>);
    /// A rule for the nat table (`natRules`).
    fn nat(&mut self, rule: RuleSpec<'_>);
}

impl RuleSink for ServicePortRules {
    fn declare(&mut self, chain: &str) {
        self.nat_chains.push(chain.to_string());
    }

    fn filter(&mut self, rule: RuleSpec<'_>) {
        self.filter_rules.push(rule.text());
    }

    fn nat(&mut self, rule: RuleSpec<'_>) {
        self.nat_rules.push(rule.text());
    }
}

/// The top-level chains a service port adds rules to, shared by every service port.
pub(crate) const SHARED_CHAINS: [(TableName, &str); 6] = [
    (TableName::Filter, KUBE_SERVICES),
    (TableName::Filter, KUBE_EXTERNAL_SERVICES),
    (TableName::Filter, KUBE_NODEPORTS),
    (TableName::Filter, KUBE_PROXY_FIREWALL),
    (TableName::Nat, KUBE_SERVICES),
    (TableName::Nat, KUBE_NODEPORTS),
];

/// The index in [`SHARED_CHAINS`] of a table's chain, if it is one.
pub(crate) fn shared_index(table: TableName, chain: &str) -> Option<usize> {
    SHARED_CHAINS
        .iter()
        .position(|(t, c)| *t == table && *c == chain)
}

/// One service port's rules, typed: its entries in the shared top-level chains and the
/// nat chains it owns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TypedRules {
    /// Rules for the shared chains (index into [`SHARED_CHAINS`]), in write order.
    pub shared: Vec<(usize, Rule)>,
    /// The owned nat chains in declaration order, each with its rules.
    pub own: Vec<(String, Vec<Rule>)>,
    /// The first rule that could not be built (iptables-restore would reject the input).
    pub error: Option<ParseError>,
    /// Index of the own chain written last: rules come chain by chain, so the next rule
    /// almost always goes there and routing stays O(1).
    last_own: usize,
}

impl TypedRules {
    fn push(&mut self, table: TableName, spec: RuleSpec<'_>) {
        if self.error.is_some() {
            return;
        }
        let rule = match spec.to_rule() {
            Ok(rule) => rule,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        if let Some(i) = shared_index(table, spec.chain) {
            self.shared.push((i, rule));
            return;
        }
        if table != TableName::Nat {
            self.error = Some(ParseError(format!(
                "kube-proxy writes no filter rules to {}",
                spec.chain
            )));
            return;
        }
        let hinted = self
            .own
            .get(self.last_own)
            .is_some_and(|(c, _)| c == spec.chain);
        if !hinted {
            match self.own.iter().position(|(c, _)| c == spec.chain) {
                Some(i) => self.last_own = i,
                None => {
                    self.error = Some(ParseError(format!(
                        "iptables-restore: chain {} not declared",
                        spec.chain
                    )));
                    return;
                }
            }
        }
        if let Some((_, rules)) = self.own.get_mut(self.last_own) {
            rules.push(rule);
        }
    }
}

impl RuleSink for TypedRules {
    fn declare(&mut self, chain: &str) {
        self.own.push((chain.to_string(), Vec::new()));
    }

    fn filter(&mut self, rule: RuleSpec<'_>) {
        self.push(TableName::Filter, rule);
    }

    fn nat(&mut self, rule: RuleSpec<'_>) {
        self.push(TableName::Nat, rule);
    }
}
