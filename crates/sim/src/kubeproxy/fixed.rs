//! The chains and rules kube-proxy writes regardless of services (pkg/proxy/iptables/proxier.go:
//! `iptablesJumpChains`, `iptablesKubeletJumpChains`, and the fixed parts of syncProxyRules).

use super::model::NodeView;
use super::service_rules::{
    KUBE_EXTERNAL_SERVICES, KUBE_FIREWALL, KUBE_FORWARD, KUBE_MARK_MASQ, KUBE_NODEPORTS,
    KUBE_POSTROUTING, KUBE_PROXY_FIREWALL, KUBE_SERVICES,
};
use crate::iptables::TableName;

/// One `iptablesJumpChain`: a rule in a built-in chain that jumps to a kube-proxy chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JumpChain {
    /// The table.
    pub table: TableName,
    /// The kube-proxy chain jumped to.
    pub dst: &'static str,
    /// The built-in chain holding the jump.
    pub src: &'static str,
    /// The `--comment` (empty = no comment match).
    pub comment: &'static str,
    /// Extra arguments written before the comment.
    pub extra: &'static str,
}

impl JumpChain {
    /// The rule arguments as syncProxyRules builds them: extraArgs, comment, `-j dst`.
    pub fn args(&self) -> String {
        let mut s = String::new();
        if !self.extra.is_empty() {
            s.push_str(self.extra);
            s.push(' ');
        }
        if !self.comment.is_empty() {
            s.push_str(&format!("-m comment --comment \"{}\" ", self.comment));
        }
        s.push_str("-j ");
        s.push_str(self.dst);
        s
    }
}

const NEW: &str = "-m conntrack --ctstate NEW";

/// `iptablesJumpChains` followed by `iptablesKubeletJumpChains`, in the order kube-proxy
/// ensures them (each with `EnsureRule(Prepend, ...)`).
pub const JUMP_CHAINS: [JumpChain; 14] = [
    jc(
        TableName::Filter,
        KUBE_EXTERNAL_SERVICES,
        "INPUT",
        "kubernetes externally-visible service portals",
        NEW,
    ),
    jc(
        TableName::Filter,
        KUBE_EXTERNAL_SERVICES,
        "FORWARD",
        "kubernetes externally-visible service portals",
        NEW,
    ),
    jc(
        TableName::Filter,
        KUBE_NODEPORTS,
        "INPUT",
        "kubernetes health check service ports",
        "",
    ),
    jc(
        TableName::Filter,
        KUBE_SERVICES,
        "FORWARD",
        "kubernetes service portals",
        NEW,
    ),
    jc(
        TableName::Filter,
        KUBE_SERVICES,
        "OUTPUT",
        "kubernetes service portals",
        NEW,
    ),
    jc(
        TableName::Filter,
        KUBE_FORWARD,
        "FORWARD",
        "kubernetes forwarding rules",
        "",
    ),
    jc(
        TableName::Filter,
        KUBE_PROXY_FIREWALL,
        "INPUT",
        "kubernetes load balancer firewall",
        NEW,
    ),
    jc(
        TableName::Filter,
        KUBE_PROXY_FIREWALL,
        "OUTPUT",
        "kubernetes load balancer firewall",
        NEW,
    ),
    jc(
        TableName::Filter,
        KUBE_PROXY_FIREWALL,
        "FORWARD",
        "kubernetes load balancer firewall",
        NEW,
    ),
    jc(
        TableName::Nat,
        KUBE_SERVICES,
        "OUTPUT",
        "kubernetes service portals",
        "",
    ),
    jc(
        TableName::Nat,
        KUBE_SERVICES,
        "PREROUTING",
        "kubernetes service portals",
        "",
    ),
    jc(
        TableName::Nat,
        KUBE_POSTROUTING,
        "POSTROUTING",
        "kubernetes postrouting rules",
        "",
    ),
    jc(TableName::Filter, KUBE_FIREWALL, "INPUT", "", ""),
    jc(TableName::Filter, KUBE_FIREWALL, "OUTPUT", "", ""),
];

const fn jc(
    table: TableName,
    dst: &'static str,
    src: &'static str,
    comment: &'static str,
    extra: &'static str,
) -> JumpChain {
    JumpChain {
        table,
        dst,
        src,
        comment,
        extra,
    }
}

/// Filter chains declared at the top of every restore (`filterChains`), in write order.
pub fn filter_chain_names(view: &NodeView) -> Vec<&'static str> {
    let mut v = vec![
        KUBE_SERVICES,
        KUBE_EXTERNAL_SERVICES,
        KUBE_FORWARD,
        KUBE_NODEPORTS,
        KUBE_PROXY_FIREWALL,
    ];
    if view.localhost_nodeports {
        v.push(KUBE_FIREWALL);
    }
    v
}

/// Nat chains declared at the top of every restore (`natChains`), in write order.
pub const NAT_CHAIN_NAMES: [&str; 4] = [
    KUBE_SERVICES,
    KUBE_NODEPORTS,
    KUBE_POSTROUTING,
    KUBE_MARK_MASQ,
];

/// Filter rules written before the per-service loop (the localnet anti-martian rule).
pub fn filter_rules_head(view: &NodeView) -> Vec<String> {
    if view.localhost_nodeports {
        vec![format!("-A {KUBE_FIREWALL} -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP")]
    } else {
        Vec::new()
    }
}

/// Filter rules written after the per-service loop (KUBE-FORWARD).
pub fn filter_rules_tail(view: &NodeView) -> Vec<String> {
    let mark = &view.masquerade_mark;
    let mut v = Vec::new();
    if !view.conntrack_tcp_be_liberal {
        let nfacct = if view.nfacct {
            " -m nfacct --nfacct-name ct_state_invalid_dropped_pkts"
        } else {
            ""
        };
        v.push(format!(
            "-A {KUBE_FORWARD} -m conntrack --ctstate INVALID{nfacct} -j DROP"
        ));
    }
    v.push(format!("-A {KUBE_FORWARD} -m comment --comment \"kubernetes forwarding rules\" -m mark --mark {mark}/{mark} -j ACCEPT"));
    v.push(format!("-A {KUBE_FORWARD} -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"));
    v
}

/// Nat rules written before the per-service loop (KUBE-POSTROUTING, KUBE-MARK-MASQ).
pub fn nat_rules_head(view: &NodeView) -> Vec<String> {
    let mark = &view.masquerade_mark;
    let fully = if view.random_fully {
        " --random-fully"
    } else {
        ""
    };
    vec![
        format!("-A {KUBE_POSTROUTING} -m mark ! --mark {mark}/{mark} -j RETURN"),
        format!("-A {KUBE_POSTROUTING} -j MARK --xor-mark {mark}"),
        format!("-A {KUBE_POSTROUTING} -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE{fully}"),
        format!("-A {KUBE_MARK_MASQ} -j MARK --or-mark {mark}"),
    ]
}

/// Nat rules written after the loop: the "must be the last rule" jump(s) to KUBE-NODEPORTS.
pub fn nat_rules_tail(view: &NodeView) -> Vec<String> {
    const COMMENT: &str =
        "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
    match &view.nodeport_addresses {
        None => {
            let extra = if view.localhost_nodeports {
                ""
            } else {
                " ! -d 127.0.0.0/8"
            };
            vec![format!("-A {KUBE_SERVICES} -m comment --comment {COMMENT} -m addrtype --dst-type LOCAL{extra} -j {KUBE_NODEPORTS}")]
        }
        Some(ips) => ips
            .iter()
            .filter(|ip| !ip.is_loopback() || view.localhost_nodeports)
            .map(|ip| {
                format!(
                    "-A {KUBE_SERVICES} -m comment --comment {COMMENT} -d {ip} -j {KUBE_NODEPORTS}"
                )
            })
            .collect(),
    }
}
