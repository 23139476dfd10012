//! multipart/form-data bodies (RFC 7578), parsed on bytes so binary uploads arrive intact.

/// One part of a multipart/form-data body, bytes as sent (uploads are binary).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    /// Present for file uploads.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl FormPart {
    /// The value of a text field (lossy for non-UTF-8 bytes).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Splits `key=value; key="quoted; value"` header parameters, honouring quotes.
fn header_params(value: &str) -> Vec<(String, String)> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => pieces.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    pieces.push(current);
    pieces
        .into_iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect()
}

/// Parses a multipart/form-data body (RFC 7578) on bytes, so binary uploads such as Ogg
/// files arrive intact.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<FormPart>, String> {
    let boundary = header_params(content_type)
        .into_iter()
        .find(|(k, _)| k == "boundary")
        .map(|(_, v)| v)
        .filter(|b| !b.is_empty())
        .ok_or("multipart body without a boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut at = find_bytes(body, &delimiter, 0).ok_or("multipart body without its boundary")?
        + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding may follow a delimiter before its line break.
        let line_end = find_bytes(body, b"\r\n", at).ok_or("malformed multipart delimiter")?;
        let start = line_end + 2;
        let end = find_bytes(body, &next_delimiter, start)
            .ok_or("multipart body without a closing boundary")?;
        let part = &body[start..end];
        let (head, content) = if part.starts_with(b"\r\n") {
            (&part[..0], &part[2..])
        } else {
            let split = find_bytes(part, b"\r\n\r\n", 0).ok_or("malformed part")?;
            (&part[..split], &part[split + 4..])
        };
        let head = String::from_utf8_lossy(head);
        let header = |name: &str| {
            head.split("\r\n").find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let disposition =
            header("content-disposition").ok_or("part without Content-Disposition")?;
        let params = header_params(&disposition);
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        parts.push(FormPart {
            name: param("name").ok_or("part without a name")?,
            file_name: param("filename"),
            content_type: header("content-type"),
            bytes: content.to_vec(),
        });
        at = end + next_delimiter.len();
    }
}
