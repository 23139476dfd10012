//! Successful calls, uploads and downloads.

use serde_json::json;

use super::super::answers::member_result;
use super::super::{TelegramStandIn, TgFault};
use super::{TOKEN, call};
use crate::openai_standin::ogg_opus;
use crate::raw_http::http;
use crate::spec;

#[test]
fn served_chat_members_fit_the_current_bot_api() {
    for file in [
        "05-getChatMember-creator.json",
        "06-getChatMember-administrator.json",
        "07-getChatMember-member.json",
        "08-getChatMember-restricted.json",
        "09-getChatMember-left.json",
        "10-getChatMember-kicked.json",
    ] {
        spec::telegram()
            .check_type("ChatMember", &member_result(file, 42))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
}

fn voice_form(chat_id: &str, audio: &[u8], extra: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut text = |name: &str, value: &str| {
        body.extend_from_slice(
            format!("--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    };
    text("chat_id", chat_id);
    for (name, value) in extra {
        text(name, value);
    }
    body.extend_from_slice(
        b"--B\r\nContent-Disposition: form-data; name=\"voice\"; filename=\"reply.ogg\"\r\n\
          Content-Type: audio/ogg\r\n\r\n",
    );
    body.extend_from_slice(audio);
    body.extend_from_slice(b"\r\n--B--\r\n");
    body
}

#[tokio::test]
async fn send_voice_takes_binary_uploads_and_answers_a_voice_message() {
    let tg = TelegramStandIn::start(TOKEN).await;
    let audio = ogg_opus(3);
    let answer = http(
        "POST",
        &tg.base_url(),
        &format!("/bot{TOKEN}/sendVoice"),
        &[("Content-Type", "multipart/form-data; boundary=B")],
        &voice_form("42", &audio, &[("duration", "3"), ("caption", "for you")]),
    )
    .await;
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let message = &answer.json()["result"];
    spec::telegram().check_type("Message", message).unwrap();
    assert_eq!(message["chat"]["id"], 42);
    assert_eq!(message["voice"]["duration"], 3);
    assert_eq!(message["voice"]["mime_type"], "audio/ogg");
    assert_eq!(message["voice"]["file_size"], audio.len());
    assert_eq!(message["caption"], "for you");
    assert!(message.get("text").is_none());
    let voices = tg.voices_to(42);
    assert_eq!(voices.len(), 1);
    assert_eq!(voices[0].files[0].bytes, audio);
    assert_eq!(voices[0].files[0].field, "voice");
    // Form fields are text; the declared Integer is read from it.
    assert_eq!(voices[0].params["duration"], 3);
    assert!(tg.violations().is_empty(), "{:?}", tg.violations());

    let bare = http(
        "POST",
        &tg.base_url(),
        &format!("/bot{TOKEN}/sendVoice"),
        &[("Content-Type", "multipart/form-data; boundary=B")],
        &voice_form("42", &audio, &[]),
    )
    .await;
    assert_eq!(bare.json()["result"]["voice"]["duration"], 1);
    let wrong = http(
        "POST",
        &tg.base_url(),
        &format!("/bot{TOKEN}/sendVoice"),
        &[("Content-Type", "multipart/form-data; boundary=B")],
        &voice_form("42", &audio, &[("duration", "long")]),
    )
    .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(tg.voices_to(42).len(), 2);
    assert_eq!(tg.violations().len(), 1);
}

#[tokio::test]
async fn files_are_served_like_the_real_server_serves_them() {
    let tg = TelegramStandIn::start(TOKEN).await;
    let audio = ogg_opus(2);
    tg.add_file("VOICE1", "voice/file_1.oga", audio.clone());
    tg.add_file_with_size("HUGE", "voice/file_2.oga", vec![0; 8], 25 * 1024 * 1024);

    let known = call(&tg, "getFile", &json!({"file_id": "VOICE1"})).await;
    assert_eq!(known.status, 200);
    let file = &known.json()["result"];
    spec::telegram().check_type("File", file).unwrap();
    assert_eq!(file["file_path"], "voice/file_1.oga");
    assert_eq!(file["file_size"], audio.len());

    let unknown = call(&tg, "getFile", &json!({"file_id": "NOPE"})).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.json()["description"],
        "Bad Request: wrong file_id or the file is temporarily unavailable"
    );
    let huge = call(&tg, "getFile", &json!({"file_id": "HUGE"})).await;
    assert_eq!(huge.status, 400);
    assert_eq!(huge.json()["description"], "Bad Request: file is too big");

    let base = tg.base_url();
    let download = http(
        "GET",
        &base,
        &format!("/file/bot{TOKEN}/voice/file_1.oga"),
        &[],
        b"",
    )
    .await;
    assert_eq!(download.status, 200);
    assert_eq!(download.body, audio);
    assert_eq!(download.header("content-type"), Some("audio/ogg"));
    let stranger = http(
        "GET",
        &base,
        "/file/bot999:wrong/voice/file_1.oga",
        &[],
        b"",
    )
    .await;
    assert_eq!(stranger.status, 401);
    let missing = http(
        "GET",
        &base,
        &format!("/file/bot{TOKEN}/voice/nothing.oga"),
        &[],
        b"",
    )
    .await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json(),
        json!({"ok": false, "error_code": 404, "description": "Not Found"})
    );
    assert_eq!(tg.downloads(), vec!["voice/file_1.oga".to_owned()]);
    assert!(tg.violations().is_empty(), "{:?}", tg.violations());
}

#[tokio::test]
async fn drafts_and_chat_actions_take_faults_like_any_method() {
    let tg = TelegramStandIn::start(TOKEN).await;
    tg.fail_next("sendMessageDraft", TgFault::Pass);
    tg.fail_next("sendMessageDraft", TgFault::ChatNotFound);
    tg.fail_next("sendChatAction", TgFault::Blocked);
    let draft = json!({"chat_id": 7, "draft_id": 1, "text": "Hel", "can_stop": true});
    let passed = call(&tg, "sendMessageDraft", &draft).await;
    assert_eq!(passed.json(), json!({"ok": true, "result": true}));
    let mut longer = draft.clone();
    longer["text"] = json!("Hello");
    let missing = call(&tg, "sendMessageDraft", &longer).await;
    assert_eq!(missing.status, 400);
    call(
        &tg,
        "sendMessageDraft",
        &json!({"chat_id": 8, "draft_id": 1, "text": "x"}),
    )
    .await;
    let typing = json!({"chat_id": 7, "action": "typing"});
    assert_eq!(call(&tg, "sendChatAction", &typing).await.status, 403);
    assert_eq!(call(&tg, "sendChatAction", &typing).await.status, 200);

    let drafts = tg.drafts_to(7);
    assert_eq!(
        drafts.iter().map(|c| c.status).collect::<Vec<_>>(),
        [200, 400]
    );
    assert_eq!(drafts[1].params["text"], "Hello");
    assert!(drafts[0].at <= drafts[1].at);
    assert_eq!(tg.drafts_to(8).len(), 1);
    assert!(tg.violations().is_empty(), "{:?}", tg.violations());
}
