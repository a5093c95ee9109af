//! The default human-readable output: message, place, the source text underlined, help.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

use super::{Format, SourceLines};
use crate::{CODES, Finding, Summary};

/// Characters of context shown on each side of the underlined text.
const CONTEXT: usize = 16;
/// At most this many characters of the underlined text are shown.
const MAX_SHOWN: usize = 60;

pub fn render_text(findings: &[Finding], summary: &Summary, sources: &dyn SourceLines) -> String {
    super::render_all(Format::Text, findings, summary, sources)
}

pub(super) fn write_finding(out: &mut String, finding: &Finding, sources: &dyn SourceLines) {
    let title = CODES
        .iter()
        .find(|c| c.code == finding.code)
        .map_or("", |c| c.title);
    let _ = writeln!(
        out,
        "{}[{}] {}：{}",
        finding.severity.label(),
        finding.code,
        title,
        finding.message
    );
    // A table cell is placed by sheet (or page), row and column; a text line by its number.
    let mut place = match &finding.span.cell {
        Some(cell) => format!("{}{}", finding.span.file, cell_place(cell)),
        None => format!("{}:{}", finding.span.file, finding.span.line),
    };
    if let Some(project) = &finding.project {
        let _ = write!(place, "（项目“{project}”");
        if let Some(seq) = finding.indicator {
            let _ = write!(place, "，第{seq}项指标");
        }
        place.push('）');
    } else if let Some(unit) = &finding.unit {
        let _ = write!(place, "（单位“{unit}”）");
    }
    let _ = writeln!(out, "  --> {place}");
    if let Some(cell) = &finding.span.cell {
        if let Some(text) = sources.cell(&finding.span.file, cell) {
            let shown: String = text
                .chars()
                .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
                .take(MAX_SHOWN + 2 * CONTEXT)
                .collect();
            let _ = writeln!(out, "   |");
            let _ = writeln!(out, "   | {shown}");
        }
    } else if let Some(line) = sources.line(&finding.span.file, finding.span.line) {
        let number = finding.span.line.to_string();
        let pad = " ".repeat(number.len());
        let (shown, underline) = excerpt(
            &line,
            finding.span.start as usize,
            finding.span.end as usize,
        );
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {shown}");
        if !underline.trim().is_empty() {
            let _ = writeln!(out, "{pad} | {underline}");
        }
    }
    for related in &finding.related {
        let _ = writeln!(out, "  --> 另见 {}:{}", related.file, related.line);
    }
    if !finding.help.is_empty() {
        let _ = writeln!(out, "  = 建议：{}", finding.help);
    }
    out.push('\n');
}

/// ` [工作表] 第3行第2列` / ` 第2页第3行第2列`.
fn cell_place(cell: &jixiao_model::CellRef) -> String {
    let mut place = String::new();
    if let Some(sheet) = &cell.sheet {
        let _ = write!(place, " [{sheet}]");
    }
    if let Some(page) = cell.page {
        let _ = write!(place, " 第{page}页");
    }
    let _ = write!(place, " 第{}行第{}列", cell.row, cell.col);
    place
}

/// A window of `line` around `start..end` and a `^` underline aligned under it, counting CJK
/// characters as two columns. Tabs are shown as `→`.
fn excerpt(line: &str, start: usize, end: usize) -> (String, String) {
    let clamp = |i: usize| {
        let mut i = i.min(line.len());
        while !line.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (clamp(start), clamp(end.max(start)));
    let before: Vec<char> = line[..start].chars().collect();
    let marked: Vec<char> = line[start..end].chars().collect();
    let after: Vec<char> = line[end..].chars().collect();
    let marked_whole = start == end;
    let context_before = if marked_whole {
        0
    } else {
        CONTEXT.min(before.len())
    };
    let mut shown = String::new();
    let mut underline = String::new();
    let display = |c: char| if c == '\t' { '→' } else { c };
    let width = |c: char| display(c).width().unwrap_or(0);
    if context_before < before.len() {
        shown.push('…');
        underline.push(' ');
    }
    for &c in &before[before.len() - context_before..] {
        shown.push(display(c));
        underline.push_str(&" ".repeat(width(c)));
    }
    if marked_whole {
        // The whole row: show its start, underline nothing.
        for &c in after.iter().take(MAX_SHOWN) {
            shown.push(display(c));
        }
        if after.len() > MAX_SHOWN {
            shown.push('…');
        }
        return (shown, String::new());
    }
    for &c in marked.iter().take(MAX_SHOWN) {
        shown.push(display(c));
        underline.push_str(&"^".repeat(width(c).max(1)));
    }
    if marked.len() > MAX_SHOWN {
        shown.push('…');
        underline.push('^');
    }
    let context_after = if marked.len() > MAX_SHOWN {
        0
    } else {
        CONTEXT.min(after.len())
    };
    for &c in &after[..context_after] {
        shown.push(display(c));
    }
    if context_after < after.len() {
        shown.push('…');
    }
    (shown, underline)
}

pub(super) fn write_summary(out: &mut String, summary: &Summary) {
    let count = |s: &str| summary.by_severity.get(s).copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "共检查 {} 个文件、{} 张表、{} 个项目、{} 个指标；发现 {} 个问题（错误 {}，警告 {}，提示 {}）。",
        summary.files,
        summary.documents,
        summary.projects,
        summary.indicators,
        summary.findings,
        count("error"),
        count("warning"),
        count("info")
    );
    if !summary.by_code.is_empty() {
        let codes: Vec<String> = summary
            .by_code
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        let _ = writeln!(out, "按规则：{}", codes.join("，"));
    }
    if !summary.grade_counts.is_empty() {
        let grades: Vec<String> = ["优", "良", "中", "差"]
            .iter()
            .map(|g| format!("{g} {}", summary.grade_counts.get(*g).copied().unwrap_or(0)))
            .collect();
        let _ = writeln!(out, "建议审核等级（按项目）：{}", grades.join("，"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underline_counts_cjk_as_two_columns() {
        let (shown, underline) = excerpt("名称\t≤1%", "名称\t".len(), "名称\t≤1%".len());
        assert_eq!(shown, "名称→≤1%");
        assert_eq!(underline, "     ^^^");
        let (shown, underline) = excerpt("满意度目标", 0, "满意度".len());
        assert_eq!(shown, "满意度目标");
        assert_eq!(underline, "^^^^^^");
    }
}
