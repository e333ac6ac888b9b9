//! Table walks remembered for a run of requests. A walk of one table at one hook is decided
//! by the packet's fields the rules read, the hook's devices, and the few matches whose
//! answer is not fixed by those: `statistic` (a random draw), `recent` (the lists change with
//! traffic and time) and a source-port match (every request picks a new port). The memo keys
//! a walk by everything else and keeps, per key, a tree: runs of counter hits and MARK
//! rewrites, split at each rule with such a "live" match into the way it matched and the way
//! it did not. Replaying a walk bumps the same counters and evaluates the same live matches in
//! the same order (so the same random draws and `recent` updates) as walking the rules; a
//! branch no packet took yet is walked rule by rule once, from the rule that split it, and
//! written down. A batch of ten thousand requests walks each table once or a few times and
//! replays it for the rest.
//!
//! A walk that warned (a loop, a missing chain, a NAT target out of place) is not kept: its
//! key is walked rule by rule every time, so every packet gets its warning.

use super::eval::{live_matches_hold, nat_target, walk_chains, Ctx, Notes, Verdict, WalkFrom};
use super::fasthash::FastMap;
use super::packet::Packet;
use super::run::TableRun;
use crate::iptables::Counters;

/// A child not walked yet.
const NO_NODE: u32 = u32::MAX;
/// Keys kept per table and run: a run sends one request to one address, so a handful are
/// used; the bound keeps a pathological run's memory in check (further keys walk every rule).
const MAX_KEYS: usize = 1024;
/// Tree nodes kept per table and run, over all keys.
const MAX_NODES: usize = 1 << 16;

/// A counter a remembered walk bumps between two live matches.
#[derive(Clone, Copy, Debug)]
pub(super) enum Step {
    /// Rule `rule` of chain `chain` matched.
    Hit { chain: u32, rule: u32 },
    /// The built-in chain `chain`'s policy applied.
    Policy { chain: u32 },
}

/// How a run of steps ends.
#[derive(Debug, Default)]
pub(super) enum Ending {
    /// Not reached yet (the node being written down).
    #[default]
    Open,
    /// The table's verdict.
    Verdict(Verdict),
    /// The NAT target (DNAT, SNAT, MASQUERADE) of rule `rule` of chain `chain`, applied to the
    /// packet as it is (MASQUERADE's `--random-fully` draws a port).
    Nat { chain: u32, rule: u32 },
    /// A rule with live matches.
    Split(Box<Split>),
}

/// A rule whose match depends on live matches: `live` are their positions among its `-m`
/// matches, the ones the kernel evaluates (those before the first fixed match that fails).
#[derive(Debug)]
pub(super) struct Split {
    chain: u32,
    rule: u32,
    live: u32,
    /// Whether the rule's fixed parts (addresses, devices, protocol, other matches) hold.
    fixed_hold: bool,
    /// The jump stack at the rule, to walk on from it.
    stack: Vec<(u32, usize)>,
    /// The node after the rule matched, or [`NO_NODE`].
    matched: u32,
    /// The node after it did not, or [`NO_NODE`].
    missed: u32,
}

/// A run of steps. Replaying it counts the packet on the node itself; its steps' counters
/// get the node's totals when the run ends ([`WalkMemo::fold_into`]), which adds the same.
#[derive(Debug)]
struct Node {
    steps: Vec<Step>,
    /// The MARK targets on the way, as one `mark = (mark & keep) ^ flip` (xt_MARK.c's
    /// `(mark & ~mask) ^ value`, composed).
    keep: u32,
    flip: u32,
    /// Packets and bytes replayed through the node.
    packets: u64,
    bytes: u64,
    end: Ending,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            steps: Vec::new(),
            keep: u32::MAX,
            flip: 0,
            packets: 0,
            bytes: 0,
            end: Ending::Open,
        }
    }
}

/// The inputs a walk depends on besides its live matches: everything `ip_packet_match` and the
/// fixed matches read, and the devices (MASQUERADE takes the output device's address),
/// packed into words: cheap to compare and to hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key([u64; 4]);

impl Key {
    fn of(ctx: &Ctx<'_>, pkt: &Packet) -> Self {
        let (dev_in, dev_out) = ctx.ifaces.numbers.unwrap_or_default();
        let out_addr = ctx.ifaces.out_addr;
        Key([
            u64::from(u32::from(pkt.src)) << 32 | u64::from(u32::from(pkt.dst)),
            u64::from(pkt.dport) << 48
                | (ctx.hook.number() as u64) << 40
                | (pkt.proto as u64) << 32
                | u64::from(pkt.ct.state_bits()) << 24
                | u64::from(out_addr.is_some()),
            u64::from(pkt.mark) << 32 | u64::from(out_addr.map_or(0, u32::from)),
            u64::from(dev_in) << 32 | u64::from(dev_out),
        ])
    }
}

struct Entry {
    root: u32,
    /// A walk of this key warned: walk it rule by rule.
    rule_by_rule: bool,
}

/// The walks of one table remembered for a run (see the module documentation).
#[derive(Default)]
pub(crate) struct WalkMemo {
    by_key: FastMap<Key, u32>,
    entries: Vec<Entry>,
    nodes: Vec<Node>,
    /// Per hook, the key used last and its entry: a run's packets at one hook mostly share
    /// a key, which is cheaper to compare than to look up.
    last: [Option<(Key, u32)>; 5],
}

impl std::fmt::Debug for WalkMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "WalkMemo({} keys, {} nodes)",
            self.entries.len(),
            self.nodes.len()
        )
    }
}

/// What [`WalkMemo::lookup`] found.
enum Lookup {
    /// Entry `.0`, whose tree starts at node `.1`.
    Found(u32, u32),
    /// No entry for the key yet.
    New(Key),
    /// Walk every rule (the key warned before).
    RuleByRule,
}

/// A walk being written down into a memo's node.
pub(super) struct Recording<'m> {
    memo: &'m mut WalkMemo,
    node: u32,
    /// The tree could not take the walk (it is full).
    spoiled: bool,
}

impl Recording<'_> {
    fn node(&mut self) -> Option<&mut Node> {
        self.memo.nodes.get_mut(self.node as usize)
    }

    /// Writes down a step.
    pub(super) fn step(&mut self, step: Step) {
        if let Some(n) = self.node() {
            n.steps.push(step);
        }
    }

    /// Writes down `-j MARK --set-xmark value/mask`.
    pub(super) fn mark(&mut self, value: u32, mask: u32) {
        if let Some(n) = self.node() {
            // ((m & keep) ^ flip) & !mask ^ value = (m & keep & !mask) ^ (flip & !mask ^ value)
            n.keep &= !mask;
            n.flip = (n.flip & !mask) ^ value;
        }
    }

    /// Ends the node, unless it already ended.
    pub(super) fn end(&mut self, end: Ending) {
        if let Some(n) = self.node() {
            if matches!(n.end, Ending::Open) {
                n.end = end;
            }
        }
    }

    /// Gives up: the walk is not kept.
    pub(super) fn spoil(&mut self) {
        self.spoiled = true;
    }

    /// Ends the node at a rule with live matches and goes on writing in a new node for the
    /// way the walk took.
    pub(super) fn split(
        &mut self,
        (chain, rule): (u32, usize),
        (live, fixed_hold): (u32, bool),
        stack: &[(u32, usize)],
        matched: bool,
    ) {
        let Some(child) = self.memo.new_node() else {
            self.spoiled = true;
            return;
        };
        let Ok(rule) = u32::try_from(rule) else {
            self.spoiled = true;
            return;
        };
        let (on_match, on_miss) = if matched {
            (child, NO_NODE)
        } else {
            (NO_NODE, child)
        };
        self.end(Ending::Split(Box::new(Split {
            chain,
            rule,
            live,
            fixed_hold,
            stack: stack.to_vec(),
            matched: on_match,
            missed: on_miss,
        })));
        self.node = child;
    }
}

impl WalkMemo {
    fn new_node(&mut self) -> Option<u32> {
        if self.nodes.len() >= MAX_NODES {
            return None;
        }
        let id = u32::try_from(self.nodes.len()).ok()?;
        self.nodes.push(Node::default());
        Some(id)
    }

    /// Walks `table` for `pkt` at `ctx.hook`: replays the remembered walk of its key, walking
    /// and writing down what no packet of that key met yet.
    pub(super) fn walk(
        &mut self,
        table: &mut TableRun<'_>,
        ctx: &mut Ctx<'_>,
        pkt: &mut Packet,
        notes: &mut Notes,
        stack: &mut Vec<(u32, usize)>,
    ) -> Verdict {
        let key = Key::of(ctx, pkt);
        let hook = ctx.hook.number();
        let (e, mut node) = match self.lookup(hook, key) {
            Lookup::Found(e, root) => (e, root),
            Lookup::New(key) => {
                let Some((e, root)) = self.new_entry(key) else {
                    return walk_chains(table, ctx, pkt, notes, stack, WalkFrom::Start, None);
                };
                return self.record(e, root, WalkFrom::Start, (table, ctx, pkt, notes, stack));
            }
            Lookup::RuleByRule => {
                return walk_chains(table, ctx, pkt, notes, stack, WalkFrom::Start, None)
            }
        };
        loop {
            let Some(n) = self.nodes.get_mut(node as usize) else {
                return Verdict::Drop;
            };
            n.packets = n.packets.saturating_add(1);
            n.bytes = n.bytes.saturating_add(u64::from(pkt.len));
            pkt.mark = (pkt.mark & n.keep) ^ n.flip;
            let split = match &n.end {
                Ending::Verdict(v) => return *v,
                Ending::Nat { chain, rule } => {
                    let target = table
                        .chain(*chain)
                        .and_then(|c| c.rules.get(*rule as usize))
                        .map(|r| &r.target);
                    return match target.and_then(|t| nat_target(t, ctx, pkt).ok()) {
                        Some(v) => v,
                        None => Verdict::Drop,
                    };
                }
                // Only a walk that warned or did not fit leaves a node open, and its key is
                // walked rule by rule from then on: never replayed.
                Ending::Open => return Verdict::Drop,
                Ending::Split(split) => split,
            };
            let rule = table
                .chain(split.chain)
                .and_then(|c| c.rules.get(split.rule as usize));
            let matched = rule
                .is_some_and(|r| live_matches_hold(r, split.live, pkt, ctx) && split.fixed_hold);
            let next = if matched { split.matched } else { split.missed };
            if next != NO_NODE {
                node = next;
                continue;
            }
            stack.clear();
            stack.extend_from_slice(&split.stack);
            let from = WalkFrom::Rule {
                chain: split.chain,
                rule: split.rule as usize,
                matched,
            };
            let Some(child) = self.new_node() else {
                return walk_chains(table, ctx, pkt, notes, stack, from, None);
            };
            if let Some(Ending::Split(split)) =
                self.nodes.get_mut(node as usize).map(|n| &mut n.end)
            {
                if matched {
                    split.matched = child;
                } else {
                    split.missed = child;
                }
            }
            return self.record(e, child, from, (table, ctx, pkt, notes, stack));
        }
    }

    /// The entry of `key`: the one last used at the hook, or looked up.
    fn lookup(&mut self, hook: usize, key: Key) -> Lookup {
        let last = self.last.get(hook).copied().flatten();
        let e = match last {
            Some((k, e)) if k == key => e,
            _ => match self.by_key.get(&key) {
                Some(&e) => {
                    if let Some(slot) = self.last.get_mut(hook) {
                        *slot = Some((key, e));
                    }
                    e
                }
                None => return Lookup::New(key),
            },
        };
        match self.entries.get(e as usize) {
            Some(found) if !found.rule_by_rule => Lookup::Found(e, found.root),
            _ => Lookup::RuleByRule,
        }
    }

    /// Adds what the replays counted on each node to the counters of its steps.
    pub(super) fn fold_into(&self, table: &mut TableRun<'_>) {
        for n in self.nodes.iter().filter(|n| n.packets > 0) {
            let more = Counters {
                packets: n.packets,
                bytes: n.bytes,
            };
            for step in &n.steps {
                match *step {
                    Step::Hit { chain, rule } => table.add(chain, Some(rule as usize), more),
                    Step::Policy { chain } => table.add(chain, None, more),
                }
            }
        }
    }

    fn new_entry(&mut self, key: Key) -> Option<(u32, u32)> {
        if self.entries.len() >= MAX_KEYS {
            return None;
        }
        let e = u32::try_from(self.entries.len()).ok()?;
        let root = self.new_node()?;
        self.entries.push(Entry {
            root,
            rule_by_rule: false,
        });
        self.by_key.insert(key, e);
        Some((e, root))
    }

    /// Walks rule by rule from `from`, writing the walk down into node `node` of entry `e`.
    fn record(
        &mut self,
        e: u32,
        node: u32,
        from: WalkFrom,
        (table, ctx, pkt, notes, stack): (
            &mut TableRun<'_>,
            &mut Ctx<'_>,
            &mut Packet,
            &mut Notes,
            &mut Vec<(u32, usize)>,
        ),
    ) -> Verdict {
        let warned_before = notes.warnings.len();
        let mut rec = Recording {
            memo: self,
            node,
            spoiled: false,
        };
        let verdict = walk_chains(table, ctx, pkt, notes, stack, from, Some(&mut rec));
        rec.end(Ending::Verdict(verdict));
        if rec.spoiled || notes.warnings.len() != warned_before {
            if let Some(entry) = self.entries.get_mut(e as usize) {
                entry.rule_by_rule = true;
            }
        }
        verdict
    }
}
