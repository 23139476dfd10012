use super::*;
use proptest::prelude::*;

fn html(md: &str) -> String {
    let parts = render_parts(md, MAX_MESSAGE);
    assert_eq!(parts.len(), 1, "{parts:?}");
    parts[0].html.clone()
}

#[test]
fn constructs_table() {
    let cases = [
        ("plain text", "plain text"),
        (
            "**bold** and *italic* and ~~gone~~",
            "<b>bold</b> and <i>italic</i> and <s>gone</s>",
        ),
        ("use `a < b` here", "use <code>a &lt; b</code> here"),
        ("# Title\n\nbody", "<b>Title</b>\n\nbody"),
        (
            "[site](https://example.com/?a=1&b=2)",
            "<a href=\"https://example.com/?a=1&amp;b=2\">site</a>",
        ),
        ("[bad](javascript:alert(1))", "bad"),
        (
            "```rust\nfn main() {}\n```",
            "<pre><code class=\"language-rust\">fn main() {}</code></pre>",
        ),
        ("```\n<tag>\n```", "<pre>&lt;tag&gt;</pre>"),
        ("- one\n- two", "\u{2022} one\n\u{2022} two"),
        ("1. first\n2. second", "1. first\n2. second"),
        ("> quoted", "<blockquote>quoted</blockquote>"),
        (
            "| a | bb |\n|---|---|\n| ccc | d |",
            "<pre>a   | bb\nccc | d</pre>",
        ),
        ("***both***", "<b><i>both</i></b>"),
        ("5 > 3 & 2 < 4", "5 &gt; 3 &amp; 2 &lt; 4"),
    ];
    for (md, want) in cases {
        assert_eq!(html(md), want, "{md:?}");
    }
}

#[test]
fn long_replies_split_on_paragraphs_then_lines_then_words() {
    let para = "word ".repeat(300); // 1500 units
    let md = format!("{para}\n\n{para}\n\n{para}");
    let parts = render_parts(&md, MAX_MESSAGE);
    assert_eq!(parts.len(), 2, "two paragraphs fit the first message");
    assert!(parts[0].plain.ends_with("word"));

    let one_line = "x".repeat(5000);
    let parts = render_parts(&one_line, MAX_MESSAGE);
    assert_eq!(
        parts.iter().map(|p| p.plain.len()).collect::<Vec<_>>(),
        [4096, 904]
    );
}

#[test]
fn a_code_block_across_a_split_is_closed_and_reopened() {
    let code = (0..600)
        .map(|i| format!("let x{i} = {i};"))
        .collect::<Vec<_>>()
        .join("\n");
    let parts = render_parts(&format!("```rust\n{code}\n```"), MAX_MESSAGE);
    assert!(parts.len() >= 2);
    for part in &parts {
        assert!(
            part.html.starts_with("<pre><code class=\"language-rust\">"),
            "{}",
            &part.html[..40]
        );
        assert!(part.html.ends_with("</code></pre>"));
    }
}

#[test]
fn limits_count_utf16_units() {
    let emoji = "😀".repeat(3000); // 6000 UTF-16 units
    for part in render_parts(&emoji, MAX_MESSAGE) {
        assert!(utf16(&part.plain) <= MAX_MESSAGE);
    }
}

/// Tags in order, with a stack, the way Telegram's parser checks them.
fn balanced(html: &str) -> bool {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let Some(j) = rest[i..].find('>') else {
            return false;
        };
        let tag = &rest[i + 1..i + j];
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name) {
                return false;
            }
        } else {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_owned());
        }
        rest = &rest[i + j + 1..];
    }
    stack.is_empty()
}

fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find('>').map_or(rest.len() - i, |j| j + 1)..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn never_panics_stays_balanced_within_limits_and_keeps_the_text(
        md in "(?s)[a-zA-Z0-9 \\n*_~`#>\\[\\]()<>&|!.:/-]{0,600}|(\\PC{0,200})",
        limit in 16usize..300,
    ) {
        let parts = render_parts(&md, limit);
        let whole = render_parts(&md, usize::MAX / 4);
        for part in &parts {
            prop_assert!(balanced(&part.html), "unbalanced: {}", part.html);
            prop_assert!(utf16(&part.plain) <= limit, "{} > {limit}", utf16(&part.plain));
            prop_assert_eq!(unescape(&part.html), part.plain.clone());
        }
        let split_text: String = parts.iter().map(|p| squeeze(&p.plain)).collect();
        let whole_text: String = whole.iter().map(|p| squeeze(&p.plain)).collect();
        prop_assert_eq!(split_text, whole_text);
    }
}
