//! What the bot says about conversations: `/history` and its buttons, `/rename`, `/retry`,
//! `/export` and the idle timeout. The words are in `shared/locales/<code>/conversations.ftl`.

use crate::domain::Lang;
use crate::domain::l10n::tr;

/// Before the answer to a message that came after a long silence: the old conversation
/// was filed.
pub fn idle_fresh_start(lang: Lang) -> String {
    tr(lang, "conversation-idle-fresh-start", &[])
}
