//! The entities Telegram attaches to a text, offsets counted in UTF-16 code units.

use serde_json::{Value, json};

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

fn username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The entities Telegram attaches to a typed text: `bot_command` for a leading `/command`
/// (covering an `@botname` suffix, as recorded in `04-command-with-botname-suffix`) and
/// `mention` for every other `@username`, with offsets and lengths in UTF-16 code units.
/// Telegram also checks that a mentioned username could exist; tests choose their names.
pub(super) fn entities_of(text: &str) -> Vec<Value> {
    let mut entities = Vec::new();
    let mut scan_from = 0;
    if text.starts_with('/') {
        let end = text.find(char::is_whitespace).unwrap_or(text.len());
        entities
            .push(json!({"offset": 0, "length": utf16_len(&text[..end]), "type": "bot_command"}));
        scan_from = end;
    }
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts_mention = c == '@' && i >= scan_from && !previous.is_some_and(username_char);
        previous = Some(c);
        if !starts_mention {
            continue;
        }
        let name = text[i + 1..]
            .chars()
            .take_while(|c| username_char(*c))
            .count();
        if name > 0 {
            entities.push(
                json!({"offset": utf16_len(&text[..i]), "length": 1 + name, "type": "mention"}),
            );
        }
    }
    entities
}

pub(super) fn set_entities(message: &mut Value, key: &str, text: &str) {
    let entities = entities_of(text);
    if let Some(obj) = message.as_object_mut() {
        if entities.is_empty() {
            obj.remove(key);
        } else {
            obj.insert(key.to_owned(), json!(entities));
        }
    }
}
