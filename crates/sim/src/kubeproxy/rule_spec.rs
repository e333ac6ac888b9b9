//! One rule as syncProxyRules writes it: the arguments in kube-proxy's order, rendered either
//! as its iptables-restore line or straight into the typed [`Rule`] that iptables-restore
//! would parse that line into. Building the typed rule directly skips formatting and
//! re-parsing some 470,000 lines at 10,000 Services, and the two renderings are checked
//! against each other by the tests (`typed_rules_equal_parsed_text`).

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use super::model::L4Protocol;
use crate::iptables::{
    AddrMatch, AddrTypes, Ipv4Cidr, Match, NatRange, ParseError, PortMatch, PortRange, ProtoMatch,
    Protocol, Recent, RecentMode, RejectWith, Rule, Target,
};

/// An address after `-s`/`-d`: a bare IP (`-d 10.96.0.1`) or a network (`-s 10.244.0.0/16`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Addr {
    /// Written without a prefix length.
    Ip(Ipv4Addr),
    /// Written `addr/len`.
    Net(Ipv4Cidr),
}

impl Addr {
    fn cidr(self) -> Ipv4Cidr {
        match self {
            Addr::Ip(ip) => Ipv4Cidr::host(ip),
            Addr::Net(n) => n,
        }
    }
}

/// One argument group of a kube-proxy rule, in the order kube-proxy appends them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'a> {
    /// `-m comment --comment TEXT`, the text wrapped in `"` when kube-proxy quotes it.
    Comment {
        /// The comment as iptables stores it.
        text: &'a str,
        /// Whether the restore line quotes it.
        quoted: bool,
    },
    /// `-m P -p P`.
    Proto(L4Protocol),
    /// `-d ADDR`.
    Dst(Addr),
    /// `[!] -s ADDR`.
    Src(Addr, bool),
    /// `--dport N` (of the preceding `-m P`).
    Dport(u16),
    /// `-m addrtype --src-type LOCAL`.
    SrcTypeLocal,
    /// `-m addrtype --dst-type LOCAL`.
    DstTypeLocal,
    /// `-m nfacct --nfacct-name NAME`.
    Nfacct(&'a str),
    /// `-m statistic --mode random --probability TEXT`, with the kernel's u32 for TEXT.
    Probability(&'a str, u32),
    /// `-m recent --name NAME --set`.
    RecentSet(&'a str),
    /// `-m recent --name NAME --rcheck --seconds N --reap`.
    RecentCheck(&'a str, u32),
}

/// What a kube-proxy rule does (`-j ...`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Verdict<'a> {
    /// No `-j` (the KUBE-FW "will be dropped" rule).
    None,
    /// `-j CHAIN`.
    Jump(&'a str),
    /// `-j ACCEPT`.
    Accept,
    /// `-j DROP`.
    Drop,
    /// `-j REJECT`.
    Reject,
    /// `-j DNAT --to-destination IP:PORT`.
    Dnat(Ipv4Addr, u16),
}

/// `-A CHAIN args... -j verdict`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RuleSpec<'a> {
    /// The chain appended to.
    pub chain: &'a str,
    /// The arguments, in write order.
    pub args: &'a [Arg<'a>],
    /// The target.
    pub verdict: Verdict<'a>,
}

impl RuleSpec<'_> {
    /// Appends the restore line (without a newline), exactly as syncProxyRules writes it.
    pub fn write_text(&self, out: &mut String) {
        out.push_str("-A ");
        out.push_str(self.chain);
        for arg in self.args {
            // Writing to a String cannot fail.
            let _ = match arg {
                Arg::Comment { text, quoted: true } => {
                    write!(out, " -m comment --comment \"{text}\"")
                }
                Arg::Comment {
                    text,
                    quoted: false,
                } => write!(out, " -m comment --comment {text}"),
                Arg::Proto(p) => write!(out, " -m {0} -p {0}", p.lower()),
                Arg::Dst(a) => write!(out, " -d {}", AddrText(*a)),
                Arg::Src(a, true) => write!(out, " ! -s {}", AddrText(*a)),
                Arg::Src(a, false) => write!(out, " -s {}", AddrText(*a)),
                Arg::Dport(p) => write!(out, " --dport {p}"),
                Arg::SrcTypeLocal => write!(out, " -m addrtype --src-type LOCAL"),
                Arg::DstTypeLocal => write!(out, " -m addrtype --dst-type LOCAL"),
                Arg::Nfacct(n) => write!(out, " -m nfacct --nfacct-name {n}"),
                Arg::Probability(text, _) => {
                    write!(out, " -m statistic --mode random --probability {text}")
                }
                Arg::RecentSet(n) => write!(out, " -m recent --name {n} --set"),
                Arg::RecentCheck(n, s) => {
                    write!(out, " -m recent --name {n} --rcheck --seconds {s} --reap")
                }
            };
        }
        let _ = match self.verdict {
            Verdict::None => Ok(()),
            Verdict::Jump(c) => write!(out, " -j {c}"),
            Verdict::Accept => write!(out, " -j ACCEPT"),
            Verdict::Drop => write!(out, " -j DROP"),
            Verdict::Reject => write!(out, " -j REJECT"),
            Verdict::Dnat(ip, port) => write!(out, " -j DNAT --to-destination {ip}:{port}"),
        };
    }

    /// The restore line as a new string.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(160);
        self.write_text(&mut s);
        s
    }

    /// The rule iptables-restore builds from [`Self::text`] (see `crate::iptables::parse`),
    /// built without the text. (SCTP Services sync too: kind's Debian iptables ships libxt_sctp,
    /// and Kubernetes' SCTP connectivity tests run on kind.)
    pub fn to_rule(self) -> Result<Rule, ParseError> {
        let mut rule = Rule::default();
        rule.matches.reserve_exact(self.match_count());
        for arg in self.args {
            match *arg {
                Arg::Comment { text, .. } => rule.matches.push(Match::Comment(text.to_string())),
                Arg::Proto(p) => {
                    let (m, proto) = match p {
                        L4Protocol::Tcp => (Match::Tcp(PortMatch::default()), Protocol::Tcp),
                        L4Protocol::Udp => (Match::Udp(PortMatch::default()), Protocol::Udp),
                        L4Protocol::Sctp => (Match::Sctp(PortMatch::default()), Protocol::Sctp),
                    };
                    rule.matches.push(m);
                    rule.protocol = Some(ProtoMatch {
                        proto,
                        invert: false,
                    });
                }
                Arg::Dst(a) => rule.dst = Some(AddrMatch::new(a.cidr())),
                Arg::Src(a, invert) => {
                    rule.src = Some(AddrMatch {
                        cidr: a.cidr(),
                        invert,
                    })
                }
                Arg::Dport(port) => {
                    // `--dport` belongs to the nearest preceding port match, as when parsed.
                    let slot = rule.matches.iter_mut().rev().find_map(|m| match m {
                        Match::Tcp(p) | Match::Udp(p) | Match::Sctp(p) => Some(p),
                        _ => None,
                    });
                    match slot {
                        Some(p) => p.dport = Some(PortRange::single(port)),
                        None => return Err(ParseError("unknown option \"--dport\"".into())),
                    }
                }
                Arg::SrcTypeLocal | Arg::DstTypeLocal => {
                    let local = Some(AddrTypes {
                        mask: AddrTypes::LOCAL,
                        invert: false,
                    });
                    let src_side = matches!(arg, Arg::SrcTypeLocal);
                    rule.matches.push(Match::AddrType {
                        src: if src_side { local } else { None },
                        dst: if src_side { None } else { local },
                    });
                }
                Arg::Nfacct(n) => rule.matches.push(Match::Nfacct(n.to_string())),
                Arg::Probability(_, probability) => rule.matches.push(Match::Statistic {
                    probability,
                    invert: false,
                }),
                Arg::RecentSet(name) => {
                    rule.matches
                        .push(Match::Recent(Recent::new(RecentMode::Set, name)));
                }
                Arg::RecentCheck(name, seconds) => {
                    let mut r = Recent::new(RecentMode::Rcheck, name);
                    r.seconds = seconds;
                    r.reap = true;
                    rule.matches.push(Match::Recent(r));
                }
            }
        }
        rule.target = match self.verdict {
            Verdict::None => Target::None,
            Verdict::Jump(c) => Target::Jump(c.to_string()),
            Verdict::Accept => Target::Accept,
            Verdict::Drop => Target::Drop,
            Verdict::Reject => Target::Reject(RejectWith::default()),
            Verdict::Dnat(ip, port) => Target::Dnat {
                to: NatRange {
                    addrs: Some((ip, ip)),
                    ports: Some((port, port)),
                },
                random: false,
                persistent: false,
            },
        };
        Ok(rule)
    }

    /// How many `-m` matches the rule gets (so its match list is allocated once, exactly).
    fn match_count(&self) -> usize {
        self.args
            .iter()
            .filter(|a| !matches!(a, Arg::Dst(_) | Arg::Src(..) | Arg::Dport(_)))
            .count()
    }
}

/// `-s`/`-d` text: an IP bare, a network as `addr/len`.
struct AddrText(Addr);

impl std::fmt::Display for AddrText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Addr::Ip(ip) => write!(f, "{ip}"),
            Addr::Net(n) => write!(f, "{n}"),
        }
    }
}
