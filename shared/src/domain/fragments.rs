//! Messages that Telegram delivered in parts.
//!
//! A Telegram client sends a text longer than 4096 characters as several messages, one
//! right after the other, and an album of photos as one message per photo (sharing a
//! `media_group_id`, the caption on one of them). Answering each part would answer
//! half-sentences, or the same album three times; the bot holds the parts and answers
//! once, to the whole: a text when a shorter part (the last) arrives, either when nothing
//! follows for a few seconds (an album has no last part to recognise).

use super::IncomingMessage;

/// A part at least this long (UTF-16 units, as Telegram counts) may have been cut from a
/// longer message. Clients cut at a space or line break shortly before 4096.
pub const FRAGMENT_MIN: usize = 3800;

/// Parts of one message arrive within a second or two of each other.
pub const MAX_GAP_SECS: i64 = 10;

/// How long a held part waits for its continuation before it is answered alone.
pub const HOLD_MS: i64 = 3000;

/// What to do with a message, given the parts already held for its chat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An ordinary message: answer it.
    Answer,
    /// Hold these (the held parts plus this one) and wait for more.
    Hold(Vec<IncomingMessage>),
    /// A redelivery of a message already held: only make sure the wait is scheduled.
    AlreadyHeld,
    /// This message completes the held parts: answer the joined text.
    Complete(IncomingMessage),
    /// The held parts were a whole message after all: answer them joined, then this one.
    FlushThenAnswer(IncomingMessage),
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Telegram's limit for one message: a longer text was not cut by a client.
pub const MAX_PART: usize = 4096;

/// Long enough to have been cut, and plain text (commands and media are never split);
/// or one photo of an album.
pub fn may_be_cut(msg: &IncomingMessage) -> bool {
    if msg.media_group.is_some() {
        return true;
    }
    msg.command.is_none()
        && msg.media.is_none()
        && (FRAGMENT_MIN..=MAX_PART).contains(&utf16_len(&msg.text))
}

/// Whether `next` is the part that follows `prev`: the next text of a cut message, or
/// another photo of the same album.
pub fn continues(prev: &IncomingMessage, next: &IncomingMessage) -> bool {
    let same_sender = next.chat_id == prev.chat_id
        && next.topic == prev.topic
        && next.from.id == prev.from.id
        && (0..=MAX_GAP_SECS).contains(&(next.date - prev.date));
    if prev.media_group.is_some() || next.media_group.is_some() {
        return same_sender
            && next.media_group == prev.media_group
            && next.message_id > prev.message_id;
    }
    same_sender
        && next.command.is_none()
        && next.media.is_none()
        && next.message_id == prev.message_id + 1
}

/// The [`Step`] for `msg`, given the parts already held for its chat in arrival order.
pub fn next_step(held: &[IncomingMessage], msg: &IncomingMessage) -> Step {
    if held.iter().any(|h| h.update_id == msg.update_id) {
        return Step::AlreadyHeld;
    }
    let Some(last) = held.last() else {
        return if may_be_cut(msg) {
            Step::Hold(vec![msg.clone()])
        } else {
            Step::Answer
        };
    };
    if !continues(last, msg) {
        return Step::FlushThenAnswer(join(held));
    }
    let mut parts = held.to_vec();
    parts.push(msg.clone());
    if may_be_cut(msg) {
        Step::Hold(parts)
    } else {
        Step::Complete(join(&parts))
    }
}

/// One message with the parts' text, answered as the last part (its update id keeps the
/// answer exactly-once).
pub fn join(parts: &[IncomingMessage]) -> IncomingMessage {
    let mut joined = parts.last().cloned().unwrap_or_else(|| {
        // Callers never pass an empty slice; an empty message is the harmless answer.
        IncomingMessage {
            update_id: super::UpdateId(0),
            chat_id: super::ChatId::new(0),
            message_id: 0,
            date: 0,
            from: super::Person {
                id: super::UserId::new(0),
                first_name: String::new(),
                username: None,
                language_code: None,
                is_chat: false,
            },
            text: String::new(),
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
    });
    if joined.media_group.is_some() {
        // One message with all the album's photos, and whatever captions they had.
        let mut photos = parts.iter().filter_map(|p| p.media.clone());
        joined.media = photos.next();
        joined.album = photos.collect();
        joined.text = parts
            .iter()
            .map(|p| p.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        return joined;
    }
    // Clients cut at whitespace and drop it; a line break keeps the words apart.
    joined.text = parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Command, UpdateId};

    fn msg(update: u64, message_id: i64, date: i64, text: &str) -> IncomingMessage {
        IncomingMessage {
            message_id,
            date,
            ..crate::testing::message(update, 7, text)
        }
    }

    #[test]
    fn a_long_message_in_three_parts_is_answered_once() {
        let a = msg(1, 10, 100, &"a ".repeat(2040));
        let b = msg(2, 11, 100, &"b ".repeat(2045));
        let c = msg(3, 12, 101, "the end");
        assert_eq!(next_step(&[], &a), Step::Hold(vec![a.clone()]));
        assert_eq!(
            next_step(std::slice::from_ref(&a), &b),
            Step::Hold(vec![a.clone(), b.clone()])
        );
        match next_step(&[a.clone(), b.clone()], &c) {
            Step::Complete(joined) => {
                assert_eq!(joined.update_id, UpdateId(3));
                assert_eq!(joined.text, format!("{}\n{}\nthe end", a.text, b.text));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ordinary_and_unrelated_messages() {
        let short = msg(1, 10, 100, "hi");
        assert_eq!(next_step(&[], &short), Step::Answer);
        let long = msg(2, 11, 100, &"x".repeat(FRAGMENT_MIN));
        // Not the next message id, or too late, or a command: the held part stood alone.
        for other in [
            msg(3, 13, 101, "later"),
            msg(3, 12, 100 + MAX_GAP_SECS + 1, "much later"),
            IncomingMessage {
                command: Some(Command::Reset),
                ..msg(3, 12, 101, "/reset")
            },
        ] {
            assert_eq!(
                next_step(std::slice::from_ref(&long), &other),
                Step::FlushThenAnswer(join(std::slice::from_ref(&long))),
                "{other:?}"
            );
        }
        assert_eq!(
            next_step(std::slice::from_ref(&long), &long),
            Step::AlreadyHeld
        );
        // Just under the threshold is an ordinary message, and so is one over Telegram's
        // limit (it cannot have come from a client that splits).
        assert_eq!(
            next_step(&[], &msg(4, 20, 1, &"y".repeat(FRAGMENT_MIN - 1))),
            Step::Answer
        );
        assert_eq!(
            next_step(&[], &msg(5, 21, 1, &"y".repeat(MAX_PART + 1))),
            Step::Answer
        );
    }

    #[test]
    fn an_album_is_held_whole_and_answered_once_with_every_photo() {
        let photo = |update: u64, message_id: i64, caption: &str, file: &str| IncomingMessage {
            media: Some(crate::domain::Media::Photo {
                file_id: file.into(),
                size: Some(1000),
            }),
            media_group: Some("album-1".into()),
            ..msg(update, message_id, 100, caption)
        };
        let a = photo(1, 10, "our trip", "A");
        let b = photo(2, 11, "", "B");
        let c = photo(3, 12, "", "C");
        assert_eq!(next_step(&[], &a), Step::Hold(vec![a.clone()]));
        assert_eq!(
            next_step(std::slice::from_ref(&a), &b),
            Step::Hold(vec![a.clone(), b.clone()])
        );
        // An album has no last part: even the third photo only waits.
        assert!(matches!(
            next_step(&[a.clone(), b.clone()], &c),
            Step::Hold(_)
        ));
        let joined = join(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(joined.update_id, UpdateId(3));
        assert_eq!(joined.text, "our trip");
        let files: Vec<_> = std::iter::once(joined.media.clone().unwrap())
            .chain(joined.album.clone())
            .map(|m| match m {
                crate::domain::Media::Photo { file_id, .. } => file_id,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(files, ["A", "B", "C"]);
        // A text after the album: the album is answered first, then the text.
        let text = msg(4, 13, 101, "what do you think?");
        assert_eq!(
            next_step(&[a.clone(), b, c], &text),
            Step::FlushThenAnswer(joined)
        );
        // Another album is not this one.
        let other = IncomingMessage {
            media_group: Some("album-2".into()),
            ..photo(5, 14, "", "D")
        };
        assert!(matches!(next_step(&[a], &other), Step::FlushThenAnswer(_)));
    }

    #[test]
    fn length_counts_utf16_units_like_telegram() {
        // Each emoji is two UTF-16 units: 1900 of them reach the threshold.
        let emoji = msg(1, 1, 1, &"😀".repeat(FRAGMENT_MIN / 2));
        assert!(may_be_cut(&emoji));
    }
}
