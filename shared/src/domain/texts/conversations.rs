//! What the bot says about conversations: `/history` and its buttons, `/rename`, `/retry`,
//! `/export` and the idle timeout. The words are in `shared/locales/<code>/conversations.ftl`.

use crate::domain::Lang;
use crate::domain::l10n::tr;

/// Before the answer to a message that came after a long silence: the old conversation
/// was filed.
pub fn idle_fresh_start(lang: Lang) -> String {
    tr(lang, "conversation-idle-fresh-start", &[])
}

/// Above the `/history` list.
pub fn conversation_list_heading(lang: Lang) -> String {
    tr(lang, "conversation-list-heading", &[])
}

/// `/history` with no conversation at all.
pub fn conversation_list_empty(lang: Lang) -> String {
    tr(lang, "conversation-list-empty", &[])
}

/// The title of a conversation that has none.
pub fn conversation_untitled(lang: Lang) -> String {
    tr(lang, "conversation-untitled", &[])
}

/// The buttons of line `n` of `/history`: open, rename, delete.
pub fn conversation_buttons(lang: Lang, n: usize) -> [String; 3] {
    let n = || [("n", n.into())];
    [
        tr(lang, "conversation-open-button", &n()),
        tr(lang, "conversation-rename-button", &n()),
        tr(lang, "conversation-delete-button", &n()),
    ]
}

/// The confirmation's buttons for line `n`: delete, keep.
pub fn conversation_confirm_buttons(lang: Lang, n: usize) -> [String; 2] {
    [
        tr(
            lang,
            "conversation-confirm-delete-button",
            &[("n", n.into())],
        ),
        tr(lang, "conversation-keep-button", &[]),
    ]
}

/// Above the list while a deletion waits for its confirmation.
pub fn conversation_confirm_delete(lang: Lang, title: &str) -> String {
    tr(
        lang,
        "conversation-confirm-delete",
        &[("title", title.into())],
    )
}

/// Above the list once a conversation was opened again.
pub fn conversation_opened(lang: Lang, title: &str) -> String {
    tr(lang, "conversation-opened", &[("title", title.into())])
}

/// Above the list once a conversation was deleted.
pub fn conversation_deleted(lang: Lang, title: &str) -> String {
    tr(lang, "conversation-deleted", &[("title", title.into())])
}

/// Above the list when the pressed conversation is no longer there.
pub fn conversation_gone(lang: Lang) -> String {
    tr(lang, "conversation-gone", &[])
}

/// The rename button's alert: how to rename line `n`.
pub fn conversation_rename_hint(lang: Lang, n: usize) -> String {
    tr(lang, "conversation-rename-hint", &[("n", n.into())])
}

/// After `/rename`.
pub fn conversation_renamed(lang: Lang, title: &str) -> String {
    tr(lang, "conversation-renamed", &[("title", title.into())])
}

/// `/rename` without a title.
pub fn conversation_rename_usage(lang: Lang) -> String {
    tr(lang, "conversation-rename-usage", &[])
}

/// `/rename` of a line or conversation that is not there.
pub fn conversation_rename_missing(lang: Lang) -> String {
    tr(lang, "conversation-rename-missing", &[])
}

/// `/retry` with no reply to write again.
pub fn retry_nothing(lang: Lang) -> String {
    tr(lang, "conversation-retry-nothing", &[])
}

/// `/export` with nothing said yet.
pub fn export_nothing(lang: Lang) -> String {
    tr(lang, "conversation-export-nothing", &[])
}

/// The caption on an exported conversation's file; `cut` when its oldest part was left out.
pub fn conversation_export_caption(lang: Lang, title: &str, messages: usize, cut: bool) -> String {
    let caption = tr(
        lang,
        "conversation-export-caption",
        &[("title", title.into()), ("n", messages.into())],
    );
    if cut {
        format!(
            "{caption} {}",
            tr(lang, "conversation-export-cut-note", &[])
        )
    } else {
        caption
    }
}

/// After `/export all`: `n` files were sent.
pub fn export_all_done(lang: Lang, n: usize) -> String {
    tr(lang, "conversation-export-all-done", &[("n", n.into())])
}

/// The words of an exported file, in the user's language.
#[derive(Clone, Debug)]
pub struct ExportWords {
    /// The file's first line.
    pub heading: String,
    /// The line under it: when it began, when it was exported.
    pub dated: String,
    /// Who spoke: the user.
    pub you: String,
    /// Who spoke: the bot.
    pub bot: String,
    /// Before the notes the bot folded older turns into.
    pub notes: String,
    /// Where older messages were left out.
    pub cut: String,
}

/// The words of the export of `title`, begun on `started` and exported on `date`.
pub fn export_words(lang: Lang, title: &str, started: &str, date: &str) -> ExportWords {
    ExportWords {
        heading: tr(
            lang,
            "conversation-export-heading",
            &[("title", title.into())],
        ),
        dated: tr(
            lang,
            "conversation-export-dated",
            &[("started", started.into()), ("date", date.into())],
        ),
        you: tr(lang, "conversation-export-you", &[]),
        bot: tr(lang, "conversation-export-bot", &[]),
        notes: tr(lang, "conversation-export-notes", &[]),
        cut: tr(lang, "conversation-export-cut", &[]),
    }
}
