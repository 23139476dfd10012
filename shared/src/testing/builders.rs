//! Messages and events as the functions receive them, for tests.

use crate::domain::jobs::WorkJob;
use crate::domain::{ChatId, Command, IncomingMessage, Person, UpdateId, UserId};

/// A private text message from user `user`, as the work queue carries it.
pub fn message(update: u64, user: i64, text: &str) -> IncomingMessage {
    IncomingMessage {
        update_id: UpdateId(update),
        chat_id: ChatId::new(user),
        message_id: update as i64,
        date: 1_700_000_000,
        from: Person {
            id: UserId::new(user),
            first_name: "Ann".into(),
            username: None,
            language_code: None,
            is_chat: false,
        },
        text: text.into(),
        command: None,
        args: String::new(),
        forwarded: false,
        group: false,
        topic: None,
        media: None,
        media_group: None,
        album: Vec::new(),
        chosen_lang: None,
    }
}

/// A command from user `user` in private, parsed as the webhook parses it (`/usage`,
/// `/grant 5 100`).
pub fn command(update: u64, user: i64, text: &str) -> IncomingMessage {
    let mut m = message(update, user, text);
    if let Some((command, args)) = Command::parse(text, None) {
        m.command = Some(command);
        m.args = args;
    }
    m
}

/// A text message from `user` in the group `chat` (addressed to the bot).
pub fn group_message(update: u64, chat: i64, user: i64, text: &str) -> IncomingMessage {
    IncomingMessage {
        chat_id: ChatId::new(chat),
        group: true,
        ..message(update, user, text)
    }
}

/// An SQS event with one work-queue record, delivered for the `receive_count`th time.
pub fn work_event(job: &WorkJob, receive_count: u32) -> aws_lambda_events::event::sqs::SqsEvent {
    body_event(
        &serde_json::to_string(job).expect("a job serialises"),
        receive_count,
    )
}

/// An SQS event with one work-queue record of this body (a parked copy, say).
pub fn body_event(body: &str, receive_count: u32) -> aws_lambda_events::event::sqs::SqsEvent {
    let mut record = aws_lambda_events::event::sqs::SqsMessage::default();
    // SQS keeps a message's id across its deliveries.
    let id = body
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    record.message_id = Some(format!("m-{id:016x}"));
    record.receipt_handle = Some("handle".into());
    record.body = Some(body.to_owned());
    record
        .attributes
        .insert("ApproximateReceiveCount".into(), receive_count.to_string());
    let mut event = aws_lambda_events::event::sqs::SqsEvent::default();
    event.records = vec![record];
    event
}
