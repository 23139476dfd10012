//! Tables as aligned monospace text.

/// Tables have no Telegram markup: monospace columns are the readable form.
pub(super) fn render_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            (0..columns)
                .map(|c| {
                    let cell = r.get(c).map_or("", String::as_str);
                    format!("{cell}{}", " ".repeat(widths[c] - cell.chars().count()))
                })
                .collect::<Vec<_>>()
                .join(" | ")
                .trim_end()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
