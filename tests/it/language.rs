//! The bot's own words in the user's language on the local stack: Telegram's
//! `language_code`, else the `/language` choice stored on the profile. Every stage that
//! writes words of its own: the webhook's quick replies, subscription-check's refusals
//! and `/subscribe`, the processor's commands and its last word.

use http::StatusCode;
use serde_json::Value;
use shared::domain::{Lang, texts};
use shared::error::Cause;
use testkit::StackOptions;
use testkit::updates::{callback_query, private_text};

use crate::env::TestEnv;

/// `user` (whose Telegram app is set to `code`) sends `text`; the webhook's response body
/// and, once the pipeline ran, the texts the user received because of it.
async fn chat_in(env: &TestEnv, code: &str, user: i64, text: &str) -> (Value, Vec<String>) {
    let before = env.telegram.texts_to(user).len();
    let mut update = private_text(user, "Ann", text);
    update["message"]["from"]["language_code"] = code.into();
    let (status, body) = env.post_update(&update).await.expect("webhook");
    assert_eq!(status, StatusCode::OK);
    env.drain().await.expect("drain");
    (body, env.telegram.texts_to(user)[before..].to_vec())
}

#[tokio::test]
async fn a_russian_app_gets_russian_replies_refusals_and_buttons() {
    let env = TestEnv::with(StackOptions {
        channel: Some("@news_channel".into()),
        ..StackOptions::default()
    })
    .await;
    env.telegram.set_member_status(2401, "left");
    env.telegram.set_member_status(2402, "member");
    // The webhook's quick reply.
    let (body, _) = chat_in(&env, "ru", 2401, "/start").await;
    assert_eq!(body["text"], texts::start(Lang::Ru));
    // subscription-check's refusal, and its button.
    let (_, refused) = chat_in(&env, "ru", 2401, "привет").await;
    assert_eq!(refused, [texts::refused_channel(Lang::Ru)]);
    let refusal = env
        .telegram
        .delivered()
        .into_iter()
        .find(|c| c.params["chat_id"] == 2401 && c.params["text"] == refused[0].as_str())
        .unwrap();
    assert_eq!(
        refusal.params["reply_markup"]["inline_keyboard"][0][0]["text"],
        "Вступить в канал"
    );
    // The processor's answer to a command.
    let (_, said) = chat_in(&env, "ru-RU", 2402, "/style maybe").await;
    assert_eq!(said, ["Использование: /style, /style on или /style off"]);
}

#[tokio::test]
async fn a_german_choice_is_stored_and_followed_by_every_stage() {
    let env = TestEnv::start().await;
    let (body, _) = chat_in(&env, "ru", 2411, "/language de").await;
    assert_eq!(body["text"], texts::language_set(Lang::De, Some(Lang::De)));
    assert_eq!(env.profile(2411).await["lang"].as_s().unwrap(), "de");
    let (body, _) = chat_in(&env, "ru", 2411, "/help").await;
    assert_eq!(body["text"], texts::help(Lang::De, texts::Asker::USER));
    let (_, status) = chat_in(&env, "ru", 2411, "/subscribe").await;
    assert_eq!(status, ["Du hast Zugang: Dieser Bot ist für alle offen."]);
    let (_, unknown) = chat_in(&env, "ru", 2411, "/weather").await;
    assert_eq!(unknown, [texts::unknown_command(Lang::De, "weather")]);
    // The processor's last word, when the model cannot answer.
    let openai = env.openai.as_ref().unwrap();
    openai.fail_next(testkit::openai_standin::AiFault::InsufficientQuota);
    let (_, told) = chat_in(&env, "ru", 2411, "hallo?").await;
    assert_eq!(
        told,
        [texts::gave_up(
            Lang::De,
            Some(Cause::QuotaExhausted),
            false,
            true
        )]
    );
}

#[tokio::test]
async fn the_language_menu_is_pressed_and_redrawn_through_telegram() {
    let env = TestEnv::start().await;
    let (body, _) = chat_in(&env, "de", 2421, "/language").await;
    assert_eq!(body["text"], texts::language_menu(Lang::De, None));
    let (status, redraw) = env
        .post_update(&callback_query(2421, "lang:uk"))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    // The press is answered in Ukrainian by a call of its own; the response redraws
    // the menu (the stand-in checks both against the Bot API description).
    assert_eq!(redraw["method"], "editMessageText");
    assert_eq!(
        redraw["text"],
        texts::language_menu(Lang::Uk, Some(Lang::Uk))
    );
    let answered = env
        .telegram
        .calls()
        .into_iter()
        .find(|c| c.method == "answerCallbackQuery")
        .expect("answered");
    assert_eq!(
        answered.params["text"],
        "Гаразд, відтепер пишу українською."
    );
    assert_eq!(env.profile(2421).await["lang"].as_s().unwrap(), "uk");
}

#[tokio::test]
async fn the_sender_s_own_words_follow_the_choice_carried_on_the_queue() {
    use testkit::openai_standin::{AiFault, Endpoint};
    let env = TestEnv::start().await;
    let user = 2431;
    chat_in(&env, "en", user, "/language pt").await;
    chat_in(&env, "en", user, "/voice on").await;
    let ai = env.openai.as_ref().unwrap();
    for _ in 0..3 {
        ai.fail_next_on(Endpoint::Speech, AiFault::Overloaded);
    }
    let (_, said) = chat_in(&env, "en", user, "say something").await;
    assert_eq!(said.len(), 2, "{said:?}");
    assert_eq!(
        said[1],
        "(Não consegui gravar um áudio para esta resposta.)"
    );
}
