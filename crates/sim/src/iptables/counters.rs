//! Packet and byte counters kept per rule and per built-in chain policy.

/// A `xt_counters` pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counters {
    /// Packets that matched.
    pub packets: u64,
    /// Bytes of those packets.
    pub bytes: u64,
}

impl Counters {
    /// Counts one packet of `len` bytes (saturating: counters never wrap in the lab).
    pub fn hit(&mut self, len: u64) {
        self.packets = self.packets.saturating_add(1);
        self.bytes = self.bytes.saturating_add(len);
    }
}
