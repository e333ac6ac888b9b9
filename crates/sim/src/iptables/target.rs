//! Rule targets (`-j`) and their `-L`/iptables-save text.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// `REJECT --reject-with` types (extensions/libipt_REJECT.c `reject_table`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RejectWith {
    /// The default.
    #[default]
    IcmpPortUnreachable,
    /// `icmp-net-unreachable`.
    IcmpNetUnreachable,
    /// `icmp-host-unreachable`.
    IcmpHostUnreachable,
    /// `icmp-proto-unreachable`.
    IcmpProtoUnreachable,
    /// `icmp-net-prohibited`.
    IcmpNetProhibited,
    /// `icmp-host-prohibited`.
    IcmpHostProhibited,
    /// `icmp-admin-prohibited`.
    IcmpAdminProhibited,
    /// `tcp-reset`.
    TcpReset,
}

impl RejectWith {
    /// The name iptables prints.
    pub fn name(self) -> &'static str {
        match self {
            RejectWith::IcmpPortUnreachable => "icmp-port-unreachable",
            RejectWith::IcmpNetUnreachable => "icmp-net-unreachable",
            RejectWith::IcmpHostUnreachable => "icmp-host-unreachable",
            RejectWith::IcmpProtoUnreachable => "icmp-proto-unreachable",
            RejectWith::IcmpNetProhibited => "icmp-net-prohibited",
            RejectWith::IcmpHostProhibited => "icmp-host-prohibited",
            RejectWith::IcmpAdminProhibited => "icmp-admin-prohibited",
            RejectWith::TcpReset => "tcp-reset",
        }
    }

    /// Parses a `--reject-with` argument (full names only).
    pub fn parse(text: &str) -> Option<Self> {
        [
            RejectWith::IcmpPortUnreachable,
            RejectWith::IcmpNetUnreachable,
            RejectWith::IcmpHostUnreachable,
            RejectWith::IcmpProtoUnreachable,
            RejectWith::IcmpNetProhibited,
            RejectWith::IcmpHostProhibited,
            RejectWith::IcmpAdminProhibited,
            RejectWith::TcpReset,
        ]
        .into_iter()
        .find(|r| r.name() == text)
    }
}

/// A DNAT/MASQUERADE range (`nf_nat_range2`): optional address range and port range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NatRange {
    /// `min-max` addresses, if given.
    pub addrs: Option<(Ipv4Addr, Ipv4Addr)>,
    /// `min-max` ports, if given.
    pub ports: Option<(u16, u16)>,
}

impl NatRange {
    /// Parses `ip[-ip][:port[-port]]` (the IPv4 forms of libxt_NAT.c).
    pub fn parse(text: &str) -> Option<Self> {
        let (addr_part, port_part) = match text.split_once(':') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addrs = if addr_part.is_empty() {
            None
        } else {
            let (lo, hi) = match addr_part.split_once('-') {
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                None => {
                    let a: Ipv4Addr = addr_part.parse().ok()?;
                    (a, a)
                }
            };
            Some((lo, hi))
        };
        let ports = match port_part {
            None => None,
            Some(p) => Some(match p.split_once('-') {
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                None => {
                    let a: u16 = p.parse().ok()?;
                    (a, a)
                }
            }),
        };
        Some(Self { addrs, ports })
    }

    /// libxt_NAT.c sprint_range.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if let Some((lo, hi)) = self.addrs {
            let _ = write!(s, "{lo}");
            if lo != hi {
                let _ = write!(s, "-{hi}");
            }
        }
        if let Some((lo, hi)) = self.ports {
            let _ = write!(s, ":{lo}");
            if lo != hi {
                let _ = write!(s, "-{hi}");
            }
        }
        s
    }
}

/// What a rule does when it matches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Target {
    /// No `-j`: the rule only counts packets and falls through.
    #[default]
    None,
    /// `-j ACCEPT`.
    Accept,
    /// `-j DROP`.
    Drop,
    /// `-j RETURN`.
    Return,
    /// `-j CHAIN` (a user-defined chain).
    Jump(String),
    /// `-j REJECT [--reject-with T]`.
    Reject(RejectWith),
    /// `-j DNAT --to-destination R` (plus flags).
    Dnat {
        /// The destination range.
        to: NatRange,
        /// `--random`.
        random: bool,
        /// `--persistent`.
        persistent: bool,
    },
    /// `-j SNAT --to-source R` (plus flags): Docker's embedded-DNS reply rules use it.
    Snat {
        /// The source range.
        to: NatRange,
        /// `--random`.
        random: bool,
        /// `--random-fully`.
        random_fully: bool,
        /// `--persistent`.
        persistent: bool,
    },
    /// `-j MASQUERADE [--to-ports P] [--random] [--random-fully]`.
    Masquerade {
        /// `--to-ports`.
        ports: Option<(u16, u16)>,
        /// `--random`.
        random: bool,
        /// `--random-fully`.
        random_fully: bool,
    },
    /// `-j MARK`, stored as xt_mark_tginfo2: new = (old & ~mask) ^ mark.
    Mark {
        /// XOR value.
        mark: u32,
        /// Bits cleared first.
        mask: u32,
    },
}

impl Target {
    /// The text of the `target` column in `-L` and after `-j` in iptables-save.
    pub fn name(&self) -> &str {
        match self {
            Target::None => "",
            Target::Accept => "ACCEPT",
            Target::Drop => "DROP",
            Target::Return => "RETURN",
            Target::Jump(c) => c,
            Target::Reject(_) => "REJECT",
            Target::Dnat { .. } => "DNAT",
            Target::Snat { .. } => "SNAT",
            Target::Masquerade { .. } => "MASQUERADE",
            Target::Mark { .. } => "MARK",
        }
    }

    /// `--or-mark V` (libxt_MARK.c: mark = mask = V).
    pub fn or_mark(v: u32) -> Self {
        Target::Mark { mark: v, mask: v }
    }

    /// `--xor-mark V` (mark = V, mask = 0).
    pub fn xor_mark(v: u32) -> Self {
        Target::Mark { mark: v, mask: 0 }
    }

    /// `--and-mark V` (mark = 0, mask = ~V).
    pub fn and_mark(v: u32) -> Self {
        Target::Mark { mark: 0, mask: !v }
    }

    /// Appends the `-L` text (the target's `print`).
    pub fn print(&self, out: &mut String) {
        match self {
            // libipt_REJECT.c REJECT_print
            Target::Reject(w) => {
                let _ = write!(out, " reject-with {}", w.name());
            }
            // libxt_NAT.c __NAT_print with rangeopt "to:" and no flag prefix
            Target::Dnat {
                to,
                random,
                persistent,
            } => {
                let r = to.text();
                if !r.is_empty() {
                    let _ = write!(out, " to:{r}");
                }
                nat_flags(out, "", *random, false, *persistent);
            }
            // libxt_NAT.c __NAT_print for SNAT: the same "to:" range form.
            Target::Snat {
                to,
                random,
                random_fully,
                persistent,
            } => {
                let r = to.text();
                if !r.is_empty() {
                    let _ = write!(out, " to:{r}");
                }
                nat_flags(out, "", *random, *random_fully, *persistent);
            }
            // MASQUERADE: rangeopt "masq ports: ", skip_colon
            Target::Masquerade {
                ports,
                random,
                random_fully,
            } => {
                if let Some(p) = ports {
                    let r = NatRange {
                        addrs: None,
                        ports: Some(*p),
                    }
                    .text();
                    let _ = write!(out, " masq ports: {}", r.trim_start_matches(':'));
                }
                nat_flags(out, "", *random, *random_fully, false);
            }
            // libxt_MARK.c mark_tg_print
            Target::Mark { mark, mask } => {
                if *mark == 0 {
                    let _ = write!(out, " MARK and 0x{:x}", !mask);
                } else if mark == mask {
                    let _ = write!(out, " MARK or 0x{mark:x}");
                } else if *mask == 0 {
                    let _ = write!(out, " MARK xor 0x{mark:x}");
                } else if *mask == u32::MAX {
                    let _ = write!(out, " MARK set 0x{mark:x}");
                } else {
                    let _ = write!(out, " MARK xset 0x{mark:x}/0x{mask:x}");
                }
            }
            _ => {}
        }
    }

    /// Appends the iptables-save text that follows ` -j NAME`.
    pub fn save(&self, out: &mut String) {
        match self {
            Target::Reject(w) => {
                let _ = write!(out, " --reject-with {}", w.name());
            }
            Target::Dnat {
                to,
                random,
                persistent,
            } => {
                let r = to.text();
                if !r.is_empty() {
                    let _ = write!(out, " --to-destination {r}");
                }
                nat_flags(out, "--", *random, false, *persistent);
            }
            Target::Snat {
                to,
                random,
                random_fully,
                persistent,
            } => {
                let r = to.text();
                if !r.is_empty() {
                    let _ = write!(out, " --to-source {r}");
                }
                nat_flags(out, "--", *random, *random_fully, *persistent);
            }
            Target::Masquerade {
                ports,
                random,
                random_fully,
            } => {
                if let Some(p) = ports {
                    let r = NatRange {
                        addrs: None,
                        ports: Some(*p),
                    }
                    .text();
                    let _ = write!(out, " --to-ports {}", r.trim_start_matches(':'));
                }
                nat_flags(out, "--", *random, *random_fully, false);
            }
            // libxt_MARK.c mark_tg_save: always the canonical --set-xmark form.
            Target::Mark { mark, mask } => {
                let _ = write!(out, " --set-xmark 0x{mark:x}/0x{mask:x}");
            }
            _ => {}
        }
    }
}

fn nat_flags(out: &mut String, pfx: &str, random: bool, fully: bool, persistent: bool) {
    if random {
        let _ = write!(out, " {pfx}random");
    }
    if fully {
        let _ = write!(out, " {pfx}random-fully");
    }
    if persistent {
        let _ = write!(out, " {pfx}persistent");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_target_forms() {
        let (mut l, mut s) = (String::new(), String::new());
        Target::or_mark(0x4000).print(&mut l);
        Target::or_mark(0x4000).save(&mut s);
        assert_eq!(l, " MARK or 0x4000");
        assert_eq!(s, " --set-xmark 0x4000/0x4000");
        l.clear();
        s.clear();
        Target::xor_mark(0x4000).print(&mut l);
        Target::xor_mark(0x4000).save(&mut s);
        assert_eq!(l, " MARK xor 0x4000");
        assert_eq!(s, " --set-xmark 0x4000/0x0");
        l.clear();
        Target::and_mark(0xffff_bfff).print(&mut l);
        assert_eq!(l, " MARK and 0xffffbfff");
    }

    #[test]
    fn dnat_and_masquerade_forms() {
        let d = Target::Dnat {
            to: NatRange::parse("10.244.1.2:8080").unwrap(),
            random: false,
            persistent: false,
        };
        let (mut l, mut s) = (String::new(), String::new());
        d.print(&mut l);
        d.save(&mut s);
        assert_eq!(l, " to:10.244.1.2:8080");
        assert_eq!(s, " --to-destination 10.244.1.2:8080");
        let m = Target::Masquerade {
            ports: None,
            random: false,
            random_fully: true,
        };
        l.clear();
        s.clear();
        m.print(&mut l);
        m.save(&mut s);
        assert_eq!(l, " random-fully");
        assert_eq!(s, " --random-fully");
        assert!(NatRange::parse("1.2.3:80").is_none());
    }
}
