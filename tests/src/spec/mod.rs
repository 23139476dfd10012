//! Checks what our clients send to (and what our fakes answer for) the Telegram Bot API
//! and the OpenAI API against the providers' own published API descriptions.
//!
//! The fakes only prove something if they reject what the real services would reject, so
//! instead of hand-written expectations the descriptions themselves are embedded (copied
//! verbatim into `tests/specs/`, see the README there) and parsed once per test process.
//!
//! [`telegram`] and [`openai`] are the entry points; multipart bodies, which both APIs
//! take for uploads, are parsed by [`parse_multipart`].

mod multipart;
mod openapi;
mod report;
mod telegram;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

pub use self::multipart::{FormPart, parse_multipart};
pub use self::openapi::OpenAiSpec;
pub use self::telegram::TelegramSpec;

const TELEGRAM_SPEC: &str = include_str!("../../specs/telegram-bot-api-10.1.api.json");
/// What Bot API 10.3 added that the product uses, in the same shape (see `specs/README.md`).
const TELEGRAM_ADDENDUM: &str = include_str!("../../specs/telegram-bot-api-10.3-addendum.json");
const OPENAI_SPEC: &str = include_str!("../../specs/openai-openapi-2.3.0.yaml");

/// Parsed once per process (std::sync::OnceLock); cheap to call repeatedly.
pub fn telegram() -> &'static TelegramSpec {
    static SPEC: OnceLock<TelegramSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut spec = TelegramSpec::parse(TELEGRAM_SPEC)
            .expect("embedded Telegram Bot API description is valid");
        spec.merge(TELEGRAM_ADDENDUM)
            .expect("embedded Telegram Bot API addendum is valid");
        spec
    })
}

/// Parsed once per process (std::sync::OnceLock); cheap to call repeatedly.
pub fn openai() -> &'static OpenAiSpec {
    static SPEC: OnceLock<OpenAiSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        OpenAiSpec::parse(OPENAI_SPEC).expect("embedded OpenAI OpenAPI description is valid")
    })
}
