//! The rule walk of one hook over one node's tables, following the kernel's `ipt_do_table`
//! (net/ipv4/netfilter/ip_tables.c; iptables-nft's `nft_do_chain` has the same semantics):
//!
//! - rules in order; a rule matches when `ip_packet_match` (addresses, interfaces, `-p`) and
//!   then every `-m` match in order hold (matches short-circuit, so a `statistic` draw happens
//!   only when everything before it matched);
//! - a matching rule's counters are bumped (`ADD_COUNTER(*counter, skb->len, 1)`) before its
//!   target runs, whatever the target;
//! - a jump pushes a return frame; RETURN or the end of a user chain pops it; RETURN in a
//!   built-in chain, or its end, applies the chain's policy and bumps the policy counters
//!   (the "underflow" entry);
//! - ACCEPT ends this table (the next table of the hook runs), DROP/REJECT end the hook;
//!   DNAT/MASQUERADE set up the NAT binding and return NF_ACCEPT; MARK and no-target rules
//!   fall through.
//!
//! The nat table is consulted only for a connection's first packet and only once per
//! manipulation type (nf_nat_inet_fn: `if (!nf_nat_initialized(ct, maniptype))`); later packets
//! are rewritten from the conntrack entry instead.

use std::net::Ipv4Addr;

use crate::iptables::{
    save_rule, IfaceMatch, Match, NatRange, Policy, RejectWith, Rule, Table, TableName, Target,
};
use crate::random::LabRng;

use super::conntrack::{apply_established_nat, Conntrack, Manip};
use super::dst_index::MIN_INDEXED_RULES;
use super::hook::Hook;
use super::packet::{CtState, Packet, L4};
use super::recent::RecentTables;
use super::routing::NodeRouting;
use super::run::{NodeView, TableRun};
use super::walk_memo::{Ending, Recording, Step};

/// Deepest jump stack allowed. The kernel refuses loops when rules are loaded
/// (`mark_source_chains`); the lab's tables can be edited freely, so the walk guards itself.
pub const MAX_JUMP_DEPTH: usize = 64;
/// Most rules one table walk may visit before giving up (a loop through RETURNs cannot
/// exceed the depth limit but could spin; 10k Services make KUBE-SERVICES ~10k rules long).
pub const MAX_RULE_VISITS: usize = 1_000_000;

/// One node's netfilter state, borrowed for a walk.
#[derive(Debug)]
pub struct NodeNet<'a> {
    /// The filter table.
    pub filter: &'a mut Table,
    /// The nat table.
    pub nat: &'a mut Table,
    /// The mangle table.
    pub mangle: &'a mut Table,
    /// The node's conntrack table.
    pub conntrack: &'a mut Conntrack,
    /// The node's `recent` lists.
    pub recent: &'a mut RecentTables,
    /// Addresses and routes (for `addrtype`, routing, MASQUERADE).
    pub routing: &'a NodeRouting,
    /// `net.ipv4.conf.all.route_localnet` (kube-proxy sets it to 1 when `localhostNodePorts`
    /// is on, pkg/proxy/iptables/proxier.go `NewProxier`): lets 127/8 addresses be routed
    /// off `lo`, which localhost NodePorts and kind's DNS DNAT to 127.0.0.11 rely on.
    pub route_localnet: bool,
}

/// The interfaces of the hook being run (`state->in`, `state->out`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookIfaces {
    /// The input device (None at OUTPUT/POSTROUTING of local packets).
    pub in_iface: Option<String>,
    /// The output device (None at PREROUTING/INPUT).
    pub out_iface: Option<String>,
    /// The output device's address, what MASQUERADE rewrites the source to.
    pub out_addr: Option<Ipv4Addr>,
}

/// The outcome of a hook (the `NF_*` verdict the hook returns).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// `NF_ACCEPT`: the packet continues.
    Accept,
    /// `NF_DROP`.
    Drop,
    /// Dropped by REJECT, which also sends the error it names.
    Reject(RejectWith),
}

/// One rule (or chain policy) that matched a packet.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TraceEntry {
    /// The hook.
    pub hook: Hook,
    /// The table.
    pub table: TableName,
    /// The chain.
    pub chain: String,
    /// The 1-based rule number (`iptables -L --line-numbers`); None when the chain's policy
    /// applied.
    pub rule: Option<usize>,
    /// The rule as `iptables -S` prints it (`-A CHAIN …`), or `-P CHAIN POLICY`.
    pub text: String,
    /// The target name (empty for a rule without one).
    pub target: String,
    /// The rule's comment, if any.
    pub comment: Option<String>,
}

impl TraceEntry {
    /// A one-line rendering for the terminal: `nat PREROUTING #1 -A PREROUTING …`.
    pub fn line(&self) -> String {
        match self.rule {
            Some(n) => format!("{} {} #{n} {}", self.table.as_str(), self.chain, self.text),
            None => format!(
                "{} {} policy {}",
                self.table.as_str(),
                self.chain,
                self.text
            ),
        }
    }
}

/// What one hook did to a packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookOutcome {
    /// The verdict.
    pub verdict: Verdict,
    /// The rules that matched, in order.
    pub trace: Vec<TraceEntry>,
    /// Things the kernel would not have let happen (a loop, a jump to a missing chain, a NAT
    /// target outside its table); the walk recovers and reports them.
    pub warnings: Vec<String>,
}

/// What a walk writes down besides counters. A batch of requests turns tracing off: the
/// `iptables -S` text of every matched rule costs more than the walk itself.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// Whether to record hooks and matched rules.
    pub tracing: bool,
    /// The hooks run, in order (when tracing).
    pub hooks: Vec<Hook>,
    /// The rules that matched, in order (when tracing).
    pub trace: Vec<TraceEntry>,
    /// Recovered inconsistencies (always kept: they are rare and explain a drop).
    pub warnings: Vec<String>,
}

impl Notes {
    /// Notes that record everything.
    pub(crate) fn tracing() -> Self {
        Self {
            tracing: true,
            ..Self::default()
        }
    }
}

/// [`HookIfaces`] borrowing its device names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct IfacesRef<'a> {
    /// The input device.
    pub in_iface: Option<&'a str>,
    /// The output device.
    pub out_iface: Option<&'a str>,
    /// The output device's address.
    pub out_addr: Option<Ipv4Addr>,
    /// The input and output devices' numbers in a run of walks ([`NodeView::device`]), by
    /// which remembered walks are found; None outside a run (nothing is remembered).
    pub numbers: Option<(u32, u32)>,
}

impl HookIfaces {
    fn as_ref(&self) -> IfacesRef<'_> {
        IfacesRef {
            in_iface: self.in_iface.as_deref(),
            out_iface: self.out_iface.as_deref(),
            out_addr: self.out_addr,
            numbers: None,
        }
    }
}

/// Runs one hook over the node's tables in the kernel's table order and returns the verdict
/// and the trace. Counters, marks, NAT bindings, `recent` lists and the packet are updated.
pub fn run_hook(
    node: &mut NodeNet<'_>,
    hook: Hook,
    pkt: &mut Packet,
    ifaces: &HookIfaces,
    rng: &mut LabRng,
    now_ms: u64,
) -> HookOutcome {
    let mut notes = Notes::tracing();
    let mut view = NodeView::of(node);
    let verdict = run_hook_in(
        &mut view,
        hook,
        pkt,
        ifaces.as_ref(),
        rng,
        now_ms,
        &mut notes,
    );
    let deltas = view.into_deltas();
    deltas.apply(node.filter, node.nat, node.mangle);
    HookOutcome {
        verdict,
        trace: notes.trace,
        warnings: notes.warnings,
    }
}

/// [`run_hook`] over a borrowed node; counters go to the view's deltas.
pub(crate) fn run_hook_in(
    node: &mut NodeView<'_>,
    hook: Hook,
    pkt: &mut Packet,
    ifaces: IfacesRef<'_>,
    rng: &mut LabRng,
    now_ms: u64,
    notes: &mut Notes,
) -> Verdict {
    let mut ctx = Ctx {
        hook,
        table_name: TableName::Mangle,
        recent: &mut *node.recent,
        routing: node.routing,
        rng,
        now_ms,
        ifaces,
    };
    for &name in hook.tables() {
        ctx.table_name = name;
        let table = match name {
            TableName::Filter => &mut node.filter,
            TableName::Nat => &mut node.nat,
            TableName::Mangle => &mut node.mangle,
        };
        if name == TableName::Nat {
            let Some(manip) = hook.manip() else { continue };
            let done = match manip {
                Manip::Dst => pkt.ct.dst_nat_done,
                Manip::Src => pkt.ct.src_nat_done,
            };
            if pkt.ct.state != CtState::New || done {
                // Later packets: the binding rewrites them, no rules run (nf_nat_packet).
                apply_established_nat(pkt, manip);
                continue;
            }
            let v = walk_table(table, &mut ctx, pkt, notes);
            // The binding exists now, even a null one (nf_nat_alloc_null_binding).
            match manip {
                Manip::Dst => pkt.ct.dst_nat_done = true,
                Manip::Src => pkt.ct.src_nat_done = true,
            }
            if v != Verdict::Accept {
                return v;
            }
            continue;
        }
        // An empty built-in mangle chain is as good as absent: iptables-nft registers a base
        // chain only once something created it, and kind puts no rules there.
        if name == TableName::Mangle
            && table
                .builtin(hook)
                .and_then(|id| table.chain(id))
                .is_none_or(|c| c.rules.is_empty())
        {
            continue;
        }
        let v = walk_table(table, &mut ctx, pkt, notes);
        if v != Verdict::Accept {
            return v;
        }
    }
    Verdict::Accept
}

/// What one table walk reads besides the packet and the rules.
pub(super) struct Ctx<'a> {
    pub(super) hook: Hook,
    table_name: TableName,
    recent: &'a mut RecentTables,
    routing: &'a NodeRouting,
    rng: &'a mut LabRng,
    now_ms: u64,
    pub(super) ifaces: IfacesRef<'a>,
}

/// `ipt_do_table` for one table at one hook. A walk without a trace replays the table's
/// remembered walk for the packet ([`super::walk_memo`]).
fn walk_table(
    table: &mut TableRun<'_>,
    ctx: &mut Ctx<'_>,
    pkt: &mut Packet,
    notes: &mut Notes,
) -> Verdict {
    let mut stack = std::mem::take(&mut table.stack);
    stack.clear();
    let memo = match ctx.ifaces.numbers {
        Some(_) if !notes.tracing && super::run::remembering_walks() => {
            Some(table.memo.take().unwrap_or_default())
        }
        _ => None,
    };
    let v = match memo {
        None => walk_chains(table, ctx, pkt, notes, &mut stack, WalkFrom::Start, None),
        Some(mut memo) => {
            let v = memo.walk(table, ctx, pkt, notes, &mut stack);
            table.memo = Some(memo);
            v
        }
    };
    table.stack = stack;
    v
}

/// Where a walk starts.
#[derive(Clone, Copy, Debug)]
pub(super) enum WalkFrom {
    /// The hook's built-in chain, first rule.
    Start,
    /// Rule `rule` of chain `chain`, whose match is already decided (`matched`); the jump
    /// stack is the caller's.
    Rule {
        chain: u32,
        rule: usize,
        matched: bool,
    },
}

/// The walk of the rules, from `from`; with `rec`, written down as it goes.
pub(super) fn walk_chains(
    table: &mut TableRun<'_>,
    ctx: &mut Ctx<'_>,
    pkt: &mut Packet,
    notes: &mut Notes,
    stack: &mut Vec<(u32, usize)>,
    from: WalkFrom,
    mut rec: Option<&mut Recording<'_>>,
) -> Verdict {
    let builtin = ctx.hook.chain();
    let Some(start) = table.builtin(ctx.hook) else {
        return Verdict::Accept;
    };
    let (mut id, mut idx, mut decided) = match from {
        WalkFrom::Start => (start, 0usize, None),
        WalkFrom::Rule {
            chain,
            rule,
            matched,
        } => (chain, rule, Some(matched)),
    };
    let Some(mut chain) = table.chain(id) else {
        return Verdict::Accept;
    };
    let mut visits = 0usize;
    loop {
        visits += 1;
        if visits > MAX_RULE_VISITS {
            notes.warnings.push(format!(
                "{} {}: gave up after {MAX_RULE_VISITS} rules (a loop?); packet dropped",
                ctx.table_name.as_str(),
                builtin
            ));
            return Verdict::Drop;
        }
        if decided.is_none() && chain.rules.len() >= MIN_INDEXED_RULES {
            idx = table.next_candidate(id, idx, pkt.dst);
        }
        let Some(rule) = chain.rules.get(idx) else {
            match chain.policy {
                Some(policy) => return apply_policy(table, start, ctx, policy, pkt, notes, rec),
                // The implicit RETURN at the end of a user chain.
                None => match stack.pop().and_then(|(c, i)| Some((c, table.chain(c)?, i))) {
                    Some((c, ch, i)) => {
                        (id, chain, idx) = (c, ch, i);
                        continue;
                    }
                    None => return Verdict::Accept,
                },
            }
        };
        let matched = match (decided.take(), rec.as_deref_mut()) {
            (Some(m), _) => m,
            (None, None) => rule_matches(rule, pkt, ctx),
            (None, Some(r)) => match fixed_part(rule, pkt, ctx) {
                FixedPart::Decides(m) => m,
                FixedPart::Live { live, fixed_hold } => {
                    let m = live_matches_hold(rule, live, pkt, ctx) && fixed_hold;
                    r.split((id, idx), (live, fixed_hold), stack, m);
                    m
                }
                FixedPart::TooMany => {
                    r.spoil();
                    rule_matches(rule, pkt, ctx)
                }
            },
        };
        if !matched {
            idx += 1;
            continue;
        }
        table.hit(id, idx, pkt.len);
        if let Some(r) = rec.as_deref_mut() {
            r.step(Step::Hit {
                chain: id,
                rule: u32::try_from(idx).unwrap_or(u32::MAX),
            });
        }
        if notes.tracing {
            notes.trace.push(TraceEntry {
                hook: ctx.hook,
                table: ctx.table_name,
                chain: chain.name.clone(),
                rule: Some(idx + 1),
                text: save_rule(&chain.name, rule),
                target: rule.target.name().to_string(),
                comment: rule.comment().map(str::to_string),
            });
        }
        match &rule.target {
            Target::None => idx += 1,
            Target::Mark { mark, mask } => {
                // xt_MARK.c mark_tg: skb->mark = (skb->mark & ~info->mask) ^ info->mark
                pkt.mark = (pkt.mark & !mask) ^ mark;
                if let Some(r) = rec.as_deref_mut() {
                    r.mark(*mark, *mask);
                }
                idx += 1;
            }
            Target::Accept => return Verdict::Accept,
            Target::Drop => return Verdict::Drop,
            Target::Reject(w) => return Verdict::Reject(*w),
            Target::Return => match stack.pop().and_then(|(c, i)| Some((c, table.chain(c)?, i))) {
                Some((c, ch, i)) => (id, chain, idx) = (c, ch, i),
                None => {
                    let policy = table
                        .chain(start)
                        .and_then(|c| c.policy)
                        .unwrap_or(Policy::Accept);
                    return apply_policy(table, start, ctx, policy, pkt, notes, rec);
                }
            },
            Target::Jump(next) => match table.jump(id, idx, next) {
                None => {
                    notes.warnings.push(format!(
                        "{} {} rule {}: no user chain {next}; rule ignored",
                        ctx.table_name.as_str(),
                        chain.name,
                        idx + 1
                    ));
                    idx += 1;
                }
                Some(_) if stack.len() >= MAX_JUMP_DEPTH => {
                    notes.warnings.push(format!(
                        "{} {}: jumps nested deeper than {MAX_JUMP_DEPTH} (a loop?); packet dropped",
                        ctx.table_name.as_str(),
                        builtin
                    ));
                    return Verdict::Drop;
                }
                Some(to) => {
                    let Some(ch) = table.chain(to) else {
                        idx += 1;
                        continue;
                    };
                    stack.push((id, idx + 1));
                    (id, chain, idx) = (to, ch, 0);
                }
            },
            Target::Dnat { .. } | Target::Snat { .. } | Target::Masquerade { .. } => {
                match nat_target(&rule.target, ctx, pkt) {
                    Ok(v) => {
                        if let Some(r) = rec.as_deref_mut() {
                            r.end(Ending::Nat {
                                chain: id,
                                rule: u32::try_from(idx).unwrap_or(u32::MAX),
                            });
                        }
                        return v;
                    }
                    Err(NatMisuse::NoAddress) => {
                        // nf_nat_masquerade_ipv4: "%s ate my IP address" → NF_DROP.
                        notes.warnings.push(format!(
                            "MASQUERADE: no address on {}; packet dropped",
                            ctx.ifaces.out_iface.unwrap_or("?")
                        ));
                        return Verdict::Drop;
                    }
                    Err(NatMisuse::OutOfPlace(only)) => {
                        notes.warnings.push(format!(
                            "{} is only valid in the nat table's {only} (rule {} of {})",
                            rule.target.name(),
                            idx + 1,
                            chain.name
                        ));
                        idx += 1;
                    }
                }
            }
        }
    }
}

/// Why a NAT target did nothing.
pub(super) enum NatMisuse {
    /// Used outside the hooks its table allows (the kernel refuses such a rule at load time).
    OutOfPlace(&'static str),
    /// MASQUERADE out of a device without an address.
    NoAddress,
}

/// A DNAT, SNAT or MASQUERADE target applied to the packet: the walk of the table ends with
/// ACCEPT (the NAT binding is set up).
pub(super) fn nat_target(
    target: &Target,
    ctx: &mut Ctx<'_>,
    pkt: &mut Packet,
) -> Result<Verdict, NatMisuse> {
    let nat = ctx.table_name == TableName::Nat;
    match target {
        Target::Dnat { to, .. } => {
            if !(nat && matches!(ctx.hook, Hook::Prerouting | Hook::Output)) {
                return Err(NatMisuse::OutOfPlace("PREROUTING/OUTPUT"));
            }
            dnat(pkt, to);
        }
        Target::Snat { to, .. } => {
            if !(nat && matches!(ctx.hook, Hook::Postrouting | Hook::Input)) {
                return Err(NatMisuse::OutOfPlace("POSTROUTING/INPUT"));
            }
            snat(pkt, to);
        }
        Target::Masquerade {
            ports,
            random_fully,
            ..
        } => {
            if !(nat && ctx.hook == Hook::Postrouting) {
                return Err(NatMisuse::OutOfPlace("POSTROUTING"));
            }
            let addr = ctx.ifaces.out_addr.ok_or(NatMisuse::NoAddress)?;
            masquerade(pkt, addr, *ports, *random_fully, ctx.rng);
        }
        _ => return Err(NatMisuse::OutOfPlace("tables")),
    }
    Ok(Verdict::Accept)
}

/// The built-in chain's underflow entry: its counters and its verdict.
fn apply_policy(
    table: &mut TableRun<'_>,
    builtin_id: u32,
    ctx: &Ctx<'_>,
    policy: Policy,
    pkt: &Packet,
    notes: &mut Notes,
    rec: Option<&mut Recording<'_>>,
) -> Verdict {
    let builtin = ctx.hook.chain();
    table.hit_policy(builtin_id, pkt.len);
    if let Some(r) = rec {
        r.step(Step::Policy { chain: builtin_id });
    }
    if notes.tracing {
        notes.trace.push(TraceEntry {
            hook: ctx.hook,
            table: ctx.table_name,
            chain: builtin.to_string(),
            rule: None,
            text: format!("-P {builtin} {}", policy.name()),
            target: policy.name().to_string(),
            comment: None,
        });
    }
    match policy {
        Policy::Accept => Verdict::Accept,
        Policy::Drop => Verdict::Drop,
    }
}

/// `ip_packet_match` followed by every `-m` match, in order.
fn rule_matches(rule: &Rule, pkt: &Packet, ctx: &mut Ctx<'_>) -> bool {
    header_matches(rule, pkt, ctx) && rule.matches.iter().all(|m| match_one(m, pkt, ctx))
}

/// `ip_packet_match`: addresses, devices and protocol.
fn header_matches(rule: &Rule, pkt: &Packet, ctx: &Ctx<'_>) -> bool {
    if rule.src.is_some_and(|a| !a.matches(pkt.src))
        || rule.dst.is_some_and(|a| !a.matches(pkt.dst))
    {
        return false;
    }
    if !iface_matches(rule.in_iface.as_ref(), ctx.ifaces.in_iface)
        || !iface_matches(rule.out_iface.as_ref(), ctx.ifaces.out_iface)
    {
        return false;
    }
    // Protocol 0 ("all") matches everything, even with `!` (ip_packet_match tests
    // `ipinfo->proto &&` first).
    if let Some(p) = rule.protocol {
        let want = p.proto.number();
        if want != 0 && (pkt.proto.protocol().number() == want) == p.invert {
            return false;
        }
    }
    true
}

/// Whether a match reads what a remembered walk's key leaves out: a random draw, the
/// `recent` lists, or the source port.
fn is_live(m: &Match) -> bool {
    match m {
        Match::Statistic { .. } | Match::Recent(_) => true,
        Match::Tcp(p) | Match::Udp(p) => p.sport.is_some(),
        _ => false,
    }
}

/// What a rule's fixed parts say about a packet.
pub(super) enum FixedPart {
    /// The rule matches or not, whatever its live matches say (it has none the kernel
    /// would evaluate).
    Decides(bool),
    /// The kernel evaluates the live matches at these positions (a bit each) in order; the
    /// rule matches when they all hold and `fixed_hold`.
    Live { live: u32, fixed_hold: bool },
    /// Live matches past the 32nd: the walk cannot be written down.
    TooMany,
}

/// The rule's header and fixed matches decided without side effects, in the kernel's order:
/// live matches after the first fixed match that fails are never evaluated.
pub(super) fn fixed_part(rule: &Rule, pkt: &Packet, ctx: &mut Ctx<'_>) -> FixedPart {
    if !header_matches(rule, pkt, ctx) {
        return FixedPart::Decides(false);
    }
    let mut live = 0u32;
    let mut fixed_hold = true;
    for (i, m) in rule.matches.iter().enumerate() {
        if is_live(m) {
            match u32::try_from(i).ok().and_then(|i| 1u32.checked_shl(i)) {
                Some(bit) => live |= bit,
                None => return FixedPart::TooMany,
            }
        } else if !match_one(m, pkt, ctx) {
            fixed_hold = false;
            break;
        }
    }
    match live {
        0 => FixedPart::Decides(fixed_hold),
        _ => FixedPart::Live { live, fixed_hold },
    }
}

/// The live matches at the positions in `live`, in order, stopping at the first that fails.
pub(super) fn live_matches_hold(rule: &Rule, live: u32, pkt: &Packet, ctx: &mut Ctx<'_>) -> bool {
    let mut left = live;
    while left != 0 {
        let i = left.trailing_zeros() as usize;
        left &= left - 1;
        if !rule.matches.get(i).is_some_and(|m| match_one(m, pkt, ctx)) {
            return false;
        }
    }
    true
}

/// `ifname_compare` with the `+` wildcard; an absent device compares as the empty name.
fn iface_matches(m: Option<&IfaceMatch>, dev: Option<&str>) -> bool {
    let Some(m) = m else { return true };
    let dev = dev.unwrap_or("");
    let hit = match m.name.strip_suffix('+') {
        Some(prefix) => dev.starts_with(prefix),
        None => dev == m.name,
    };
    hit != m.invert
}

fn match_one(m: &Match, pkt: &Packet, ctx: &mut Ctx<'_>) -> bool {
    match m {
        // xt_comment.c: always true.
        Match::Comment(_) => true,
        // xt_tcpudp.c tcp_mt/udp_mt (port_match with the invert flag per range).
        Match::Tcp(p) | Match::Udp(p) => {
            let want = if matches!(m, Match::Tcp(_)) {
                L4::Tcp
            } else {
                L4::Udp
            };
            pkt.proto == want
                && p.sport.is_none_or(|r| r.matches(pkt.sport))
                && p.dport.is_none_or(|r| r.matches(pkt.dport))
        }
        // The lab sends no SCTP: an sctp match never matches its packets.
        Match::Sctp(_) => false,
        // xt_addrtype.c addrtype_mt_v1: (1 << inet_dev_addr_type(addr)) & mask, ^ invert.
        Match::AddrType { src, dst } => {
            let ok = |t: &crate::iptables::AddrTypes, ip: Ipv4Addr| {
                let bit = 1u16 << ctx.routing.addr_type(ip);
                (t.mask & bit != 0) != t.invert
            };
            src.as_ref().is_none_or(|t| ok(t, pkt.src))
                && dst.as_ref().is_none_or(|t| ok(t, pkt.dst))
        }
        // xt_mark.c mark_mt: ((skb->mark & mask) == mark) ^ invert.
        Match::Mark {
            value,
            mask,
            invert,
        } => ((pkt.mark & mask) == *value) != *invert,
        // xt_conntrack.c conntrack_mt, state part.
        Match::Conntrack { states, invert } => (pkt.ct.state_bits() & states != 0) != *invert,
        // xt_statistic.c statistic_mt, random mode.
        Match::Statistic {
            probability,
            invert,
        } => ctx.rng.statistic_fires(*probability) != *invert,
        Match::Recent(r) => ctx.recent.check(r, pkt.src, pkt.dst, ctx.now_ms),
        // xt_nfacct.c: counts into the accounting object and always matches.
        Match::Nfacct(_) => true,
    }
}

/// DNAT to the range's first address/port (the lab's ranges are single endpoints; for a real
/// range the kernel hashes the tuple into it, nf_nat_core.c `find_best_ips_proto`).
fn dnat(pkt: &mut Packet, to: &NatRange) {
    let dst = to.addrs.map_or(pkt.dst, |(lo, _)| lo);
    let dport = to.ports.map_or(pkt.dport, |(lo, _)| lo);
    if (dst, dport) != (pkt.dst, pkt.dport) {
        pkt.ct.dst_nat = true;
    }
    pkt.dst = dst;
    pkt.dport = dport;
}

/// SNAT (nf_nat_core.c): the source becomes the range's first address and port.
fn snat(pkt: &mut Packet, to: &NatRange) {
    let src = to.addrs.map_or(pkt.src, |(lo, _)| lo);
    let sport = to.ports.map_or(pkt.sport, |(lo, _)| lo);
    if (src, sport) != (pkt.src, pkt.sport) {
        pkt.ct.src_nat = true;
    }
    pkt.src = src;
    pkt.sport = sport;
}

/// MASQUERADE (nf_nat_masquerade.c + nf_nat_core.c `get_unique_tuple`): the source becomes
/// the output device's address; the port is kept unless `--random-fully` (kube-proxy's
/// KUBE-POSTROUTING uses it), which draws `min + rand16 % range` as
/// `nf_nat_l4proto_unique_tuple` does (1024–65535 for an unprivileged source port).
/// Port clashes with other connections are not modelled.
fn masquerade(
    pkt: &mut Packet,
    addr: Ipv4Addr,
    ports: Option<(u16, u16)>,
    random_fully: bool,
    rng: &mut LabRng,
) {
    let (min, size) = match ports {
        Some((lo, hi)) => (u32::from(lo), u32::from(hi.saturating_sub(lo)) + 1),
        None if pkt.sport < 512 => (1, 511),
        None if pkt.sport < 1024 => (600, 424),
        None => (1024, 64512),
    };
    let in_range = |p: u16| u32::from(p) >= min && u32::from(p) < min + size;
    let sport = if random_fully {
        let off = rng.next_u32() & 0xffff;
        u16::try_from(min + off % size).unwrap_or(pkt.sport)
    } else if ports.is_none() || in_range(pkt.sport) {
        pkt.sport
    } else {
        u16::try_from(min).unwrap_or(pkt.sport)
    };
    if (addr, sport) != (pkt.src, pkt.sport) {
        pkt.ct.src_nat = true;
    }
    pkt.src = addr;
    pkt.sport = sport;
}
