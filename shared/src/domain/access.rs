//! Who may talk to the bot.

use serde::{Deserialize, Serialize};

use super::jobs::Person;
use super::{ChatId, UserId};

/// The channel whose members may use the bot: `@public_name` or a numeric id (`-100…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelRef {
    /// A public channel by `@username` (kept without the `@`); its join link is `t.me/<name>`.
    Username(String),
    /// A channel by numeric id: a private one has no public link, so config supplies an invite.
    Id(i64),
}

impl ChannelRef {
    /// Reads `CHANNEL_ID`; the `Err` says why the value is neither a valid `@username` nor an id.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(name) = raw.strip_prefix('@') {
            let valid = name.len() >= 4
                && name.len() <= 32
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            return if valid {
                Ok(Self::Username(name.to_owned()))
            } else {
                Err(format!("{raw:?} is not a valid @channel username"))
            };
        }
        raw.parse::<i64>()
            .map(Self::Id)
            .map_err(|_| format!("{raw:?} is neither @username nor a numeric chat id"))
    }

    /// The `chat_id` value the Bot API accepts for this channel.
    pub fn chat_id_param(&self) -> String {
        match self {
            Self::Username(name) => format!("@{name}"),
            Self::Id(id) => id.to_string(),
        }
    }

    /// A link users can open to join; numeric channels need an invite link from config.
    pub fn join_url(&self, invite_url: Option<&str>) -> Option<String> {
        match (invite_url, self) {
            (Some(url), _) => Some(url.to_owned()),
            (None, Self::Username(name)) => Some(format!("https://t.me/{name}")),
            (None, Self::Id(_)) => None,
        }
    }

    /// Whether a chat seen in an update is this channel.
    pub fn matches(&self, chat_id: i64, username: Option<&str>) -> bool {
        match self {
            Self::Id(id) => *id == chat_id,
            Self::Username(name) => username.is_some_and(|u| u.eq_ignore_ascii_case(name)),
        }
    }
}

/// What has to be asked of Telegram before deciding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Whether the sender is a member of this channel.
    Member(&'a ChannelRef),
    /// Whether one of the group's admins is (the group speaks as itself).
    GroupAdmins(&'a ChannelRef),
}

/// A user's standing in the channel, as getChatMember reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Owns the channel.
    Creator,
    /// Runs the channel with the owner.
    Administrator,
    /// An ordinary member.
    Member,
    /// Restricted users may or may not still be in the chat.
    Restricted {
        /// Whether they are still in the chat, which is all that access depends on.
        is_member: bool,
    },
    /// Not in the channel: never joined, or left; asked to join.
    Left,
    /// Banned from the channel; told so rather than asked to join.
    Kicked,
}

impl MemberStatus {
    /// Whether this standing lets the user in: in the channel, restricted or not.
    pub fn is_member(self) -> bool {
        match self {
            Self::Creator | Self::Administrator | Self::Member => true,
            Self::Restricted { is_member } => is_member,
            Self::Left | Self::Kicked => false,
        }
    }

    /// How `/subscribe` and the logs name the standing.
    pub fn label(self) -> &'static str {
        match self {
            Self::Creator => "creator",
            Self::Administrator => "administrator",
            Self::Member => "member",
            Self::Restricted { is_member: true } => "restricted member",
            Self::Restricted { is_member: false } => "restricted, not a member",
            Self::Left => "not a member",
            Self::Kicked => "banned",
        }
    }
}

/// Whether a message gets an answer, and on what grounds: `/subscribe` tells the user which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessDecision {
    /// On `ALLOWED_USER_IDS`.
    AllowListed,
    /// No allow-list and no channel: the bot is open to everyone.
    Open,
    /// In the channel with this status.
    Member(MemberStatus),
    /// The group itself, speaking through an anonymous admin (only admins can).
    AsGroup,
    /// The configured channel itself, posting in a group.
    AsChannel,
    /// Not allowed; `status` is the channel status when one was checked.
    Refused {
        /// The channel status when one was checked: a ban is told apart from not having joined.
        status: Option<MemberStatus>,
    },
}

impl AccessDecision {
    /// Whether the message goes on to be answered; only a refusal stops it.
    pub fn allowed(&self) -> bool {
        !matches!(self, Self::Refused { .. })
    }

    /// Banned from the channel: told so, and never asked to join.
    pub fn banned(&self) -> bool {
        matches!(
            self,
            Self::Refused {
                status: Some(MemberStatus::Kicked)
            }
        )
    }
}

/// Who may use the bot, from config: an allow-list, a channel's members, or anyone.
#[derive(Clone, Debug, Default)]
pub struct AccessPolicy {
    /// `ALLOWED_USER_IDS`: let in without asking Telegram, channel or not.
    pub allowed_users: Vec<UserId>,
    /// `CHANNEL_ID`: members of this channel may use the bot; `None` leaves only the allow-list.
    pub channel: Option<ChannelRef>,
}

impl AccessPolicy {
    /// Decides without the network when it can. `Err(channel)` means the answer depends
    /// on the user's membership of `channel`, which the caller must look up.
    pub fn precheck(&self, user: UserId) -> Result<AccessDecision, &ChannelRef> {
        if self.allowed_users.contains(&user) {
            return Ok(AccessDecision::AllowListed);
        }
        match &self.channel {
            Some(channel) => Err(channel),
            None if self.allowed_users.is_empty() => Ok(AccessDecision::Open),
            None => Ok(AccessDecision::Refused { status: None }),
        }
    }

    /// Like [`Self::precheck`] for whoever sent a message posted in `chat`. A chat
    /// speaking as itself has no membership to look up. The configured channel passes.
    /// The group itself (an anonymous admin: only admins can post as the group) passes
    /// if one of its admins would, or anyone could make a group, post in it anonymously
    /// and walk past the channel check; the caller asks Telegram who they are. Any other
    /// chat is refused, unless the bot is open to everyone or the chat is allow-listed.
    pub fn precheck_sender(
        &self,
        from: &Person,
        chat: ChatId,
    ) -> Result<AccessDecision, Lookup<'_>> {
        if !from.is_chat {
            return self.precheck(from.id).map_err(Lookup::Member);
        }
        if self.allowed_users.contains(&from.id) {
            return Ok(AccessDecision::AllowListed);
        }
        match &self.channel {
            Some(channel) if from.id.0 == chat.0 => Err(Lookup::GroupAdmins(channel)),
            Some(channel) if channel.matches(from.id.0, from.username.as_deref()) => {
                Ok(AccessDecision::AsChannel)
            }
            None if self.allowed_users.is_empty() => Ok(AccessDecision::Open),
            _ => Ok(AccessDecision::Refused { status: None }),
        }
    }

    /// The decision once Telegram has reported the user's standing in the channel.
    pub fn decide(status: MemberStatus) -> AccessDecision {
        if status.is_member() {
            AccessDecision::Member(status)
        } else {
            AccessDecision::Refused {
                status: Some(status),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_table() {
        let cases = [
            (MemberStatus::Creator, true),
            (MemberStatus::Administrator, true),
            (MemberStatus::Member, true),
            (MemberStatus::Restricted { is_member: true }, true),
            (MemberStatus::Restricted { is_member: false }, false),
            (MemberStatus::Left, false),
            (MemberStatus::Kicked, false),
        ];
        for (status, member) in cases {
            assert_eq!(status.is_member(), member, "{status:?}");
            assert_eq!(AccessPolicy::decide(status).allowed(), member, "{status:?}");
        }
    }

    #[test]
    fn precheck_table() {
        let channel = ChannelRef::Username("news_channel".into());
        let open = AccessPolicy::default();
        let list_only = AccessPolicy {
            allowed_users: vec![UserId::new(1)],
            channel: None,
        };
        let both = AccessPolicy {
            allowed_users: vec![UserId::new(1)],
            channel: Some(channel.clone()),
        };
        assert_eq!(open.precheck(UserId::new(5)), Ok(AccessDecision::Open));
        assert_eq!(
            list_only.precheck(UserId::new(1)),
            Ok(AccessDecision::AllowListed)
        );
        assert_eq!(
            list_only.precheck(UserId::new(5)),
            Ok(AccessDecision::Refused { status: None })
        );
        assert_eq!(
            both.precheck(UserId::new(1)),
            Ok(AccessDecision::AllowListed)
        );
        assert_eq!(both.precheck(UserId::new(5)), Err(&channel));
    }

    #[test]
    fn chats_speaking_as_themselves() {
        let group = ChatId::new(-100_500);
        let chat = |id: i64, username: Option<&str>| Person {
            id: UserId::new(id),
            first_name: "C".into(),
            username: username.map(str::to_owned),
            language_code: None,
            is_chat: true,
        };
        let user = Person {
            is_chat: false,
            ..chat(42, None)
        };
        let by_name = AccessPolicy {
            allowed_users: Vec::new(),
            channel: Some(ChannelRef::Username("news_channel".into())),
        };
        let by_id = AccessPolicy {
            allowed_users: vec![UserId::new(-100_900)],
            channel: Some(ChannelRef::Id(-100_700)),
        };
        let list_only = AccessPolicy {
            allowed_users: vec![UserId::new(1), UserId::new(-100_900)],
            channel: None,
        };
        let refused = Ok(AccessDecision::Refused { status: None });
        let cases = [
            // An anonymous admin of the group the message is in: vouched for by its admins.
            (
                &by_name,
                chat(-100_500, None),
                Err(Lookup::GroupAdmins(by_name.channel.as_ref().unwrap())),
            ),
            (
                &by_id,
                chat(-100_500, None),
                Err(Lookup::GroupAdmins(by_id.channel.as_ref().unwrap())),
            ),
            // The configured channel, by username or id.
            (
                &by_name,
                chat(-100_700, Some("News_Channel")),
                Ok(AccessDecision::AsChannel),
            ),
            (
                &by_id,
                chat(-100_700, Some("other")),
                Ok(AccessDecision::AsChannel),
            ),
            // Any other chat: another channel, or another group's anonymous admin.
            (
                &by_name,
                chat(-100_800, Some("other_channel")),
                refused.clone(),
            ),
            (&by_id, chat(-100_800, None), refused.clone()),
            (
                &by_id,
                chat(-100_900, None),
                Ok(AccessDecision::AllowListed),
            ),
            (
                &AccessPolicy::default(),
                chat(-100_800, None),
                Ok(AccessDecision::Open),
            ),
            (&list_only, chat(-100_500, None), refused.clone()),
            (
                &list_only,
                chat(-100_900, None),
                Ok(AccessDecision::AllowListed),
            ),
        ];
        for (policy, from, want) in cases {
            assert_eq!(
                policy.precheck_sender(&from, group),
                want,
                "{from:?} {policy:?}"
            );
        }
        // A user is looked up as always.
        assert_eq!(
            by_name.precheck_sender(&user, group),
            Err(Lookup::Member(by_name.channel.as_ref().unwrap()))
        );
    }

    #[test]
    fn channel_refs() {
        assert_eq!(
            ChannelRef::parse("-1001234").unwrap().chat_id_param(),
            "-1001234"
        );
        assert!(ChannelRef::parse("@ab").is_err());
        let named = ChannelRef::parse("@My_Channel").unwrap();
        assert_eq!(
            named.join_url(None).as_deref(),
            Some("https://t.me/My_Channel")
        );
        assert!(named.matches(-5, Some("my_channel")));
        assert_eq!(ChannelRef::Id(-100).join_url(None), None);
        assert_eq!(
            ChannelRef::Id(-100)
                .join_url(Some("https://t.me/+abc"))
                .as_deref(),
            Some("https://t.me/+abc")
        );
    }
}
