//! `computeProbability` and its cache (pkg/proxy/iptables/proxier.go).

use crate::iptables::fixed_f64;

/// `fmt.Sprintf("%0.10f", 1.0/float64(n))`. n = 0 gives Go's `+Inf` text.
pub fn compute_probability(n: usize) -> String {
    if n == 0 {
        return "+Inf".to_string();
    }
    fixed_f64(1.0 / n as f64, 10)
}

/// The proxier's `precomputedProbabilities` cache: index 0 holds `"<bad value>"`.
#[derive(Clone, Debug, Default)]
pub struct ProbabilityCache {
    values: Vec<String>,
}

impl ProbabilityCache {
    /// `proxier.probability(n)`: grows the cache up to n and returns entry n.
    pub fn get(&mut self, n: usize) -> &str {
        if self.values.is_empty() {
            self.values.push("<bad value>".to_string());
        }
        while self.values.len() <= n {
            let i = self.values.len();
            self.values.push(compute_probability(i));
        }
        self.values
            .get(n)
            .map(String::as_str)
            .unwrap_or("<bad value>")
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
