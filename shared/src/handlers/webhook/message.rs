//! Messages: commands answered at once, the rest queued.

use super::gate::Refusal;
use super::route::{BotIdentity, Route};
use super::settings::{parse_on_off, route_persona};
use crate::adapters::telegram::inbound::{ChatKind, EntityKind, MessageView};
use crate::domain::QuickReply;
use crate::domain::jobs::{ChatMigration, InboundJob, IncomingMessage};
use crate::domain::{
    ChatId, Command, Lang, MAX_DOWNLOAD_BYTES, Media, SettingChange, UpdateId, UserId, texts,
};
use crate::ports::Stop;

/// Whether a group message is for the bot: it mentions the bot, replies to one of its
/// messages, or is a command addressed `/cmd@bot`. Returns the text without the mention.
fn addressed_text(message: &MessageView, text: &str, bot: &BotIdentity<'_>) -> Option<String> {
    let username = bot.username.map(|u| format!("@{u}"));
    let replies_to_bot = message
        .reply_to_message
        .as_ref()
        .and_then(|r| r.from.as_ref())
        .is_some_and(|f| {
            Some(f.id) == bot.id
                || (f.is_bot
                    && f.username
                        .as_deref()
                        .zip(bot.username)
                        .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b)))
        });
    let command_to_bot = text.starts_with('/')
        && text
            .split_whitespace()
            .next()
            .and_then(|head| head.split_once('@'))
            .zip(bot.username)
            .is_some_and(|((_, to), me)| to.eq_ignore_ascii_case(me));
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let mut mentions: Vec<(usize, usize)> = Vec::new();
    for e in message.text_entities() {
        let range = e.offset..e.offset.saturating_add(e.length);
        let Some(slice) = utf16.get(range.clone()) else {
            continue;
        };
        let mentioned = match e.kind() {
            EntityKind::Mention => username
                .as_deref()
                .is_some_and(|u| String::from_utf16_lossy(slice).eq_ignore_ascii_case(u)),
            EntityKind::TextMention(id) => Some(id) == bot.id,
            EntityKind::Other => false,
        };
        if mentioned {
            mentions.push((range.start, range.end));
        }
    }
    if !(replies_to_bot || command_to_bot || !mentions.is_empty()) {
        return None;
    }
    Some(without_mentions(&utf16, &mentions))
}

/// The model should not see its own @name as part of what was said.
fn without_mentions(utf16: &[u16], mentions: &[(usize, usize)]) -> String {
    let mut kept: Vec<u16> = Vec::with_capacity(utf16.len());
    let mut at = 0;
    for &(start, end) in mentions {
        if start >= at {
            kept.extend_from_slice(&utf16[at..start]);
            at = end;
        }
    }
    kept.extend_from_slice(&utf16[at.min(utf16.len())..]);
    let cleaned = String::from_utf16_lossy(&kept);
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A group became a supergroup. Telegram says so twice, with a service message in each
/// chat; both name the same move, which the processor makes once.
fn migration(update_id: UpdateId, message: &MessageView) -> Option<ChatMigration> {
    let here = ChatId::new(message.chat.id);
    let (from, to) = match (message.migrate_to_chat_id, message.migrate_from_chat_id) {
        (Some(to), _) => (here, ChatId::new(to)),
        (None, Some(from)) => (ChatId::new(from), here),
        (None, None) => return None,
    };
    Some(ChatMigration {
        update_id,
        from,
        to,
    })
}

/// Who may change the persona and settings of the chat a message is in.
#[derive(Clone, Copy)]
enum Changer {
    /// A private chat's user, or an anonymous admin (only admins can post as the group).
    Owner,
    /// A group member: Telegram must say whether they are an admin.
    AskTelegram(UserId),
    /// Another chat speaking in the group (a channel): never one of its admins.
    Nobody,
}

impl Changer {
    fn guard(self, chat: ChatId, route: Route, lang: Lang) -> Route {
        self.guard_saying(chat, route, texts::group_admins_only(lang))
    }

    fn guard_saying(self, chat: ChatId, route: Route, refusal: String) -> Route {
        match self {
            Self::Owner => route,
            Self::AskTelegram(user) => Route::AdminsOnly {
                chat,
                user,
                then: Box::new(route),
                refusal: QuickReply::message(chat, refusal),
            },
            Self::Nobody => Route::Answer(QuickReply::message(chat, refusal)),
        }
    }
}

pub(super) fn route_message(
    update_id: UpdateId,
    message: &MessageView,
    bot: &BotIdentity<'_>,
    chosen: Option<Lang>,
) -> Route {
    if let Some(migration) = migration(update_id, message) {
        return Route::Enqueue(InboundJob::ChatMigrated(migration));
    }
    let group = match message.chat.kind() {
        ChatKind::Private => false,
        ChatKind::Group | ChatKind::Supergroup => true,
        ChatKind::Channel | ChatKind::Other => {
            return Route::Ignore("messages in channels are not handled".into());
        }
    };
    // Sent on behalf of a chat, the message is that chat's, not its placeholder bot's.
    let Some(from) = message.sender() else {
        return Route::Ignore("message without a sender".into());
    };
    let lang = Lang::resolve(chosen, from.language_code.as_deref());
    let chat_id = ChatId::new(message.chat.id);
    let media = message.media();
    let raw = message.text_or_caption().unwrap_or_default();
    let text = if group {
        match addressed_text(message, raw, bot) {
            Some(text) => text,
            None => return Route::Ignore("group message not addressed to the bot".into()),
        }
    } else {
        raw.to_owned()
    };
    if media.is_none() && message.text.is_none() {
        return Route::Answer(QuickReply::message(
            chat_id,
            texts::unsupported_message(lang),
        ));
    }
    if let Some(Media::Sound {
        size: Some(size), ..
    }) = &media
        && *size > MAX_DOWNLOAD_BYTES
    {
        // Known before any download: say so at once, nothing is queued.
        return Route::Answer(QuickReply::message(
            chat_id,
            texts::file_too_large(lang, Some(*size)),
        ));
    }
    let changer = match (group, from.is_chat) {
        (false, _) => Changer::Owner,
        // An anonymous admin posts as the group itself, and only admins can do that.
        (true, true) if from.id.get() == chat_id.get() => Changer::Owner,
        (true, true) => Changer::Nobody,
        (true, false) => Changer::AskTelegram(from.id),
    };
    let parsed = if media.is_some() {
        None
    } else {
        Command::parse(&text, bot.username)
    };
    let job = IncomingMessage {
        update_id,
        chat_id,
        message_id: message.message_id,
        date: message.date,
        from,
        text,
        command: None,
        args: String::new(),
        forwarded: message.forwarded(),
        group,
        topic: message.topic(),
        media,
        media_group: message.media_group_id.clone(),
        album: Vec::new(),
        chosen_lang: chosen,
    };
    match parsed {
        Some((command, args)) => {
            let admin = bot.admins.contains(&job.from.id);
            route_command(job, command, &args, (changer, admin), lang)
        }
        None => Route::Enqueue(InboundJob::Message(job)),
    }
}

/// Commands the webhook answers itself; the others go on the queue with the message.
fn route_command(
    mut job: IncomingMessage,
    command: Command,
    args: &str,
    (changer, admin): (Changer, bool),
    lang: Lang,
) -> Route {
    let chat_id = job.chat_id;
    // A group's persona and settings belong to the group; in private, to the user.
    let owner = job.settings_owner();
    // Quick commands skip subscription-check: all but /start, /help and /forget are for
    // those who may use the bot (anyone may have their data deleted, members or not).
    // Queued ones are checked there.
    let gated = !matches!(command, Command::Start | Command::Help | Command::Forget);
    let from = job.from.clone();
    let route = match command {
        Command::Start => Route::Answer(QuickReply::message(chat_id, texts::start(lang))),
        Command::Help => {
            let asker = texts::Asker {
                group: job.group,
                admin,
            };
            Route::Answer(QuickReply::message(chat_id, texts::help(lang, asker)))
        }
        Command::Persona => match route_persona(chat_id, owner, args, lang) {
            route @ Route::SetPersona { .. } => changer.guard(chat_id, route, lang),
            route => route,
        },
        Command::Cancel => Route::Cancel {
            chat: chat_id,
            stop: Stop::Before(job.update_id),
            say: Some(lang),
        },
        Command::Settings => changer.guard(
            chat_id,
            Route::ShowSettings {
                chat: chat_id,
                owner,
                lang,
            },
            lang,
        ),
        Command::Voice => match parse_on_off(args) {
            Some(on) => changer.guard(
                chat_id,
                Route::ChangeSetting {
                    owner,
                    change: SettingChange::VoiceReplies(on),
                    reply: QuickReply::message(
                        chat_id,
                        if on {
                            texts::voice_on(lang)
                        } else {
                            texts::voice_off(lang)
                        },
                    ),
                    unchanged: Some(QuickReply::message(chat_id, texts::voice_already(lang, on))),
                },
                lang,
            ),
            None => Route::Answer(QuickReply::message(chat_id, texts::voice_usage(lang))),
        },
        Command::Language => super::language::route_language(&job, args),
        // Answered at once: the deletion waits for the sender's own press.
        Command::Forget => Route::Answer(QuickReply::Message {
            chat_id,
            text: texts::forget_warning(lang, job.group),
            keyboard: texts::forget_buttons(lang, job.from.id, job.date),
            topic: None,
        }),
        // A group's conversations are the group's: only its admins rename them.
        Command::Rename if job.group => {
            job.command = Some(command);
            args.clone_into(&mut job.args);
            changer.guard(chat_id, Route::Enqueue(InboundJob::Message(job)), lang)
        }
        command => {
            let group = job.group;
            let reset = command == Command::Reset;
            job.command = Some(command);
            args.clone_into(&mut job.args);
            let queued = Route::Enqueue(InboundJob::Message(job));
            // The group's conversation is everyone's: only its admins start a new one.
            if !(group && reset) {
                return queued;
            }
            changer.guard_saying(chat_id, queued, texts::group_reset_admins_only(lang))
        }
    };
    match route {
        route if gated => Route::MembersOnly {
            from: (from, chat_id),
            then: Box::new(route),
            refusal: Refusal::Message(chat_id, lang),
        },
        route => route,
    }
}
