//! Commands that reach the processor (the webhook answers the quick ones itself). Each
//! family has its file: `conversation` (/reset, /export, /history), `style` (/style,
//! /new_style) and `accounting` (/usage, /grant, /stats). Each returns the reply, and
//! this dispatcher sends it.

mod accounting;
mod conversation;
mod private;
mod shelf;
mod style;

use super::answer::answer;
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::domain::{Command, IncomingMessage, OutgoingMessage, texts};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::ports::{Queue, Telegram};

pub(super) async fn handle_message<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    delivery: Delivery,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let Some(command) = &message.command else {
        return Box::pin(answer(state, message, delivery)).await;
    };
    // Commands are rare and most read no profile: their one extra read is the language.
    let message = &message.with_chosen_lang(store_language(state, message).await);
    let store = &state.store;
    let admin = state.admins.contains(&message.from.id);
    let now_ms = state.clock.now_ms();
    let reply = match command {
        Command::Reset => conversation::reset(store, state.mode, message).await?,
        Command::Export => shelf::export(state, message, now_ms).await?,
        Command::History => shelf::history(store, message).await?,
        Command::NewStyle => style::new_style(store, message, now_ms).await?,
        Command::Style => style::style(store, message).await?,
        Command::Usage => {
            let limits = (!admin && !state.limits.is_unlimited()).then_some(&state.limits);
            accounting::usage(store, message, limits, now_ms).await?
        }
        Command::Grant => accounting::grant(store, admin, message).await?,
        Command::Stats => accounting::stats(store, admin, message, now_ms).await?,
        Command::Start => OutgoingMessage::reply_to(message, "start", texts::start(message.lang())),
        Command::Help => {
            let asker = texts::Asker {
                group: message.group,
                admin,
            };
            OutgoingMessage::reply_to(message, "help", texts::help(message.lang(), asker))
        }
        Command::Unknown(name) => OutgoingMessage::reply_to(
            message,
            "unknown",
            texts::unknown_command(message.lang(), name),
        ),
        Command::Persona
        | Command::Cancel
        | Command::Settings
        | Command::Voice
        | Command::Forget
        | Command::Language => {
            tracing::warn!(?command, "reached the processor; the webhook answers it");
            return Ok(());
        }
        Command::Rename => shelf::rename(store, message).await?,
        Command::HistoryButton => match shelf::press(state, message, delivery.deadline).await? {
            Some(redrawn) => redrawn,
            None => return Ok(()),
        },
        Command::Retry => return Box::pin(super::retry::retry(state, message, delivery)).await,
        Command::Subscribe => {
            tracing::warn!("/subscribe reached the processor; subscription-check answers it");
            return Ok(());
        }
    };
    // One person's figures are not the group's business (a group posting as itself
    // asks about itself).
    let personal = match command {
        Command::Usage => true,
        Command::Stats | Command::Grant => admin,
        _ => false,
    };
    if personal && message.group && !message.from.is_chat {
        return private::answer_privately(state, message, reply).await;
    }
    enqueue_reply(&state.outbox, &reply).await
}

/// What follows the command's name (`/style on` -> `on`), as the webhook parsed it.
fn arguments(message: &IncomingMessage) -> &str {
    &message.args
}

/// The sender's `/language` choice; unreadable, the reply follows their Telegram app.
async fn store_language<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) -> Option<crate::domain::Lang>
where
    S: ProcessorStore,
{
    match state.store.language(message.from.id).await {
        Ok(chosen) => chosen,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the language choice; using the app's");
            None
        }
    }
}
