//! `UserStore`: profiles, settings and the user directory under `USER#<id>`.

use super::conversation::{ConversationItem, conversation_item};
#[allow(clippy::wildcard_imports)]
use super::*;
use crate::domain::SeenAs;
use items::{DirectoryItem, JobCursorItem, MeterItem, ProfileItem, SampleKind, StyleSampleItem};

/// What a stored profile means; `ProfileItem` says why any attribute may be absent. The
/// message count is the meter's, once there is one.
fn user_profile(user: UserId, item: ProfileItem, meter: Option<&MeterItem>) -> Result<UserProfile> {
    // `save_style_profile` sets both or neither.
    let style = match (item.style_description, item.style_samples) {
        (Some(description), Some(samples)) => Some(StyleProfile {
            description,
            samples,
        }),
        (None, _) => None,
        (Some(_), None) => {
            return Err(Failure::permanent(anyhow!(
                "unreadable {} item {} / {}: a style_description without style_samples",
                ProfileItem::KIND,
                item.pk,
                item.sk
            )));
        }
    };
    // A persona that no longer parses (a persona since removed) falls back to the default
    // rather than making the chat unusable.
    let persona = item.persona.and_then(|json| {
        serde_json::from_str(&json)
            .map_err(|e| tracing::warn!(%user, error = %e, "unreadable stored persona; using the default"))
            .ok()
    });
    let count = |n: Option<i64>| n.unwrap_or_default().max(0) as u64;
    let seen_as = item.first_name.map(|first_name| SeenAs {
        first_name,
        username: item.username,
        active: item.active.unwrap_or(true),
    });
    Ok(UserProfile {
        known: true,
        credits: item.credits.unwrap_or_default(),
        persona,
        style,
        // Imitation is on until `/style off`.
        style_enabled: item.style_enabled.unwrap_or(true),
        message_count: meter.map_or(count(item.message_count), |m| m.messages),
        style_built_at_count: count(item.style_msg_count_at),
        sample_window_until_ms: item.sample_window_until.unwrap_or_default(),
        settings: Settings {
            voice_replies: item.voice_replies.unwrap_or_default(),
            show_transcript: item.show_transcript.unwrap_or_default(),
            model: item.model.filter(|m| !m.is_empty()),
        },
        seen_as,
        // A code this bot no longer has falls back to the Telegram app's language.
        lang: item.lang.as_deref().and_then(Lang::from_tag),
    })
}

impl ProfileStore for DynamoStore {
    async fn profile(&self, owner: Owner) -> Result<UserProfile> {
        // A group's profile is kept like a user's, under its (negative) chat id.
        let user = UserId::new(owner.key());
        let profile = keys::profile(user);
        // A user's message count is on their meter: both in one request. A group has none.
        let wanted = match owner {
            Owner::User(_) => vec![profile.clone(), keys::meter(user)],
            Owner::Group(_) => vec![profile.clone()],
        };
        let (mut item, mut meter) = (None, None);
        for found in self.batch_items(&wanted, false).await? {
            match found.get("sk").and_then(|sk| sk.as_s().ok()) {
                Some(sk) if *sk == profile.sk => item = Some(from_item::<ProfileItem>(found)?),
                _ => meter = Some(from_item::<MeterItem>(found)?),
            }
        }
        item.map_or_else(
            || Ok(UserProfile::default()),
            |item| user_profile(user, item, meter.as_ref()),
        )
    }

    async fn language(&self, user: UserId) -> Result<Option<Lang>> {
        // One attribute, eventually consistent: half a read unit, and a choice made a
        // moment ago is rarely what the very next text depends on.
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(keys::profile(user).attributes()))
            .projection_expression("#lang")
            .expression_attribute_names("#lang", "lang")
            .send()
            .await
            .map_err(|e| sdk_err("GetItem", e))?;
        let code = out
            .item
            .as_ref()
            .and_then(|item| item.get("lang"))
            .and_then(|v| v.as_s().ok());
        Ok(code.and_then(|c| Lang::from_tag(c)))
    }

    async fn mark_inactive(&self, user: UserId) -> Result<()> {
        self.update_profile(
            user,
            "SET active = :f, inactive_since = :now",
            vec![(":f", value(false)?), (":now", value(now_ms())?)],
        )
        .await
    }
}

impl StyleStore for DynamoStore {
    async fn save_style_profile(
        &self,
        user: UserId,
        profile: &StyleProfile,
        at_ms: i64,
    ) -> Result<()> {
        // Remember how many messages there were, so the schedule can skip users with too
        // few new ones: the meter's count, or the profile's before there was a meter.
        let (count, counted) = match self.meter(user, false).await? {
            Some(meter) => (meter.messages, ":count"),
            None => (0, "if_not_exists(message_count, :count)"),
        };
        self.update_profile(
            user,
            &format!(
                "SET style_description = :d, style_samples = :n, style_updated_at = :at, \
                 style_msg_count_at = {counted}"
            ),
            vec![
                (":count", value(count)?),
                (":d", value(&profile.description)?),
                (":n", value(profile.samples)?),
                (":at", value(at_ms)?),
            ],
        )
        .await
    }

    /// The user's own words in their private chat (its turns: no copy is written per
    /// message), with the samples kept apart (forwards after `/new_style`, and the copies
    /// versions before 2026-12 wrote), newest first.
    async fn recent_user_messages(&self, user: UserId, limit: usize) -> Result<Vec<String>> {
        let private_chat = ConvId::from(ChatId::new(user.get()));
        // Turns alternate with the bot's, and resets and notes sit between them.
        let (turns, samples) = futures::try_join!(
            self.newest_items(
                keys::chat_pk(private_chat),
                keys::TURN_PREFIX,
                limit * 2 + 16
            ),
            self.newest::<StyleSampleItem>(keys::user_pk(user), keys::STYLE_SAMPLE_PREFIX, limit),
        )?;
        let mut said: Vec<(i64, String)> = Vec::new();
        for item in turns {
            // A style sample is a nicety: an unreadable item is skipped, not an error.
            let Ok(ConversationItem::Turns(turns)) = conversation_item(item) else {
                continue;
            };
            for turn in turns {
                if turn.turn.role == Role::User && !turn.turn.text.trim().is_empty() {
                    said.push((turn_time(&turn.key), turn.turn.text));
                }
            }
        }
        for sample in samples {
            let at = sample_time(&sample.sk);
            // An older version wrote each message twice (turn and sample): keep it once.
            if !said
                .iter()
                .any(|(when, text)| *when == at && *text == sample.text)
            {
                said.push((at, sample.text));
            }
        }
        said.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        Ok(said.into_iter().take(limit).map(|(_, text)| text).collect())
    }

    async fn set_style_enabled(&self, user: UserId, enabled: bool) -> Result<()> {
        self.update_profile(
            user,
            "SET style_enabled = :b",
            vec![(":b", value(enabled)?)],
        )
        .await
    }

    async fn open_sample_window(&self, user: UserId, until_ms: i64) -> Result<()> {
        self.update_profile(
            user,
            "SET sample_window_until = :t",
            vec![(":t", value(until_ms)?)],
        )
        .await
    }

    async fn add_style_sample(
        &self,
        user: UserId,
        update: UpdateId,
        text: &str,
        at_ms: i64,
    ) -> Result<()> {
        let Key { pk, sk } = keys::style_sample(user, at_ms, update);
        self.write(&StyleSampleItem {
            pk,
            sk,
            text: text.to_owned(),
            kind: Some(SampleKind::Forwarded),
            expires_at: secs(at_ms) + HISTORY_TTL,
        })
        .await
    }
}

impl UserDirectory for DynamoStore {
    async fn job_cursor(&self, job: &str) -> Result<Option<String>> {
        let item: Option<JobCursorItem> = self.get(keys::job_cursor(job), true).await?;
        Ok(item.and_then(|c| c.cursor))
    }

    async fn save_job_cursor(&self, job: &str, cursor: Option<&str>) -> Result<()> {
        let Key { pk, sk } = keys::job_cursor(job);
        self.write(&JobCursorItem {
            pk,
            sk,
            cursor: cursor.map(str::to_owned),
            at: now_ms(),
        })
        .await
    }

    async fn list_users(
        &self,
        cursor: Option<String>,
        page_size: usize,
    ) -> Result<(Vec<UserId>, Option<String>)> {
        let start = cursor.map(|sk| keys::directory_page_start(sk).attributes());
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", value(keys::DIRECTORY_PK)?)
            .set_exclusive_start_key(start)
            .limit(page_size as i32)
            .send()
            .await
            .map_err(|e| sdk_err("Query", e))?;
        let entries: Vec<DirectoryItem> = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        let users = entries
            .into_iter()
            .map(|e| UserId::new(e.user_id))
            .collect();
        // The cursor is the last key's sort key; the partition is always the directory's.
        let next = out
            .last_evaluated_key
            .map(from_item::<Key>)
            .transpose()?
            .map(|k| k.sk);
        Ok((users, next))
    }
}

/// When a style sample was taken: its sort key is `MSG#<unix ms, 13 digits>#<update>`.
/// The milliseconds a turn's sort key starts with (`T#<ms:13>#…`).
fn turn_time(sk: &str) -> i64 {
    sk.strip_prefix(keys::TURN_PREFIX)
        .and_then(|rest| rest.split('#').next())
        .and_then(|at| at.parse().ok())
        .unwrap_or(0)
}

fn sample_time(sk: &str) -> i64 {
    sk.strip_prefix(keys::STYLE_SAMPLE_PREFIX)
        .and_then(|rest| rest.split('#').next())
        .and_then(|at| at.parse().ok())
        .unwrap_or(0)
}
