//! A generic netfilter model (tables, chains, rules with typed matches and targets, counters)
//! and its two renderings: `iptables-save` and `iptables -L`.
//!
//! Everything printed follows iptables 1.8.x source (iptables/xshared.c, iptables/iptables.c,
//! iptables/iptables-save.c, iptables/nft-*.c, extensions/libxt_*.c); each file names the
//! functions it reproduces. IPv4 only: kind's default `ipFamily` is `ipv4`.
//!
//! ```
//! use svclab_sim::iptables::{parse_rule_line, list_table, ListOptions, Table, TableName};
//! let mut nat = Table::new(TableName::Nat);
//! nat.ensure_chain("KUBE-MARK-MASQ");
//! let (chain, rule) = parse_rule_line("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000").unwrap();
//! nat.append(&chain, rule).unwrap();
//! let text = list_table(&nat, Some("KUBE-MARK-MASQ"), &ListOptions { numeric: true, ..Default::default() }).unwrap();
//! assert!(text.ends_with("MARK or 0x4000\n"));
//! ```

mod chain;
mod cidr;
mod counters;
mod list;
mod matches;
mod numfmt;
mod parse;
mod protocol;
mod rule;
mod save;
mod table;
mod target;
mod version;

pub use chain::{Chain, Policy};
pub use cidr::{AddrMatch, Ipv4Cidr};
pub use counters::Counters;
pub use list::{list_table, ListOptions};
pub use matches::{
    save_string, AddrTypes, Match, PortMatch, PortRange, Recent, RecentMode, ADDR_TYPE_NAMES,
    CT_STATE_NAMES,
};
pub use numfmt::{fixed_f64, print_num};
pub use parse::{parse_rule_args, parse_rule_line, split_words, ParseError};
pub use protocol::Protocol;
pub use rule::{IfaceMatch, ProtoMatch, Rule};
pub use save::{save_rule, save_table, save_tables, SaveHeader};
pub use table::{Table, TableError, TableName};
pub use target::{NatRange, RejectWith, Target};
pub use version::IptablesVersion;

#[cfg(test)]
mod tests;
