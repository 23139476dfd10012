//! A message as the webhook reads it, and what it says about itself: its sender, text,
//! media, topic and whether it was forwarded.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The message a message replies to: only its author matters.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RepliedView {
    /// Its author: in a group, a reply to the bot's message addresses the bot.
    #[serde(default, deserialize_with = "lenient")]
    pub from: Option<UserView>,
}

/// A message as the webhook reads it; only its id and chat are required.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MessageView {
    /// Its id in the chat: a group reply quotes it, a cut text's parts are consecutive.
    pub message_id: i64,
    /// Unix seconds: the parts of one long message arrive within seconds of each other.
    #[serde(default, deserialize_with = "nullable")]
    pub date: i64,
    /// Where it was posted: whose conversation, and whether the bot must be addressed.
    pub chat: ChatView,
    /// The author, or a placeholder bot when `sender_chat` is set: read through [`Self::sender`].
    #[serde(default, deserialize_with = "lenient")]
    pub from: Option<UserView>,
    /// Set when the message was sent on behalf of a chat: the group itself (an anonymous
    /// admin) or a channel; `from` then holds a placeholder bot (GroupAnonymousBot,
    /// Channel_Bot).
    #[serde(default, deserialize_with = "lenient")]
    pub sender_chat: Option<ChatView>,
    /// A text message's text; read through [`Self::text_or_caption`].
    #[serde(default)]
    pub text: Option<String>,
    /// A media message's caption; read through [`Self::text_or_caption`].
    #[serde(default)]
    pub caption: Option<String>,
    /// Marked spans of `text`, where mentions of the bot are found.
    #[serde(default, deserialize_with = "lenient_list")]
    pub entities: Vec<EntityView>,
    /// Marked spans of `caption`, for a photo or voice note that mentions the bot.
    #[serde(default, deserialize_with = "lenient_list")]
    pub caption_entities: Vec<EntityView>,
    /// The message replied to: in a group, a reply to the bot addresses it.
    #[serde(default, deserialize_with = "lenient")]
    pub reply_to_message: Option<RepliedView>,
    #[serde(default)]
    forward_origin: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "lenient")]
    voice: Option<SoundView>,
    #[serde(default, deserialize_with = "lenient")]
    audio: Option<SoundView>,
    #[serde(default, deserialize_with = "lenient")]
    video_note: Option<SoundView>,
    #[serde(default, deserialize_with = "lenient_list")]
    photo: Vec<PhotoSizeView>,
    /// Shared by an album's photos, so the album is answered once.
    #[serde(default)]
    pub media_group_id: Option<String>,
    #[serde(default)]
    message_thread_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    is_topic_message: bool,
    /// In the old group's service message: the supergroup it became.
    #[serde(default)]
    pub migrate_to_chat_id: Option<i64>,
    /// In the new supergroup's first service message: the group it was.
    #[serde(default)]
    pub migrate_from_chat_id: Option<i64>,
}

impl MessageView {
    /// Who is speaking: the user, or the chat the message was sent on behalf of.
    pub fn sender(&self) -> Option<Person> {
        if let Some(chat) = &self.sender_chat {
            return Some(Person {
                id: UserId::new(chat.id),
                first_name: chat.title.clone().unwrap_or_default(),
                username: chat.username.clone(),
                language_code: None,
                is_chat: true,
            });
        }
        self.from.as_ref().map(|from| Person {
            id: UserId::new(from.id),
            first_name: from.first_name.clone(),
            username: from.username.clone(),
            language_code: from.language_code.clone(),
            is_chat: false,
        })
    }

    /// The text, or a media message's caption.
    pub fn text_or_caption(&self) -> Option<&str> {
        self.text.as_deref().or(self.caption.as_deref())
    }

    /// The entities of [`Self::text_or_caption`].
    pub fn text_entities(&self) -> &[EntityView] {
        if self.text.is_some() {
            &self.entities
        } else {
            &self.caption_entities
        }
    }

    /// Forwarded from elsewhere: during the sample window, a style sample.
    pub fn forwarded(&self) -> bool {
        self.forward_origin.is_some()
    }

    /// The forum topic; a plain supergroup's replies carry a `message_thread_id` too.
    pub fn topic(&self) -> Option<i64> {
        self.message_thread_id.filter(|_| self.is_topic_message)
    }

    /// The voice note, audio, video note or photo the message carries.
    pub fn media(&self) -> Option<Media> {
        let sound = |kind, s: &SoundView| Media::Sound {
            kind,
            file_id: s.file_id.clone(),
            duration_secs: s.duration,
            size: s.file_size,
        };
        if let Some(v) = &self.voice {
            return Some(sound(SoundKind::Voice, v));
        }
        if let Some(a) = &self.audio {
            return Some(sound(SoundKind::Audio, a));
        }
        if let Some(v) = &self.video_note {
            return Some(sound(SoundKind::VideoNote, v));
        }
        // The largest size a bot may download; Telegram lists them smallest first.
        let best = self
            .photo
            .iter()
            .filter(|p| p.file_size.is_none_or(|s| s <= MAX_DOWNLOAD_BYTES))
            .max_by_key(|p| u64::from(p.width) * u64::from(p.height))
            .or_else(|| self.photo.last())?;
        Some(Media::Photo {
            file_id: best.file_id.clone(),
            size: best.file_size,
        })
    }
}
