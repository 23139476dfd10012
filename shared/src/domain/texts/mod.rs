//! Everything the bot says that is not written by the model.

mod buttons;
mod conversations;

pub use buttons::*;
pub use conversations::*;

use super::{AccessDecision, MemberStatus};

/// The answer to `/start`: a greeting, and where to find the rest.
pub const START: &str = "Hi! I'm your companion. Just write to me like you would to a friend.\n\n\
/help shows what I can do.";

/// The answer to `/help`: one line per command a user can send.
pub const HELP: &str = "Write anything, send a voice note or a photo, and I'll answer.\n\n\
/reset \u{2013} start a new conversation\n\
/new_style \u{2013} learn how you write from your recent messages\n\
/style \u{2013} show your style profile; /style on or off toggles imitation\n\
/persona \u{2013} choose who I am for you\n\
/usage \u{2013} what you have used today, this month and in all\n\
/history \u{2013} your conversations: open, rename or delete one\n\
/export \u{2013} this conversation as a Markdown file\n\
/export all \u{2013} every conversation, one file each\n\
/rename \u{2013} rename this conversation (/rename <n> <title> for another)\n\
/retry \u{2013} write my last reply again\n\
/settings \u{2013} voice replies, transcripts, model\n\
/voice on or off \u{2013} also answer with voice notes\n\
/cancel \u{2013} stop the reply I'm writing\n\
/subscribe \u{2013} check your access\n\
/help \u{2013} this message";

/// After `/reset`: the old conversation is closed and stays in `/history`.
pub const RESET_DONE: &str = "Okay, fresh start. I've put our previous conversation aside.";
/// The first line of the answer to `/new_style`, before what the profile was built from.
pub const NEW_STYLE_DONE: &str = "Context successfully updated!";
/// For a message the bot cannot read: no text, sound or photo (a sticker, a location, …).
pub const UNSUPPORTED_MESSAGE: &str =
    "I can read text, voice notes and photos, but not this kind of message yet.";
/// When a message is too big to queue at all, so the user splits it rather than waits.
pub const MESSAGE_TOO_LONG: &str =
    "Sorry, that message is too long for me to take in. Could you send it in shorter parts?";
/// A refusal when a channel membership is required and the user is not a member.
pub const REFUSED_CHANNEL: &str =
    "This bot is for members of our channel. Join it, then send your message again.";
/// A refusal when only the allow-list may use the bot.
pub const REFUSED_PRIVATE: &str = "Sorry, this bot is private.";

/// For a command this bot does not have, naming it so a typo is easy to spot.
pub fn unknown_command(name: &str) -> String {
    format!("I don't know the command /{name}. Try /help.")
}

/// The answer to `/subscribe`: whether the user has access, and on what grounds.
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

/// Heads the `/persona` menu, and says how to describe someone of one's own.
pub const PERSONA_MENU: &str =
    "Who should I be for you? Pick one, or describe someone with /persona custom Name: description";
/// When "Other" is pressed in the persona menu: other personas need a description.
pub const PERSONA_OTHER_HINT: &str = "Describe who I should be: /persona custom Name: description";

/// Confirms a persona choice in the words the user will recognise.
pub fn persona_set(choice: &super::PersonaChoice) -> String {
    format!("Okay! From now on I'm your {}.", choice.summary())
}

fn totals_line(label: &str, t: &super::Totals) -> String {
    // A server that does not report usage leaves us counting it ourselves: say so.
    let estimated = if t.estimated_tokens > 0 {
        format!("; {} of them estimated", t.estimated_tokens)
    } else {
        String::new()
    };
    format!(
        "{label}: {} message{}, {} tokens ({} in, {} out{estimated}), {}",
        t.messages,
        if t.messages == 1 { "" } else { "s" },
        t.prompt_tokens + t.completion_tokens,
        t.prompt_tokens,
        t.completion_tokens,
        super::usage::format_usd(t.cost_micros),
    )
}

/// The answer to `/usage`: today, this month and all time, with cost.
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

/// The answer to `/stats`: new and all users, conversations, tokens and cost.
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

/// When someone not in `ADMIN_USER_IDS` sends an admin command.
pub const ADMINS_ONLY: &str = "This command is for the bot's admins.";

/// Instead of an answer when a limit is reached: which one, and the day it resets.
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

/// Added to `/usage` for a user who has credits.
pub fn credits_line(credits: i64) -> String {
    format!("Credits: {credits} tokens")
}

/// The answer to `/grant`: what changed, and the user's balance now.
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

/// When a forwarded message is added to the style samples during the sample window.
pub fn sample_added(samples: u32) -> String {
    format!("Added to your style samples: your profile now draws on {samples} messages.")
}

/// The answer to a bare `/style`: the profile, and whether imitation is on.
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

/// After `/style on`.
pub const STYLE_ON: &str = "Okay, I'll write in your style again.";
/// After `/style off`: the profile is kept, only imitation stops.
pub const STYLE_OFF: &str = "Okay, I'll stop imitating your style. /style on brings it back.";
/// After `/style` with an argument other than `on` or `off`.
pub const STYLE_USAGE: &str = "Usage: /style, /style on or /style off";
/// After `/new_style` when the user has too few messages to learn from.
pub const NEW_STYLE_TOO_FEW: &str = "I need a few of your messages before I can learn your style. Chat with me a little, then try /new_style again.";

/// When older turns were folded into notes, so the user knows the bot still remembers.
pub const MEMORY_FOLDED: &str = "Our conversation is getting long, so I've condensed the older part into notes. I still remember what matters.";

/// When a message alone exceeds the model's context, so no call could ever answer it.
pub fn message_too_long(tokens: u32, budget: u32) -> String {
    format!(
        "That message is too long for me to read at once (about {tokens} tokens; I can take about {budget}). Could you split it up?"
    )
}

/// The answer to `/history`: the closed conversations, numbered, with their dates.
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

/// After `/export` in a conversation without turns.
pub const NOTHING_TO_EXPORT: &str = "There's nothing to export yet: this conversation is empty.";

/// The caption on the `/export` file.
pub fn export_caption(messages: usize) -> String {
    format!("Our conversation so far ({messages} messages).")
}

/// Ends a reply the user stopped: what was written stands.
pub const STOPPED: &str =
    "⏹ Stopped. What I'd written so far is above; send a message to carry on.";
/// When the user stopped the reply before any of it was written.
pub const STOPPED_EMPTY: &str = "⏹ Stopped before I'd written anything.";
/// Answers `/cancel`. The webhook cannot tell whether a reply is being written (nothing is
/// stored per reply for it to look at); a reply it stops ends with `STOPPED`.
pub const CANCELLING: &str = "Okay: if I'm writing a reply, I'll stop it there.";

/// When a voice note or file is over the Bot API's 20 MB download limit.
pub fn file_too_large(size_bytes: Option<u64>) -> String {
    let size = size_bytes.map_or_else(String::new, |b| {
        format!(" ({:.1} MB)", b as f64 / (1024.0 * 1024.0))
    });
    format!(
        "That file is too large for me{size}: Telegram lets bots download files of up to 20 MB. \
         Could you send a shorter voice note, or type it?"
    )
}
/// When speech recognition heard no words in a voice message.
pub const NO_WORDS_HEARD: &str = "I couldn't make out any words in that voice message.";
/// When the user's file could not be downloaded from Telegram.
pub const MEDIA_FAILED: &str = "Sorry, I couldn't open that file. Could you send it again?";

/// Quotes a voice message's transcript back, for users with transcripts shown.
pub fn transcript(text: &str) -> String {
    format!("🎙 “{}”", text.trim())
}

/// After `/voice on` or its button.
pub const VOICE_ON: &str = "Okay, I'll also answer with voice notes. /voice off stops that.";
/// After `/voice off` or its button.
pub const VOICE_OFF: &str = "Okay, text only from now on.";
/// After `/voice` without `on` or `off`.
pub const VOICE_USAGE: &str = "Usage: /voice on or /voice off";
/// Heads the `/settings` keyboard, whose buttons show each setting's current state.
pub const SETTINGS_MENU: &str = "Settings. Tap to change:";
/// When someone other than a group's admins tries to change its persona or settings.
pub const GROUP_ADMINS_ONLY: &str = "Only this group's admins can change that.";
/// When a model button names a model that is no longer allowed.
pub const MODEL_NOT_ALLOWED: &str = "That model isn't available.";

/// Confirms a `/settings` change; a model of `None` is shown as the default's name.
pub fn setting_changed(
    change: &super::SettingChange,
    default_model: Option<&super::ModelName>,
) -> String {
    let onoff = |on: bool| if on { "on" } else { "off" };
    match change {
        super::SettingChange::VoiceReplies(on) => format!("Voice replies: {}", onoff(*on)),
        super::SettingChange::ShowTranscript(on) => format!("Show transcripts: {}", onoff(*on)),
        super::SettingChange::Model(m) => format!(
            "Model: {}",
            m.as_ref()
                .or(default_model)
                .map_or("default", super::ModelName::as_str)
        ),
    }
}

// ---------------------------------------------------------------------------------------
// When things go wrong: one clear sentence each, and no promise that is not kept.
// ---------------------------------------------------------------------------------------

/// After a delivery failed for a reason that may pass; SQS brings the message back, and
/// the last delivery ends with an answer or with [`gave_up`].
pub const STILL_TRYING: &str = "I'm having trouble reaching my language model right now. \
I'll keep trying for a few minutes and write back either way.";

/// Drafts while the bot works, replaced by the reply as it streams in.
pub const DRAFT_RETRYING: &str = "\u{23f3} The model didn't answer, trying again\u{2026}";
/// The draft shown while older turns are folded into notes, which takes a model call.
pub const DRAFT_REMEMBERING: &str = "\u{1f4dd} Going over our conversation so far\u{2026}";

/// The reply stopped because the invocation ran out of time; what was written stands.
pub const CUT_SHORT: &str = "\u{2702} That took longer than I'm allowed, so my answer stops there. Say \u{201c}go on\u{201d} and I'll continue.";

/// When the model cannot see images, so the user can describe the photo instead.
pub const NO_VISION: &str = "This model can't see photos, so I can't tell what's in this one. \
Tell me about it in words and I'll gladly talk about it.";
/// When the server has no speech recognition, so the user types instead.
pub const NO_TRANSCRIPTION: &str = "I can't listen to voice messages here: the AI server I use \
has no speech recognition. Could you type it instead?";
/// When speech recognition refused the recording as unreadable.
pub const VOICE_UNREADABLE: &str =
    "Sorry, I couldn't make sense of that recording. Could you send it again, or type it?";
/// After a reply whose voice note cannot be made: the server has no speech synthesis.
pub const NO_SPEECH: &str = "(I can't record voice notes on this server, so my replies stay text.)";
/// After a reply whose voice note failed this time.
pub const SPEECH_FAILED: &str = "(I couldn't record a voice note for this reply.)";
/// Responses mode: the provider lost the conversation and a new one was started.
pub const CONVERSATION_RESTORED: &str = "(I lost the thread of our conversation on the model's side, \
so I started a new one with what I remember of ours.)";

/// The final word on a message the bot could not answer. `from_model`: the model provider
/// failed, rather than the bot's own storage or queues.
pub fn gave_up(cause: Option<crate::error::Cause>, retryable: bool, from_model: bool) -> String {
    use crate::error::Cause;
    let operator = |what: &str| {
        format!(
            "Sorry, I can't answer right now: {what}. The bot's operator has to fix that; \
             please try again later."
        )
    };
    match cause {
        Some(Cause::QuotaExhausted) => operator("the bot's AI account is out of credit"),
        Some(Cause::Unauthorized) => operator("the AI service refused the bot's key"),
        Some(Cause::ModelNotFound) => {
            operator("the AI model the bot is set up for isn't available")
        }
        Some(Cause::EndpointMissing) => operator("the AI server doesn't offer what I need"),
        Some(Cause::ContentFilter) => {
            "I can't respond to that one. Let's talk about something else?".into()
        }
        Some(Cause::ContextOverflow) => "That's more than I can read at once, even after \
            condensing our earlier conversation. Could you split it up?"
            .into(),
        Some(Cause::VisionUnsupported) => NO_VISION.into(),
        Some(Cause::BadRequest) => {
            "Sorry, the AI model couldn't process this message. Could you put it differently?"
                .into()
        }
        Some(Cause::EmptyStream | Cause::EmptyReply) => {
            "Sorry, the model came back without an answer. Could you put it differently?".into()
        }
        _ if retryable && from_model => "Sorry, I still couldn't get an answer from my \
            language model, so I've stopped trying for now. Please send your message again a \
            little later."
            .into(),
        _ => "Sorry, something went wrong on my side and I can't answer this message. \
            Please try again later."
            .into(),
    }
}

/// What `/persona custom` needs, with an example.
pub const PERSONA_CUSTOM_HINT: &str = "Tell me who I should be, e.g. /persona custom Anna: my older sister who loves hiking and teases me about my cooking";

/// A custom persona over `max` characters.
pub fn persona_too_long(max: usize) -> String {
    format!("That description is too long; please keep it under {max} characters.")
}

/// How `/grant` is used.
pub const GRANT_USAGE: &str = "Usage: /grant <user_id> <tokens>, e.g. /grant 123456789 50000";

/// `/grant` with something that is not a user id.
pub fn grant_bad_user(given: &str) -> String {
    format!("{given:?} is not a user id. {GRANT_USAGE}")
}

/// `/grant` with something that is not a token amount.
pub fn grant_bad_amount(given: &str) -> String {
    format!("{given:?} is not a token amount. {GRANT_USAGE}")
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
            estimated_tokens: 0,
        };
        let z = Totals::default();
        assert_eq!(
            usage_report(&t, &t, &z),
            "Today: 1 message, 30 tokens (20 in, 10 out), <$0.0001\nThis month: 1 message, 30 tokens (20 in, 10 out), <$0.0001\nAll time: 0 messages, 0 tokens (0 in, 0 out), $0"
        );
        let guessed = Totals {
            estimated_tokens: 12,
            ..t
        };
        assert_eq!(
            usage_report(&guessed, &t, &z).lines().next(),
            Some("Today: 1 message, 30 tokens (20 in, 10 out; 12 of them estimated), <$0.0001")
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
