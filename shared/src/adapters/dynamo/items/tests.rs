//! Every item kind's stored attributes, pinned as the hand-built items wrote them, and read
//! back: a renamed field or a changed type fails here before it orphans stored data.

use std::fmt::Debug;

use super::*;

pub(super) fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}
pub(super) fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
pub(super) fn b(v: bool) -> AttributeValue {
    AttributeValue::Bool(v)
}
pub(super) fn null() -> AttributeValue {
    AttributeValue::Null(true)
}

pub(super) fn attributes(pk: &str, sk: &str, rest: &[(&str, AttributeValue)]) -> Item {
    let mut item = Item::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))]);
    item.extend(rest.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    item
}

/// `record` is stored as exactly `stored`, and reads back as itself.
pub(super) fn pinned<T: Record + PartialEq + Debug>(record: &T, stored: &Item) {
    let item = to_item(record).expect("serialises");
    assert_eq!(&item, stored, "{} attributes", T::KIND);
    let back: T = from_item(item).expect("reads back");
    assert_eq!(&back, record);
}

pub(super) fn error_of<T: Record + Debug>(item: Item) -> Failure {
    from_item::<T>(item).expect_err("malformed item read")
}

#[test]
fn update_claim() {
    let claim = UpdateClaimItem {
        pk: "UPD#7".into(),
        sk: "RECEIVED".into(),
        status: ClaimStatus::Pending,
        at: 1_700_000_000_123,
        expires_at: 1_700_172_800,
    };
    let stored = [
        ("status", s("pending")),
        ("at", n(1_700_000_000_123)),
        ("expires_at", n(1_700_172_800)),
    ];
    pinned(&claim, &attributes("UPD#7", "RECEIVED", &stored));
    assert_eq!(value(ClaimStatus::Enqueued).ok(), Some(s("enqueued")));
}

#[test]
fn stored_reply_and_last_word() {
    let answer = AnswerItem {
        pk: "UPD#7".into(),
        sk: "REPLY".into(),
        text: "hi".into(),
        chat_id: -1005,
        at: 1_700_000_000_123,
        expires_at: 1_702_592_000,
    };
    let stored = [
        ("text", s("hi")),
        ("chat_id", n(-1005)),
        ("at", n(1_700_000_000_123)),
        ("expires_at", n(1_702_592_000)),
    ];
    pinned(&answer, &attributes("UPD#7", "REPLY", &stored));
    let word = LastWordItem {
        pk: "UPD#7".into(),
        sk: "REPLY".into(),
        notice: "sorry".into(),
        kept: true,
        expires_at: 1_702_592_000,
    };
    let stored = [
        ("notice", s("sorry")),
        ("kept", b(true)),
        ("expires_at", n(1_702_592_000)),
    ];
    pinned(&word, &attributes("UPD#7", "REPLY", &stored));
}

#[test]
fn guard_and_delivery() {
    let guard = GuardItem {
        pk: "UPD#7".into(),
        sk: "RESET".into(),
        expires_at: 9,
    };
    pinned(
        &guard,
        &attributes("UPD#7", "RESET", &[("expires_at", n(9))]),
    );
    let delivery = DeliveryItem {
        pk: "DLV#r-7".into(),
        sk: "SENT".into(),
        at: 8_000,
        expires_at: 9,
    };
    let stored = [("at", n(8_000)), ("expires_at", n(9))];
    pinned(&delivery, &attributes("DLV#r-7", "SENT", &stored));
}

#[test]
fn turns_and_markers_keep_their_null_attributes() {
    let turn = TurnItem {
        pk: "CHAT#1".into(),
        sk: "T#x#0".into(),
        role: Some(Role::Assistant),
        text: "hello".into(),
        kind: None,
        at: 5,
        expires_at: 6,
        from: None,
    };
    let stored = [
        ("role", s("assistant")),
        ("text", s("hello")),
        ("kind", null()),
        ("at", n(5)),
        ("expires_at", n(6)),
    ];
    pinned(&turn, &attributes("CHAT#1", "T#x#0", &stored));
    for (kind, name, text) in [
        (MarkerKind::Summary, "summary", "so far"),
        (MarkerKind::Reset, "reset", ""),
    ] {
        let marker = TurnItem {
            pk: "CHAT#1".into(),
            sk: "T#x#R".into(),
            role: None,
            text: text.into(),
            kind: Some(kind),
            at: 5,
            expires_at: 6,
            from: None,
        };
        let stored = [
            ("role", null()),
            ("text", s(text)),
            ("kind", s(name)),
            ("at", n(5)),
            ("expires_at", n(6)),
        ];
        pinned(&marker, &attributes("CHAT#1", "T#x#R", &stored));
    }
}

#[test]
fn conversations() {
    let mut server = ServerConversationItem {
        pk: "CHAT#1/3".into(),
        sk: "OPENAI_CONVERSATION".into(),
        conversation_id: Some("conv_1".into()),
        at: 5,
    };
    let stored = [("conversation_id", s("conv_1")), ("at", n(5))];
    pinned(
        &server,
        &attributes("CHAT#1/3", "OPENAI_CONVERSATION", &stored),
    );
    server.conversation_id = None;
    let tombstone = attributes("CHAT#1/3", "OPENAI_CONVERSATION", &[("at", n(5))]);
    pinned(&server, &tombstone);
    let current = CurrentConversationItem {
        pk: "CHAT#1".into(),
        sk: "CURRENT".into(),
        title: "Trip".into(),
        started_at: 5,
    };
    let stored = [("title", s("Trip")), ("started_at", n(5))];
    pinned(&current, &attributes("CHAT#1", "CURRENT", &stored));
    let closed = ClosedConversationItem {
        pk: "CHAT#1".into(),
        sk: "CONV#x".into(),
        title: "Trip".into(),
        started_at: 5,
        closed_at: 6,
        conversation_id: None,
    };
    let stored = [
        ("title", s("Trip")),
        ("started_at", n(5)),
        ("closed_at", n(6)),
    ];
    pinned(&closed, &attributes("CHAT#1", "CONV#x", &stored));
    let in_responses = ClosedConversationItem {
        conversation_id: Some("conv_1".into()),
        ..closed
    };
    let stored = [
        ("title", s("Trip")),
        ("started_at", n(5)),
        ("closed_at", n(6)),
        ("conversation_id", s("conv_1")),
    ];
    pinned(&in_responses, &attributes("CHAT#1", "CONV#x", &stored));
    let resume = TurnItem {
        pk: "CHAT#1".into(),
        sk: "T#y#R".into(),
        role: None,
        text: String::new(),
        kind: Some(MarkerKind::Resume),
        at: 5,
        expires_at: 6,
        from: Some("T#x#R".into()),
    };
    let stored = [
        ("role", null()),
        ("text", s("")),
        ("kind", s("resume")),
        ("at", n(5)),
        ("expires_at", n(6)),
        ("from", s("T#x#R")),
    ];
    pinned(&resume, &attributes("CHAT#1", "T#y#R", &stored));
}

#[test]
fn profile_reads_any_subset_of_its_attributes() {
    let empty = attributes("USER#1", "PROFILE", &[]);
    let none: ProfileItem = from_item(empty.clone()).expect("a bare profile reads");
    assert_eq!(none.message_count, None);
    pinned(&none, &empty);
    let profile = ProfileItem {
        pk: "USER#1".into(),
        sk: "PROFILE".into(),
        first_name: Some("Ann".into()),
        username: Some("ann".into()),
        active: Some(true),
        updated_at: Some(5),
        inactive_since: Some(6),
        message_count: Some(12),
        credits: Some(-3),
        persona: Some("{\"kind\":\"friend\"}".into()),
        persona_updated_at: Some(7),
        voice_replies: Some(true),
        show_transcript: Some(false),
        model: Some(String::new()),
        settings_updated_at: Some(8),
        lang: Some("de".into()),
        style_description: Some("terse".into()),
        style_samples: Some(40),
        style_updated_at: Some(9),
        style_msg_count_at: Some(10),
        style_enabled: Some(false),
        sample_window_until: Some(11),
    };
    let stored = [
        ("first_name", s("Ann")),
        ("username", s("ann")),
        ("active", b(true)),
        ("updated_at", n(5)),
        ("inactive_since", n(6)),
        ("message_count", n(12)),
        ("credits", n(-3)),
        ("persona", s("{\"kind\":\"friend\"}")),
        ("persona_updated_at", n(7)),
        ("voice_replies", b(true)),
        ("show_transcript", b(false)),
        ("model", s("")),
        ("settings_updated_at", n(8)),
        ("lang", s("de")),
        ("style_description", s("terse")),
        ("style_samples", n(40)),
        ("style_updated_at", n(9)),
        ("style_msg_count_at", n(10)),
        ("style_enabled", b(false)),
        ("sample_window_until", n(11)),
    ];
    pinned(&profile, &attributes("USER#1", "PROFILE", &stored));
}

#[test]
fn style_samples() {
    let mut sample = StyleSampleItem {
        pk: "USER#1".into(),
        sk: "MSG#x".into(),
        text: "yo".into(),
        kind: None,
        expires_at: 6,
    };
    let own = [("text", s("yo")), ("expires_at", n(6))];
    pinned(&sample, &attributes("USER#1", "MSG#x", &own));
    sample.kind = Some(SampleKind::Forwarded);
    let forwarded = [
        ("text", s("yo")),
        ("kind", s("forwarded")),
        ("expires_at", n(6)),
    ];
    pinned(&sample, &attributes("USER#1", "MSG#x", &forwarded));
}

#[test]
fn exchanges_leave_out_an_unknown_cost_and_exact_counts() {
    let mut exchange = ExchangeItem {
        pk: "CHAT#1".into(),
        sk: "T#x#X".into(),
        text: "hi".into(),
        reply: "hello".into(),
        user_id: Some(1),
        model: "gpt".into(),
        prompt_tokens: 10,
        completion_tokens: 20,
        response_ms: 300,
        cost_micros: None,
        estimated: false,
        at: 5,
        expires_at: 6,
    };
    let mut stored = vec![
        ("text", s("hi")),
        ("reply", s("hello")),
        ("user_id", n(1)),
        ("model", s("gpt")),
        ("prompt_tokens", n(10)),
        ("completion_tokens", n(20)),
        ("response_ms", n(300)),
        ("at", n(5)),
        ("expires_at", n(6)),
    ];
    pinned(&exchange, &attributes("CHAT#1", "T#x#X", &stored));
    exchange.cost_micros = Some(42);
    exchange.estimated = true;
    stored.extend([("cost_micros", n(42)), ("estimated", b(true))]);
    pinned(&exchange, &attributes("CHAT#1", "T#x#X", &stored));
}

#[test]
fn ledger_and_directory() {
    let entry = LedgerItem {
        pk: "USER#1".into(),
        sk: "LEDGER#x".into(),
        delta: -30,
        reason: "usage".into(),
        update_id: 7,
    };
    let stored = [
        ("delta", n(-30)),
        ("reason", s("usage")),
        ("update_id", n(7)),
    ];
    pinned(&entry, &attributes("USER#1", "LEDGER#x", &stored));
    let directory = DirectoryItem {
        pk: "USERS".into(),
        sk: "USER#1".into(),
        user_id: 1,
    };
    pinned(
        &directory,
        &attributes("USERS", "USER#1", &[("user_id", n(1))]),
    );
}

mod bookkeeping;
