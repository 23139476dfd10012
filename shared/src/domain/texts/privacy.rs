//! `/forget`: the warning and its buttons, the answers to a press, and the report.

use crate::domain::l10n::tr;
use crate::domain::privacy::Erased;
use crate::domain::{CallbackButton, CallbackData, Lang, UserId};

/// What `/forget` answers: what will be deleted, and that it cannot be undone. In a
/// group it also says the group's conversation stays.
pub fn forget_warning(lang: Lang, group: bool) -> String {
    let group = if group { "yes" } else { "no" };
    tr(lang, "privacy-forget-warning", &[("group", group.into())])
}

/// The warning's two buttons: delete (for `user`, asked at `asked_at`) and keep.
pub fn forget_buttons(lang: Lang, user: UserId, asked_at: i64) -> Vec<Vec<CallbackButton>> {
    vec![vec![
        CallbackButton {
            text: tr(lang, "privacy-forget-confirm-button", &[]),
            data: CallbackData::Forget { user, asked_at }.encode(),
        },
        CallbackButton {
            text: tr(lang, "privacy-forget-cancel-button", &[]),
            data: CallbackData::KeepData(user).encode(),
        },
    ]]
}

/// The alert for someone pressing another user's confirmation.
pub fn forget_not_yours(lang: Lang) -> String {
    tr(lang, "privacy-forget-not-yours", &[])
}

/// The toast while the deletion is queued.
pub fn forget_working(lang: Lang) -> String {
    tr(lang, "privacy-forget-working", &[])
}

/// The toast for "keep my data".
pub fn forget_kept(lang: Lang) -> String {
    tr(lang, "privacy-forget-kept", &[])
}

/// The confirmation, pressed too late: nothing was deleted.
pub fn forget_expired(lang: Lang) -> String {
    tr(lang, "privacy-forget-expired", &[])
}

/// What replaces the warning once the deletion is done.
pub fn forget_report(lang: Lang, erased: &Erased) -> String {
    if erased.is_empty() {
        return tr(lang, "privacy-forget-nothing", &[]);
    }
    tr(
        lang,
        "privacy-forget-done",
        &[
            ("messages", erased.messages.into()),
            ("notes", erased.notes.into()),
            ("conversations", erased.conversations.into()),
            ("server", erased.server_conversations.into()),
            ("samples", erased.samples.into()),
            ("records", erased.records.into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_counts_in_every_language() {
        let erased = Erased {
            messages: 1,
            notes: 2,
            conversations: 5,
            samples: 21,
            records: 3,
            server_conversations: 1,
        };
        for lang in Lang::ALL {
            let text = forget_report(lang, &erased);
            for n in ["2", "5", "21", "3"] {
                assert!(text.contains(n), "{lang:?}: {text}");
            }
            assert!(!text.contains('{'), "{lang:?}: {text}");
        }
        let en = forget_report(Lang::En, &erased);
        assert!(en.contains("one message and 2 notes"), "{en}");
        assert!(en.contains("one conversation at the AI provider"), "{en}");
        let none = Erased {
            messages: 2,
            ..Erased::default()
        };
        assert!(!forget_report(Lang::En, &none).contains("provider"));
        assert_eq!(
            forget_report(Lang::En, &Erased::default()),
            tr(Lang::En, "privacy-forget-nothing", &[])
        );
    }

    #[test]
    fn the_group_warning_says_the_group_keeps_its_conversation() {
        for lang in Lang::ALL {
            let private = forget_warning(lang, false);
            let group = forget_warning(lang, true);
            assert!(group.len() > private.len(), "{lang:?}");
            assert!(group.starts_with(&private), "{lang:?}");
        }
    }

    #[test]
    fn the_buttons_carry_who_asked_and_when() {
        let rows = forget_buttons(Lang::En, UserId::new(42), 1_700_000_000);
        assert_eq!(
            CallbackData::parse(&rows[0][0].data),
            Some(CallbackData::Forget {
                user: UserId::new(42),
                asked_at: 1_700_000_000
            })
        );
        assert_eq!(
            CallbackData::parse(&rows[0][1].data),
            Some(CallbackData::KeepData(UserId::new(42)))
        );
    }
}
