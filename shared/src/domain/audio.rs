//! What the bot needs to know about voice-note audio.

/// The length of an Ogg Opus stream, in whole seconds rounded up, from its last page's
/// granule position (48 kHz samples) less the encoder's pre-skip. `None` if the bytes are
/// not Ogg Opus.
pub fn ogg_opus_duration_secs(data: &[u8]) -> Option<u32> {
    if !data.starts_with(b"OggS") {
        return None;
    }
    // The pre-skip is a field of the OpusHead packet on the first page.
    let head = find(data, b"OpusHead", 0)?;
    let pre_skip = u64::from(u16::from_le_bytes([
        *data.get(head + 10)?,
        *data.get(head + 11)?,
    ]));
    let mut last = None;
    let mut at = 0;
    while let Some(page) = find(data, b"OggS", at) {
        last = Some(page);
        at = page + 4;
    }
    let page = last?;
    let granule = u64::from_le_bytes(data.get(page + 6..page + 14)?.try_into().ok()?);
    let samples = granule.checked_sub(pre_skip)?;
    u32::try_from(samples.div_ceil(48_000)).ok()
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// A spoken reply's length from its text, for when the audio does not say: about 150
/// words a minute.
pub fn estimated_speech_secs(text: &str) -> u32 {
    let words = text.split_whitespace().count() as u32;
    (words * 2).div_ceil(5).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(header_type: u8, granule: u64, seq: u32, packet: &[u8]) -> Vec<u8> {
        let mut p = b"OggS".to_vec();
        p.push(0);
        p.push(header_type);
        p.extend_from_slice(&granule.to_le_bytes());
        p.extend_from_slice(&1u32.to_le_bytes());
        p.extend_from_slice(&seq.to_le_bytes());
        p.extend_from_slice(&[0; 4]);
        p.push(1);
        p.push(packet.len() as u8);
        p.extend_from_slice(packet);
        p
    }

    #[test]
    fn duration_from_the_last_granule_less_pre_skip() {
        let mut head = b"OpusHead".to_vec();
        head.extend_from_slice(&[1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]);
        let mut stream = page(2, 0, 0, &head);
        stream.extend(page(0, 0, 1, b"OpusTags"));
        stream.extend(page(0, 48_000 + 312, 2, &[0xfc; 10]));
        stream.extend(page(4, 3 * 48_000 + 312 + 1, 3, &[0xfc; 10]));
        assert_eq!(ogg_opus_duration_secs(&stream), Some(4));
        assert_eq!(ogg_opus_duration_secs(b"ID3 mp3 data"), None);
        assert_eq!(ogg_opus_duration_secs(b"OggS"), None);
    }

    #[test]
    fn speech_estimate() {
        assert_eq!(estimated_speech_secs(""), 1);
        assert_eq!(estimated_speech_secs(&"word ".repeat(150)), 60);
    }
}
