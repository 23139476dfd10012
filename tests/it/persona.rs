use shared::domain::Lang;
use shared::domain::{PersonaKind, texts};
use testkit::updates::{callback_query, private_text};

use crate::env::TestEnv;

fn system_prompt(env: &TestEnv) -> String {
    let last = env.openai.as_ref().unwrap().requests().pop().unwrap();
    last["messages"][0]["content"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn persona_opens_an_inline_keyboard_of_every_relationship() {
    let env = TestEnv::start().await;
    let (status, body) = env
        .post_update(&private_text(1101, "Ann", "/persona"))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["method"], "sendMessage");
    let data: Vec<&str> = body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|b| b["callback_data"].as_str().unwrap())
        .collect();
    let want: Vec<String> = PersonaKind::ALL
        .iter()
        .map(|k| format!("persona:{}", k.key()))
        .collect();
    assert_eq!(data, want);
}

#[tokio::test]
async fn a_pressed_persona_is_stored_answered_and_shapes_every_reply() {
    let env = TestEnv::start().await;
    env.chat(1102, "hi").await;
    assert!(
        system_prompt(&env).contains(PersonaKind::Friend.traits()),
        "friend is the default"
    );

    let (status, body) = env
        .post_update(&callback_query(1102, "persona:parent"))
        .await
        .unwrap();
    assert_eq!(status, 200);
    // Answered directly; the response redraws the menu with the choice ticked.
    assert_eq!(body["method"], "editMessageReplyMarkup", "{body}");
    let toast = env
        .telegram
        .calls()
        .into_iter()
        .find(|c| c.method == "answerCallbackQuery")
        .expect("answered directly");
    assert_eq!(toast.params["text"], "Okay! From now on I'm your parent.");

    env.chat(1102, "I passed my exam!").await;
    let prompt = system_prompt(&env);
    assert!(prompt.contains(PersonaKind::Parent.traits()), "{prompt}");
    assert!(!prompt.contains(PersonaKind::Friend.traits()));
}

#[tokio::test]
async fn a_custom_persona_with_a_name_shapes_replies() {
    let env = TestEnv::start().await;
    let (_, body) = env
        .post_update(&private_text(
            1103,
            "Ann",
            "/persona custom Anna: my older sister who teases me",
        ))
        .await
        .unwrap();
    assert_eq!(
        body["text"],
        "Okay! From now on I'm your Anna (my older sister who teases me)."
    );
    env.chat(1103, "guess what").await;
    let prompt = system_prompt(&env);
    assert!(prompt.contains("Your name is Anna."), "{prompt}");
    assert!(prompt.contains("my older sister who teases me"), "{prompt}");
}

#[tokio::test]
async fn other_asks_for_a_description_and_bad_input_is_explained() {
    let env = TestEnv::start().await;
    let (_, body) = env
        .post_update(&callback_query(1104, "persona:other"))
        .await
        .unwrap();
    assert_eq!(body["method"], "answerCallbackQuery");
    assert_eq!(body["show_alert"], true);
    assert_eq!(body["text"], texts::persona_other_hint(Lang::En));

    let (_, body) = env
        .post_update(&private_text(1104, "Ann", "/persona custom"))
        .await
        .unwrap();
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .starts_with("Tell me who I should be"),
        "{body}"
    );

    // A press we do not know is still answered, so the button stops spinning.
    let (_, body) = env
        .post_update(&callback_query(1104, "stale:button"))
        .await
        .unwrap();
    assert_eq!(body["method"], "answerCallbackQuery");
    assert!(body.get("text").is_none());
}
