//! Model output (Markdown) to Telegram HTML, split into messages Telegram accepts.
//!
//! Markdown is parsed into blocks of styled spans first; every message part is rendered
//! from its own spans, so tags are always balanced and a code block that crosses a split
//! is closed and reopened. Lengths count UTF-16 units of the visible text, as Telegram
//! counts "characters after entities parsing".

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// Telegram's limit for one message's text.
pub const MAX_MESSAGE: usize = 4096;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Style {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Span {
    text: String,
    style: Style,
    link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Block {
    Text { spans: Vec<Span>, quote: bool },
    Code { lang: Option<String>, text: String },
}

fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

impl Block {
    fn visible(&self) -> String {
        match self {
            Block::Text { spans, .. } => spans.iter().map(|s| s.text.as_str()).collect(),
            Block::Code { text, .. } => text.clone(),
        }
    }
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    spans: Vec<Span>,
    style: Style,
    link: Option<String>,
    quote: usize,
    lists: Vec<Option<u64>>,
    code: Option<(Option<String>, String)>,
    table: Option<Vec<Vec<String>>>,
    cell: Option<String>,
}

impl Builder {
    fn text(&mut self, text: &str) {
        if let Some(cell) = &mut self.cell {
            cell.push_str(text);
        } else if let Some((_, code)) = &mut self.code {
            code.push_str(text);
        } else if !text.is_empty() {
            self.spans.push(Span {
                text: text.to_owned(),
                style: self.style,
                link: self.link.clone(),
            });
        }
    }

    fn flush(&mut self) {
        if self.spans.iter().any(|s| !s.text.trim().is_empty()) {
            self.blocks.push(Block::Text {
                spans: std::mem::take(&mut self.spans),
                quote: self.quote > 0,
            });
        }
        self.spans.clear();
    }
}

fn parse(markdown: &str) -> Vec<Block> {
    let mut b = Builder::default();
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => b.start(tag),
            Event::End(end) => b.end(end),
            other => b.inline(other),
        }
    }
    b.flush();
    b.blocks
}

impl Builder {
    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph if self.lists.is_empty() => self.flush(),
            Tag::Heading { .. } => {
                self.flush();
                self.style.bold = true;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => self.item(),
            Tag::Emphasis => self.style.italic = true,
            Tag::Strong => self.style.bold = true,
            Tag::Strikethrough => self.style.strike = true,
            Tag::Link { dest_url, .. } => {
                let url = dest_url.to_string();
                // Telegram accepts only these schemes in links; anything else stays text.
                if ["http://", "https://", "tg://", "mailto:"]
                    .iter()
                    .any(|p| url.starts_with(p))
                {
                    self.link = Some(url);
                }
            }
            Tag::Image { dest_url, .. } => self.text(&format!("[image: {dest_url}] ")),
            Tag::CodeBlock(kind) => {
                self.flush();
                self.code = Some((code_language(kind), String::new()));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.push(Vec::new());
                }
            }
            Tag::TableCell => self.cell = Some(String::new()),
            _ => {}
        }
    }

    /// A list item's marker (`• ` or `3. `), indented by its depth, on a line of its own.
    fn item(&mut self) {
        let depth = self.lists.len().saturating_sub(1);
        let marker = match self.lists.last_mut() {
            Some(Some(n)) => {
                *n += 1;
                format!("{}. ", *n - 1)
            }
            _ => "\u{2022} ".to_owned(),
        };
        if !self.spans.is_empty() && !self.spans.last().is_some_and(|s| s.text.ends_with('\n')) {
            self.text("\n");
        }
        let saved = std::mem::take(&mut self.style);
        self.text(&format!("{}{marker}", "  ".repeat(depth)));
        self.style = saved;
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Paragraph => {
                if self.lists.is_empty() {
                    self.flush();
                } else {
                    self.text("\n");
                }
            }
            TagEnd::Heading(_) => {
                self.style.bold = false;
                self.flush();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item if !self.spans.last().is_some_and(|s| s.text.ends_with('\n')) => {
                self.text("\n");
            }
            TagEnd::Emphasis => self.style.italic = false,
            TagEnd::Strong => self.style.bold = false,
            TagEnd::Strikethrough => self.style.strike = false,
            TagEnd::Link => self.link = None,
            TagEnd::CodeBlock => {
                if let Some((lang, text)) = self.code.take() {
                    let text = text.trim_end_matches('\n').to_owned();
                    if !text.is_empty() {
                        self.blocks.push(Block::Code { lang, text });
                    }
                }
            }
            TagEnd::TableCell => {
                if let (Some(cell), Some(t)) = (self.cell.take(), &mut self.table)
                    && let Some(row) = t.last_mut()
                {
                    row.push(cell.trim().to_owned());
                }
            }
            TagEnd::Table => {
                if let Some(rows) = self.table.take() {
                    self.blocks.push(Block::Code {
                        lang: None,
                        text: render_table(&rows),
                    });
                }
            }
            _ => {}
        }
    }

    /// Text and everything else that is not a start or an end.
    fn inline(&mut self, event: Event<'_>) {
        match event {
            Event::Text(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => {
                self.text(&t);
            }
            Event::Code(t) => {
                let saved = self.style;
                self.style.code = true;
                self.text(&t);
                self.style = saved;
            }
            Event::SoftBreak | Event::HardBreak => self.text("\n"),
            Event::Rule => {
                self.flush();
                self.text("\u{2014}\u{2014}\u{2014}");
                self.flush();
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(r) => self.text(&format!("[{r}]")),
            _ => {}
        }
    }
}

/// A fenced block's language, if it is a plausible one (Telegram puts it in a class).
fn code_language(kind: CodeBlockKind<'_>) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(lang) => lang
            .split_whitespace()
            .next()
            .filter(|l| {
                l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-#_.".contains(c))
            })
            .map(str::to_owned),
        CodeBlockKind::Indented => None,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn render(blocks: &[Block]) -> String {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        out.push(match block {
            Block::Code { lang, text } => match lang {
                Some(lang) => format!(
                    "<pre><code class=\"language-{lang}\">{}</code></pre>",
                    escape(text)
                ),
                None => format!("<pre>{}</pre>", escape(text)),
            },
            Block::Text { spans, quote } => {
                let mut html = String::new();
                for span in spans {
                    let mut open = String::new();
                    let mut close = String::new();
                    if let Some(url) = &span.link {
                        open.push_str(&format!(
                            "<a href=\"{}\">",
                            escape(url).replace('"', "&quot;")
                        ));
                        close.insert_str(0, "</a>");
                    }
                    for (on, tag) in [
                        (span.style.bold, "b"),
                        (span.style.italic, "i"),
                        (span.style.strike, "s"),
                        (span.style.code, "code"),
                    ] {
                        if on {
                            open.push_str(&format!("<{tag}>"));
                            close.insert_str(0, &format!("</{tag}>"));
                        }
                    }
                    html.push_str(&format!("{open}{}{close}", escape(&span.text)));
                }
                let html = html.trim_end_matches('\n').to_owned();
                if *quote {
                    format!("<blockquote>{html}</blockquote>")
                } else {
                    html
                }
            }
        });
    }
    out.join("\n\n")
}

/// Where to cut `text` so that at most `limit` UTF-16 units come before the cut: the last
/// line break, else the last space, else the last character that fits. Returns the byte
/// offset of the cut and of where the rest starts (skipping the break).
fn cut_point(text: &str, limit: usize) -> (usize, usize) {
    let mut units = 0;
    let mut fit = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > limit {
            break;
        }
        fit = i + c.len_utf8();
    }
    if fit >= text.len() {
        return (text.len(), text.len());
    }
    let window = &text[..fit];
    for sep in ['\n', ' '] {
        if let Some(i) = window.rfind(sep).filter(|i| *i > 0) {
            return (i, i + 1);
        }
    }
    (
        fit.max(text.chars().next().map_or(0, char::len_utf8)),
        fit.max(text.chars().next().map_or(0, char::len_utf8)),
    )
}

/// Splits one block into pieces of at most `limit` visible units.
fn split_block(block: Block, limit: usize) -> Vec<Block> {
    if utf16(&block.visible()) <= limit {
        return vec![block];
    }
    match block {
        Block::Code { lang, text } => {
            let mut out = Vec::new();
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let (cut, next) = cut_point(rest, limit);
                // A piece that ends at blank lines would show them at the bottom of its
                // <pre>; the plain text drops them, and so must the markup.
                let piece = rest[..cut].trim_end_matches('\n');
                if !piece.is_empty() {
                    out.push(Block::Code {
                        lang: lang.clone(),
                        text: piece.to_owned(),
                    });
                }
                rest = &rest[next..];
            }
            out
        }
        Block::Text { spans, quote } => {
            let full: String = spans.iter().map(|s| s.text.as_str()).collect();
            let mut out = Vec::new();
            let mut start = 0;
            while start < full.len() {
                let (cut, next) = cut_point(&full[start..], limit);
                out.push(Block::Text {
                    spans: slice_spans(&spans, start, start + cut),
                    quote,
                });
                start += next;
            }
            out
        }
    }
}

/// The spans covering bytes `from..to` of their concatenated text.
fn slice_spans(spans: &[Span], from: usize, to: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut offset = 0;
    for span in spans {
        let (start, end) = (offset, offset + span.text.len());
        offset = end;
        let (a, z) = (from.max(start), to.min(end));
        if a < z {
            out.push(Span {
                text: span.text[a - start..z - start].to_owned(),
                ..span.clone()
            });
        }
    }
    out
}

/// Splits plain text (no markup) into parts of at most `limit` UTF-16 units, on line
/// breaks, then spaces, then anywhere.
pub fn split_plain(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(16);
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (cut, next) = cut_point(rest, limit);
        out.push(rest[..cut].to_owned());
        rest = &rest[next..];
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// One message part: Telegram HTML, and the same text without markup for the fallback
/// when Telegram still refuses the markup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Sent with `parse_mode` HTML: the rendered Markdown.
    pub html: String,
    /// The same words without markup, sent instead if Telegram refuses the HTML.
    pub plain: String,
}

/// Renders model Markdown into message parts of at most `limit` visible characters.
pub fn render_parts(markdown: &str, limit: usize) -> Vec<Part> {
    let limit = limit.max(16);
    let mut parts: Vec<Vec<Block>> = Vec::new();
    let mut current: Vec<Block> = Vec::new();
    let mut used = 0;
    for block in parse(markdown) {
        for piece in split_block(block, limit) {
            let len = utf16(&piece.visible());
            let sep = if current.is_empty() { 0 } else { 2 };
            if !current.is_empty() && used + sep + len > limit {
                parts.push(std::mem::take(&mut current));
                used = 0;
            }
            used += if current.is_empty() { len } else { 2 + len };
            current.push(piece);
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    if parts.is_empty() && !markdown.trim().is_empty() {
        // Only markup and no text (e.g. "**"): send it as it was written.
        let text: String = markdown.chars().take(limit).collect();
        return vec![Part {
            html: escape(&text),
            plain: text,
        }];
    }
    parts
        .iter()
        .map(|blocks| Part {
            html: render(blocks),
            plain: blocks
                .iter()
                .map(Block::visible)
                .map(|v| v.trim_end_matches('\n').to_owned())
                .collect::<Vec<_>>()
                .join("\n\n"),
        })
        .collect()
}

mod table;
use table::render_table;

#[cfg(test)]
mod tests;
