//! Usage and what it costs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What one model call cost, recorded with every assistant turn.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// The model that answered, as the response names it (maybe a snapshot): it sets the price.
    pub model: String,
    /// Tokens the model read; a reply's summary calls are added to it.
    pub prompt_tokens: u32,
    /// Tokens the model wrote; a reply's summary calls are added to it.
    pub completion_tokens: u32,
    /// How long the model took to answer, kept in the per-message usage record.
    pub response_ms: u64,
    /// The provider did not report the counts (a stopped stream, a server that sends no
    /// usage): they are our estimate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
}

/// USD per million tokens, as providers publish prices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Price {
    /// USD per million prompt tokens.
    pub input_per_million: f64,
    /// USD per million completion tokens.
    pub output_per_million: f64,
}

/// Prices by model name. Responses name a dated snapshot (`gpt-4o-mini-2024-07-18`), so
/// a configured name also prices its snapshots (`name-<digits and dashes>`), and nothing else.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriceTable {
    prices: BTreeMap<String, Price>,
    /// Speech models (both ways), in USD per minute of audio (`AUDIO_PRICES`).
    audio: BTreeMap<String, f64>,
}

/// USD per minute of audio, as OpenAI prices its speech models (`gpt-4o-mini-tts` is
/// priced by tokens, which OpenAI estimates at $0.015 a minute; `tts-1` by characters,
/// $15 per million, about the same for ~900 characters a minute).
pub const DEFAULT_AUDIO_PRICES: &str = "whisper-1=0.006,gpt-4o-transcribe=0.006,\
gpt-4o-mini-transcribe=0.003,gpt-4o-mini-tts=0.015,tts-1=0.015,tts-1-hd=0.03";

/// Seconds of speech per reply token, for holding a spoken reply's cost before it is
/// written: about 0.75 words a token, 150 words a minute (`audio::estimated_speech_secs`).
const SPEECH_SECS_PER_TOKEN: f64 = 0.3;

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
        Ok(Self {
            prices,
            audio: BTreeMap::new(),
        })
    }

    /// Adds `model=usd_per_minute,…` (the `AUDIO_PRICES` format) for speech models.
    pub fn with_audio(mut self, spec: &str) -> Result<Self, String> {
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (model, price) = entry
                .split_once('=')
                .ok_or_else(|| format!("{entry:?} is not model=usd_per_minute"))?;
            let price = price
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| format!("{entry:?}: {price:?} is not a price per minute"))?;
            self.audio.insert(model.trim().to_owned(), price);
        }
        Ok(self)
    }

    /// What `secs` of audio cost with speech model `model`, in micro-dollars; 0 unpriced.
    pub fn audio_micros(&self, model: &str, secs: u32) -> u64 {
        self.audio.get(model).map_or(0, |per_minute| {
            (per_minute * f64::from(secs) / 60.0 * 1e6).round() as u64
        })
    }

    /// `price` with a spoken copy of the reply added to each reply token (`/voice on`), so
    /// a hold covers the speech the reply will cost.
    pub fn with_speech(&self, price: Option<Price>, speech_model: &str) -> Option<Price> {
        let per_minute = *self.audio.get(speech_model)?;
        let mut price = price.unwrap_or(Price {
            input_per_million: 0.0,
            output_per_million: 0.0,
        });
        // USD per million tokens is micro-dollars per token.
        price.output_per_million += per_minute / 60.0 * SPEECH_SECS_PER_TOKEN * 1e6;
        Some(price)
    }

    /// The price of a configured model or one of its dated snapshots; `None` when unpriced.
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

/// Running totals, as kept in the counter items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Answered messages.
    pub messages: u64,
    /// Tokens the model read.
    pub prompt_tokens: u64,
    /// Tokens the model wrote.
    pub completion_tokens: u64,
    /// Cost in millionths of a dollar; an unpriced model adds nothing.
    pub cost_micros: u64,
    /// Of the tokens, how many the provider did not report: our estimate.
    pub estimated_tokens: u64,
}

/// Bot-wide totals for `/stats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BotTotals {
    /// Users who wrote for the first time (in the period).
    pub users: u64,
    /// Conversations begun: a new user's first, and one per `/reset`.
    pub conversations: u64,
    /// What all users spent together.
    pub usage: Totals,
}

/// `YYYY-MM-DD` (UTC) of a Unix-ms instant: the key of a daily counter.
pub fn day_key(at_ms: i64) -> String {
    let (y, m, d) = civil_from_days(at_ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM` (UTC): the key of a monthly counter.
pub fn month_key(at_ms: i64) -> String {
    let (y, m, _) = civil_from_days(at_ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm), so no
/// date crate is needed for two keys.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Formats micro-dollars for people: `$0.0012`, `$3.40`.
pub fn format_usd(micros: u64) -> String {
    let usd = micros as f64 / 1_000_000.0;
    if micros == 0 {
        "$0".into()
    } else if micros < 100 {
        "<$0.0001".into()
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
            estimated: false,
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
    fn audio_is_priced_by_the_minute() {
        let table = PriceTable::parse("")
            .unwrap()
            .with_audio(DEFAULT_AUDIO_PRICES)
            .unwrap();
        assert_eq!(table.audio_micros("whisper-1", 60), 6_000);
        assert_eq!(table.audio_micros("gpt-4o-mini-transcribe", 30), 1_500);
        assert_eq!(table.audio_micros("unknown", 60), 0);
        // 0.3 s a token at $0.015 a minute: 75 micro-dollars a token.
        let speech = table.with_speech(None, "gpt-4o-mini-tts").unwrap();
        assert!(
            (speech.output_per_million - 75.0).abs() < 1e-9,
            "{speech:?}"
        );
        assert!(PriceTable::default().with_audio("tts-1=cheap").is_err());
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
    fn date_keys_table() {
        let cases = [
            (0, "1970-01-01", "1970-01"),
            (951_782_400_000, "2000-02-29", "2000-02"),
            (1_795_341_600_000, "2026-11-22", "2026-11"),
            (1_798_761_599_999, "2026-12-31", "2026-12"),
            (1_798_761_600_000, "2027-01-01", "2027-01"),
            (-1, "1969-12-31", "1969-12"),
        ];
        for (ms, day, month) in cases {
            assert_eq!(
                (day_key(ms).as_str(), month_key(ms).as_str()),
                (day, month),
                "{ms}"
            );
        }
    }

    #[test]
    fn formats_money() {
        assert_eq!(format_usd(0), "$0");
        assert_eq!(format_usd(7), "<$0.0001");
        assert_eq!(format_usd(1_200), "$0.0012");
        assert_eq!(format_usd(3_400_000), "$3.40");
    }
}
