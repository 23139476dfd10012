//! multipart/form-data: parsing bodies, and transcription forms checked against OpenAI.

use crate::spec::{FormPart, openai, parse_multipart};

fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<FormPart> {
    parts
        .iter()
        .map(|(name, file_name, bytes)| FormPart {
            name: (*name).to_owned(),
            file_name: file_name.map(str::to_owned),
            content_type: None,
            bytes: bytes.to_vec(),
        })
        .collect()
}

#[test]
fn multipart_parsing_keeps_binary_bytes() {
    let audio: &[u8] = b"OggS\x00\x02\r\n--not-the-boundary\r\n\xff\xfe\x00end";
    let mut body = Vec::new();
    body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n");
    body.extend_from_slice(b"gpt-4o-mini-transcribe\r\n--XyZ\r\n");
    body.extend_from_slice(
        b"content-disposition: form-data; name=\"file\"; filename=\"a;b.ogg\"\r\n\
          Content-Type: audio/ogg\r\n\r\n",
    );
    body.extend_from_slice(audio);
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    let parts = parse_multipart("multipart/form-data; boundary=\"XyZ\"", &body).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].name, "model");
    assert_eq!(parts[0].text(), "gpt-4o-mini-transcribe");
    assert_eq!(parts[0].file_name, None);
    assert_eq!(parts[1].file_name.as_deref(), Some("a;b.ogg"));
    assert_eq!(parts[1].content_type.as_deref(), Some("audio/ogg"));
    assert_eq!(parts[1].bytes, audio);
    assert!(parse_multipart("multipart/form-data", &body).is_err());
    assert!(parse_multipart("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno end").is_err());
}

#[test]
fn openai_multipart_transcription_requests_are_checked() {
    let spec = openai();
    let path = "/v1/audio/transcriptions";
    let audio: &[u8] = b"OggS\xff";
    spec.check_multipart(
        "POST",
        path,
        &form(&[
            ("file", Some("voice.ogg"), audio),
            ("model", None, b"gpt-4o-mini-transcribe"),
        ]),
    )
    .unwrap();
    // Every field is text on the wire; numbers, booleans and lists are read from it.
    spec.check_multipart(
        "POST",
        path,
        &form(&[
            ("model", None, b"gpt-4o-mini-transcribe"),
            ("file", Some("voice.ogg"), audio),
            ("response_format", None, b"json"),
            ("temperature", None, b"0.2"),
            ("stream", None, b"false"),
            ("language", None, b"en"),
            ("include[]", None, b"logprobs"),
            ("chunking_strategy", None, b"auto"),
        ]),
    )
    .unwrap();
    let err = |parts: &[(&str, Option<&str>, &[u8])]| {
        spec.check_multipart("POST", path, &form(parts))
            .expect_err("form should be rejected")
    };
    let e = err(&[("file", Some("voice.ogg"), audio)]);
    assert!(e.contains("`model`") && e.contains("missing"), "{e}");
    let e = err(&[("model", None, b"gpt-4o-mini-transcribe")]);
    assert!(e.contains("`file`"), "{e}");
    let e = err(&[
        ("file", Some("voice.ogg"), audio),
        ("model", None, b"gpt-4o-mini-transcribe"),
        ("voice", None, b"alloy"),
    ]);
    assert!(e.contains("`voice`") && e.contains("unknown"), "{e}");
    let e = err(&[
        ("file", None, audio),
        ("model", None, b"gpt-4o-mini-transcribe"),
    ]);
    assert!(e.contains("`file`") && e.contains("file upload"), "{e}");
    let e = err(&[
        ("file", Some("voice.ogg"), audio),
        ("model", Some("m.txt"), b"x"),
    ]);
    assert!(e.contains("`model`") && e.contains("text field"), "{e}");
    let e = err(&[
        ("file", Some("voice.ogg"), audio),
        ("model", None, b"gpt-4o-mini-transcribe"),
        ("response_format", None, b"mp3"),
    ]);
    assert!(e.contains("response_format"), "{e}");
    let e = err(&[
        ("file", Some("voice.ogg"), audio),
        ("model", None, b"gpt-4o-mini-transcribe"),
        ("temperature", None, b"warm"),
    ]);
    assert!(e.contains("temperature"), "{e}");
    let e = spec
        .check_multipart(
            "POST",
            "/v1/chat/completions",
            &form(&[("model", None, b"x")]),
        )
        .unwrap_err();
    assert!(e.contains("multipart"), "{e}");
}
