//! The release binaries benchmarked as Lambda runs them (`bench-cold-start`): each against
//! a Runtime API stand-in ([`process`]), fed new events that are processed for real
//! ([`feed`]), summarised as medians ([`Summary`]) that `bench-cost` turns into Lambda
//! duration costs.

pub mod feed;
pub mod process;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};

pub use self::process::{EventCost, Sample, run_once};

/// One binary's medians over the runs. Times in milliseconds, memory in MB.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BinaryStats {
    pub init_ms: f64,
    pub init_cpu_ms: f64,
    pub ready_mb: f64,
    pub peak_mb: f64,
    /// The first event of each process: a cold start's deferred work included.
    pub first_ms: f64,
    pub first_cpu_ms: f64,
    /// Every later event of each process.
    pub steady_ms: f64,
    pub steady_cpu_ms: f64,
}

/// What `bench-cold-start --json` writes and `bench-cost --durations` reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub runs: usize,
    pub events_per_run: usize,
    /// By binary name (`webhook`, `hello-bare`…).
    pub binaries: BTreeMap<String, BinaryStats>,
}

impl Summary {
    /// Reads a summary file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
        serde_json::from_str(&text).with_context(|| path.display().to_string())
    }
}

/// The median of `values` (the upper one of an even count); 0 when there are none.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl BinaryStats {
    /// Medians over one binary's samples.
    pub fn of(samples: &[Sample]) -> Self {
        let each = |f: &dyn Fn(&Sample) -> f64| median(samples.iter().map(f).collect());
        let events = |first: bool, f: &dyn Fn(&EventCost) -> f64| {
            let picked = samples.iter().flat_map(|s| {
                let (head, tail) = s.events.split_at(s.events.len().min(1));
                if first { head } else { tail }
            });
            median(picked.map(f).collect())
        };
        Self {
            init_ms: each(&|s| ms(s.init)),
            init_cpu_ms: each(&|s| ms(s.init_cpu)),
            ready_mb: each(&|s| s.ready_rss_kb as f64 / 1024.0),
            peak_mb: each(&|s| s.peak_rss_kb as f64 / 1024.0),
            first_ms: events(true, &|e| ms(e.wall)),
            first_cpu_ms: events(true, &|e| ms(e.cpu)),
            steady_ms: events(false, &|e| ms(e.wall)),
            steady_cpu_ms: events(false, &|e| ms(e.cpu)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(events: &[(u64, u64)]) -> Sample {
        Sample {
            init: Duration::from_millis(10),
            init_cpu: Duration::from_millis(5),
            ready_rss_kb: 2048,
            peak_rss_kb: 4096,
            events: events
                .iter()
                .map(|&(wall, cpu)| EventCost {
                    wall: Duration::from_millis(wall),
                    cpu: Duration::from_millis(cpu),
                })
                .collect(),
            responses: Vec::new(),
        }
    }

    #[test]
    fn first_and_steady_events_are_apart() {
        let stats = BinaryStats::of(&[
            sample(&[(30, 20), (4, 2), (6, 3)]),
            sample(&[(50, 40), (5, 1), (7, 9)]),
            sample(&[(40, 30), (100, 50), (2, 2)]),
        ]);
        // Firsts: 30, 50, 40 -> 40; steady walls: 4, 6, 5, 7, 100, 2 -> upper median 6.
        assert_eq!((stats.first_ms, stats.first_cpu_ms), (40.0, 30.0));
        assert_eq!((stats.steady_ms, stats.steady_cpu_ms), (6.0, 3.0));
        assert_eq!((stats.ready_mb, stats.peak_mb), (2.0, 4.0));
    }

    #[test]
    fn median_of_nothing_is_zero() {
        assert_eq!(median(Vec::new()), 0.0);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }
}
