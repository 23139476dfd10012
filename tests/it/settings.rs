//! `/settings`: an inline keyboard for voice replies, transcripts, persona and the model
//! (from the allowed list); every press is answered.

use testkit::StackOptions;
use testkit::updates::{callback_query, private_text};

use crate::env::TestEnv;

const USER: i64 = 2601;

/// `(text, callback_data)` of every button of a message's inline keyboard.
fn buttons(body: &serde_json::Value) -> Vec<(String, String)> {
    body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().clone())
        .map(|b| {
            (
                b["text"].as_str().unwrap().to_owned(),
                b["callback_data"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The buttons of the menu `/settings` shows now.
async fn settings_menu(env: &TestEnv) -> Vec<(String, String)> {
    let (_, menu) = env
        .post_update(&private_text(USER, "Ann", "/settings"))
        .await
        .unwrap();
    buttons(&menu)
}

#[tokio::test]
async fn settings_show_the_current_state_and_every_press_is_answered() {
    let env = TestEnv::with(StackOptions {
        extra_env: vec![("ALLOWED_MODELS".into(), "gpt-4o-mini,gpt-4o".into())],
        ..StackOptions::default()
    })
    .await;
    let before = settings_menu(&env).await;
    assert_eq!(
        before.iter().map(|(_, d)| d.as_str()).collect::<Vec<_>>(),
        [
            "settings:voice:on",
            "settings:transcript:on",
            "settings:persona:parent",
            "settings:persona:spouse",
            "settings:persona:child",
            "settings:persona:sibling",
            "settings:persona:friend",
            "settings:persona:colleague",
            "settings:persona:other",
            "settings:model:gpt-4o-mini",
            "settings:model:gpt-4o"
        ]
    );
    assert!(
        before[6].0.contains('✓'),
        "the default persona is ticked: {before:?}"
    );
    assert!(before[9].0.starts_with('✓'), "the default model is ticked");

    presses_on_the_menu_redraw_it(&env).await;
    // A settings button is known by its data, not by the message's text: an older
    // menu is redrawn too.
    let (_, redraw) = env
        .post_update(&callback_query(USER, "settings:voice:off"))
        .await
        .unwrap();
    assert_eq!(redraw["method"], "editMessageReplyMarkup", "{redraw}");
    // Presses that change nothing are answered in the response itself.
    for (data, toast) in [
        ("settings:model:o1-pro", "That model isn't available."),
        ("something:else", ""),
    ] {
        let (_, answer) = env.post_update(&callback_query(USER, data)).await.unwrap();
        assert_eq!(answer["method"], "answerCallbackQuery", "{data}");
        assert_eq!(answer["text"].as_str().unwrap_or_default(), toast, "{data}");
    }
    let after = settings_menu(&env).await;
    assert!(after[10].0.starts_with('✓'), "{after:?}");
    assert!(after[5].0.contains("✓ Sibling"), "{after:?}");
    assert!(after[0].0.contains("Voice replies: off"), "{after:?}");

    // The picked model answers from now on, and its usage is recorded under its name.
    env.chat(USER, "hello").await;
    let requests = env.openai.as_ref().unwrap().requests();
    assert_eq!(requests.last().unwrap()["model"], "gpt-4o");
    let usage = env.usage_items(USER).await;
    assert_eq!(
        usage[0]
            .get("model")
            .and_then(|m| m.as_s().ok())
            .map(String::as_str),
        Some("gpt-4o")
    );
}

/// Presses on the settings menu: each is answered (a toast, sent directly) and the menu
/// is redrawn in the response with the new state ticked.
async fn presses_on_the_menu_redraw_it(env: &TestEnv) {
    let press = |data: &str| callback_query(USER, data);
    let direct_answers = || {
        env.telegram
            .calls()
            .into_iter()
            .filter(|c| c.method == "answerCallbackQuery" && !c.via_webhook_response)
            .collect::<Vec<_>>()
    };
    for (data, toast, ticked) in [
        ("settings:model:gpt-4o", "Model: gpt-4o", 10),
        ("settings:voice:on", "Voice replies: on", 0),
        (
            "settings:persona:sibling",
            "Okay! From now on I'm your sibling.",
            5,
        ),
    ] {
        let answers_before = direct_answers().len();
        let (_, redraw) = env.post_update(&press(data)).await.unwrap();
        assert_eq!(redraw["method"], "editMessageReplyMarkup", "{data}");
        let keyboard = buttons(&redraw);
        assert!(
            keyboard[ticked].0.contains('✓') || keyboard[ticked].0.contains(": on"),
            "{data}: {keyboard:?}"
        );
        let answer = direct_answers()
            .into_iter()
            .nth(answers_before)
            .expect("the press was answered directly");
        assert_eq!(answer.params["text"], toast, "{data}");
    }
}
