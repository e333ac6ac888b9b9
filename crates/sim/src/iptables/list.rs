//! `iptables [-t table] -L [CHAIN] [-n] [-v] [-x] [--line-numbers]` output, following
//! iptables/iptables.c `list_entries`/`print_firewall` and iptables/xshared.c `print_header`,
//! `print_rule_details`, `print_fragment`, `print_ifaces`, `print_ipv4_addresses`.

use std::fmt::Write as _;

use super::cidr::AddrMatch;
use super::numfmt::print_num;
use super::protocol::Protocol;
use super::rule::{IfaceMatch, Rule};
use super::table::{Table, TableError};
use super::version::IptablesVersion;

/// The flags of one `-L` invocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// `-n`: numeric addresses, ports and (on 1.8.9) protocols.
    pub numeric: bool,
    /// `-v`: counters and interfaces.
    pub verbose: bool,
    /// `-x`: exact counters instead of K/M/G.
    pub exact: bool,
    /// `--line-numbers`.
    pub line_numbers: bool,
    /// The iptables release (changes the `prot` column under `-n`).
    pub version: IptablesVersion,
    /// Whether the node has /etc/services, so `-L` without `-n` prints `dpt:http`.
    pub services: bool,
}

/// Renders `-L` for the whole table (`chain = None`) or one chain.
pub fn list_table(
    table: &Table,
    chain: Option<&str>,
    opts: &ListOptions,
) -> Result<String, TableError> {
    if let Some(name) = chain {
        if table.chain(name).is_none() {
            return Err(TableError::NoSuchChain(name.to_string()));
        }
    }
    let refs = table.reference_counts();
    let kmg = !opts.exact;
    let mut out = String::new();
    let mut found = false;
    for c in table.chains() {
        if chain.is_some_and(|n| n != c.name) {
            continue;
        }
        if found {
            out.push('\n');
        }
        found = true;
        // print_header
        let _ = write!(out, "Chain {}", c.name);
        match c.policy {
            Some(p) => {
                let _ = write!(out, " (policy {}", p.name());
                if opts.verbose {
                    out.push(' ');
                    out.push_str(&print_num(c.policy_counters.packets, kmg, true));
                    out.push_str("packets, ");
                    out.push_str(&print_num(c.policy_counters.bytes, kmg, true));
                    out.push_str("bytes");
                }
                out.push_str(")\n");
            }
            None => {
                let n = refs.get(c.name.as_str()).copied().unwrap_or(0);
                let _ = writeln!(out, " ({n} references)");
            }
        }
        if opts.line_numbers {
            out.push_str("num  ");
        }
        if opts.verbose {
            if kmg {
                out.push_str(" pkts bytes ");
            } else {
                out.push_str("    pkts      bytes ");
            }
        }
        out.push_str("target     prot opt");
        if opts.verbose {
            out.push_str(" in     out    ");
        }
        out.push_str(" source               destination         \n");
        for (i, r) in c.rules.iter().enumerate() {
            list_rule(&mut out, i + 1, r, opts);
        }
    }
    Ok(out)
}

fn proto_column(proto: Protocol, opts: &ListOptions) -> String {
    // print_rule_details: 1.8.9 prints the number when -n (and not -S style); 1.8.11 the name.
    let numeric_proto = opts.numeric && opts.version.numeric_protocols();
    match (numeric_proto, proto.name()) {
        (false, Some(n)) => format!("{n:<4} "),
        _ => format!("{:<4} ", proto.number()),
    }
}

fn addr_column(a: &Option<AddrMatch>, numeric: bool) -> (char, String) {
    match a {
        Some(m) => {
            let text = if m.cidr.is_any() && !numeric {
                "anywhere".to_string()
            } else {
                m.cidr.to_list_numeric()
            };
            (if m.invert { '!' } else { ' ' }, text)
        }
        None => (
            ' ',
            if numeric { "0.0.0.0/0" } else { "anywhere" }.to_string(),
        ),
    }
}

fn iface_column(i: &Option<IfaceMatch>, numeric: bool) -> String {
    let any = if numeric { "*" } else { "any" };
    match i {
        Some(m) if !m.name.is_empty() => {
            format!("{}{}", if m.invert { "!" } else { "" }, m.name)
        }
        Some(m) => format!("{}{any}", if m.invert { "!" } else { "" }),
        None => any.to_string(),
    }
}

fn list_rule(out: &mut String, num: usize, r: &Rule, opts: &ListOptions) {
    let kmg = !opts.exact;
    if opts.line_numbers {
        let _ = write!(out, "{num:<4} ");
    }
    if opts.verbose {
        out.push_str(&print_num(r.counters.packets, kmg, false));
        out.push_str(&print_num(r.counters.bytes, kmg, false));
    }
    let _ = write!(out, "{:<9} ", r.target.name());
    let (proto, pinv) = match r.protocol {
        Some(p) => (p.proto, p.invert),
        None => (Protocol::All, false),
    };
    out.push(if pinv { '!' } else { ' ' });
    out.push_str(&proto_column(proto, opts));
    // print_fragment: the lab never sets -f.
    out.push_str("-- ");
    if opts.verbose {
        let _ = write!(out, " {:<6} ", iface_column(&r.in_iface, opts.numeric));
        let _ = write!(out, "{:<6} ", iface_column(&r.out_iface, opts.numeric));
    }
    let (sinv, src) = addr_column(&r.src, opts.numeric);
    let (dinv, dst) = addr_column(&r.dst, opts.numeric);
    let _ = write!(out, "{sinv}{src:<19} {dinv}{dst:<19} ");
    for m in &r.matches {
        m.print(out, opts.numeric, opts.services);
    }
    r.target.print(out);
    out.push('\n');
}
