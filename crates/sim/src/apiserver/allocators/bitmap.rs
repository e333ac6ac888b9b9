//! A bitmap of allocated offsets with kube's random scan that prefers an upper subrange
//! (`pkg/registry/core/service/allocator/bitmap.go`, `randomScanStrategyWithOffset`, KEP-3070
//! and KEP-3668): pick a random start in `[offset, max)`, take the first free bit scanning upward
//! with wrap-around; only when that subrange is full, do the same in `[0, offset)`.
//!
//! Scans go a 64-bit word at a time, so even a full /16 (65k bits) costs about a thousand word
//! reads in the worst case.

use crate::random::LabRng;

/// Allocated offsets `0..size`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmap {
    words: Vec<u64>,
    size: usize,
    count: usize,
}

impl Bitmap {
    /// An empty bitmap of `size` bits.
    pub fn new(size: usize) -> Self {
        Bitmap {
            words: vec![0; size.div_ceil(64)],
            size,
            count: 0,
        }
    }

    /// The number of offsets.
    pub fn size(&self) -> usize {
        self.size
    }

    /// How many offsets are allocated.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Whether `i` is allocated (false out of range).
    pub fn get(&self, i: usize) -> bool {
        i < self.size
            && self
                .words
                .get(i / 64)
                .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    /// Marks `i` allocated; false if it already was or is out of range.
    pub fn set(&mut self, i: usize) -> bool {
        if i >= self.size || self.get(i) {
            return false;
        }
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1u64 << (i % 64);
            self.count += 1;
            true
        } else {
            false
        }
    }

    /// Frees `i`; false if it was not allocated.
    pub fn clear(&mut self, i: usize) -> bool {
        if !self.get(i) {
            return false;
        }
        if let Some(w) = self.words.get_mut(i / 64) {
            *w &= !(1u64 << (i % 64));
            self.count = self.count.saturating_sub(1);
            true
        } else {
            false
        }
    }

    /// The first free offset in `lo..hi`, scanning upward.
    fn first_free_in(&self, lo: usize, hi: usize) -> Option<usize> {
        let hi = hi.min(self.size);
        let mut i = lo;
        while i < hi {
            let word = *self.words.get(i / 64)?;
            // Treat bits below `i` in this word as taken.
            let below = (1u64 << (i % 64)).wrapping_sub(1);
            let free = !(word | below);
            if free != 0 {
                let at = (i / 64) * 64 + free.trailing_zeros() as usize;
                return (at < hi).then_some(at);
            }
            i = (i / 64 + 1) * 64;
        }
        None
    }

    /// The first free offset of the circular range `lo..hi` starting at `start`.
    fn first_free_circular(&self, lo: usize, hi: usize, start: usize) -> Option<usize> {
        self.first_free_in(start, hi)
            .or_else(|| self.first_free_in(lo, start))
    }

    /// `randomScanStrategyWithOffset.AllocateBit` (with `offset` 0 it is `randomScanStrategy`):
    /// allocates and returns a free offset, or `None` when full. Draws one number for the upper
    /// subrange and, only if that is full, one for the lower.
    pub fn allocate_random(&mut self, rng: &mut LabRng, offset: usize) -> Option<usize> {
        if self.count >= self.size {
            return None;
        }
        let offset = offset.min(self.size);
        let upper = self.size - offset;
        let mut found = None;
        if upper > 0 {
            let start = offset + rng.below(upper as u64) as usize;
            found = self.first_free_circular(offset, self.size, start);
        }
        if found.is_none() && offset > 0 {
            let start = rng.below(offset as u64) as usize;
            found = self.first_free_circular(0, offset, start);
        }
        let at = found?;
        self.set(at).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_clear() {
        let mut b = Bitmap::new(130);
        assert!(b.set(0));
        assert!(!b.set(0));
        assert!(b.set(129));
        assert!(!b.set(130));
        assert!(b.get(129));
        assert_eq!(b.count(), 2);
        assert!(b.clear(129));
        assert!(!b.clear(129));
        assert_eq!(b.count(), 1);
    }

    #[test]
    fn scans_wrap_within_their_subrange() {
        let mut b = Bitmap::new(200);
        for i in 150..200 {
            b.set(i);
        }
        assert_eq!(b.first_free_circular(100, 200, 170), Some(100));
        assert_eq!(b.first_free_in(64, 70), Some(64));
        assert_eq!(b.first_free_in(199, 200), None);
    }

    #[test]
    fn fills_upper_then_lower_then_reports_full() {
        let mut rng = LabRng::from_seed(3);
        let mut b = Bitmap::new(100);
        let got: Vec<usize> = (0..100)
            .filter_map(|_| b.allocate_random(&mut rng, 10))
            .collect();
        assert_eq!(got.len(), 100);
        assert!(got.iter().take(90).all(|&i| i >= 10));
        assert!(got.iter().skip(90).all(|&i| i < 10));
        assert_eq!(b.allocate_random(&mut rng, 10), None);
        let mut empty = Bitmap::new(0);
        assert_eq!(empty.allocate_random(&mut rng, 0), None);
    }
}
