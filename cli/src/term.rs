//! Terminal output: colours (dropped when the output is not a terminal or
//! `NO_COLOR` is set, by anstream) and tables (comfy-table).

use anstyle::{AnsiColor, Style};
use comfy_table::{ContentArrangement, LineStyle, Row, Table, TableStyle};

/// Success.
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
/// Failure.
pub const BAD: Style = AnsiColor::Red.on_default().bold();
/// Not started, skipped, or a note.
pub const NOTE: Style = AnsiColor::Yellow.on_default();
/// Headings and names.
pub const STRONG: Style = Style::new().bold();
/// Secondary text.
pub const DIM: Style = Style::new().dimmed();

/// `text` in `style` (anstream removes the codes where colour is off).
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// An empty table with a header row, in the kit's style.
pub fn table(header: impl Into<Row>) -> Table {
    let mut table = Table::new();
    table.load_style(TABLE_STYLE).set_header(header);
    // Wrap cells to the terminal instead of letting a long row run off an
    // 80-column screen.
    table.set_content_arrangement(ContentArrangement::Dynamic).set_width(width());
    table
}

/// The terminal's width: `COLUMNS`, else 100 columns.
pub fn width() -> u16 {
    std::env::var("COLUMNS").ok().and_then(|columns| columns.parse().ok()).unwrap_or(100)
}

/// `text` cut into lines of at most `width` chars at spaces (a longer word
/// keeps a line of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// A rule under the header, nothing else: rows stay one line each.
const TABLE_STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// `text` with every line indented by `by` spaces.
pub fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|line| format!("{pad}{line}")).collect::<Vec<_>>().join("\n")
}

/// A duration in seconds as "1h 05m", "12m 30s" or "42s".
pub fn duration(seconds: u64) -> String {
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s:02}s"),
        (h, m, _) => format!("{h}h {m:02}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_cuts_at_spaces_within_the_width() {
        assert_eq!(
            wrap("next rung: portable. Four accumulators", 20),
            ["next rung: portable.", "Four accumulators"]
        );
        assert_eq!(wrap("short", 20), ["short"]);
        assert_eq!(wrap("a-very-long-word b", 5), ["a-very-long-word", "b"]);
    }
}
