//! The bot's words in the user's language: Telegram's `language_code`, else their
//! `/language` choice, read only when the webhook answers with words of its own.

use serde_json::json;

use super::{group_text, press, private_text};
use crate::domain::{Lang, UserId, UserProfile, texts};
use crate::testing::{ADMIN, post_update, webhook};

/// `private_text` from a user whose Telegram app is set to `code`.
fn from_app_in(code: &str, update: u64, text: &str) -> String {
    private_text(update, text).replace(
        r#""language_code":"en""#,
        &format!(r#""language_code":"{code}""#),
    )
}

fn choose(state: &crate::testing::FakeWebhook, user: i64, lang: Lang) {
    state.log.put_profile(
        UserId::new(user),
        UserProfile {
            lang: Some(lang),
            ..UserProfile::default()
        },
    );
}

#[tokio::test]
async fn quick_replies_follow_the_telegram_app_then_the_choice() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &from_app_in("ru", 1, "/start")).await;
    assert_eq!(body["text"], texts::start(Lang::Ru));
    assert!(
        body["text"].as_str().unwrap().starts_with("Привет!"),
        "{body}"
    );
    // An app language the bot has no texts for is English.
    let (_, body) = post_update(&state, &from_app_in("it", 2, "/start")).await;
    assert_eq!(body["text"], texts::start(Lang::En));
    // A German choice beats the Russian app.
    choose(&state, 42, Lang::De);
    let (_, body) = post_update(&state, &from_app_in("ru", 3, "/voice maybe")).await;
    assert_eq!(body["text"], "Verwendung: /voice on oder /voice off");
    let (_, body) = post_update(&state, &from_app_in("ru", 4, "/help")).await;
    assert_eq!(body["text"], texts::help(Lang::De, texts::Asker::USER));
}

#[tokio::test]
async fn the_choice_is_read_only_for_words_of_the_webhook_s_own() {
    let state = webhook(None);
    post_update(&state, &private_text(1, "hello there")).await;
    post_update(&state, &press(2, 42, 42, "something:else")).await;
    assert_eq!(
        state.log.calls("language"),
        0,
        "queued and unknown presses say nothing"
    );
    post_update(&state, &private_text(3, "/cancel")).await;
    assert_eq!(state.log.calls("language"), 1);
    // Unreadable, the words follow the app rather than fail the update.
    state.log.fail("language", 1, true);
    let (status, body) = post_update(&state, &from_app_in("de", 4, "/start")).await;
    assert_eq!(
        (status.as_u16(), body["text"].clone()),
        (200, json!(texts::start(Lang::De)))
    );
}

#[tokio::test]
async fn language_shows_a_menu_with_the_current_one_ticked() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &from_app_in("ru", 1, "/language")).await;
    assert_eq!(body["text"], texts::language_menu(Lang::Ru, None));
    let rows = body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .clone();
    let buttons: Vec<(String, String)> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().clone())
        .map(|b| {
            (
                b["text"].as_str().unwrap().to_owned(),
                b["callback_data"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(buttons.len(), 9, "{buttons:?}");
    assert_eq!(buttons[5], ("Deutsch".to_owned(), "lang:de".to_owned()));
    assert_eq!(
        buttons[8],
        (
            format!("✓ {}", texts::language_auto(Lang::Ru)),
            "lang:auto".to_owned()
        )
    );
    choose(&state, 42, Lang::De);
    let (_, body) = post_update(&state, &from_app_in("ru", 2, "/language")).await;
    assert_eq!(
        body["reply_markup"]["inline_keyboard"][2][1]["text"],
        "✓ Deutsch"
    );
    assert!(
        body["text"].as_str().unwrap().contains("Jetzt: Deutsch"),
        "{body}"
    );
}

#[tokio::test]
async fn a_code_is_stored_and_answered_in_the_new_language() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &private_text(1, "/language de")).await;
    assert_eq!(body["text"], "Okay, ab jetzt schreibe ich auf Deutsch.");
    assert_eq!(
        state.log.stored_profile(UserId::new(42)).lang,
        Some(Lang::De)
    );
    let (_, body) = post_update(&state, &private_text(2, "/start")).await;
    assert_eq!(body["text"], texts::start(Lang::De));
    // Back to the app's language (English here), said in it.
    let (_, body) = post_update(&state, &private_text(3, "/language auto")).await;
    assert_eq!(
        body["text"],
        "Okay, I'll follow your Telegram app's language."
    );
    assert_eq!(state.log.stored_profile(UserId::new(42)).lang, None);
    // An unknown code changes nothing and lists the codes.
    let (_, body) = post_update(&state, &private_text(4, "/language klingon")).await;
    assert_eq!(
        body["text"],
        "I don't have the language “klingon”. Choose one of: en, ru, uk, es, pt, de, fr, tr, or auto."
    );
    assert_eq!(state.log.calls("change_setting"), 2);
}

#[tokio::test]
async fn a_press_stores_the_choice_answers_in_it_and_redraws_the_menu() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &press(1, 42, 42, "lang:ru")).await;
    assert_eq!(
        state.log.stored_profile(UserId::new(42)).lang,
        Some(Lang::Ru)
    );
    // The press is answered directly, in Russian; the response redraws the menu.
    let answered = state.telegram.calls("answerCallbackQuery");
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].text, "Хорошо, теперь пишу по-русски.");
    assert_eq!(body["method"], "editMessageText");
    assert_eq!(
        (body["chat_id"].clone(), body["message_id"].clone()),
        (json!(42), json!(5))
    );
    assert_eq!(body["text"], texts::language_menu(Lang::Ru, Some(Lang::Ru)));
    assert_eq!(
        body["reply_markup"]["inline_keyboard"][0][1]["text"],
        "✓ Русский"
    );
    assert_eq!(
        state.log.calls("language"),
        0,
        "the press names the new language"
    );
    // If the direct answer fails, the press is still answered, without the redraw.
    state.telegram.fail(
        "answerCallbackQuery",
        crate::ports::TelegramError::Transient("down".into()),
    );
    let (_, body) = post_update(&state, &press(2, 42, 42, "lang:auto")).await;
    assert_eq!(body["method"], "answerCallbackQuery");
    assert_eq!(body["text"], texts::language_set(Lang::En, None));
    assert_eq!(state.log.stored_profile(UserId::new(42)).lang, None);
}

#[tokio::test]
async fn in_a_group_the_choice_is_the_user_s_own_and_needs_no_admin() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &group_text(1, 5, "/language@my_bot fr", None)).await;
    assert_eq!(body["text"], "D'accord, désormais j'écris en français.");
    assert_eq!(
        state.log.stored_profile(UserId::new(5)).lang,
        Some(Lang::Fr)
    );
    assert_eq!(state.log.stored_profile(UserId::new(-100777)).lang, None);
    assert_eq!(state.telegram.lookups(), 0);
}

#[tokio::test]
async fn help_lists_what_each_asker_may_use() {
    let state = webhook(None);
    let (_, private) = post_update(&state, &private_text(1, "/help")).await;
    assert_eq!(private["text"], texts::help(Lang::En, texts::Asker::USER));
    let (_, group) = post_update(&state, &group_text(2, 5, "/help@my_bot", None)).await;
    assert_eq!(
        group["text"],
        texts::help(Lang::En, texts::Asker::GROUP_MEMBER)
    );
    let (_, admin) = post_update(&state, &group_text(3, ADMIN, "/help@my_bot", None)).await;
    let admin = admin["text"].as_str().unwrap().to_owned();
    assert_eq!(
        admin,
        texts::help(
            Lang::En,
            texts::Asker {
                group: true,
                admin: true
            }
        )
    );
    assert!(
        admin.contains("/stats") && admin.contains("/grant"),
        "{admin}"
    );
    assert!(!group["text"].as_str().unwrap().contains("/stats"));
}
