//! Model Markdown reaches Telegram as valid HTML, in parts it accepts, exactly once.

use testkit::telegram_standin::TgFault;

use crate::env::{TestEnv, long_replies};

fn sends(env: &TestEnv) -> Vec<testkit::telegram_standin::TgCall> {
    env.telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == "sendMessage")
        .collect()
}

#[tokio::test]
async fn model_markdown_is_sent_as_telegram_html() {
    let env = TestEnv::with(long_replies()).await;
    env.chat(1901, "**bold** and `a < b`").await;
    let call = sends(&env).pop().unwrap();
    assert_eq!(call.params["parse_mode"], "HTML");
    let text = call.params["text"].as_str().unwrap();
    assert!(
        text.contains("<b>bold</b> and <code>a &lt; b</code>"),
        "{text}"
    );
}

#[tokio::test]
async fn cant_parse_entities_falls_back_to_the_same_text_plain() {
    let env = TestEnv::with(long_replies()).await;
    env.telegram
        .fail_next("sendMessage", TgFault::CantParseEntities);
    env.chat(1902, "**bold** words").await;
    let calls = sends(&env);
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>(),
        [400, 200]
    );
    assert_eq!(calls[0].params["parse_mode"], "HTML");
    assert!(calls[1].params.get("parse_mode").is_none());
    let plain = calls[1].params["text"].as_str().unwrap();
    assert!(
        plain.contains("You said \u{201c}bold words\u{201d}"),
        "{plain}"
    );
}

#[tokio::test]
async fn a_long_reply_arrives_in_order_in_parts_once_even_after_a_429_in_the_middle() {
    let env = TestEnv::with(long_replies()).await;
    env.telegram.fail_next("sendMessage", TgFault::Pass);
    env.telegram
        .fail_next("sendMessage", TgFault::TooManyRequests { retry_after: 1 });
    let long = "word ".repeat(1000);
    env.chat(1903, long.trim()).await;
    let calls = sends(&env);
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>(),
        [200, 429, 200]
    );
    let texts = env.telegram.texts_to(1903);
    assert_eq!(texts.len(), 2, "two parts, none repeated");
    for t in &texts {
        assert!(t.encode_utf16().count() <= 4096);
    }
    assert!(texts[0].starts_with("[your close friend] You said"));
    assert!(texts[1].ends_with("earlier messages of ours."));
}

#[tokio::test]
async fn a_403_in_the_middle_of_a_split_reply_stops_it_and_marks_the_user_inactive() {
    let env = TestEnv::with(long_replies()).await;
    env.telegram.fail_next("sendMessage", TgFault::Pass);
    env.telegram.fail_next("sendMessage", TgFault::Blocked);
    env.chat(1904, "word ".repeat(1000).trim()).await;
    assert_eq!(
        sends(&env).iter().map(|c| c.status).collect::<Vec<_>>(),
        [200, 403]
    );
    let profile = env.profile(1904).await;
    assert_eq!(profile["active"].as_bool().ok(), Some(&false));
}
