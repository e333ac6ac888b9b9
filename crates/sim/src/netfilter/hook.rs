//! The five netfilter hooks and which tables the kernel runs at each, in priority order
//! (include/uapi/linux/netfilter_ipv4.h `enum nf_ip_hook_priorities`: raw -300, conntrack
//! -200, mangle -150, DNAT -100, filter 0, SNAT 100). The lab models mangle, nat and filter;
//! raw and security are not created on a kind node.

use crate::iptables::TableName;

use super::conntrack::Manip;

/// A netfilter hook (`enum nf_inet_hooks`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hook {
    /// `NF_INET_PRE_ROUTING`: packets arriving on an interface.
    Prerouting,
    /// `NF_INET_LOCAL_IN`: packets delivered to a local socket.
    Input,
    /// `NF_INET_FORWARD`: packets routed through the node.
    Forward,
    /// `NF_INET_LOCAL_OUT`: packets a local process sends.
    Output,
    /// `NF_INET_POST_ROUTING`: every packet leaving.
    Postrouting,
}

impl Hook {
    /// The built-in chain of this hook.
    pub fn chain(self) -> &'static str {
        match self {
            Hook::Prerouting => "PREROUTING",
            Hook::Input => "INPUT",
            Hook::Forward => "FORWARD",
            Hook::Output => "OUTPUT",
            Hook::Postrouting => "POSTROUTING",
        }
    }

    /// The hook's number (`NF_INET_*`, 0–4), for per-hook arrays.
    pub(crate) fn number(self) -> usize {
        match self {
            Hook::Prerouting => 0,
            Hook::Input => 1,
            Hook::Forward => 2,
            Hook::Output => 3,
            Hook::Postrouting => 4,
        }
    }

    /// The tables registered at this hook, in the order the kernel runs them.
    pub fn tables(self) -> &'static [TableName] {
        match self {
            // mangle -150, nat (DNAT) -100
            Hook::Prerouting => &[TableName::Mangle, TableName::Nat],
            // mangle -150, filter 0, nat (SNAT) 100
            Hook::Input => &[TableName::Mangle, TableName::Filter, TableName::Nat],
            // mangle -150, filter 0
            Hook::Forward => &[TableName::Mangle, TableName::Filter],
            // mangle -150, nat (DNAT) -100, filter 0
            Hook::Output => &[TableName::Mangle, TableName::Nat, TableName::Filter],
            // mangle -150, nat (SNAT) 100
            Hook::Postrouting => &[TableName::Mangle, TableName::Nat],
        }
    }

    /// The NAT manipulation done at this hook, if any (`HOOK2MANIP`).
    pub fn manip(self) -> Option<Manip> {
        match self {
            Hook::Prerouting | Hook::Output => Some(Manip::Dst),
            Hook::Input | Hook::Postrouting => Some(Manip::Src),
            Hook::Forward => None,
        }
    }
}
