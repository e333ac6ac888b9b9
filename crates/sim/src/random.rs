//! The lab's one source of randomness: a seeded generator, so that a seed reproduces a whole lab.
//!
//! Every random choice the real system makes (pod-name suffixes, ClusterIPs and nodePorts, the
//! iptables `statistic` match) draws from here, in the order the simulation makes them.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded, platform-independent random generator (ChaCha8: the same stream natively and in wasm32).
#[derive(Clone, Debug)]
pub struct LabRng {
    inner: ChaCha8Rng,
}

impl LabRng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn from_seed(seed: u64) -> Self {
        Self {
            inner: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A uniform integer in `0..n`, like Go's `rand.Intn(n)`; 0 when `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.inner.random_range(0..n)
        }
    }

    /// One 32-bit draw, as the kernel's `get_random_u32()`.
    pub fn next_u32(&mut self) -> u32 {
        self.inner.random()
    }

    /// Whether an iptables `statistic --mode random` match fires for a stored probability.
    ///
    /// The kernel stores `lround(2^31 * p)` and fires when `(get_random_u32() & 0x7FFFFFFF) < stored`
    /// (net/netfilter/xt_statistic.c, `statistic_mt`).
    pub fn statistic_fires(&mut self, stored_probability: u32) -> bool {
        (self.next_u32() & 0x7FFF_FFFF) < stored_probability
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = LabRng::from_seed(42);
        let mut b = LabRng::from_seed(42);
        let draws_a: Vec<u64> = (0..64).map(|_| a.below(1000)).collect();
        let draws_b: Vec<u64> = (0..64).map(|_| b.below(1000)).collect();
        assert_eq!(draws_a, draws_b);
        let mut c = LabRng::from_seed(43);
        let draws_c: Vec<u64> = (0..64).map(|_| c.below(1000)).collect();
        assert_ne!(draws_a, draws_c);
    }

    #[test]
    fn below_stays_in_range_and_zero_is_safe() {
        let mut rng = LabRng::from_seed(1);
        assert_eq!(rng.below(0), 0);
        assert!((0..10_000).all(|_| rng.below(7) < 7));
    }

    #[test]
    fn statistic_fires_about_as_often_as_the_probability_says() {
        let mut rng = LabRng::from_seed(7);
        // 0.5 is stored as 2^30; 1/3 as 715827883 (libxt_statistic.c lround(0x80000000 * p)).
        let half = (0..100_000)
            .filter(|_| rng.statistic_fires(1 << 30))
            .count();
        assert!((49_000..51_000).contains(&half), "half fired {half} times");
        let third = (0..100_000)
            .filter(|_| rng.statistic_fires(715_827_883))
            .count();
        assert!(
            (32_300..34_400).contains(&third),
            "a third fired {third} times"
        );
        assert_eq!((0..1000).filter(|_| rng.statistic_fires(0)).count(), 0);
    }
}
