//! One rule: the fixed `ipt_ip` header fields, its matches in order, a target and counters.

use super::cidr::AddrMatch;
use super::counters::Counters;
use super::matches::Match;
use super::protocol::Protocol;
use super::target::Target;

/// An interface match (`[!] -i name` / `[!] -o name`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IfaceMatch {
    /// The interface name (a trailing `+` is a wildcard).
    pub name: String,
    /// `!` given.
    pub invert: bool,
}

/// A `-p` protocol with optional `!`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProtoMatch {
    /// The protocol.
    pub proto: Protocol,
    /// `!` given.
    pub invert: bool,
}

/// A rule of a chain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rule {
    /// `-s`.
    pub src: Option<AddrMatch>,
    /// `-d`.
    pub dst: Option<AddrMatch>,
    /// `-i`.
    pub in_iface: Option<IfaceMatch>,
    /// `-o`.
    pub out_iface: Option<IfaceMatch>,
    /// `-p`.
    pub protocol: Option<ProtoMatch>,
    /// `-m` matches in the order they were given (this is the order both renderers use).
    pub matches: Vec<Match>,
    /// `-j`.
    pub target: Target,
    /// Packets/bytes that reached the target.
    pub counters: Counters,
}

impl Rule {
    /// A rule with only a target.
    pub fn with_target(target: Target) -> Self {
        Self {
            target,
            ..Self::default()
        }
    }

    /// The comment text, if the rule has a comment match.
    pub fn comment(&self) -> Option<&str> {
        self.matches.iter().find_map(|m| match m {
            Match::Comment(c) => Some(c.as_str()),
            _ => None,
        })
    }
}
