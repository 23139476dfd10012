//! Everything the bot says that is not written by the model.

use super::{AccessDecision, MemberStatus};

pub const START: &str = "Hi! I'm your companion. Just write to me like you would to a friend.\n\n\
/help shows what I can do.";

pub const HELP: &str = "Write anything, send a voice note or a photo, and I'll answer.\n\n\
/reset \u{2013} start a new conversation\n\
/new_style \u{2013} learn how you write from your recent messages\n\
/style \u{2013} show your style profile; /style on or off toggles imitation\n\
/persona \u{2013} choose who I am for you\n\
/usage \u{2013} what you have used today, this month and in all\n\
/history \u{2013} your last conversations\n\
/export \u{2013} this conversation as a Markdown file\n\
/settings \u{2013} voice replies, transcripts, model\n\
/voice on or off \u{2013} also answer with voice notes\n\
/cancel \u{2013} stop the reply I'm writing\n\
/subscribe \u{2013} check your access\n\
/help \u{2013} this message";

pub const RESET_DONE: &str = "Okay, fresh start. I've put our previous conversation aside.";
pub const NEW_STYLE_DONE: &str = "Context successfully updated!";
pub const MODEL_FAILED: &str = "Sorry, I couldn't think of an answer just now. I've kept your message and will reply as soon as I can.";
pub const UNSUPPORTED_MESSAGE: &str =
    "I can read text, voice notes and photos, but not this kind of message yet.";
pub const MESSAGE_TOO_LONG: &str =
    "Sorry, that message is too long for me to take in. Could you send it in shorter parts?";
pub const REFUSED_CHANNEL: &str =
    "This bot is for members of our channel. Join it, then send your message again.";
pub const REFUSED_PRIVATE: &str = "Sorry, this bot is private.";

pub fn unknown_command(name: &str) -> String {
    format!("I don't know the command /{name}. Try /help.")
}

pub fn subscription_status(decision: &AccessDecision) -> String {
    match decision {
        AccessDecision::AllowListed => "You have access: you are on the allow-list.".into(),
        AccessDecision::Open => "You have access: this bot is open to everyone.".into(),
        AccessDecision::Member(status) => {
            let label = status.label();
            let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("You have access: you are {article} {label} of the channel.")
        }
        AccessDecision::AsGroup => "You have access: you are writing as this group.".into(),
        AccessDecision::AsChannel => "You have access: you are writing as the channel.".into(),
        AccessDecision::Refused {
            status: Some(MemberStatus::Kicked),
        } => "You don't have access: you are banned from the channel.".into(),
        AccessDecision::Refused { status: Some(_) } => {
            "You don't have access yet: join the channel first.".into()
        }
        AccessDecision::Refused { status: None } => "You don't have access to this bot.".into(),
    }
}

pub const PERSONA_MENU: &str =
    "Who should I be for you? Pick one, or describe someone with /persona custom Name: description";
pub const PERSONA_OTHER_HINT: &str = "Describe who I should be: /persona custom Name: description";

pub fn persona_set(choice: &super::PersonaChoice) -> String {
    format!("Okay! From now on I'm your {}.", choice.summary())
}

fn totals_line(label: &str, t: &super::Totals) -> String {
    format!(
        "{label}: {} message{}, {} tokens ({} in, {} out), {}",
        t.messages,
        if t.messages == 1 { "" } else { "s" },
        t.prompt_tokens + t.completion_tokens,
        t.prompt_tokens,
        t.completion_tokens,
        super::usage::format_usd(t.cost_micros),
    )
}

pub fn usage_report(today: &super::Totals, month: &super::Totals, total: &super::Totals) -> String {
    [
        totals_line("Today", today),
        totals_line("This month", month),
        totals_line("All time", total),
    ]
    .join("\n")
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn stats_report(today: &super::BotTotals, total: &super::BotTotals) -> String {
    let line = |label: &str, users: &str, t: &super::BotTotals| {
        format!(
            "{label}: {}, {}, {}, {} tokens, {}",
            plural(t.users, &format!("{users}user"), &format!("{users}users")),
            plural(t.conversations, "conversation", "conversations"),
            plural(t.usage.messages, "message", "messages"),
            t.usage.prompt_tokens + t.usage.completion_tokens,
            super::usage::format_usd(t.usage.cost_micros),
        )
    };
    format!(
        "{}\n{}",
        line("Today", "new ", today),
        line("In total", "", total)
    )
}

pub const ADMINS_ONLY: &str = "This command is for the bot's admins.";

pub fn limit_reached(period: super::budget::Period, resets_at_ms: i64) -> String {
    let which = match period {
        super::budget::Period::Day => "daily",
        super::budget::Period::Month => "monthly",
    };
    format!(
        "You've reached your {which} limit, so I can't answer right now. It resets on {} at 00:00 UTC.",
        super::usage::day_key(resets_at_ms)
    )
}

pub fn credits_line(credits: i64) -> String {
    format!("Credits: {credits} tokens")
}

pub fn granted(user: i64, amount: i64, balance: i64) -> String {
    if amount >= 0 {
        format!("Granted {amount} tokens of credit to {user}; their balance is now {balance}.")
    } else {
        format!(
            "Took {} tokens of credit from {user}; their balance is now {balance}.",
            -amount
        )
    }
}

/// Said after /new_style: the sample count, and how to add samples from elsewhere.
pub fn new_style_done(samples: u32, window_minutes: i64) -> String {
    format!(
        "{NEW_STYLE_DONE}\nBuilt from {samples} of your messages. Forward me messages you wrote \
         elsewhere in the next {window_minutes} minutes and I'll learn from them too."
    )
}

pub fn sample_added(samples: u32) -> String {
    format!("Added to your style samples: your profile now draws on {samples} messages.")
}

pub fn style_report(profile: &super::UserProfile) -> String {
    match &profile.style {
        None => "I haven't learned your style yet. Send /new_style after chatting a little.".into(),
        Some(style) => format!(
            "Your style (from {} messages): {}\nImitation is {}. /style {} to turn it {}.",
            style.samples,
            style.description,
            if profile.style_enabled { "on" } else { "off" },
            if profile.style_enabled { "off" } else { "on" },
            if profile.style_enabled { "off" } else { "on" },
        ),
    }
}

pub const STYLE_ON: &str = "Okay, I'll write in your style again.";
pub const STYLE_OFF: &str = "Okay, I'll stop imitating your style. /style on brings it back.";
pub const STYLE_USAGE: &str = "Usage: /style, /style on or /style off";

pub const MEMORY_FOLDED: &str = "Our conversation is getting long, so I've condensed the older part into notes. I still remember what matters.";

pub fn message_too_long(tokens: u32, budget: u32) -> String {
    format!(
        "That message is too long for me to read at once (about {tokens} tokens; I can take about {budget}). Could you split it up?"
    )
}

pub fn history_report(conversations: &[super::ClosedConversation]) -> String {
    if conversations.is_empty() {
        return "No earlier conversations yet. /reset closes the current one.".into();
    }
    let lines: Vec<String> = conversations
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{}. {} \u{2013} {}",
                i + 1,
                super::usage::day_key(c.started_at_ms),
                c.title
            )
        })
        .collect();
    format!("Your last conversations:\n{}", lines.join("\n"))
}

pub const NOTHING_TO_EXPORT: &str = "There's nothing to export yet: this conversation is empty.";

pub fn export_caption(messages: usize) -> String {
    format!("Our conversation so far ({messages} messages).")
}

pub const STOPPED: &str =
    "⏹ Stopped. What I'd written so far is above; send a message to carry on.";
pub const STOPPED_EMPTY: &str = "⏹ Stopped before I'd written anything.";
pub const CANCELLING: &str = "Stopping…";
pub const NOTHING_TO_CANCEL: &str = "There's nothing to stop right now.";

pub fn file_too_large(size_bytes: Option<u64>) -> String {
    let size = size_bytes.map_or_else(String::new, |b| {
        format!(" ({:.1} MB)", b as f64 / (1024.0 * 1024.0))
    });
    format!(
        "That file is too large for me{size}: Telegram lets bots download files of up to 20 MB. \
         Could you send a shorter voice note, or type it?"
    )
}
pub const NO_WORDS_HEARD: &str = "I couldn't make out any words in that voice message.";
pub const MEDIA_FAILED: &str = "Sorry, I couldn't open that file. Could you send it again?";

pub fn transcript(text: &str) -> String {
    format!("🎙 “{}”", text.trim())
}

pub const VOICE_ON: &str = "Okay, I'll also answer with voice notes. /voice off stops that.";
pub const VOICE_OFF: &str = "Okay, text only from now on.";
pub const VOICE_USAGE: &str = "Usage: /voice on or /voice off";
pub const SETTINGS_MENU: &str = "Settings. Tap to change:";
pub const GROUP_ADMINS_ONLY: &str = "Only this group's admins can change that.";
pub const MODEL_NOT_ALLOWED: &str = "That model isn't available.";

pub fn setting_changed(change: &super::SettingChange, default_model: Option<&String>) -> String {
    let onoff = |on: bool| if on { "on" } else { "off" };
    match change {
        super::SettingChange::VoiceReplies(on) => format!("Voice replies: {}", onoff(*on)),
        super::SettingChange::ShowTranscript(on) => format!("Show transcripts: {}", onoff(*on)),
        super::SettingChange::Model(m) => format!(
            "Model: {}",
            m.as_deref()
                .or(default_model.map(String::as_str))
                .unwrap_or("default")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BotTotals, Totals};
    use super::*;

    #[test]
    fn reports_read_well() {
        let t = Totals {
            messages: 1,
            prompt_tokens: 20,
            completion_tokens: 10,
            cost_micros: 7,
        };
        let z = Totals::default();
        assert_eq!(
            usage_report(&t, &t, &z),
            "Today: 1 message, 30 tokens (20 in, 10 out), <$0.0001\nThis month: 1 message, 30 tokens (20 in, 10 out), <$0.0001\nAll time: 0 messages, 0 tokens (0 in, 0 out), $0"
        );
        let b = BotTotals {
            users: 2,
            conversations: 3,
            usage: t,
        };
        assert_eq!(
            stats_report(&b, &b),
            "Today: 2 new users, 3 conversations, 1 message, 30 tokens, <$0.0001\nIn total: 2 users, 3 conversations, 1 message, 30 tokens, <$0.0001"
        );
    }
}
