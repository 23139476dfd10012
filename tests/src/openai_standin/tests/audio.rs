//! Ogg Opus files, transcriptions and speech.

use serde_json::json;

use super::super::ogg::{OGG_SERIAL, ogg_crc, transcript_of};
use std::time::Duration;

use super::super::{
    AiFault, Endpoint, OpenAiStandIn, Transcription, ogg_opus, speech_seconds, spoken_ogg,
};
use super::{KEY, post_json};
use crate::raw_http::{RawResponse, http};
use crate::spec;

/// Reads an Ogg stream back page by page, checking the framing.
fn ogg_pages(bytes: &[u8]) -> Vec<(u8, u64, u32, Vec<Vec<u8>>)> {
    let mut pages = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let page = &bytes[at..];
        assert_eq!(&page[..4], b"OggS", "capture pattern at {at}");
        assert_eq!(page[4], 0, "version");
        let flags = page[5];
        let granule = u64::from_le_bytes(page[6..14].try_into().unwrap());
        assert_eq!(
            u32::from_le_bytes(page[14..18].try_into().unwrap()),
            OGG_SERIAL
        );
        let sequence = u32::from_le_bytes(page[18..22].try_into().unwrap());
        let crc = u32::from_le_bytes(page[22..26].try_into().unwrap());
        let segments = usize::from(page[26]);
        let lacing = &page[27..27 + segments];
        let body_len: usize = lacing.iter().map(|&l| usize::from(l)).sum();
        let len = 27 + segments + body_len;
        let mut zeroed = page[..len].to_vec();
        zeroed[22..26].fill(0);
        assert_eq!(ogg_crc(&zeroed), crc, "CRC of page {sequence}");
        let mut packets = Vec::new();
        let mut packet = Vec::new();
        let mut offset = 27 + segments;
        for &l in lacing {
            packet.extend_from_slice(&page[offset..offset + usize::from(l)]);
            offset += usize::from(l);
            if l < 255 {
                packets.push(std::mem::take(&mut packet));
            }
        }
        assert!(packet.is_empty(), "no packet continues past a page here");
        pages.push((flags, granule, sequence, packets));
        at += len;
    }
    pages
}

#[test]
fn ogg_crc_is_the_ogg_polynomial() {
    // CRC-32 with polynomial 0x04c11db7, no reflection, init 0, no final xor: the
    // catalogued CRC-32/CKSUM check value 0x765e7680 without its final inversion.
    assert_eq!(ogg_crc(b"123456789"), 0x89a1_897f);
    assert_eq!(ogg_crc(b""), 0);
}

#[test]
fn ogg_opus_is_well_formed_and_lasts_as_asked() {
    for seconds in [1, 3, 7] {
        let bytes = ogg_opus(seconds);
        let pages = ogg_pages(&bytes);
        assert_eq!(pages.len(), 2 + seconds as usize);
        for (i, (flags, _, sequence, _)) in pages.iter().enumerate() {
            assert_eq!(*sequence as usize, i);
            let expected = match i {
                0 => 0x02,
                _ if i == pages.len() - 1 => 0x04,
                _ => 0,
            };
            assert_eq!(*flags, expected, "flags of page {i}");
        }
        let head = &pages[0].3[0];
        assert_eq!(pages[0].3.len(), 1);
        assert_eq!(&head[..8], b"OpusHead");
        assert_eq!(head.len(), 19);
        assert_eq!(head[8], 1, "version");
        assert_eq!(head[9], 1, "channels");
        assert_eq!(u32::from_le_bytes(head[12..16].try_into().unwrap()), 48_000);
        assert_eq!(&pages[1].3[0][..8], b"OpusTags");
        assert_eq!((pages[0].1, pages[1].1), (0, 0));
        let last = pages.last().unwrap();
        assert_eq!(last.1, 48_000 * u64::from(seconds));
        let frames: usize = pages[2..].iter().map(|p| p.3.len()).sum();
        // 20 ms frames: 960 samples each.
        assert_eq!(frames as u64 * 960, last.1);
        assert!(pages[2..].iter().all(|p| p.3.iter().all(|f| f[0] == 0xf8)));
    }
    assert_eq!(ogg_opus(0), ogg_opus(1));
}

#[test]
fn speech_lasts_two_and_a_half_words_a_second() {
    assert_eq!(speech_seconds(""), 1);
    assert_eq!(speech_seconds("hi"), 1);
    assert_eq!(speech_seconds("one two three"), 2);
    assert_eq!(speech_seconds("a b c d e"), 2);
    assert_eq!(speech_seconds("a b c d e f"), 3);
}

#[test]
fn the_transcript_is_what_follows_the_marker() {
    assert_eq!(transcript_of(&spoken_ogg(2, "hello there")), "hello there");
    assert_eq!(transcript_of(b"xxSPOKEN:caf\xc3\xa9\0rest"), "caf\u{e9}");
    assert_eq!(transcript_of(&ogg_opus(1)), "");
}

pub(super) fn multipart(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file_name {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: audio/ogg\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

pub(super) async fn transcribe(
    ai: &OpenAiStandIn,
    parts: &[(&str, Option<&str>, &[u8])],
) -> RawResponse {
    let auth = format!("Bearer {KEY}");
    http(
        "POST",
        &ai.base_url(),
        "/v1/audio/transcriptions",
        &[
            ("Authorization", &auth),
            ("Content-Type", "multipart/form-data; boundary=b0undary"),
        ],
        &multipart("b0undary", parts),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transcribes_the_spoken_marker_and_checks_the_form() {
    let ai = OpenAiStandIn::start(KEY).await;
    let voice = spoken_ogg(2, "good morning, sunshine");
    let answer = transcribe(
        &ai,
        &[
            ("file", Some("voice.oga"), &voice),
            ("model", None, b"gpt-4o-mini-transcribe"),
        ],
    )
    .await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["text"], "good morning, sunshine");
    assert_eq!(body["usage"]["type"], "tokens");
    spec::openai()
        .check_response("POST", "/v1/audio/transcriptions", &body)
        .unwrap();
    let text = transcribe(
        &ai,
        &[
            ("file", Some("voice.oga"), &voice),
            ("model", None, b"gpt-4o-mini-transcribe"),
            ("response_format", None, b"text"),
        ],
    )
    .await;
    assert_eq!(text.body, b"good morning, sunshine\n");
    assert_eq!(
        ai.transcriptions(),
        vec![
            Transcription {
                model: "gpt-4o-mini-transcribe".into(),
                file_name: "voice.oga".into(),
                bytes: voice.len(),
                response_format: None,
            },
            Transcription {
                model: "gpt-4o-mini-transcribe".into(),
                file_name: "voice.oga".into(),
                bytes: voice.len(),
                response_format: Some("text".into()),
            },
        ]
    );
    assert!(ai.violations().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_legacy_models_and_unknown_fields_and_takes_faults() {
    let ai = OpenAiStandIn::start(KEY).await;
    let voice = spoken_ogg(2, "good morning, sunshine");
    let legacy = transcribe(
        &ai,
        &[
            ("file", Some("v.oga"), &voice),
            ("model", None, b"whisper-1"),
        ],
    )
    .await;
    assert_eq!(legacy.status, 400);
    let unknown = transcribe(
        &ai,
        &[
            ("file", Some("v.oga"), &voice),
            ("model", None, b"gpt-4o-mini-transcribe"),
            ("speed", None, b"2"),
        ],
    )
    .await;
    assert_eq!(unknown.status, 400);
    let violations = ai.violations();
    assert_eq!(violations.len(), 2, "{violations:?}");
    assert!(violations[0].contains("whisper-1"));
    assert!(violations[1].contains("`speed`"));
    assert!(ai.transcriptions().is_empty());

    ai.fail_next(AiFault::ServerError);
    let failed = transcribe(
        &ai,
        &[
            ("file", Some("v.oga"), &voice),
            ("model", None, b"gpt-4o-mini-transcribe"),
        ],
    )
    .await;
    assert_eq!(failed.status, 500);
    ai.fail_next_on(
        Endpoint::Transcriptions,
        AiFault::StallMidStream(Duration::from_millis(1)),
    );
    let late = transcribe(
        &ai,
        &[
            ("file", Some("v.oga"), &voice),
            ("model", None, b"gpt-4o-mini-transcribe"),
        ],
    )
    .await;
    assert_eq!(
        late.json()["text"],
        "good morning, sunshine",
        "a stall only delays a whole answer"
    );
    assert_eq!(ai.count(Endpoint::Transcriptions), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn speaks_in_ogg_opus_as_long_as_the_words_take() {
    let ai = OpenAiStandIn::start(KEY).await;
    let request = json!({"model": "gpt-4o-mini-tts", "voice": "alloy", "response_format": "opus",
                         "input": "one two three four five six seven eight"});
    let answer = post_json(&ai, "/audio/speech", &request).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("audio/ogg"));
    let pages = ogg_pages(&answer.body);
    assert_eq!(pages.last().unwrap().1, 48_000 * 4);
    assert_eq!(ai.speeches(), vec![request]);
    let invalid = post_json(
        &ai,
        "/audio/speech",
        &json!({"model": "tts-1", "input": "hi"}),
    )
    .await;
    assert_eq!(invalid.status, 400);
    assert!(
        ai.violations()[0].contains("`voice`"),
        "{:?}",
        ai.violations()
    );
    assert_eq!(ai.speeches().len(), 1);
}
