//! Renderer tests against verbatim upstream vectors (iptables shell testcases and
//! KUBERNETES.md §2).

use super::*;

fn numeric() -> ListOptions {
    ListOptions {
        numeric: true,
        ..Default::default()
    }
}

fn add(t: &mut Table, line: &str) {
    let (chain, rule) = parse_rule_line(line).unwrap();
    t.ensure_chain(&chain);
    t.append(&chain, rule).unwrap();
}

/// iptables/tests/shell/testcases/ipt-restore/0011-noflush-empty-line_0, trailing spaces included.
#[test]
fn noflush_empty_line_vector() {
    let mut t = Table::new(TableName::Filter);
    add(&mut t, "-A FORWARD -j ACCEPT");
    let out = list_table(&t, Some("FORWARD"), &numeric()).unwrap();
    let expect = "Chain FORWARD (policy ACCEPT)\n\
                  target     prot opt source               destination         \n\
                  ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0           \n";
    assert_eq!(out, expect);
    // 1.8.9 prints the protocol number under -n (xshared.c, commit da8ecc62).
    let old = ListOptions {
        version: IptablesVersion::V1_8_9,
        ..numeric()
    };
    let out = list_table(&t, Some("FORWARD"), &old).unwrap();
    assert!(out.ends_with("ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           \n"));
}

/// iptables/tests/shell/testcases/iptables/0002-verbose-output_0 (compared with `diff -Z`,
/// so trailing whitespace is trimmed on both sides here; the exact spaces are checked above).
#[test]
fn verbose_output_vector() {
    let mut t = Table::new(TableName::Filter);
    add(
        &mut t,
        "-A FORWARD -i eth2 -o eth3 -s 10.0.0.1 -d 10.0.0.2 -j ACCEPT",
    );
    add(
        &mut t,
        "-A FORWARD -i eth2 -o eth3 -s 10.0.0.4 -d 10.0.0.5 -j ACCEPT",
    );
    let opts = ListOptions {
        verbose: true,
        ..numeric()
    };
    let out = list_table(&t, None, &opts).unwrap();
    let trimmed: Vec<&str> = out.lines().map(str::trim_end).collect();
    let expect = "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination

Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination
    0     0 ACCEPT     all  --  eth2   eth3    10.0.0.1             10.0.0.2
    0     0 ACCEPT     all  --  eth2   eth3    10.0.0.4             10.0.0.5

Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination";
    assert_eq!(trimmed, expect.lines().collect::<Vec<_>>());
}

/// iptables/tests/shell/testcases/iptables/0001-chain-refs_0: rules inside a chain do not
/// count as references to it; jumps do.
#[test]
fn chain_refs_vector() {
    let mut t = Table::new(TableName::Filter);
    t.new_chain("foo").unwrap();
    assert!(list_table(&t, None, &ListOptions::default())
        .unwrap()
        .contains("Chain foo (0 references)\n"));
    add(&mut t, "-A foo -j ACCEPT");
    assert!(list_table(&t, None, &ListOptions::default())
        .unwrap()
        .contains("Chain foo (0 references)\n"));
    add(&mut t, "-A FORWARD -j foo");
    assert!(list_table(&t, None, &ListOptions::default())
        .unwrap()
        .contains("Chain foo (1 references)\n"));
    assert_eq!(
        t.new_chain("foo"),
        Err(TableError::ChainExists("foo".into()))
    );
}

fn kubernetes_example_nat() -> Table {
    let mut t = Table::new(TableName::Nat);
    for line in [
        "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
        "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
        "-A KUBE-SERVICES -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y",
        "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
        "-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.96.45.3 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ",
        "-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UIQK3OSOSTRHRPBX",
        "-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http -> 10.244.2.2:8080\" -j KUBE-SEP-4EX2N4PG4ASNZOBF",
        "-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ",
        "-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080",
    ] {
        add(&mut t, line);
    }
    t
}

/// KUBERNETES.md §2.2 "Rendered example" (1.8.11 naming), byte for byte.
#[test]
fn rendered_kube_example() {
    let t = kubernetes_example_nat();
    let o = numeric();
    let svc = list_table(&t, Some("KUBE-SERVICES"), &o).unwrap();
    assert_eq!(svc, "Chain KUBE-SERVICES (2 references)
target     prot opt source               destination         
KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443
KUBE-NODEPORTS  all  --  0.0.0.0/0            0.0.0.0/0            /* kubernetes service nodeports; NOTE: this must be the last rule in this chain */ ADDRTYPE match dst-type LOCAL
");
    let chain = list_table(&t, Some("KUBE-SVC-CDGGSHYLG3RE2FKL"), &o).unwrap();
    assert_eq!(chain, "Chain KUBE-SVC-CDGGSHYLG3RE2FKL (0 references)
target     prot opt source               destination         
KUBE-MARK-MASQ  tcp  -- !10.244.0.0/16        10.96.45.3           /* default/web:http cluster IP */ tcp dpt:80
KUBE-SEP-UIQK3OSOSTRHRPBX  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web:http -> 10.244.1.2:8080 */ statistic mode random probability 0.50000000000
KUBE-SEP-4EX2N4PG4ASNZOBF  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web:http -> 10.244.2.2:8080 */
");
    let sep = list_table(&t, Some("KUBE-SEP-UIQK3OSOSTRHRPBX"), &o).unwrap();
    assert_eq!(sep, "Chain KUBE-SEP-UIQK3OSOSTRHRPBX (1 references)
target     prot opt source               destination         
KUBE-MARK-MASQ  all  --  10.244.1.2           0.0.0.0/0            /* default/web:http */
DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            /* default/web:http */ tcp to:10.244.1.2:8080
");
    // For 1.8.9 only the prot column changes.
    let old = ListOptions {
        version: IptablesVersion::V1_8_9,
        ..o
    };
    let sep9 = list_table(&t, Some("KUBE-SEP-UIQK3OSOSTRHRPBX"), &old).unwrap();
    assert!(sep9.contains("\nKUBE-MARK-MASQ  0    --  10.244.1.2 "));
    assert!(sep9.contains("\nDNAT       6    --  0.0.0.0/0 "));
    // Without -n: anywhere, and port names when /etc/services exists.
    let named = ListOptions {
        numeric: false,
        services: true,
        ..Default::default()
    };
    let svc = list_table(&t, Some("KUBE-SERVICES"), &named).unwrap();
    assert!(svc.contains("KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  anywhere             10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:https\n"));
}

/// iptables-save prints -s/-d with /mask first, then -p, then matches, then -j
/// (KUBERNETES.md §2.2 "iptables-save rule order").
#[test]
fn save_reorders_like_iptables_save() {
    let t = kubernetes_example_nat();
    let header = SaveHeader {
        program: "iptables-save".into(),
        version: "1.8.11".into(),
        timestamp: "Mon Jan  6 10:00:00 2025".into(),
    };
    let out = save_table(&t, &header);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "# Generated by iptables-save v1.8.11 on Mon Jan  6 10:00:00 2025"
    );
    assert_eq!(lines[1], "*nat");
    assert_eq!(lines[2], ":PREROUTING ACCEPT [0:0]");
    assert_eq!(lines[6], ":KUBE-SEP-UIQK3OSOSTRHRPBX - [0:0]");
    assert_eq!(lines[7], ":KUBE-SERVICES - [0:0]");
    assert!(out.contains("\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y\n"));
    assert!(out.contains("\n-A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 10.244.0.0/16 -d 10.96.45.3/32 -p tcp -m comment --comment \"default/web:http cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ\n"));
    assert!(out.contains("\n-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-UIQK3OSOSTRHRPBX\n"));
    assert!(out.contains("\n-A KUBE-SEP-UIQK3OSOSTRHRPBX -s 10.244.1.2/32 -m comment --comment \"default/web:http\" -j KUBE-MARK-MASQ\n"));
    assert!(out.contains("\n-A KUBE-SEP-UIQK3OSOSTRHRPBX -p tcp -m comment --comment \"default/web:http\" -m tcp -j DNAT --to-destination 10.244.1.2:8080\n"));
    assert!(out.ends_with("COMMIT\n# Completed on Mon Jan  6 10:00:00 2025\n"));
}

#[test]
fn save_mark_and_masquerade_targets() {
    let mut t = Table::new(TableName::Nat);
    add(
        &mut t,
        "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
    );
    add(&mut t, "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000");
    add(&mut t, "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully");
    let lines: Vec<String> = t
        .chain("KUBE-POSTROUTING")
        .unwrap()
        .rules
        .iter()
        .map(|r| save_rule("KUBE-POSTROUTING", r))
        .collect();
    assert_eq!(
        lines,
        [
            "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
            "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
            "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
        ]
    );
    let l = list_table(&t, Some("KUBE-POSTROUTING"), &numeric()).unwrap();
    assert!(l.contains("RETURN     all  --  0.0.0.0/0            0.0.0.0/0            mark match ! 0x4000/0x4000\n"));
    assert!(l.contains(
        "MARK       all  --  0.0.0.0/0            0.0.0.0/0            MARK xor 0x4000\n"
    ));
    assert!(l.contains("MASQUERADE  all  --  0.0.0.0/0            0.0.0.0/0            /* kubernetes service traffic requiring SNAT */ random-fully\n"));
}

#[test]
fn verbose_counters_line_numbers_and_exact() {
    let mut t = Table::new(TableName::Filter);
    add(&mut t, "-A INPUT -p tcp --dport 22 -j ACCEPT");
    if let Some(c) = t.chain_mut("INPUT") {
        c.policy_counters = Counters {
            packets: 2446,
            bytes: 535_000,
        };
        c.rules[0].counters = Counters {
            packets: 150,
            bytes: 123_456,
        };
    }
    let o = ListOptions {
        verbose: true,
        line_numbers: true,
        ..numeric()
    };
    let out = list_table(&t, Some("INPUT"), &o).unwrap();
    assert_eq!(out, "Chain INPUT (policy ACCEPT 2446 packets, 535K bytes)
num   pkts bytes target     prot opt in     out     source               destination         
1      150  123K ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22
");
    let x = ListOptions { exact: true, ..o };
    let out = list_table(&t, Some("INPUT"), &x).unwrap();
    assert!(out.starts_with(
        "Chain INPUT (policy ACCEPT 2446 packets, 535000 bytes)\nnum      pkts      bytes target"
    ));
    assert!(out.contains("\n1         150   123456 ACCEPT     tcp  --  *      *       "));
    assert!(list_table(&t, Some("NOPE"), &o).is_err());
}

#[test]
fn no_target_rule_and_reject() {
    let mut t = Table::new(TableName::Filter);
    add(&mut t, "-A KUBE-SERVICES -m comment --comment \"ns6/svc6:p80 has no endpoints\" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT");
    add(&mut t, "-A KUBE-FW-X -m comment --comment \"other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL\"");
    let l = list_table(&t, None, &numeric()).unwrap();
    assert!(l.contains("REJECT     tcp  --  0.0.0.0/0            172.30.0.46          /* ns6/svc6:p80 has no endpoints */ tcp dpt:80 reject-with icmp-port-unreachable\n"));
    assert!(l.contains("\n           all  --  0.0.0.0/0            0.0.0.0/0            /* other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL */\n"));
    let s = save_rule("KUBE-FW-X", &t.chain("KUBE-FW-X").unwrap().rules[0]);
    assert_eq!(s, "-A KUBE-FW-X -m comment --comment \"other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL\"");
}
