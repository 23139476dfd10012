//! Everything the bot says that is not written by the model.

use super::{AccessDecision, MemberStatus};

pub const START: &str = "Hi! I'm your companion. Just write to me like you would to a friend.\n\n\
/help shows what I can do.";

pub const HELP: &str = "Write anything and I'll answer.\n\n\
/reset \u{2013} start a new conversation\n\
/new_style \u{2013} learn how you write from your recent messages\n\
/subscribe \u{2013} check your access\n\
/help \u{2013} this message";

pub const RESET_DONE: &str = "Okay, fresh start. I've put our previous conversation aside.";
pub const NEW_STYLE_DONE: &str = "Context successfully updated!";
pub const MODEL_FAILED: &str = "Sorry, I couldn't think of an answer just now. I've kept your message and will reply as soon as I can.";
pub const UNSUPPORTED_MESSAGE: &str = "I can only read text messages for now.";
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
        AccessDecision::Refused {
            status: Some(MemberStatus::Kicked),
        } => "You don't have access: you are banned from the channel.".into(),
        AccessDecision::Refused { status: Some(_) } => {
            "You don't have access yet: join the channel first.".into()
        }
        AccessDecision::Refused { status: None } => "You don't have access to this bot.".into(),
    }
}
