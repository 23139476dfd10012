//! `/history` and its buttons (open, rename, delete), `/rename`, and `/export` of the
//! current conversation whole or of every one: conversations as things a user keeps.

use super::super::{ProcessorModel, ProcessorState, ProcessorStore};
use crate::clock::Deadline;
use crate::domain::callback::ShelfPress;
use crate::domain::shelf::{Listed, RenameRequest, Transcript, Which, transcript_markdown};
use crate::domain::usage::day_key;
use crate::domain::{
    CallbackButton, CallbackData, Document, IncomingMessage, Lang, OutgoingMessage, texts,
};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::handlers::retry::retrying;
use crate::ports::{ConversationModel, ConversationShelf, Deleted, Queue};

/// Conversations `/history` lists (the current one included), each with its buttons.
const LISTED: usize = 10;
/// At most this many turns go into one conversation's export.
const EXPORT_TURNS: usize = 2000;
/// `/export all` sends at most this many files, the newest conversations.
const EXPORT_ALL: usize = 20;

pub(super) async fn history<S: ConversationShelf>(
    store: &S,
    message: &IncomingMessage,
) -> Result<OutgoingMessage> {
    let list = store.shelf(message.conversation(), LISTED).await?;
    Ok(list_message(message, &list, None, None))
}

/// The `/history` list: one line per conversation, the current one marked, and a row of
/// buttons under it per conversation (or the confirmation for the one being deleted).
fn list_message(
    message: &IncomingMessage,
    list: &[Listed],
    status: Option<String>,
    confirm: Option<Which>,
) -> OutgoingMessage {
    let lang = message.lang();
    let mut text = status.map(|s| format!("{s}\n\n")).unwrap_or_default();
    if list.is_empty() {
        text.push_str(&texts::conversation_list_empty(lang));
        return OutgoingMessage::reply_to(message, "history", text);
    }
    text.push_str(&texts::conversation_list_heading(lang));
    let mut keyboard = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let n = i + 1;
        let current = item.which == Which::Current;
        text.push_str(&format!(
            "\n{}{n}. {} \u{2013} {}",
            if current { "\u{25b6} " } else { "" },
            day_key(item.started_at_ms),
            title_or_untitled(lang, &item.title),
        ));
        keyboard.push(buttons(lang, n, item.which, confirm == Some(item.which)));
    }
    if let Some(doomed) = confirm.and_then(|w| list.iter().find(|l| l.which == w)) {
        let title = title_or_untitled(lang, &doomed.title);
        text.push_str(&format!(
            "\n\n{}",
            texts::conversation_confirm_delete(lang, &title)
        ));
    }
    let mut out = OutgoingMessage::reply_to(message, "history", text);
    out.keyboard = keyboard;
    out
}

fn title_or_untitled(lang: Lang, title: &str) -> String {
    if title.trim().is_empty() {
        texts::conversation_untitled(lang)
    } else {
        title.to_owned()
    }
}

/// Line `n`'s row: open (a filed one), rename, delete; or, while its deletion waits,
/// the confirmation and "keep".
fn buttons(lang: Lang, n: usize, which: Which, confirming: bool) -> Vec<CallbackButton> {
    let button = |text: String, press: ShelfPress| CallbackButton {
        text,
        data: CallbackData::Shelf(press).encode(),
    };
    if confirming {
        let [yes, keep] = texts::conversation_confirm_buttons(lang, n);
        return vec![
            button(yes, ShelfPress::ConfirmDelete(which)),
            button(keep, ShelfPress::Keep),
        ];
    }
    let [open, rename, delete] = texts::conversation_buttons(lang, n);
    let mut row = Vec::with_capacity(3);
    if let Which::Filed(id) = which {
        row.push(button(open, ShelfPress::Open(id)));
    }
    row.push(button(rename, ShelfPress::Rename(n)));
    row.push(button(delete, ShelfPress::Delete(which)));
    row
}

/// A press on a `/history` button: carried out, then the list is redrawn in place with
/// a line saying what happened. Idempotent: a redelivered press changes nothing more.
pub(super) async fn press<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    deadline: Deadline,
) -> Result<Option<OutgoingMessage>>
where
    S: ProcessorStore,
    M: ProcessorModel,
{
    let Some(CallbackData::Shelf(press)) = CallbackData::parse(&message.args) else {
        tracing::warn!("a /history press without a /history button's data");
        return Ok(None);
    };
    let store = &state.store;
    let conv = message.conversation();
    let lang = message.lang();
    let list = store.shelf(conv, LISTED).await?;
    let title = |which: Which| {
        list.iter()
            .find(|l| l.which == which)
            .map(|l| title_or_untitled(lang, &l.title))
    };
    let (status, confirm, changed) = match press {
        ShelfPress::Open(id) => {
            let title = title(Which::Filed(id));
            // Placed like a message sent now: Telegram dates messages to the second, and
            // within a second update ids keep the order, so a message sent after the press
            // (a later update) lands after the marker, in the opened conversation.
            let now = state.clock.now_ms().div_euclid(1000) * 1000;
            match title {
                Some(title) if store.reopen(conv, id, message.update_id, now).await? => {
                    (Some(texts::conversation_opened(lang, &title)), None, true)
                }
                _ => (Some(texts::conversation_gone(lang)), None, false),
            }
        }
        ShelfPress::Delete(which) => match title(which) {
            Some(_) => (None, Some(which), false),
            None => (Some(texts::conversation_gone(lang)), None, false),
        },
        ShelfPress::ConfirmDelete(which) => {
            let title = title(which);
            match store.delete(conv, which).await? {
                Deleted::Done {
                    server_conversation,
                } => {
                    if let Some(id) = server_conversation {
                        delete_at_provider(state, &id, deadline).await;
                    }
                    let title = title.unwrap_or_else(|| texts::conversation_untitled(lang));
                    (Some(texts::conversation_deleted(lang, &title)), None, true)
                }
                Deleted::Gone => (Some(texts::conversation_gone(lang)), None, false),
            }
        }
        // The webhook answers the rename button with a hint; "keep" redraws as it was.
        ShelfPress::Rename(_) | ShelfPress::Keep => (None, None, false),
    };
    let list = if changed {
        store.shelf(conv, LISTED).await?
    } else {
        list
    };
    let mut out = list_message(message, &list, status, confirm);
    out.edit_message_id = Some(message.message_id);
    out.reply_to_message_id = None;
    Ok(Some(out))
}

/// Deletes a deleted conversation's provider-side copy, retried within the delivery. A
/// provider without the endpoint, or without the conversation any more, leaves nothing to
/// delete. Ours is deleted already (a redelivery would find nothing to go on from), so a
/// provider that keeps failing leaves its copy there, logged, and the user is not held up.
async fn delete_at_provider<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    id: &str,
    deadline: Deadline,
) where
    M: ConversationModel,
{
    let deleted = retrying(state.attempts(), deadline, || {
        state.model.delete_conversation(id)
    })
    .await;
    match deleted {
        // `false`: unknown to the provider, or a provider without the endpoint.
        Ok(deleted) => tracing::info!(deleted, "provider conversation handled"),
        Err(e) => {
            tracing::warn!(error = %e, "could not delete the conversation at the provider; left there");
        }
    }
}

/// `/rename <title>` (the current conversation) or `/rename <n> <title>` (line n of
/// `/history`; a number past the list's end is part of the title).
pub(super) async fn rename<S: ConversationShelf>(
    store: &S,
    message: &IncomingMessage,
) -> Result<OutgoingMessage> {
    let lang = message.lang();
    let conv = message.conversation();
    let say = |text: String| Ok(OutgoingMessage::reply_to(message, "rename", text));
    let Some(request) = RenameRequest::parse(&message.args) else {
        return say(texts::conversation_rename_usage(lang));
    };
    let (which, title) = match request.position {
        Some(n) => {
            let list = store.shelf(conv, LISTED).await?;
            match list.get(n - 1) {
                Some(line) => (line.which, request.title),
                None => (Which::Current, request.whole),
            }
        }
        None => (Which::Current, request.title),
    };
    if store.rename(conv, which, &title).await? {
        say(texts::conversation_renamed(lang, &title))
    } else {
        say(texts::conversation_rename_missing(lang))
    }
}

/// `/export`: the current conversation whole; `/export all`: every conversation, one file
/// each. Each file fits an outbox message; the files are queued here, and the returned
/// message (the last file, or a word) is the command's reply.
pub(super) async fn export<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    now_ms: i64,
) -> Result<OutgoingMessage>
where
    S: ProcessorStore,
    Q: Queue,
{
    let lang = message.lang();
    let conv = message.conversation();
    let store = &state.store;
    let mut files = Vec::new();
    let all = message.args.trim().eq_ignore_ascii_case("all");
    if all {
        for listed in store.shelf(conv, EXPORT_ALL).await? {
            let transcript = store.transcript(conv, listed.which, EXPORT_TURNS).await?;
            if !transcript.is_empty() {
                files.push(transcript);
            }
        }
    } else {
        let transcript = store.transcript(conv, Which::Current, EXPORT_TURNS).await?;
        if !transcript.is_empty() {
            files.push(transcript);
        }
    }
    if files.is_empty() {
        return Ok(OutgoingMessage::reply_to(
            message,
            "export",
            texts::export_nothing(lang),
        ));
    }
    let count = files.len();
    let mut documents: Vec<OutgoingMessage> = files
        .iter()
        .enumerate()
        .map(|(i, t)| document(message, lang, i, t, now_ms))
        .collect();
    if !all {
        return Ok(documents.remove(0));
    }
    for document in &documents {
        enqueue_reply(&state.outbox, document).await?;
    }
    Ok(OutgoingMessage::reply_to(
        message,
        "export",
        texts::export_all_done(lang, count),
    ))
}

/// The file of the `i`-th conversation exported.
fn document(
    message: &IncomingMessage,
    lang: Lang,
    i: usize,
    transcript: &Transcript,
    now_ms: i64,
) -> OutgoingMessage {
    let date = day_key(now_ms);
    let title = title_or_untitled(lang, transcript.title.as_deref().unwrap_or_default());
    let started = transcript
        .started_at_ms
        .map_or_else(|| date.clone(), day_key);
    let words = texts::export_words(lang, &title, &started, &date);
    let (content, cut) = transcript_markdown(&words, transcript);
    let messages = transcript
        .entries
        .iter()
        .filter(|e| matches!(e, crate::domain::shelf::Entry::Turn(_)))
        .count();
    let caption = texts::conversation_export_caption(lang, &title, messages, cut);
    let mut out = OutgoingMessage::reply_to(message, &format!("export-{i}"), caption);
    out.document = Some(Document {
        file_name: format!("conversation-{started}-{}.md", i + 1),
        content,
    });
    out.reply_to_message_id = None;
    out
}
