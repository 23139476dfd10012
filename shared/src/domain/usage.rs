//! Usage and what it costs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What one model call cost, recorded with every assistant turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub response_ms: u64,
}

/// USD per million tokens, as providers publish prices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Price {
    pub input_per_million: f64,
    pub output_per_million: f64,
}

/// Prices by model name. Responses name a dated snapshot (`gpt-4o-mini-2024-07-18`), so
/// a configured name also prices its snapshots (`name-<digits and dashes>`), and nothing else.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriceTable {
    prices: BTreeMap<String, Price>,
}

impl PriceTable {
    /// Parses `model=input/output,model=input/output` (USD per 1M tokens), the format of
    /// the `MODEL_PRICES` variable.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut prices = BTreeMap::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (model, price) = entry
                .split_once('=')
                .ok_or_else(|| format!("{entry:?} is not model=input/output"))?;
            let (input, output) = price
                .split_once('/')
                .ok_or_else(|| format!("{entry:?}: price must be input/output per 1M tokens"))?;
            let number = |s: &str| {
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| format!("{entry:?}: {s:?} is not a price"))
            };
            prices.insert(
                model.trim().to_owned(),
                Price {
                    input_per_million: number(input)?,
                    output_per_million: number(output)?,
                },
            );
        }
        Ok(Self { prices })
    }

    pub fn price(&self, model: &str) -> Option<Price> {
        self.prices
            .iter()
            .find(|(name, _)| {
                model == name.as_str()
                    || model
                        .strip_prefix(name.as_str())
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|date| {
                            !date.is_empty() && date.chars().all(|c| c.is_ascii_digit() || c == '-')
                        })
            })
            .map(|(_, p)| *p)
    }

    /// Cost in micro-dollars (integers add up exactly in counters); `None` for an unpriced model.
    pub fn cost_micros(&self, usage: &Usage) -> Option<u64> {
        let price = self.price(&usage.model)?;
        let micros = f64::from(usage.prompt_tokens) * price.input_per_million
            + f64::from(usage.completion_tokens) * price.output_per_million;
        Some(micros.round() as u64)
    }
}

/// Formats micro-dollars for people: `$0.0012`, `$3.40`.
pub fn format_usd(micros: u64) -> String {
    let usd = micros as f64 / 1_000_000.0;
    if micros == 0 {
        "$0".into()
    } else if usd < 0.01 {
        format!("${usd:.4}")
    } else {
        format!("${usd:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(model: &str, prompt: u32, completion: u32) -> Usage {
        Usage {
            model: model.into(),
            prompt_tokens: prompt,
            completion_tokens: completion,
            response_ms: 1,
        }
    }

    #[test]
    fn cost_table() {
        let table =
            PriceTable::parse("gpt-4o-mini=0.15/0.60, gpt-4o=2.50/10.00,o3-mini=1.1/4.4").unwrap();
        let cases = [
            (usage("gpt-4o-mini", 1_000_000, 0), Some(150_000)),
            (usage("gpt-4o-mini-2024-07-18", 11, 9), Some(7)), // 11*0.15 + 9*0.6 = 7.05
            (usage("gpt-4o-2024-08-06", 1000, 1000), Some(12_500)),
            (usage("o3-mini", 0, 1_000_000), Some(4_400_000)),
            (usage("gpt-4o-minimal", 10, 10), None), // not a snapshot of gpt-4o-mini
            (usage("llama3", 10, 10), None),
        ];
        for (u, want) in cases {
            assert_eq!(table.cost_micros(&u), want, "{}", u.model);
        }
    }

    #[test]
    fn parse_errors_name_the_entry() {
        for bad in ["gpt-4o", "gpt-4o=1", "gpt-4o=a/b", "gpt-4o=-1/2"] {
            let err = PriceTable::parse(bad).unwrap_err();
            assert!(err.contains("gpt-4o"), "{bad}: {err}");
        }
        assert_eq!(PriceTable::parse("").unwrap(), PriceTable::default());
    }

    #[test]
    fn formats_money() {
        assert_eq!(format_usd(0), "$0");
        assert_eq!(format_usd(1_200), "$0.0012");
        assert_eq!(format_usd(3_400_000), "$3.40");
    }
}
