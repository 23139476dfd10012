//! `/language`: the menu of interface languages and what is said when one is chosen.

use super::super::Lang;
use super::super::l10n::tr;

/// Heads the `/language` menu, naming the language now in use (or "automatic").
pub fn language_menu(lang: Lang, chosen: Option<Lang>) -> String {
    let current = match chosen {
        Some(l) => l.native_name(),
        None => language_auto(lang),
    };
    tr(lang, "language-menu", &[("current", current.into())])
}

/// The menu's button for following the Telegram app's language.
pub fn language_auto(lang: Lang) -> String {
    tr(lang, "language-auto", &[])
}

/// Confirms a choice, in the language now in use (`chosen`, or the app's when `None`).
pub fn language_set(lang: Lang, chosen: Option<Lang>) -> String {
    match chosen {
        Some(_) => tr(lang, "language-set", &[]),
        None => tr(lang, "language-auto-set", &[]),
    }
}

/// `/language xx` with a code the bot has no texts for: the codes it has.
pub fn language_unknown(lang: Lang, given: &str) -> String {
    let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    let args = [
        ("given", given.to_owned().into()),
        ("codes", codes.join(", ").into()),
    ];
    tr(lang, "language-unknown", &args)
}
