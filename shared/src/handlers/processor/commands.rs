//! Commands that reach the processor (the webhook answers the quick ones itself).

use super::answer::answer;
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::adapters::now_ms;
use crate::config::ApiMode;
use crate::domain::budget::parse_grant;
use crate::domain::conversation::export_markdown;
use crate::domain::usage::day_key;
use crate::domain::{Command, Document, IncomingMessage, OutgoingMessage, UserId, texts};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::handlers::style_refresh::refresh_user;
use crate::ports::{Queue, Telegram};

/// At most this many turns go into an /export.
const EXPORT_TURNS: usize = 2000;

/// How long after /new_style forwarded messages count as style samples.
const SAMPLE_WINDOW_MS: i64 = 10 * 60_000;

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
    let reply = |purpose: &str, text: String| OutgoingMessage::reply_to(message, purpose, text);
    match &message.command {
        None => Box::pin(answer(state, message, delivery)).await,
        Some(Command::Reset) => {
            state
                .store
                .start_new_conversation(message.conversation(), message.update_id, now_ms())
                .await?;
            if state.mode == ApiMode::Responses {
                // The next message opens a fresh server-side conversation.
                state
                    .store
                    .set_server_conversation(message.conversation(), None)
                    .await?;
            }
            enqueue_reply(&state.outbox, &reply("reset", texts::RESET_DONE.into())).await
        }
        Some(Command::NewStyle) => {
            let text = match refresh_user(&state.store, message.from.id).await? {
                Some(profile) => {
                    state
                        .store
                        .open_sample_window(message.from.id, now_ms() + SAMPLE_WINDOW_MS)
                        .await?;
                    texts::new_style_done(profile.samples, SAMPLE_WINDOW_MS / 60_000)
                }
                None => "I need a few of your messages before I can learn your style. Chat with me a little, then try /new_style again.".to_owned(),
            };
            enqueue_reply(&state.outbox, &reply("style", text)).await
        }
        Some(Command::Start) => {
            enqueue_reply(&state.outbox, &reply("start", texts::START.into())).await
        }
        Some(Command::Help) => {
            enqueue_reply(&state.outbox, &reply("help", texts::HELP.into())).await
        }
        Some(Command::Style) => {
            let args = Command::parse(&message.text, None)
                .map(|(_, a)| a)
                .unwrap_or_default();
            let text = match args.to_ascii_lowercase().as_str() {
                "" => texts::style_report(&state.store.profile(message.from.id).await?),
                "on" => {
                    state.store.set_style_enabled(message.from.id, true).await?;
                    texts::STYLE_ON.to_owned()
                }
                "off" => {
                    state
                        .store
                        .set_style_enabled(message.from.id, false)
                        .await?;
                    texts::STYLE_OFF.to_owned()
                }
                _ => texts::STYLE_USAGE.to_owned(),
            };
            enqueue_reply(&state.outbox, &reply("style", text)).await
        }
        Some(Command::Export) => {
            let history = state
                .store
                .recent_history(message.conversation(), EXPORT_TURNS)
                .await?;
            let mut out = if history.turns.is_empty() && history.summary.is_none() {
                reply("export", texts::NOTHING_TO_EXPORT.to_owned())
            } else {
                let date = day_key(now_ms());
                let mut out = reply("export", texts::export_caption(history.turns.len()));
                out.document = Some(Document {
                    file_name: format!("conversation-{date}.md"),
                    content: export_markdown("your companion", &date, &history),
                });
                out
            };
            out.reply_to_message_id = None;
            enqueue_reply(&state.outbox, &out).await
        }
        Some(Command::History) => {
            let list = state
                .store
                .conversation_list(message.conversation(), 10)
                .await?;
            enqueue_reply(
                &state.outbox,
                &reply("history", texts::history_report(&list)),
            )
            .await
        }
        Some(Command::Usage) => {
            let (totals, profile) = futures::try_join!(
                state.store.user_totals(message.from.id, now_ms()),
                state.store.profile(message.from.id),
            )?;
            let [today, month, total] = totals;
            let mut text = texts::usage_report(&today, &month, &total);
            if profile.credits != 0 {
                text = format!("{text}\n{}", texts::credits_line(profile.credits));
            }
            enqueue_reply(&state.outbox, &reply("usage", text)).await
        }
        Some(Command::Grant) => {
            let text = if !state.admins.contains(&message.from.id) {
                texts::ADMINS_ONLY.to_owned()
            } else {
                let args = Command::parse(&message.text, None)
                    .map(|(_, a)| a)
                    .unwrap_or_default();
                match parse_grant(&args) {
                    Err(usage) => usage,
                    Ok((user, amount)) => {
                        let balance = state
                            .store
                            .grant_credits(UserId(user), amount, message.from.id, message.update_id)
                            .await?;
                        texts::granted(user, amount, balance)
                    }
                }
            };
            enqueue_reply(&state.outbox, &reply("grant", text)).await
        }
        Some(Command::Stats) => {
            let text = if state.admins.contains(&message.from.id) {
                let [today, total] = state.store.bot_totals(now_ms()).await?;
                texts::stats_report(&today, &total)
            } else {
                texts::ADMINS_ONLY.to_owned()
            };
            enqueue_reply(&state.outbox, &reply("stats", text)).await
        }
        Some(Command::Persona | Command::Cancel | Command::Settings | Command::Voice) => {
            tracing::warn!(command = ?message.command, "reached the processor; the webhook answers it");
            Ok(())
        }
        Some(Command::Subscribe) => {
            tracing::warn!("/subscribe reached the processor; subscription-check answers it");
            Ok(())
        }
        Some(Command::Unknown(name)) => {
            enqueue_reply(
                &state.outbox,
                &reply("unknown", texts::unknown_command(name)),
            )
            .await
        }
    }
}
