//! A node's tables borrowed for one walk or for a batch of many: each chain is looked up by
//! name once and every jump is resolved once per rule, and the counters the walks add are kept
//! aside until [`NodeDeltas::apply`] adds them to the tables. No match reads a counter, so
//! adding them after the walks gives the same `iptables -L -v` as bumping them in place.

use std::net::Ipv4Addr;

use crate::iptables::{Chain, Counters, Table};

use super::conntrack::Conntrack;
use super::dst_index::{DstIndex, MIN_INDEXED_RULES};
use super::eval::NodeNet;
use super::fasthash::FastMap;
use super::hook::Hook;
use super::recent::RecentTables;
use super::routing::{NodeRouting, RouteHitRef};
use super::walk_memo::WalkMemo;

/// A jump not resolved yet.
const UNRESOLVED: u32 = u32::MAX;
/// A jump to a missing or built-in chain (the walk ignores the rule).
const MISSING: u32 = u32::MAX - 1;

/// One chain in use: its rules, its jumps once resolved, and the counters added to it.
#[derive(Debug)]
struct ChainRun<'t> {
    chain: &'t Chain,
    /// Per rule: the chain id a `-j` rule jumps to, [`MISSING`] or [`UNRESOLVED`].
    jumps: Vec<u32>,
    /// Per rule: packets and bytes added.
    counters: Vec<Counters>,
    /// Packets and bytes added to the policy (built-in chains).
    policy: Counters,
    /// Whether any counter was added.
    touched: bool,
    /// A long chain's rules by destination, built when first walked.
    dst_index: Option<DstIndex>,
}

/// A table borrowed for walking, with its chains numbered as the walks meet them.
#[derive(Debug)]
pub(crate) struct TableRun<'t> {
    table: &'t Table,
    chains: Vec<ChainRun<'t>>,
    ids: FastMap<&'t str, u32>,
    /// The built-in chain of each hook (by [`Hook::number`]), once looked up.
    hooks: [u32; 5],
    /// The jump stack, kept to reuse its allocation.
    pub(super) stack: Vec<(u32, usize)>,
    /// The walks remembered this run, made when first needed (taken out while a walk uses
    /// it).
    pub(super) memo: Option<Box<WalkMemo>>,
}

fn add(to: &mut Counters, more: Counters) {
    to.packets = to.packets.saturating_add(more.packets);
    to.bytes = to.bytes.saturating_add(more.bytes);
}

#[cfg(test)]
thread_local! {
    /// Tests compare walks with and without [`DstIndex`] on one thread.
    pub(super) static WALK_EVERY_RULE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
thread_local! {
    /// Tests compare walks with and without [`WalkMemo`] on one thread.
    pub(super) static FORGET_WALKS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether untraced walks are remembered (always, but in a test that turns it off).
pub(super) fn remembering_walks() -> bool {
    #[cfg(test)]
    if FORGET_WALKS.with(std::cell::Cell::get) {
        return false;
    }
    true
}

/// Whether long chains get a [`DstIndex`] (always, but in a test that turns it off).
fn indexing_enabled() -> bool {
    #[cfg(test)]
    if WALK_EVERY_RULE.with(std::cell::Cell::get) {
        return false;
    }
    true
}

impl<'t> TableRun<'t> {
    /// Starts walking `table`.
    pub(crate) fn new(table: &'t Table) -> Self {
        Self {
            table,
            chains: Vec::new(),
            ids: FastMap::default(),
            hooks: [UNRESOLVED; 5],
            stack: Vec::new(),
            memo: None,
        }
    }

    /// The id of a chain by name, if it exists.
    fn id_of(&mut self, name: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(name) {
            return Some(id);
        }
        let chain = self.table.chain(name)?;
        let id = u32::try_from(self.chains.len()).ok()?;
        let n = chain.rules.len();
        self.chains.push(ChainRun {
            chain,
            jumps: vec![UNRESOLVED; n],
            counters: vec![Counters::default(); n],
            policy: Counters::default(),
            touched: false,
            dst_index: (n >= MIN_INDEXED_RULES && indexing_enabled())
                .then(|| DstIndex::build(&chain.rules)),
        });
        self.ids.insert(chain.name.as_str(), id);
        Some(id)
    }

    /// The id of the hook's built-in chain, if the table has it.
    pub(super) fn builtin(&mut self, hook: Hook) -> Option<u32> {
        let slot = hook.number();
        match self.hooks.get(slot).copied() {
            Some(UNRESOLVED) => {
                let id = self.id_of(hook.chain()).unwrap_or(MISSING);
                if let Some(s) = self.hooks.get_mut(slot) {
                    *s = id;
                }
                (id != MISSING).then_some(id)
            }
            Some(MISSING) | None => None,
            Some(id) => Some(id),
        }
    }

    /// The first rule of chain `id` at or after `from` that a packet for `dst` may match
    /// (see [`DstIndex`]); `from` itself for a chain walked rule by rule.
    pub(super) fn next_candidate(&self, id: u32, from: usize, dst: Ipv4Addr) -> usize {
        match self
            .chains
            .get(id as usize)
            .and_then(|c| c.dst_index.as_ref())
        {
            Some(index) => index.next(from, dst),
            None => from,
        }
    }

    /// The chain with this id.
    pub(super) fn chain(&self, id: u32) -> Option<&'t Chain> {
        self.chains.get(id as usize).map(|c| c.chain)
    }

    /// Where rule `idx` of chain `id` jumps (`target` is its `-j` name): a user chain's id,
    /// or None for a missing or built-in chain.
    pub(super) fn jump(&mut self, id: u32, idx: usize, target: &str) -> Option<u32> {
        let cached = self
            .chains
            .get(id as usize)
            .and_then(|c| c.jumps.get(idx))
            .copied()
            .unwrap_or(UNRESOLVED);
        let resolved = match cached {
            UNRESOLVED => {
                let to = match self.table.chain(target) {
                    Some(c) if !c.is_builtin() => self.id_of(target).unwrap_or(MISSING),
                    _ => MISSING,
                };
                if let Some(slot) = self
                    .chains
                    .get_mut(id as usize)
                    .and_then(|c| c.jumps.get_mut(idx))
                {
                    *slot = to;
                }
                to
            }
            other => other,
        };
        (resolved != MISSING).then_some(resolved)
    }

    /// Counts a packet of `len` bytes on rule `idx` of chain `id`.
    pub(super) fn hit(&mut self, id: u32, idx: usize, len: u32) {
        if let Some(c) = self.chains.get_mut(id as usize) {
            if let Some(k) = c.counters.get_mut(idx) {
                k.hit(u64::from(len));
                c.touched = true;
            }
        }
    }

    /// Counts a packet of `len` bytes on chain `id`'s policy.
    pub(super) fn hit_policy(&mut self, id: u32, len: u32) {
        if let Some(c) = self.chains.get_mut(id as usize) {
            c.policy.hit(u64::from(len));
            c.touched = true;
        }
    }

    /// Adds `more` to rule `rule` of chain `id`, or to its policy when `rule` is None.
    pub(super) fn add(&mut self, id: u32, rule: Option<usize>, more: Counters) {
        if let Some(c) = self.chains.get_mut(id as usize) {
            let to = match rule {
                Some(i) => c.counters.get_mut(i),
                None => Some(&mut c.policy),
            };
            if let Some(to) = to {
                add(to, more);
                c.touched = true;
            }
        }
    }

    /// The counters added, by chain name (owned, so the table can be borrowed mutably).
    pub(crate) fn into_deltas(mut self) -> TableDeltas {
        if let Some(memo) = self.memo.take() {
            memo.fold_into(&mut self);
        }
        TableDeltas(
            self.chains
                .into_iter()
                .filter(|c| c.touched)
                .map(|c| (c.chain.name.clone(), c.counters, c.policy))
                .collect(),
        )
    }
}

/// Counters to add to one table: per touched chain, per rule, and to its policy.
#[derive(Debug, Default)]
pub(crate) struct TableDeltas(Vec<(String, Vec<Counters>, Counters)>);

impl TableDeltas {
    /// Adds the counters to `table` (the one they were counted on).
    pub(crate) fn apply(self, table: &mut Table) {
        for (name, rules, policy) in self.0 {
            let Some(chain) = table.chain_mut(&name) else {
                continue;
            };
            for (rule, more) in chain.rules.iter_mut().zip(rules) {
                add(&mut rule.counters, more);
            }
            add(&mut chain.policy_counters, policy);
        }
    }
}

/// One node's network stack borrowed for walking packets: the tables read-only (counters
/// are kept aside), conntrack and `recent` lists live.
#[derive(Debug)]
pub(crate) struct NodeView<'a> {
    /// The filter table.
    pub filter: TableRun<'a>,
    /// The nat table.
    pub nat: TableRun<'a>,
    /// The mangle table.
    pub mangle: TableRun<'a>,
    /// The node's conntrack table.
    pub conntrack: &'a mut Conntrack,
    /// The node's `recent` lists.
    pub recent: &'a mut RecentTables,
    /// Addresses and routes.
    pub routing: &'a NodeRouting,
    /// `net.ipv4.conf.all.route_localnet` (see [`NodeNet::route_localnet`]).
    pub route_localnet: bool,
    /// Routing decisions already made in this run, by destination: a run sends to a handful
    /// of addresses, and a large cluster's node has thousands of routes to scan.
    route_memo: FastMap<Ipv4Addr, (Option<RouteHitRef<'a>>, u32)>,
    /// Device names numbered for this run, number 1 first (see [`NodeView::device`]), and
    /// the number asked for last.
    device_names: Vec<Box<str>>,
    last_device: u32,
}

/// The counters a [`NodeView`] added, per table.
#[derive(Debug, Default)]
pub(crate) struct NodeDeltas {
    filter: TableDeltas,
    nat: TableDeltas,
    mangle: TableDeltas,
}

impl<'a> NodeView<'a> {
    /// Borrows the parts of a node's stack.
    pub(crate) fn new(
        [filter, nat, mangle]: [&'a Table; 3],
        conntrack: &'a mut Conntrack,
        recent: &'a mut RecentTables,
        routing: &'a NodeRouting,
        route_localnet: bool,
    ) -> Self {
        Self {
            filter: TableRun::new(filter),
            nat: TableRun::new(nat),
            mangle: TableRun::new(mangle),
            conntrack,
            recent,
            routing,
            route_localnet,
            route_memo: FastMap::default(),
            device_names: Vec::new(),
            last_device: 0,
        }
    }

    /// The route to `dst` ([`NodeRouting::lookup_ref`]), remembered for the run.
    /// With it, the number of its output device ([`NodeView::device`]; 0 for a local one).
    pub(crate) fn route(&mut self, dst: Ipv4Addr) -> (Option<RouteHitRef<'a>>, u32) {
        if let Some(&known) = self.route_memo.get(&dst) {
            return known;
        }
        let hit = self.routing.lookup_ref(dst);
        let dev = match hit {
            Some(RouteHitRef::Out { dev, .. }) => self.device(Some(dev)),
            _ => 0,
        };
        self.route_memo.insert(dst, (hit, dev));
        (hit, dev)
    }

    /// The number of a device in this run (0 for none): remembered walks are keyed by
    /// numbers, cheaper to compare and hash than names. A run meets a few devices per node
    /// (its routes are remembered), and its packets mostly enter through the same one, so the
    /// last one asked for is checked first, then the others in order.
    pub(crate) fn device(&mut self, name: Option<&str>) -> u32 {
        let Some(name) = name else { return 0 };
        let last = self.last_device;
        if last
            .checked_sub(1)
            .and_then(|i| self.device_names.get(i as usize))
            .is_some_and(|last| **last == *name)
        {
            return last;
        }
        let index = match self.device_names.iter().position(|d| **d == *name) {
            Some(i) => i,
            None => {
                self.device_names.push(name.into());
                self.device_names.len() - 1
            }
        };
        let n = u32::try_from(index + 1).unwrap_or(u32::MAX);
        self.last_device = n;
        n
    }

    /// Borrows a [`NodeNet`] (until the deltas are taken).
    pub(crate) fn of<'n>(net: &'a mut NodeNet<'n>) -> Self {
        Self::new(
            [&*net.filter, &*net.nat, &*net.mangle],
            &mut *net.conntrack,
            &mut *net.recent,
            net.routing,
            net.route_localnet,
        )
    }

    /// The counters added, to write back with [`NodeDeltas::apply`].
    pub(crate) fn into_deltas(self) -> NodeDeltas {
        NodeDeltas {
            filter: self.filter.into_deltas(),
            nat: self.nat.into_deltas(),
            mangle: self.mangle.into_deltas(),
        }
    }
}

impl NodeDeltas {
    /// Adds the counters to the node's tables.
    pub(crate) fn apply(self, filter: &mut Table, nat: &mut Table, mangle: &mut Table) {
        self.filter.apply(filter);
        self.nat.apply(nat);
        self.mangle.apply(mangle);
    }
}
