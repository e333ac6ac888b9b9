//! A chain: built-in (with a policy and policy counters) or user-defined.

use super::counters::Counters;
use super::rule::Rule;

/// A built-in chain's default verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    /// `ACCEPT`.
    Accept,
    /// `DROP`.
    Drop,
}

impl Policy {
    /// The printed name.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Accept => "ACCEPT",
            Policy::Drop => "DROP",
        }
    }
}

/// A chain and its rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    /// The chain name.
    pub name: String,
    /// `Some` for built-in chains.
    pub policy: Option<Policy>,
    /// Packets that fell off the end of a built-in chain and got the policy.
    pub policy_counters: Counters,
    /// The rules, first to last.
    pub rules: Vec<Rule>,
}

impl Chain {
    /// A built-in chain with the given policy.
    pub fn builtin(name: &str, policy: Policy) -> Self {
        Self {
            name: name.to_string(),
            policy: Some(policy),
            policy_counters: Counters::default(),
            rules: Vec::new(),
        }
    }

    /// An empty user-defined chain.
    pub fn user(name: &str) -> Self {
        Self {
            name: name.to_string(),
            policy: None,
            policy_counters: Counters::default(),
            rules: Vec::new(),
        }
    }

    /// Whether this is a built-in chain.
    pub fn is_builtin(&self) -> bool {
        self.policy.is_some()
    }
}
