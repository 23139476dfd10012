//! `UserStore`: profiles, settings and the user directory under `USER#<id>`.

#[allow(clippy::wildcard_imports)]
use super::*;

impl ProfileStore for DynamoStore {
    async fn profile(&self, owner: Owner) -> Result<UserProfile> {
        // A group's profile is kept like a user's, under its (negative) chat id.
        let user = UserId(owner.key());
        let Some(item) = self.get(user_pk(user), "PROFILE", false).await? else {
            return Ok(UserProfile::default());
        };
        let style = match (item.get("style_description"), item.get("style_samples")) {
            (Some(AttributeValue::S(description)), samples) => Some(StyleProfile {
                description: description.clone(),
                samples: match samples {
                    Some(AttributeValue::N(n)) => n.parse().unwrap_or(0),
                    _ => 0,
                },
            }),
            _ => None,
        };
        let persona = match item.get("persona") {
            Some(AttributeValue::S(json)) => serde_json::from_str(json)
                .map_err(|e| tracing::warn!(%user, error = %e, "unreadable stored persona; using the default"))
                .ok(),
            _ => None,
        };
        let number = |field: &str| match item.get(field) {
            Some(AttributeValue::N(v)) => v.parse::<i64>().unwrap_or(0),
            _ => 0,
        };
        Ok(UserProfile {
            known: true,
            credits: number("credits"),
            persona,
            style,
            style_enabled: !matches!(item.get("style_enabled"), Some(AttributeValue::Bool(false))),
            message_count: number("message_count").max(0) as u64,
            style_built_at_count: number("style_msg_count_at").max(0) as u64,
            sample_window_until_ms: number("sample_window_until"),
            settings: Settings {
                voice_replies: matches!(
                    item.get("voice_replies"),
                    Some(AttributeValue::Bool(true))
                ),
                show_transcript: matches!(
                    item.get("show_transcript"),
                    Some(AttributeValue::Bool(true))
                ),
                model: match item.get("model") {
                    Some(AttributeValue::S(m)) if !m.is_empty() => Some(m.clone()),
                    _ => None,
                },
            },
        })
    }

    async fn mark_inactive(&self, user: UserId) -> Result<()> {
        self.update_profile(
            user,
            "SET active = :f, inactive_since = :now",
            vec![(":f", AttributeValue::Bool(false)), (":now", n(now_ms()))],
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
        // few new ones.
        self.update_profile(
            user,
            "SET style_description = :d, style_samples = :n, style_updated_at = :at, \
             style_msg_count_at = if_not_exists(message_count, :zero)",
            vec![
                (":zero", n(0)),
                (":d", s(&profile.description)),
                (":n", n(profile.samples)),
                (":at", n(at_ms)),
            ],
        )
        .await
    }

    async fn recent_user_messages(&self, user: UserId, limit: usize) -> Result<Vec<String>> {
        let items = self.newest(user_pk(user), "MSG#", limit).await?;
        Ok(items
            .into_iter()
            .filter_map(|mut i| match i.remove("text") {
                Some(AttributeValue::S(t)) => Some(t),
                _ => None,
            })
            .collect())
    }

    async fn set_style_enabled(&self, user: UserId, enabled: bool) -> Result<()> {
        self.update_profile(
            user,
            "SET style_enabled = :b",
            vec![(":b", AttributeValue::Bool(enabled))],
        )
        .await
    }

    async fn open_sample_window(&self, user: UserId, until_ms: i64) -> Result<()> {
        self.update_profile(
            user,
            "SET sample_window_until = :t",
            vec![(":t", n(until_ms))],
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
        let mut item = key(user_pk(user), format!("MSG#{at_ms:013}#{update}"));
        item.insert("text".into(), s(text));
        item.insert("kind".into(), s("forwarded"));
        item.insert("expires_at".into(), n(now_secs() + HISTORY_TTL));
        self.write(item).await
    }
}

impl UserDirectory for DynamoStore {
    async fn job_cursor(&self, job: &str) -> Result<Option<String>> {
        Ok(self
            .get(format!("JOB#{job}"), "CURSOR", true)
            .await?
            .and_then(|mut i| match i.remove("cursor") {
                Some(AttributeValue::S(c)) => Some(c),
                _ => None,
            }))
    }

    async fn save_job_cursor(&self, job: &str, cursor: Option<&str>) -> Result<()> {
        let mut item = key(format!("JOB#{job}"), "CURSOR");
        item.insert("at".into(), n(now_ms()));
        if let Some(c) = cursor {
            item.insert("cursor".into(), s(c));
        }
        self.write(item).await
    }

    async fn list_users(
        &self,
        cursor: Option<String>,
        page_size: usize,
    ) -> Result<(Vec<UserId>, Option<String>)> {
        let start = cursor.map(|sk| key("USERS", sk));
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s("USERS"))
            .set_exclusive_start_key(start)
            .limit(page_size as i32)
            .send()
            .await
            .map_err(|e| sdk_err("Query", e))?;
        let users = out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|i| match i.get("user_id") {
                Some(AttributeValue::N(n)) => n.parse().ok().map(UserId),
                _ => None,
            })
            .collect();
        let next = out
            .last_evaluated_key
            .and_then(|mut k| match k.remove("sk") {
                Some(AttributeValue::S(sk)) => Some(sk),
                _ => None,
            });
        Ok((users, next))
    }
}
