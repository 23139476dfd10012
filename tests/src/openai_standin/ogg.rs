//! Ogg Opus audio: the silent but well-formed files speech answers with, and the marker a
//! transcription reads back.

/// Any fixed number does; a real encoder picks one at random.
pub(crate) const OGG_SERIAL: u32 = 0x5354_414e;
/// One 20 ms CELT frame of silence (TOC 0xF8: fullband, 20 ms, mono, one frame).
const SILENT_OPUS_FRAME: [u8; 3] = [0xf8, 0xff, 0xfe];
const FRAMES_PER_SECOND: u32 = 50;
const OPUS_RATE: u64 = 48_000;

/// The CRC-32 of an Ogg page: polynomial 0x04c11db7, no reflection, initial value and
/// final xor both 0 (RFC 3533 section 6).
pub(crate) fn ogg_crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in data {
        crc ^= u32::from(byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04c1_1db7
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn ogg_page(out: &mut Vec<u8>, flags: u8, granule: u64, sequence: u32, packets: &[&[u8]]) {
    let mut lacing = Vec::new();
    for packet in packets {
        let mut left = packet.len();
        while left >= 255 {
            lacing.push(255u8);
            left -= 255;
        }
        lacing.push(left as u8);
    }
    assert!(lacing.len() <= 255, "too many segments for one Ogg page");
    let start = out.len();
    out.extend_from_slice(b"OggS");
    out.push(0);
    out.push(flags);
    out.extend_from_slice(&granule.to_le_bytes());
    out.extend_from_slice(&OGG_SERIAL.to_le_bytes());
    out.extend_from_slice(&sequence.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.push(lacing.len() as u8);
    out.extend_from_slice(&lacing);
    for packet in packets {
        out.extend_from_slice(packet);
    }
    let crc = ogg_crc(&out[start..]);
    out[start + 22..start + 26].copy_from_slice(&crc.to_le_bytes());
}

/// A small but well-formed Ogg Opus stream of silence lasting `duration_secs` (at least
/// one): an `OpusHead` page, an `OpusTags` page, then one page of 20 ms frames per second.
/// Pre-skip is 0 so the last granule position (48000 × duration) is the exact playing time.
pub fn ogg_opus(duration_secs: u32) -> Vec<u8> {
    const BOS: u8 = 0x02;
    const EOS: u8 = 0x04;
    let seconds = duration_secs.max(1);
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(1); // channels
    head.extend_from_slice(&0u16.to_le_bytes()); // pre-skip
    head.extend_from_slice(&48_000u32.to_le_bytes()); // input sample rate
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // channel mapping family
    let vendor = b"testkit stand-in";
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor);
    tags.extend_from_slice(&0u32.to_le_bytes());

    let mut out = Vec::new();
    ogg_page(&mut out, BOS, 0, 0, &[&head]);
    ogg_page(&mut out, 0, 0, 1, &[&tags]);
    let frames: Vec<&[u8]> = (0..FRAMES_PER_SECOND)
        .map(|_| &SILENT_OPUS_FRAME[..])
        .collect();
    for second in 1..=seconds {
        let flags = if second == seconds { EOS } else { 0 };
        ogg_page(
            &mut out,
            flags,
            OPUS_RATE * u64::from(second),
            second + 1,
            &frames,
        );
    }
    out
}

/// A voice file whose transcript the stand-in will report as `spoken`: an Ogg Opus stream
/// followed by the `SPOKEN:` marker the transcription endpoint reads.
pub fn spoken_ogg(duration_secs: u32, spoken: &str) -> Vec<u8> {
    let mut bytes = ogg_opus(duration_secs);
    bytes.extend_from_slice(b"SPOKEN:");
    bytes.extend_from_slice(spoken.as_bytes());
    bytes
}

/// What follows `SPOKEN:` in an uploaded file, up to a NUL byte or the end.
pub(crate) fn transcript_of(file: &[u8]) -> String {
    const MARKER: &[u8] = b"SPOKEN:";
    let Some(at) = file.windows(MARKER.len()).position(|w| w == MARKER) else {
        return String::new();
    };
    let rest = &file[at + MARKER.len()..];
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    String::from_utf8_lossy(&rest[..end]).into_owned()
}

/// Seconds of speech for `input`: 2.5 words a second, rounded up, at least one.
pub fn speech_seconds(input: &str) -> u32 {
    let words = input.split_whitespace().count() as u32;
    (words * 2).div_ceil(5).max(1)
}
