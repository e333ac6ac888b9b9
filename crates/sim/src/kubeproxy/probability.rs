//! `computeProbability` and its cache (pkg/proxy/iptables/proxier.go).

use crate::iptables::{fixed_f64, Match};

/// `fmt.Sprintf("%0.10f", 1.0/float64(n))`. n = 0 gives Go's `+Inf` text.
pub fn compute_probability(n: usize) -> String {
    if n == 0 {
        return "+Inf".to_string();
    }
    fixed_f64(1.0 / n as f64, 10)
}

/// The proxier's `precomputedProbabilities` cache: index 0 holds `"<bad value>"`. Each text
/// is kept with the u32 the kernel stores for it, so typed rules need not parse it back.
#[derive(Clone, Debug, Default)]
pub struct ProbabilityCache {
    values: Vec<(String, u32)>,
}

impl ProbabilityCache {
    /// `proxier.probability(n)`: grows the cache up to n and returns entry n.
    pub fn get(&mut self, n: usize) -> &str {
        self.get_with_value(n).0
    }

    /// Entry n with the statistic match's u32 for it (`lround(2^31 * p)`; 0 for index 0,
    /// which kube-proxy never writes).
    pub fn get_with_value(&mut self, n: usize) -> (&str, u32) {
        if self.values.is_empty() {
            self.values.push(("<bad value>".to_string(), 0));
        }
        while self.values.len() <= n {
            let text = compute_probability(self.values.len());
            let value = Match::probability_from_str(&text).unwrap_or(0);
            self.values.push((text, value));
        }
        self.values
            .get(n)
            .map_or(("<bad value>", 0), |(t, v)| (t.as_str(), *v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TestComputeProbability in proxier_test.go.
    #[test]
    fn upstream_vectors() {
        for (n, want) in [
            (1, "1.0000000000"),
            (2, "0.5000000000"),
            (10, "0.1000000000"),
            (100, "0.0100000000"),
            (1000, "0.0010000000"),
            (10000, "0.0001000000"),
            (100000, "0.0000100000"),
            (100001, "0.0000099999"),
        ] {
            assert_eq!(compute_probability(n), want, "n={n}");
        }
        let mut c = ProbabilityCache::default();
        assert_eq!(c.get(0), "<bad value>");
        assert_eq!(c.get(3), "0.3333333333");
        assert_eq!(c.get(6), "0.1666666667");
    }
}
