//! Lambda's duration charge per message (arm64 GB-seconds): each function's invocations
//! per message × its estimated billed duration × its `MemorySize` from `template.yaml`.
//!
//! The durations are measured on this machine (`bench-cold-start`'s steady events: new
//! messages to warm processes, cold starts left out), where a process has a whole core.
//! Lambda gives a function a share of a vCPU proportional to its memory, so the CPU part
//! of an event is stretched by that share; the waiting part (moto, the stand-ins) is kept
//! as measured. An estimate, stated as one: ratios and medians are the claims.

use std::collections::BTreeMap;

use anyhow::Context;

use super::Prices;
use crate::bench::Summary;
use crate::provision::Plan;

/// The memory size at which Lambda gives a function the equivalent of one vCPU; below it,
/// CPU is allocated in proportion to memory (Lambda developer guide, "Configure Lambda
/// function memory").
pub const ONE_VCPU_MB: f64 = 1769.0;

/// The function that waits for the model: the processor streams the reply as it comes.
pub const MODEL_CALLER: &str = "processor";

/// One function's part in a message.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDuration {
    pub function: String,
    /// Its `MemorySize` in `template.yaml`.
    pub memory_mb: u32,
    /// Invocations per message.
    pub invocations: f64,
    /// Median wall time of one invocation here, ms.
    pub wall_ms: f64,
    /// Median CPU time of one invocation here, ms.
    pub cpu_ms: f64,
}

impl FunctionDuration {
    /// Estimated billed duration of one invocation on Lambda, ms: the wait as measured,
    /// the CPU stretched to the memory's vCPU share, plus `extra_wait_ms`, rounded up to
    /// Lambda's 1 ms billing granularity.
    pub fn billed_ms(&self, extra_wait_ms: f64) -> f64 {
        let share = (f64::from(self.memory_mb) / ONE_VCPU_MB).min(1.0);
        let waiting = (self.wall_ms - self.cpu_ms).max(0.0);
        (waiting + self.cpu_ms / share + extra_wait_ms).ceil()
    }

    /// GB-seconds per message (Lambda counts 1 GB as 1024 MB).
    pub fn gb_seconds(&self, extra_wait_ms: f64) -> f64 {
        self.invocations * self.billed_ms(extra_wait_ms) / 1000.0 * f64::from(self.memory_mb)
            / 1024.0
    }

    /// The wait this function spends on the model per invocation.
    fn model_wait(&self, model_wait_ms: f64) -> f64 {
        if self.function == MODEL_CALLER {
            model_wait_ms
        } else {
            0.0
        }
    }
}

/// USD for Lambda duration per 100,000 messages, the model's reply taking `model_wait_ms`.
pub fn duration_usd_per_100k(
    functions: &[FunctionDuration],
    prices: &Prices,
    model_wait_ms: f64,
) -> f64 {
    let gb_s: f64 = functions
        .iter()
        .map(|f| f.gb_seconds(f.model_wait(model_wait_ms)))
        .sum();
    gb_s * 100_000.0 * prices.lambda_arm64_gb_second
}

/// `subscription-check` -> `SubscriptionCheckFunction`, the template's logical id.
pub fn logical_id(function: &str) -> String {
    let mut id: String = function
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect();
    id.push_str("Function");
    id
}

/// Each invoked function's duration part, from a `bench-cold-start` summary and the
/// template's memory sizes.
pub fn durations(
    summary: &Summary,
    plan: &Plan,
    invocations: &BTreeMap<&'static str, f64>,
) -> anyhow::Result<Vec<FunctionDuration>> {
    invocations
        .iter()
        .map(|(function, per_message)| {
            let stats = summary
                .binaries
                .get(*function)
                .with_context(|| format!("the durations file has no {function}"))?;
            let id = logical_id(function);
            let spec = plan
                .function(&id)
                .with_context(|| format!("template.yaml has no {id}"))?;
            Ok(FunctionDuration {
                function: (*function).to_owned(),
                memory_mb: spec.memory_mb,
                invocations: *per_message,
                wall_ms: stats.steady_ms,
                cpu_ms: stats.steady_cpu_ms,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::BinaryStats;

    fn function(name: &str, memory_mb: u32, wall_ms: f64, cpu_ms: f64) -> FunctionDuration {
        FunctionDuration {
            function: name.into(),
            memory_mb,
            invocations: 1.0,
            wall_ms,
            cpu_ms,
        }
    }

    #[test]
    fn cpu_is_stretched_to_the_memory_share_and_rounded_up() {
        // 10 ms of which 2 ms CPU; at 1769 MB the CPU runs as here: 10 ms.
        assert_eq!(function("f", 1769, 10.0, 2.0).billed_ms(0.0), 10.0);
        // At 3538 MB the share stays one vCPU (a single-threaded event gains nothing).
        assert_eq!(function("f", 3538, 10.0, 2.0).billed_ms(0.0), 10.0);
        // At a quarter of it the 2 ms of CPU take 8: 8 + 8 = 16, plus a 100 ms wait.
        let quarter = function("f", 442, 10.0, 2.0);
        assert_eq!(
            quarter.billed_ms(100.0),
            (8.0 + 2.0 * 1769.0 / 442.0 + 100.0_f64).ceil()
        );
        // CPU over wall (several threads) does not make the wait negative.
        assert_eq!(function("f", 1769, 1.0, 1.5).billed_ms(0.0), 2.0);
    }

    #[test]
    fn dollars_follow_the_price_table_and_the_model_wait_goes_to_the_processor() {
        let prices = Prices::load().expect("the repo's price table");
        // No CPU, so the vCPU share plays no part: 1 GB for 1 s, 2 GB for 0.5 s.
        let webhook = function("webhook", 1024, 1000.0, 0.0);
        let processor = function(MODEL_CALLER, 2048, 500.0, 0.0);
        let without = duration_usd_per_100k(&[webhook.clone(), processor.clone()], &prices, 0.0);
        // 1 GB-s + 1 GB-s = 2 GB-s per message.
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(
            without,
            2.0 * 100_000.0 * prices.lambda_arm64_gb_second
        ));
        let with = duration_usd_per_100k(&[webhook, processor], &prices, 1500.0);
        // The processor now bills 2 s at 2 GB: 1 + 4 = 5 GB-s.
        assert!(close(with, 5.0 * 100_000.0 * prices.lambda_arm64_gb_second));
    }

    #[test]
    fn functions_are_found_under_their_logical_ids_with_the_templates_memory() {
        assert_eq!(
            logical_id("subscription-check"),
            "SubscriptionCheckFunction"
        );
        assert_eq!(logical_id("webhook"), "WebhookFunction");
        let plan = Plan::load().expect("template.yaml");
        let mut summary = Summary::default();
        let stats = BinaryStats {
            steady_ms: 3.0,
            steady_cpu_ms: 1.0,
            ..BinaryStats::default()
        };
        summary.binaries.insert("processor".into(), stats);
        let found = durations(&summary, &plan, &BTreeMap::from([("processor", 1.0)]))
            .expect("the processor's duration");
        let memory = plan
            .function("ProcessorFunction")
            .expect("planned")
            .memory_mb;
        assert_eq!(found, [function("processor", memory, 3.0, 1.0)]);
        assert!(durations(&summary, &plan, &BTreeMap::from([("sender", 1.0)])).is_err());
    }
}
