//! Physical resource ids: each names the bot it was made for.
//!
//! CloudFormation takes a new physical id on Update as a replacement and deletes the old
//! one afterwards, so the id changes only when the bot does; and a Delete for an id of a
//! bot the token no longer belongs to must leave the current bot's webhook alone.

/// The webhook resource's ids: `telegram-webhook-<bot id>`.
pub const WEBHOOK: &str = "telegram-webhook-";
/// The identity resource's ids: `telegram-bot-<bot id>`.
pub const IDENTITY: &str = "telegram-bot-";

/// The bot id is the token's part before the colon (`123456:ABC…`), public like a username.
pub fn token_bot_id(token: &str) -> Option<i64> {
    token
        .trim()
        .split_once(':')
        .and_then(|(id, _)| id.parse().ok())
        .filter(|id| *id > 0)
}

/// The physical id of a resource made for `bot_id`; `bot_of` reads it back.
pub fn for_bot(prefix: &str, bot_id: i64) -> String {
    format!("{prefix}{bot_id}")
}

/// The bot a physical id was made for, if this function made it.
pub fn bot_of(prefix: &str, physical_id: &str) -> Option<i64> {
    physical_id
        .strip_prefix(prefix)?
        .parse()
        .ok()
        .filter(|id| *id > 0)
}

/// On Update: the id CloudFormation sent, unchanged, while it names the same bot, so no
/// Delete follows; a new one when the bot changed.
pub fn kept_or_new(prefix: &str, sent: &str, bot_id: i64) -> String {
    if bot_of(prefix, sent) == Some(bot_id) {
        sent.to_owned()
    } else {
        for_bot(prefix, bot_id)
    }
}

/// For a Create that failed before the bot was known: its Delete then does nothing.
pub fn unknown(prefix: &str) -> String {
    format!("{prefix}unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bot_id_is_the_tokens_number() {
        assert_eq!(token_bot_id("123456789:AAH-x_y"), Some(123_456_789));
        assert_eq!(token_bot_id(" 42:a "), Some(42));
        for bad in ["", "no-colon", "abc:def", ":AAA", "-5:AAA", "0:AAA"] {
            assert_eq!(token_bot_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_update_keeps_the_id_while_the_bot_is_the_same() {
        let sent = for_bot(WEBHOOK, 123);
        assert_eq!(sent, "telegram-webhook-123");
        assert_eq!(kept_or_new(WEBHOOK, &sent, 123), sent);
        assert_eq!(kept_or_new(WEBHOOK, &sent, 456), "telegram-webhook-456");
        // An id this function did not make (a failed create's) is replaced.
        assert_eq!(
            kept_or_new(WEBHOOK, &unknown(WEBHOOK), 123),
            "telegram-webhook-123"
        );
        assert_eq!(kept_or_new(IDENTITY, "telegram-bot-7", 7), "telegram-bot-7");
    }

    #[test]
    fn only_ids_this_function_made_name_a_bot() {
        assert_eq!(bot_of(WEBHOOK, "telegram-webhook-123"), Some(123));
        assert_eq!(bot_of(WEBHOOK, "telegram-bot-123"), None);
        assert_eq!(bot_of(WEBHOOK, &unknown(WEBHOOK)), None);
        assert_eq!(bot_of(WEBHOOK, "2026/11/22/[$LATEST]abc"), None);
        assert_eq!(
            bot_of(IDENTITY, "telegram-bot-1276618370"),
            Some(1_276_618_370)
        );
    }
}
