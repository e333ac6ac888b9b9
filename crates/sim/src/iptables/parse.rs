//! Parses rule arguments (`-A CHAIN -m comment --comment "x" -j DNAT ...`) into a [`Rule`],
//! the way iptables-restore reads kube-proxy's input: matches keep the order of their `-m`,
//! `!` negates the option that follows, `-p tcp` plus `--dport` loads `tcp` implicitly.

use std::borrow::Cow;

use super::cidr::{AddrMatch, Ipv4Cidr};
use super::matches::{AddrTypes, Match, PortMatch, PortRange, Recent, RecentMode, CT_STATE_NAMES};
use super::protocol::Protocol;
use super::rule::{IfaceMatch, ProtoMatch, Rule};
use super::target::{NatRange, RejectWith, Target};

/// A parse failure, with iptables-like wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError(msg.into()))
}

/// Splits a restore line into words: whitespace-separated, `"..."` groups (with `\"` and `\\`
/// escapes) as iptables-restore's `add_param_to_argv` does.
pub fn split_words(line: &str) -> Result<Vec<String>, ParseError> {
    Ok(split_words_borrowed(line)?
        .into_iter()
        .map(Cow::into_owned)
        .collect())
}

/// [`split_words`] without copying words that need no unescaping (the common case).
fn split_words_borrowed(line: &str) -> Result<Vec<Cow<'_, str>>, ParseError> {
    let bytes = line.as_bytes();
    let mut words = Vec::with_capacity(24);
    let mut i = 0;
    while i < bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        // Fast path: a plain word, or a whole-word quoted string without escapes.
        let special = |c: &u8| c.is_ascii_whitespace() || *c == b'"' || *c == b'\\';
        let j = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(special))
            .map_or(bytes.len(), |k| i + k);
        if bytes.get(j).is_none_or(|c| c.is_ascii_whitespace()) {
            words.push(Cow::Borrowed(&line[start..j]));
            i = j;
            continue;
        }
        if b == b'"' {
            if let Some(close) = line[start + 1..].find(['"', '\\']).map(|k| k + start + 1) {
                let after = close + 1;
                if bytes.get(close) == Some(&b'"')
                    && bytes.get(after).is_none_or(|c| c.is_ascii_whitespace())
                {
                    words.push(Cow::Borrowed(&line[start + 1..close]));
                    i = after;
                    continue;
                }
            }
        }
        // Slow path: mixed quoting or escapes, character by character.
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line[start..].char_indices();
        let mut end = line.len();
        while let Some((k, c)) = chars.next() {
            match c {
                '\\' if quoted => {
                    if let Some((_, n)) = chars.next() {
                        cur.push(n);
                    }
                }
                '"' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => {
                    end = start + k;
                    break;
                }
                c => cur.push(c),
            }
        }
        if quoted {
            return err("iptables-restore: unterminated quoted string");
        }
        words.push(Cow::Owned(cur));
        i = end;
    }
    Ok(words)
}

/// Parses a restore line `-A CHAIN args...` into the chain name and the rule.
pub fn parse_rule_line(line: &str) -> Result<(String, Rule), ParseError> {
    let words = split_words_borrowed(line)?;
    match words.as_slice() {
        [a, chain, rest @ ..] if a == "-A" || a == "--append" => {
            Ok((chain.to_string(), parse_rule_args(rest)?))
        }
        _ => err(format!("iptables-restore: bad rule line: {line}")),
    }
}

fn parse_u32(text: &str) -> Option<u32> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

fn parse_val_mask(text: &str) -> Option<(u32, u32)> {
    match text.split_once('/') {
        Some((v, m)) => Some((parse_u32(v)?, parse_u32(m)?)),
        None => Some((parse_u32(text)?, u32::MAX)),
    }
}

fn parse_ctstates(text: &str) -> Option<u8> {
    let mut bits = 0u8;
    for s in text.split(',') {
        let i = CT_STATE_NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(s))?;
        bits |= 1 << i;
    }
    Some(bits)
}

/// Parses the arguments of one rule (everything after `-A CHAIN`).
pub fn parse_rule_args<S: AsRef<str>>(args: &[S]) -> Result<Rule, ParseError> {
    let mut rule = Rule::default();
    let mut invert = false;
    let mut it = args.iter().map(|s| s.as_ref());
    while let Some(opt) = it.next() {
        if opt == "!" {
            invert = true;
            continue;
        }
        let inv = std::mem::take(&mut invert);
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| ParseError(format!("option \"{name}\" requires an argument")))
        };
        match opt {
            "-s" | "--source" | "-d" | "--destination" => {
                let v = value(opt)?;
                let cidr = Ipv4Cidr::parse(v)
                    .ok_or_else(|| ParseError(format!("host/network `{v}' not found")))?;
                let m = AddrMatch { cidr, invert: inv };
                if opt.starts_with("-s") || opt == "--source" {
                    rule.src = Some(m);
                } else {
                    rule.dst = Some(m);
                }
            }
            "-i" | "--in-interface" => {
                rule.in_iface = Some(IfaceMatch {
                    name: value(opt)?.to_string(),
                    invert: inv,
                })
            }
            "-o" | "--out-interface" => {
                rule.out_iface = Some(IfaceMatch {
                    name: value(opt)?.to_string(),
                    invert: inv,
                })
            }
            "-p" | "--protocol" => {
                let v = value(opt)?;
                let proto = Protocol::parse(v)
                    .ok_or_else(|| ParseError(format!("unknown protocol \"{v}\" specified")))?;
                rule.protocol = Some(ProtoMatch { proto, invert: inv });
            }
            "-m" | "--match" => {
                let v = value(opt)?;
                rule.matches.push(new_match(v)?);
            }
            "-j" | "--jump" => {
                let v = value(opt)?;
                rule.target = new_target(v);
            }
            _ if opt.starts_with("--") => {
                let needs_value = !matches!(
                    opt,
                    "--set"
                        | "--rcheck"
                        | "--update"
                        | "--remove"
                        | "--reap"
                        | "--rsource"
                        | "--rdest"
                        | "--random"
                        | "--random-fully"
                        | "--persistent"
                );
                let v = if needs_value { value(opt)? } else { "" };
                if !apply_target_option(&mut rule.target, opt, v)? {
                    apply_match_option(&mut rule, opt, v, inv)?;
                }
            }
            _ => return err(format!("Bad argument `{opt}'")),
        }
    }
    Ok(rule)
}

fn new_match(name: &str) -> Result<Match, ParseError> {
    Ok(match name {
        "comment" => Match::Comment(String::new()),
        "tcp" => Match::Tcp(PortMatch::default()),
        "udp" => Match::Udp(PortMatch::default()),
        "sctp" => Match::Sctp(PortMatch::default()),
        "addrtype" => Match::AddrType {
            src: None,
            dst: None,
        },
        "mark" => Match::Mark {
            value: 0,
            mask: u32::MAX,
            invert: false,
        },
        "conntrack" => Match::Conntrack {
            states: 0,
            invert: false,
        },
        "statistic" => Match::Statistic {
            probability: 0,
            invert: false,
        },
        "recent" => Match::Recent(Recent::new(RecentMode::Set, "DEFAULT")),
        "nfacct" => Match::Nfacct(String::new()),
        _ => {
            return err(format!(
                "Couldn't load match `{name}':No such file or directory"
            ))
        }
    })
}

fn new_target(name: &str) -> Target {
    match name {
        "ACCEPT" => Target::Accept,
        "DROP" => Target::Drop,
        "RETURN" => Target::Return,
        "REJECT" => Target::Reject(RejectWith::default()),
        "DNAT" => Target::Dnat {
            to: NatRange::default(),
            random: false,
            persistent: false,
        },
        "SNAT" => Target::Snat {
            to: NatRange::default(),
            random: false,
            random_fully: false,
            persistent: false,
        },
        "MASQUERADE" => Target::Masquerade {
            ports: None,
            random: false,
            random_fully: false,
        },
        "MARK" => Target::Mark { mark: 0, mask: 0 },
        chain => Target::Jump(chain.to_string()),
    }
}

/// Returns Ok(true) if the option belonged to the target.
fn apply_target_option(target: &mut Target, opt: &str, v: &str) -> Result<bool, ParseError> {
    let bad = || ParseError(format!("Bad value for option \"{opt}\": \"{v}\""));
    match (target, opt) {
        (Target::Dnat { to, .. }, "--to-destination") => {
            *to = NatRange::parse(v).ok_or_else(bad)?
        }
        (Target::Dnat { random, .. }, "--random") => *random = true,
        (Target::Dnat { persistent, .. }, "--persistent") => *persistent = true,
        (Target::Snat { to, .. }, "--to-source") => *to = NatRange::parse(v).ok_or_else(bad)?,
        (Target::Snat { random, .. }, "--random") => *random = true,
        (Target::Snat { random_fully, .. }, "--random-fully") => *random_fully = true,
        (Target::Snat { persistent, .. }, "--persistent") => *persistent = true,
        (Target::Masquerade { ports, .. }, "--to-ports") => {
            *ports = NatRange::parse(&format!(":{v}")).ok_or_else(bad)?.ports
        }
        (Target::Masquerade { random, .. }, "--random") => *random = true,
        (Target::Masquerade { random_fully, .. }, "--random-fully") => *random_fully = true,
        (Target::Reject(w), "--reject-with") => *w = RejectWith::parse(v).ok_or_else(bad)?,
        (t @ Target::Mark { .. }, "--or-mark") => {
            *t = Target::or_mark(parse_u32(v).ok_or_else(bad)?)
        }
        (t @ Target::Mark { .. }, "--xor-mark") => {
            *t = Target::xor_mark(parse_u32(v).ok_or_else(bad)?)
        }
        (t @ Target::Mark { .. }, "--and-mark") => {
            *t = Target::and_mark(parse_u32(v).ok_or_else(bad)?)
        }
        (Target::Mark { mark, mask }, "--set-xmark") => {
            (*mark, *mask) = parse_val_mask(v).ok_or_else(bad)?
        }
        // libxt_MARK.c: --set-mark v/m stores mark = v, mask = v | m.
        (Target::Mark { mark, mask }, "--set-mark") => {
            let (val, m) = parse_val_mask(v).ok_or_else(bad)?;
            *mark = val;
            *mask = val | m;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn apply_match_option(rule: &mut Rule, opt: &str, v: &str, inv: bool) -> Result<(), ParseError> {
    let bad = || ParseError(format!("Bad value for option \"{opt}\": \"{v}\""));
    let is_port = matches!(
        opt,
        "--dport" | "--sport" | "--destination-port" | "--source-port"
    );
    // `-p tcp --dport 80` without `-m tcp` loads the protocol match implicitly.
    if is_port
        && !rule
            .matches
            .iter()
            .any(|m| matches!(m, Match::Tcp(_) | Match::Udp(_) | Match::Sctp(_)))
    {
        match rule.protocol.map(|p| p.proto) {
            Some(Protocol::Tcp) => rule.matches.push(Match::Tcp(PortMatch::default())),
            Some(Protocol::Udp) => rule.matches.push(Match::Udp(PortMatch::default())),
            Some(Protocol::Sctp) => rule.matches.push(Match::Sctp(PortMatch::default())),
            _ => return err(format!("unknown option \"{opt}\"")),
        }
    }
    for m in rule.matches.iter_mut().rev() {
        let handled = match (m, opt) {
            (Match::Comment(c), "--comment") => {
                *c = v.to_string();
                true
            }
            (Match::Tcp(p) | Match::Udp(p) | Match::Sctp(p), _) if is_port => {
                let mut r = PortRange::parse(v).ok_or_else(bad)?;
                r.invert = inv;
                if opt == "--dport" || opt == "--destination-port" {
                    p.dport = Some(r);
                } else {
                    p.sport = Some(r);
                }
                true
            }
            (Match::AddrType { src, dst }, "--src-type" | "--dst-type") => {
                let mut t = AddrTypes::parse(v).ok_or_else(bad)?;
                t.invert = inv;
                if opt == "--src-type" {
                    *src = Some(t);
                } else {
                    *dst = Some(t);
                }
                true
            }
            (
                Match::Mark {
                    value,
                    mask,
                    invert,
                },
                "--mark",
            ) => {
                (*value, *mask) = parse_val_mask(v).ok_or_else(bad)?;
                *invert = inv;
                true
            }
            (Match::Conntrack { states, invert }, "--ctstate") => {
                *states = parse_ctstates(v).ok_or_else(bad)?;
                *invert = inv;
                true
            }
            (Match::Statistic { .. }, "--mode") => {
                if v != "random" {
                    return err(format!("Bad mode \"{v}\""));
                }
                true
            }
            (
                Match::Statistic {
                    probability,
                    invert,
                },
                "--probability",
            ) => {
                *probability = Match::probability_from_str(v).ok_or_else(bad)?;
                *invert = inv;
                true
            }
            (Match::Recent(r), _) => {
                let known = true;
                match opt {
                    "--set" => r.mode = RecentMode::Set,
                    "--rcheck" => r.mode = RecentMode::Rcheck,
                    "--update" => r.mode = RecentMode::Update,
                    "--remove" => r.mode = RecentMode::Remove,
                    "--seconds" => r.seconds = v.parse().map_err(|_| bad())?,
                    "--hitcount" => r.hit_count = v.parse().map_err(|_| bad())?,
                    "--reap" => r.reap = true,
                    "--name" => r.name = v.to_string(),
                    "--mask" => r.mask = v.parse().map_err(|_| bad())?,
                    "--rsource" => r.dest_side = false,
                    "--rdest" => r.dest_side = true,
                    _ => return err(format!("unknown option \"{opt}\"")),
                }
                if matches!(opt, "--set" | "--rcheck" | "--update" | "--remove") {
                    r.invert = inv;
                }
                known
            }
            (Match::Nfacct(n), "--nfacct-name") => {
                *n = v.to_string();
                true
            }
            _ => false,
        };
        if handled {
            return Ok(());
        }
    }
    err(format!("unknown option \"{opt}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kube_proxy_lines() {
        let (chain, r) = parse_rule_line(
            r#"-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O"#,
        )
        .unwrap();
        assert_eq!(chain, "KUBE-SERVICES");
        assert_eq!(r.comment(), Some("ns1/svc1:p80 cluster IP"));
        assert_eq!(r.dst.unwrap().cidr.to_string(), "172.30.0.41/32");
        assert_eq!(r.matches.len(), 2);
        assert_eq!(r.target, Target::Jump("KUBE-SVC-XPGD46QRK7WJZT7O".into()));

        let (_, r) = parse_rule_line(
            "-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP",
        )
        .unwrap();
        assert!(r.src.unwrap().invert);
        assert!(!r.dst.unwrap().invert);
        assert!(matches!(
            r.matches[1],
            Match::Conntrack {
                states: 0b100_1100,
                invert: true
            }
        ));

        let (_, r) = parse_rule_line("-A X -p udp --dport 53 -j ACCEPT").unwrap();
        assert!(matches!(r.matches[0], Match::Udp(_)));
        assert!(parse_rule_line("-A X --dport 53 -j ACCEPT").is_err());
        assert!(parse_rule_line("-A X -m bogus").is_err());
        assert!(parse_rule_line("-A X -m comment --comment \"open").is_err());
        assert!(parse_rule_line("-A X -s").is_err());
        assert!(parse_rule_line("-A X -m statistic --mode random --probability 2").is_err());
    }
}
