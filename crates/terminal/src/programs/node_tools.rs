//! Tools inside a kind node container: `iptables`, `iptables-save`, `ip route`,
//! `conntrack -L` and `hostname`, reading that node's simulated kernel state.

use svclab_sim::cluster::{ctime, NodeRuntime};
use svclab_sim::iptables::{
    list_table, save_rule, save_table, IptablesVersion, ListOptions, Table,
};
use svclab_sim::netfilter::kind_save_header;

use crate::io::Output;

use super::Context;

/// kind v0.29.0 nodes (debian bookworm) ship iptables 1.8.9 with the nf_tables backend.
const IPTABLES_VERSION: IptablesVersion = IptablesVersion::V1_8_9;

/// Runs a node tool; `None` if `argv[0]` is not one.
pub fn run(argv: &[String], cluster: &str, node: &str, ctx: &mut Context<'_>) -> Option<Output> {
    let program = argv.first()?.as_str();
    if !matches!(
        program,
        "iptables" | "iptables-save" | "ip" | "conntrack" | "hostname"
    ) {
        return None;
    }
    let now = ctx.lab.now_ms();
    // A large cluster builds a node's tables only when someone looks at them.
    if let Some(c) = ctx.lab.cluster_mut(cluster) {
        c.node_tables_ready(node);
    }
    let Some(runtime) = ctx.lab.cluster(cluster).and_then(|c| c.nodes.get(node)) else {
        let mut out = Output::status(1);
        out.err("Error response from daemon: container is not running\n");
        return Some(out);
    };
    let args = argv.get(1..).unwrap_or_default();
    Some(match program {
        "iptables" => iptables(args, runtime),
        "iptables-save" => iptables_save(args, runtime, now),
        "ip" => ip(args, runtime),
        "conntrack" => conntrack(args, runtime),
        _ => {
            // Debian's hostname: `-i` resolves the name through /etc/hosts, where Docker wrote
            // the node's address.
            let mut out = Output::status(0);
            match args.first().map(String::as_str) {
                Some("-i" | "--ip-address") => out.out(format!("{}\n", runtime.ip)),
                _ => out.out(format!("{node}\n")),
            }
            out
        }
    })
}

fn table<'a>(runtime: &'a NodeRuntime, name: &str) -> Option<&'a Table> {
    match name {
        "filter" => Some(&runtime.filter),
        "nat" => Some(&runtime.nat),
        "mangle" => Some(&runtime.mangle),
        _ => None,
    }
}

fn usage_error(message: &str) -> Output {
    let mut out = Output::status(2);
    out.err(format!(
        "iptables v1.8.9 (nf_tables): {message}\nTry `iptables -h' or 'iptables --help' for more information.\n"
    ));
    out
}

/// `iptables [-t TABLE] (-L [CHAIN] | -S [CHAIN]) [-n] [-v] [-x] [--line-numbers]`.
fn iptables(args: &[String], runtime: &NodeRuntime) -> Output {
    let mut table_name = "filter".to_string();
    let mut opts = ListOptions {
        version: IPTABLES_VERSION,
        ..Default::default()
    };
    let mut command: Option<char> = None;
    let mut chain: Option<String> = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        match arg.as_str() {
            "-t" | "--table" => match args.get(i) {
                Some(t) => {
                    table_name = t.clone();
                    i += 1;
                }
                None => return usage_error("option \"-t\" requires an argument"),
            },
            "-L" | "--list" => command = Some('L'),
            "-S" | "--list-rules" => command = Some('S'),
            "-n" | "--numeric" => opts.numeric = true,
            "-v" | "--verbose" => opts.verbose = true,
            "-x" | "--exact" => opts.exact = true,
            "--line-numbers" => opts.line_numbers = true,
            "-h" | "--help" => {
                let mut out = Output::status(0);
                out.out(super::node_help::IPTABLES_HELP);
                return out;
            }
            flags if flags.starts_with('-') && !flags.starts_with("--") && flags.len() > 2 => {
                // Bundled short options such as -nL or -nvL.
                for c in flags.chars().skip(1) {
                    match c {
                        'L' => command = Some('L'),
                        'S' => command = Some('S'),
                        'n' => opts.numeric = true,
                        'v' => opts.verbose = true,
                        'x' => opts.exact = true,
                        other => return usage_error(&format!("unknown option \"-{other}\"")),
                    }
                }
            }
            other if !other.starts_with('-') && chain.is_none() => chain = Some(other.to_string()),
            other => return usage_error(&format!("unknown option \"{other}\"")),
        }
    }
    let Some(table) = table(runtime, &table_name) else {
        let mut out = Output::status(3);
        out.err(format!(
            "iptables v1.8.9 (nf_tables): table '{table_name}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n"
        ));
        return out;
    };
    match command {
        Some('L') => match list_table(table, chain.as_deref(), &opts) {
            Ok(text) => {
                let mut out = Output::status(0);
                out.out(text);
                out
            }
            Err(e) => {
                let mut out = Output::status(1);
                out.err(format!("{e}\n"));
                out
            }
        },
        Some('S') => list_rules(table, chain.as_deref()),
        _ => usage_error("no command specified"),
    }
}

/// `iptables -S`: `-P` lines for built-in chains, `-N` for user chains, then the rules.
fn list_rules(table: &Table, only: Option<&str>) -> Output {
    let mut out = Output::status(0);
    if let Some(name) = only {
        if table.chain(name).is_none() {
            out.status = 1;
            out.err("iptables: No chain/target/match by that name.\n");
            return out;
        }
    }
    let chains: Vec<_> = table
        .chains()
        .filter(|c| only.is_none_or(|n| c.name == n))
        .collect();
    for c in &chains {
        match &c.policy {
            Some(p) => out.out(format!("-P {} {}\n", c.name, p.name())),
            None => out.out(format!("-N {}\n", c.name)),
        }
    }
    for c in &chains {
        for rule in &c.rules {
            out.out(format!("{}\n", save_rule(&c.name, rule)));
        }
    }
    out
}

/// `iptables-save [-t TABLE]`: every table kube-proxy and kind touch, mangle first as
/// iptables-nft-save orders them.
fn iptables_save(args: &[String], runtime: &NodeRuntime, now_ms: u64) -> Output {
    let header = kind_save_header(&ctime(now_ms));
    let only = match args {
        [] => None,
        [flag, name] if flag == "-t" || flag == "--table" => Some(name.as_str()),
        [help] if help == "--help" => {
            let mut out = Output::status(1);
            out.err(super::node_help::IPTABLES_SAVE_HELP);
            return out;
        }
        _ => {
            let mut out = Output::status(1);
            out.err("iptables-save v1.8.9 (nf_tables): Unknown arguments found on commandline\n");
            return out;
        }
    };
    let mut out = Output::status(0);
    for name in ["mangle", "filter", "nat"] {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        if let Some(t) = table(runtime, name) {
            out.out(save_table(t, &header));
        }
    }
    if let Some(o) = only {
        if table(runtime, o).is_none() {
            out.status = 1;
            out.err(format!("iptables-save v1.8.9 (nf_tables): Cannot initialize: Table does not exist (do you need to insmod?)\n{o}\n"));
        }
    }
    out
}

/// `ip route` / `ip r` / `ip route show`.
fn ip(args: &[String], runtime: &NodeRuntime) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut out = Output::status(0);
    match words.as_slice() {
        ["route"] | ["r"] | ["route", "show"] | ["r", "s"] | ["route", "list"] => {
            out.out(runtime.routing.ip_route());
        }
        [] | ["help"] | ["-h"] | ["--help"] | ["-help"] => {
            out.status = 255;
            out.err(super::node_help::IP_USAGE);
        }
        _ => {
            out.status = 1;
            out.err("Usage: ip route [ list | show ]\n(the lab simulates `ip route` only)\n");
        }
    }
    out
}

/// `conntrack -L`: the node's connection table, then conntrack's summary line on stderr.
fn conntrack(args: &[String], runtime: &NodeRuntime) -> Output {
    let mut out = Output::status(0);
    if matches!(args.first().map(String::as_str), Some("-h" | "--help")) {
        out.out(super::node_help::CONNTRACK_USAGE);
        return out;
    }
    if !matches!(
        args.first().map(String::as_str),
        Some("-L") | Some("--dump")
    ) {
        out.status = 2;
        out.err("conntrack v1.4.7 (conntrack-tools): the lab simulates `conntrack -L` only\n");
        return out;
    }
    let entries = runtime.conntrack.entries();
    for e in entries {
        out.out(format!("{}\n", e.line()));
    }
    out.err(format!(
        "conntrack v1.4.7 (conntrack-tools): {} flow entries have been shown.\n",
        entries.len()
    ));
    out
}
