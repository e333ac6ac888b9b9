//! Typed `-m` matches and how each prints in `-L` (`print`) and in iptables-save (`save`).
//!
//! Print/save strings follow iptables 1.8.11 `extensions/libxt_*.c`; each arm names its file.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use super::numfmt::fixed_pow2;

/// `xtables_save_string` (libxtables/xtables.c): a leading space, then the value bare if it
/// is only `[_-0-9a-zA-Z]`, else double-quoted with `"`, `\` and `'` backslash-escaped.
pub fn save_string(out: &mut String, value: &str) {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b == b'_' || b == b'-' || b.is_ascii_alphanumeric());
    out.push(' ');
    if plain {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '\'') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// An inclusive port range with optional `!` (libxt_tcp.c / libxt_udp.c `xt_tcp.spts`/`dpts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PortRange {
    /// Lowest port.
    pub low: u16,
    /// Highest port (equal to `low` for a single port).
    pub high: u16,
    /// `!` given.
    pub invert: bool,
}

impl PortRange {
    /// A single, non-inverted port.
    pub fn single(port: u16) -> Self {
        Self {
            low: port,
            high: port,
            invert: false,
        }
    }

    /// Parses `80` or `1000:2000` (also `:2000`, `1000:`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.split_once(':') {
            Some((a, b)) => {
                let low = if a.is_empty() { 0 } else { a.parse().ok()? };
                let high = if b.is_empty() {
                    u16::MAX
                } else {
                    b.parse().ok()?
                };
                (low <= high).then_some(Self {
                    low,
                    high,
                    invert: false,
                })
            }
            None => text.parse().ok().map(Self::single),
        }
    }

    /// Whether `port` satisfies the range (honouring `!`).
    pub fn matches(&self, port: u16) -> bool {
        (self.low <= port && port <= self.high) != self.invert
    }
}

/// The `tcp`/`udp` match body: source and destination port ranges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PortMatch {
    /// `--sport`.
    pub sport: Option<PortRange>,
    /// `--dport`.
    pub dport: Option<PortRange>,
}

/// Route types of the `addrtype` match, in the kernel's `rtn_names` bit order (libxt_addrtype.c).
pub const ADDR_TYPE_NAMES: [&str; 12] = [
    "UNSPEC",
    "UNICAST",
    "LOCAL",
    "BROADCAST",
    "ANYCAST",
    "MULTICAST",
    "BLACKHOLE",
    "UNREACHABLE",
    "PROHIBIT",
    "THROW",
    "NAT",
    "XRESOLVE",
];

/// A set of route types as the `addrtype` bitmask (bit i = `ADDR_TYPE_NAMES[i]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AddrTypes {
    /// The bitmask.
    pub mask: u16,
    /// `!` given.
    pub invert: bool,
}

impl AddrTypes {
    /// The `LOCAL` type alone.
    pub const LOCAL: u16 = 1 << 2;

    /// Parses a comma-separated type list such as `LOCAL` or `UNICAST,LOCAL`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut mask = 0u16;
        for part in text.split(',') {
            let i = ADDR_TYPE_NAMES
                .iter()
                .position(|n| n.eq_ignore_ascii_case(part))?;
            mask |= 1 << i;
        }
        Some(Self {
            mask,
            invert: false,
        })
    }

    fn names(&self) -> String {
        let mut out = String::new();
        for (i, name) in ADDR_TYPE_NAMES.iter().enumerate() {
            if self.mask & (1 << i) != 0 {
                if !out.is_empty() {
                    out.push(',');
                }
                out.push_str(name);
            }
        }
        out
    }
}

/// Conntrack states, in the order libxt_conntrack.c `print_state` prints them.
pub const CT_STATE_NAMES: [&str; 7] = [
    "INVALID",
    "NEW",
    "RELATED",
    "ESTABLISHED",
    "UNTRACKED",
    "SNAT",
    "DNAT",
];

/// Which list `recent` consults or updates (libxt_recent.c `check_set`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecentMode {
    /// `--set`: add the address.
    Set,
    /// `--rcheck`: test for the address.
    Rcheck,
    /// `--update`: test and refresh.
    Update,
    /// `--remove`: test and delete.
    Remove,
}

/// The `recent` match (revision 1, with `--mask`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Recent {
    /// The action.
    pub mode: RecentMode,
    /// `--seconds` (0 = not given).
    pub seconds: u32,
    /// `--reap`.
    pub reap: bool,
    /// `--hitcount` (0 = not given).
    pub hit_count: u32,
    /// `--name` (default `DEFAULT`).
    pub name: String,
    /// `--mask` (default 255.255.255.255).
    pub mask: Ipv4Addr,
    /// `--rdest` (false = `--rsource`, the default).
    pub dest_side: bool,
    /// `!` given.
    pub invert: bool,
}

impl Recent {
    /// A `recent` match with iptables' defaults and the given mode and list name.
    pub fn new(mode: RecentMode, name: &str) -> Self {
        Self {
            mode,
            seconds: 0,
            reap: false,
            hit_count: 0,
            name: name.to_string(),
            mask: Ipv4Addr::BROADCAST,
            dest_side: false,
            invert: false,
        }
    }
}

/// One `-m` match of a rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Match {
    /// `-m comment --comment TEXT`.
    Comment(String),
    /// `-m tcp [--sport] [--dport]`.
    Tcp(PortMatch),
    /// `-m udp [--sport] [--dport]`.
    Udp(PortMatch),
    /// `-m sctp [--sport] [--dport]` (libxt_sctp; the lab has no chunk-type matches).
    Sctp(PortMatch),
    /// `-m addrtype [--src-type T] [--dst-type T]`.
    AddrType {
        /// `--src-type`.
        src: Option<AddrTypes>,
        /// `--dst-type`.
        dst: Option<AddrTypes>,
    },
    /// `-m mark [!] --mark value[/mask]`.
    Mark {
        /// The value compared after masking.
        value: u32,
        /// The mask (0xffffffff when not given).
        mask: u32,
        /// `!` given.
        invert: bool,
    },
    /// `-m conntrack [!] --ctstate S[,S]`, states as a bitmask over [`CT_STATE_NAMES`].
    Conntrack {
        /// Bit i set = `CT_STATE_NAMES[i]`.
        states: u8,
        /// `!` given.
        invert: bool,
    },
    /// `-m statistic --mode random --probability P`, stored as the kernel's u32.
    Statistic {
        /// `lround(0x80000000 * P)` (libxt_statistic.c).
        probability: u32,
        /// `!` given.
        invert: bool,
    },
    /// `-m recent ...`.
    Recent(Recent),
    /// `-m nfacct --nfacct-name NAME`.
    Nfacct(String),
}

impl Match {
    /// The extension name after `-m`.
    pub fn name(&self) -> &'static str {
        match self {
            Match::Comment(_) => "comment",
            Match::Tcp(_) => "tcp",
            Match::Udp(_) => "udp",
            Match::Sctp(_) => "sctp",
            Match::AddrType { .. } => "addrtype",
            Match::Mark { .. } => "mark",
            Match::Conntrack { .. } => "conntrack",
            Match::Statistic { .. } => "statistic",
            Match::Recent(_) => "recent",
            Match::Nfacct(_) => "nfacct",
        }
    }

    /// The statistic u32 for a `--probability` argument: strtod, then `lround(0x80000000 * p)`.
    pub fn probability_from_str(text: &str) -> Option<u32> {
        let p: f64 = text.trim().parse().ok()?;
        if !(0.0..=1.0).contains(&p) {
            return None;
        }
        // 2^31 * p is exact (power-of-two scaling); round() is lround's half-away-from-zero.
        let v = (p * 2_147_483_648.0).round();
        Some(v as u32)
    }

    /// The probability as iptables prints it: `%.11f` of `u32 / 2^31`.
    pub fn probability_text(probability: u32) -> String {
        fixed_pow2(u128::from(probability), 31, 11)
    }

    /// Appends the `-L` text (the extension's `print` callback; `numeric` is `-n`).
    pub fn print(&self, out: &mut String, numeric: bool, services: bool) {
        match self {
            // libxt_comment.c comment_print
            Match::Comment(c) => {
                let _ = write!(out, " /* {c} */");
            }
            // libxt_tcp.c tcp_print / libxt_udp.c udp_print
            Match::Tcp(p) => print_ports(out, "tcp", p, numeric, services),
            Match::Udp(p) => print_ports(out, "udp", p, numeric, services),
            // libxt_sctp.c sctp_print: " sctp", then spt/dpt as tcp prints them.
            Match::Sctp(p) => print_ports(out, "sctp", p, numeric, services),
            // libxt_addrtype.c addrtype_print_v1
            Match::AddrType { src, dst } => {
                out.push_str(" ADDRTYPE match");
                if let Some(s) = src {
                    out.push_str(" src-type ");
                    if s.invert {
                        out.push('!');
                    }
                    out.push_str(&s.names());
                }
                if let Some(d) = dst {
                    out.push_str(" dst-type ");
                    if d.invert {
                        out.push('!');
                    }
                    out.push_str(&d.names());
                }
            }
            // libxt_mark.c mark_mt_print + xtables_print_val_mask
            Match::Mark {
                value,
                mask,
                invert,
            } => {
                out.push_str(" mark match");
                if *invert {
                    out.push_str(" !");
                }
                print_val_mask(out, *value, *mask);
            }
            // libxt_conntrack.c conntrack_dump
            Match::Conntrack { states, invert } => {
                if *invert {
                    out.push_str(" !");
                }
                out.push_str(" ctstate");
                print_states(out, *states);
            }
            // libxt_statistic.c statistic_print
            Match::Statistic {
                probability,
                invert,
            } => {
                let _ = write!(
                    out,
                    " statistic mode random{} probability {}",
                    if *invert { " !" } else { "" },
                    Self::probability_text(*probability)
                );
            }
            // libxt_recent.c recent_print (NFPROTO_IPV4)
            Match::Recent(r) => {
                if r.invert {
                    out.push_str(" !");
                }
                out.push_str(" recent:");
                out.push_str(match r.mode {
                    RecentMode::Set => " SET",
                    RecentMode::Rcheck => " CHECK",
                    RecentMode::Update => " UPDATE",
                    RecentMode::Remove => " REMOVE",
                });
                if r.seconds != 0 {
                    let _ = write!(out, " seconds: {}", r.seconds);
                }
                if r.reap {
                    out.push_str(" reap");
                }
                if r.hit_count != 0 {
                    let _ = write!(out, " hit_count: {}", r.hit_count);
                }
                let _ = write!(out, " name: {}", r.name);
                out.push_str(if r.dest_side {
                    " side: dest"
                } else {
                    " side: source"
                });
                let _ = write!(out, " mask: {}", r.mask);
            }
            // libxt_nfacct.c nfacct_print_name: the name goes through xtables_save_string,
            // hence the double space in ` nfacct-name  NAME`.
            Match::Nfacct(name) => {
                out.push_str(" nfacct-name ");
                save_string(out, name);
            }
        }
    }

    /// Appends the iptables-save text that follows ` -m NAME` (the extension's `save`).
    pub fn save(&self, out: &mut String) {
        match self {
            Match::Comment(c) => {
                out.push_str(" --comment");
                save_string(out, c);
            }
            Match::Tcp(p) | Match::Udp(p) | Match::Sctp(p) => {
                save_port(out, "--sport", p.sport);
                save_port(out, "--dport", p.dport);
            }
            Match::AddrType { src, dst } => {
                if let Some(s) = src {
                    if s.invert {
                        out.push_str(" !");
                    }
                    out.push_str(" --src-type ");
                    out.push_str(&s.names());
                }
                if let Some(d) = dst {
                    if d.invert {
                        out.push_str(" !");
                    }
                    out.push_str(" --dst-type ");
                    out.push_str(&d.names());
                }
            }
            Match::Mark {
                value,
                mask,
                invert,
            } => {
                if *invert {
                    out.push_str(" !");
                }
                out.push_str(" --mark");
                print_val_mask(out, *value, *mask);
            }
            Match::Conntrack { states, invert } => {
                if *invert {
                    out.push_str(" !");
                }
                out.push_str(" --ctstate");
                print_states(out, *states);
            }
            Match::Statistic {
                probability,
                invert,
            } => {
                let _ = write!(
                    out,
                    " --mode random{} --probability {}",
                    if *invert { " !" } else { "" },
                    Self::probability_text(*probability)
                );
            }
            Match::Recent(r) => {
                if r.invert {
                    out.push_str(" !");
                }
                out.push_str(match r.mode {
                    RecentMode::Set => " --set",
                    RecentMode::Rcheck => " --rcheck",
                    RecentMode::Update => " --update",
                    RecentMode::Remove => " --remove",
                });
                if r.seconds != 0 {
                    let _ = write!(out, " --seconds {}", r.seconds);
                }
                if r.reap {
                    out.push_str(" --reap");
                }
                if r.hit_count != 0 {
                    let _ = write!(out, " --hitcount {}", r.hit_count);
                }
                let _ = write!(out, " --name {} --mask {}", r.name, r.mask);
                out.push_str(if r.dest_side {
                    " --rdest"
                } else {
                    " --rsource"
                });
            }
            Match::Nfacct(name) => {
                out.push_str(" --nfacct-name ");
                save_string(out, name);
            }
        }
    }
}

/// `xtables_print_val_mask` (libxtables): ` 0xV/0xM`, or ` 0xV` when the mask is all ones.
fn print_val_mask(out: &mut String, value: u32, mask: u32) {
    if mask == u32::MAX {
        let _ = write!(out, " 0x{value:x}");
    } else {
        let _ = write!(out, " 0x{value:x}/0x{mask:x}");
    }
}

fn print_states(out: &mut String, states: u8) {
    let mut sep = ' ';
    for (i, name) in CT_STATE_NAMES.iter().enumerate() {
        if states & (1 << i) != 0 {
            out.push(sep);
            out.push_str(name);
            sep = ',';
        }
    }
}

/// libxt_tcp.c skip_ports_match: a full, non-inverted range prints nothing.
fn skip_ports(r: &PortRange) -> bool {
    r.low == 0 && r.high == u16::MAX && !r.invert
}

fn print_ports(out: &mut String, proto: &str, p: &PortMatch, numeric: bool, services: bool) {
    out.push(' ');
    out.push_str(proto);
    for (name, range) in [("spt", p.sport), ("dpt", p.dport)] {
        let Some(r) = range else { continue };
        if skip_ports(&r) {
            continue;
        }
        let inv = if r.invert { "!" } else { "" };
        let port = |n: u16| port_name(proto, n, numeric, services);
        if r.low == r.high {
            let _ = write!(out, " {name}:{inv}{}", port(r.low));
        } else {
            let _ = write!(out, " {name}s:{inv}{}:{}", port(r.low), port(r.high));
        }
    }
}

/// Without `-n`, iptables looks the port up in /etc/services (getservbyport). `services`
/// says whether the node has that file; kind node images are Debian slim, whose netbase
/// entries for the ports below we reproduce.
fn port_name(proto: &str, port: u16, numeric: bool, services: bool) -> String {
    if !numeric && services {
        let name = match (proto, port) {
            ("tcp", 21) => Some("ftp"),
            (_, 22) => Some("ssh"),
            ("tcp", 23) => Some("telnet"),
            ("tcp", 25) => Some("smtp"),
            (_, 53) => Some("domain"),
            (_, 80) => Some("http"),
            (_, 443) => Some("https"),
            (_, 8080) => Some("http-alt"),
            _ => None,
        };
        if let Some(n) = name {
            return n.to_string();
        }
    }
    port.to_string()
}

fn save_port(out: &mut String, opt: &str, range: Option<PortRange>) {
    let Some(r) = range else { return };
    if skip_ports(&r) {
        return;
    }
    if r.invert {
        out.push_str(" !");
    }
    if r.low == r.high {
        let _ = write!(out, " {opt} {}", r.low);
    } else {
        let _ = write!(out, " {opt} {}:{}", r.low, r.high);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_string_quotes_like_xtables() {
        let mut s = String::new();
        save_string(&mut s, "ns1/svc1:p80");
        assert_eq!(s, " \"ns1/svc1:p80\"");
        s.clear();
        save_string(&mut s, "ct_state_invalid_dropped_pkts");
        assert_eq!(s, " ct_state_invalid_dropped_pkts");
        s.clear();
        save_string(&mut s, "a\"b'c\\");
        assert_eq!(s, " \"a\\\"b\\'c\\\\\"");
        s.clear();
        save_string(&mut s, "");
        assert_eq!(s, " \"\"");
    }

    /// KUBERNETES.md §2.1 round-trip table: kube-proxy's `%0.10f` -> stored u32 -> `%.11f`.
    #[test]
    fn probability_round_trip_table() {
        let table = [
            ("0.5000000000", 1_073_741_824u32, "0.50000000000"),
            ("0.3333333333", 715_827_883, "0.33333333349"),
            ("0.2500000000", 536_870_912, "0.25000000000"),
            ("0.2000000000", 429_496_730, "0.20000000019"),
            ("0.1666666667", 357_913_941, "0.16666666651"),
            ("0.1428571429", 306_783_378, "0.14285714272"),
            ("0.1250000000", 268_435_456, "0.12500000000"),
            ("0.1111111111", 238_609_294, "0.11111111101"),
            ("0.1000000000", 214_748_365, "0.10000000009"),
        ];
        for (written, stored, printed) in table {
            let v = Match::probability_from_str(written).unwrap();
            assert_eq!(v, stored, "{written}");
            assert_eq!(Match::probability_text(v), printed, "{written}");
        }
        assert_eq!(Match::probability_from_str("1.5"), None);
        assert_eq!(Match::probability_from_str("x"), None);
    }

    #[test]
    fn print_and_save_forms() {
        let mut l = String::new();
        let mut s = String::new();
        let m = Match::Mark {
            value: 0x4000,
            mask: 0x4000,
            invert: true,
        };
        m.print(&mut l, true, false);
        m.save(&mut s);
        assert_eq!(l, " mark match ! 0x4000/0x4000");
        assert_eq!(s, " ! --mark 0x4000/0x4000");

        let mut r = Recent::new(RecentMode::Rcheck, "KUBE-SEP-X");
        r.seconds = 10800;
        r.reap = true;
        l.clear();
        s.clear();
        Match::Recent(r).print(&mut l, true, false);
        Match::Recent(Recent::new(RecentMode::Set, "KUBE-SEP-X")).save(&mut s);
        assert_eq!(
            l,
            " recent: CHECK seconds: 10800 reap name: KUBE-SEP-X side: source mask: 255.255.255.255"
        );
        assert_eq!(
            s,
            " --set --name KUBE-SEP-X --mask 255.255.255.255 --rsource"
        );

        l.clear();
        Match::Conntrack {
            states: 0b100_1100,
            invert: true,
        }
        .print(&mut l, true, false);
        assert_eq!(l, " ! ctstate RELATED,ESTABLISHED,DNAT");

        l.clear();
        Match::Tcp(PortMatch {
            sport: None,
            dport: Some(PortRange::single(80)),
        })
        .print(&mut l, false, true);
        assert_eq!(l, " tcp dpt:http");
        l.clear();
        Match::Udp(PortMatch {
            sport: None,
            dport: PortRange::parse("1000:2000"),
        })
        .print(&mut l, true, true);
        assert_eq!(l, " udp dpts:1000:2000");

        l.clear();
        Match::Nfacct("localhost_nps_accepted_pkts".into()).print(&mut l, true, false);
        assert_eq!(l, " nfacct-name  localhost_nps_accepted_pkts");
    }
}
