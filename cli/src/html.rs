//! `kata compare --html FILE`: the review as one self-contained HTML page.
//!
//! Everything is inline (CSS, SVG bar charts; no script, no font, no image,
//! nothing fetched), so the page opens offline, survives being attached to
//! an e-mail and prints as it looks (tables and charts avoid page breaks).
//! Each benchmark is a bar chart of the candidates' candidate/reference
//! ratios on a log scale, with the verdict bands marked and the spread over
//! repeated runs drawn as whiskers.

use std::fmt::Write as _;

use crate::bench::{ACCEPTABLE_WITHIN, Comparison, STRONG_WITHIN, Verdict};
use crate::compare::{self, Candidate, Review, SCORE_LEGEND};
use crate::consistency::Severity;

/// The page.
pub fn render(review: &Review) -> String {
    let mut page = String::with_capacity(16 * 1024);
    page.push_str(HEAD);
    page.push_str("<h1>AI Kata: candidates side by side</h1>\n");
    summary(&mut page, review);
    findings(&mut page, review);
    exercises(&mut page, review);
    benchmarks(&mut page, review);
    if !review.notes.is_empty() {
        page.push_str("<h2>Notes</h2>\n<ul class=\"notes\">\n");
        for note in &review.notes {
            let _ = writeln!(page, "<li>{}</li>", escape(note));
        }
        page.push_str("</ul>\n");
    }
    let _ = writeln!(page, "<p class=\"legend\">{}</p>", escape(SCORE_LEGEND));
    page.push_str("</body>\n</html>\n");
    page
}

fn summary(page: &mut String, review: &Review) {
    page.push_str(
        "<h2>Candidates</h2>\n<table class=\"summary\">\n<thead><tr><th>candidate</th><th>trust</th>",
    );
    page.push_str(
        "<th>score</th><th>graded</th><th>seed</th><th>machine</th><th>kit</th></tr></thead>\n<tbody>\n",
    );
    for candidate in &review.candidates {
        let report = &candidate.report;
        let kit = report.provenance.as_ref().map_or_else(
            || "no provenance".to_owned(),
            |p| format!("{}…", p.kit_sha256.chars().take(12).collect::<String>()),
        );
        let _ = writeln!(
            page,
            "<tr><th class=\"candidate\">{}</th><td class=\"trust {}\">{}</td><td class=\"score\">{}</td>\
             <td>{}</td><td>{}</td><td>{} ({} cores)</td><td class=\"mono\">{}</td></tr>",
            escape(&candidate.label),
            candidate.trust().to_lowercase(),
            candidate.trust(),
            escape(&compare::score_text(candidate)),
            escape(&report.graded),
            kata::seed::display(report.seed),
            escape(&report.machine.cpu_model),
            report.machine.cores,
            escape(&kit),
        );
    }
    page.push_str("</tbody>\n</table>\n");
}

fn findings(page: &mut String, review: &Review) {
    let any = review.candidates.iter().any(|c| !c.findings.is_empty()) || !review.similar.is_empty();
    if !any {
        page.push_str("<p class=\"verified\">Every report agrees with itself and with this kit.</p>\n");
        return;
    }
    page.push_str("<h2>Checks</h2>\n<ul class=\"findings\">\n");
    for candidate in &review.candidates {
        for finding in &candidate.findings {
            let (class, tag) = match finding.severity {
                Severity::Contradiction => ("refused", "refused"),
                Severity::Unverified => ("unverified", "unverified"),
            };
            let _ = writeln!(
                page,
                "<li class=\"{class}\"><strong>{tag}</strong> {}: {}</li>",
                escape(&candidate.label),
                escape(&finding.message)
            );
        }
    }
    for similarity in &review.similar {
        let _ = writeln!(
            page,
            "<li class=\"refused\"><strong>similar</strong> {}</li>",
            escape(&similarity.describe())
        );
    }
    page.push_str("</ul>\n");
}

fn exercises(page: &mut String, review: &Review) {
    page.push_str("<h2>Exercises</h2>\n<table class=\"exercises\">\n<thead><tr><th>exercise</th>");
    for candidate in &review.candidates {
        let refused = if candidate.refused() { " <span class=\"trust refused\">REFUSED</span>" } else { "" };
        let _ = write!(page, "<th>{}{refused}</th>", escape(&candidate.label));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for name in &review.exercises {
        let _ = write!(page, "<tr><th class=\"exercise\">{}</th>", escape(name));
        for candidate in &review.candidates {
            page.push_str(&exercise_cell(candidate, name));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
}

fn exercise_cell(candidate: &Candidate, name: &str) -> String {
    let Some(exercise) = candidate.exercise(name) else { return "<td class=\"missing\">-</td>".to_owned() };
    let mut cell = format!(
        "<td class=\"status {}\"><div class=\"count\">{}/{} {}</div><div class=\"tiers\">{}</div>",
        format!("{:?}", exercise.status).to_lowercase(),
        exercise.passed,
        exercise.total,
        escape(exercise.status.label()),
        escape(&compare::tiers_text(exercise))
    );
    if exercise.first_failure.is_some() {
        let _ =
            write!(cell, "<div class=\"failure\">{}</div>", escape(&compare::first_failure_text(exercise)));
    }
    let _ = write!(
        cell,
        "<div class=\"meta\">hints used: {} · {}</div></td>",
        exercise.hints_revealed,
        escape(&compare::time_text(exercise, candidate.report.generated_at))
    );
    cell
}

fn benchmarks(page: &mut String, review: &Review) {
    if review.benchmarks.is_empty() {
        page.push_str(
            "<h2>Benchmarks</h2>\n<p>No report holds benchmark results (`kata report --bench`).</p>\n",
        );
        return;
    }
    page.push_str("<h2>Benchmarks: candidate time / reference time</h2>\n");
    let _ = writeln!(
        page,
        "<p class=\"legend\">Log scale. Bands: strong ≤ {STRONG_WITHIN}x, acceptable ≤ {ACCEPTABLE_WITHIN}x, \
         weak above. Whiskers: the lowest and highest ratio over repeated runs.</p>"
    );
    for (name, keys) in &review.benchmarks {
        for key in keys {
            let bars: Vec<(&str, Option<&Comparison>)> =
                review.candidates.iter().map(|c| (c.label.as_str(), c.comparison(name, key))).collect();
            let _ = writeln!(
                page,
                "<figure class=\"chart\"><figcaption>{} — {}</figcaption>",
                escape(name),
                escape(key)
            );
            page.push_str(&chart(&bars));
            page.push_str("</figure>\n");
        }
    }
}

/// Chart geometry, in SVG user units.
const WIDTH: f64 = 820.0;
const LABEL_WIDTH: f64 = 150.0;
const VALUE_WIDTH: f64 = 270.0;
const ROW: f64 = 26.0;
const AXIS: f64 = 22.0;

/// One horizontal bar per candidate, on a log scale that holds every ratio,
/// its whiskers and both band limits.
fn chart(bars: &[(&str, Option<&Comparison>)]) -> String {
    let values = bars.iter().filter_map(|(_, c)| *c).flat_map(|c| {
        let spread = c.spread.map(|s| [s.min, s.max]);
        c.candidate_vs_reference.into_iter().chain(spread.into_iter().flatten())
    });
    let (low, high) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((1.0_f64, ACCEPTABLE_WITHIN), |(low, high), v| (low.min(v), high.max(v)));
    let (low, high) = ((low / 1.5).log10(), (high * 1.5).log10());
    let plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let x = |ratio: f64| LABEL_WIDTH + plot * (ratio.max(1e-300).log10() - low) / (high - low);
    let height = AXIS + ROW * bars.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" \
         height=\"{height}\" role=\"img\">\n"
    );
    let bands = [
        (1.0, "1x".to_owned()),
        (STRONG_WITHIN, format!("strong ≤ {STRONG_WITHIN}x")),
        (ACCEPTABLE_WITHIN, format!("acceptable ≤ {ACCEPTABLE_WITHIN}x")),
    ];
    for (limit, label) in bands {
        let at = x(limit);
        let _ = writeln!(
            svg,
            "<line class=\"band\" x1=\"{at:.1}\" y1=\"{AXIS}\" x2=\"{at:.1}\" y2=\"{height}\"/>\
             <text class=\"axis\" x=\"{at:.1}\" y=\"14\" text-anchor=\"middle\">{label}</text>"
        );
    }
    for (row, (label, comparison)) in bars.iter().enumerate() {
        let top = AXIS + ROW * row as f64;
        let middle = top + ROW / 2.0;
        let _ = writeln!(
            svg,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_WIDTH - 6.0,
            middle + 4.0,
            escape(label)
        );
        let Some(comparison) = comparison else {
            let _ = writeln!(
                svg,
                "<text class=\"value\" x=\"{LABEL_WIDTH}\" y=\"{:.1}\">no result</text>",
                middle + 4.0
            );
            continue;
        };
        if let Some(ratio) = comparison.candidate_vs_reference.filter(|r| r.is_finite() && *r > 0.0) {
            let _ = writeln!(
                svg,
                "<rect class=\"bar {}\" x=\"{LABEL_WIDTH}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
                verdict_class(comparison.verdict),
                top + 5.0,
                (x(ratio) - LABEL_WIDTH).max(1.0),
                ROW - 10.0
            );
            if let Some(spread) = comparison.spread {
                let (from, to) = (x(spread.min), x(spread.max));
                let _ = writeln!(
                    svg,
                    "<path class=\"whisker\" d=\"M{from:.1} {:.1}V{:.1}M{from:.1} {middle:.1}H{to:.1}M{to:.1} {:.1}V{:.1}\"/>",
                    top + 7.0,
                    top + ROW - 7.0,
                    top + 7.0,
                    top + ROW - 7.0
                );
            }
        }
        let _ = writeln!(
            svg,
            "<text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            WIDTH - VALUE_WIDTH + 6.0,
            middle + 4.0,
            escape(&compare::ratio_text(comparison))
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Strong => "strong",
        Verdict::Acceptable => "acceptable",
        Verdict::Weak => "weak",
        Verdict::NotMeasured => "unmeasured",
    }
}

/// `text` safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI Kata: candidates side by side</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; margin: 2em auto; max-width: 1100px; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; page-break-inside: avoid; }
th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f0f0f3; }
.mono { font-family: ui-monospace, monospace; }
.trust.verified { color: #1a7f37; font-weight: 600; } .trust.unverified { color: #9a6700; font-weight: 600; }
.trust.refused { color: #fff; background: #cf222e; font-weight: 700; }
.findings li.refused { color: #a40e26; } .findings li.unverified { color: #7d5700; }
.verified { color: #1a7f37; }
.status.passing .count { color: #1a7f37; font-weight: 600; } .status.failing .count { color: #cf222e; font-weight: 600; }
.tiers, .meta { font-size: 0.85em; color: #555; } .failure { font-size: 0.85em; color: #a40e26; font-family: ui-monospace, monospace; word-break: break-word; }
figure.chart { margin: 1em 0; page-break-inside: avoid; } figcaption { font-weight: 600; margin-bottom: 0.3em; }
svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg .band { stroke: #999; stroke-dasharray: 4 3; } svg .axis { fill: #666; font-size: 11px; }
svg .bar.strong { fill: #2da44e; } svg .bar.acceptable { fill: #d4a72c; } svg .bar.weak { fill: #cf222e; } svg .bar.unmeasured { fill: #aaa; }
svg .whisker { stroke: #1d1d1f; stroke-width: 1.5; fill: none; } svg .label { fill: #1d1d1f; } svg .value { fill: #333; }
.legend, .notes { color: #555; font-size: 0.9em; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } h2 { page-break-after: avoid; } }
</style>
</head>
<body>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup() {
        assert_eq!(escape(r#"<b a="1">&'"#), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
    }
}
