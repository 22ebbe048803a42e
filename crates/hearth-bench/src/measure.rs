//! Samples and their summaries: the median, and the 99th percentile where a tail matters.

use std::time::{Duration, Instant};

use serde::Serialize;

/// Measurements of one quantity, in the unit of the figure they belong to.
#[derive(Clone, Debug, Default)]
pub struct Samples(Vec<f64>);

/// What a table row shows of its samples.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Summary {
    pub median: f64,
    pub p99: f64,
    pub min: f64,
    pub max: f64,
    pub samples: usize,
}

impl Samples {
    pub fn new() -> Self {
        Samples(Vec::new())
    }

    pub fn push(&mut self, value: f64) {
        self.0.push(value);
    }

    pub fn push_duration(&mut self, d: Duration) {
        self.push(ms(d));
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The `i`th sample, in the order they were taken (0 past the end).
    pub fn get(&self, i: usize) -> f64 {
        self.0.get(i).copied().unwrap_or(0.0)
    }

    /// The value at quantile `q` (0..=1), by the nearest-rank method.
    pub fn quantile(&self, q: f64) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = (q * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    pub fn summary(&self) -> Summary {
        Summary {
            median: self.median(),
            p99: self.quantile(0.99),
            min: self.quantile(0.0),
            max: self.quantile(1.0),
            samples: self.len(),
        }
    }
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Runs `f` and returns its result with the time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let mut s = Samples::new();
        for v in (1..=100).rev() {
            s.push(f64::from(v));
        }
        assert_eq!(s.median(), 50.0);
        assert_eq!(s.quantile(0.99), 99.0);
        assert_eq!(s.quantile(0.0), 1.0);
        assert_eq!(s.quantile(1.0), 100.0);
        let mut one = Samples::new();
        one.push(4.0);
        assert_eq!(one.summary().p99, 4.0);
    }
}
