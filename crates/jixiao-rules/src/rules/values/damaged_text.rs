use super::Texts;
use crate::Finding;
use crate::engine::Context;
use crate::rules::util;
use crate::rules::util::Joined;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告绩效目标、指标名称和指标值中被损坏的文字：连续的问号（`???`、`？？？`，转换编码时无法表示的字变成了问号）和替换符`�`（读取时无法解码的字节）。每段文字只报告一次。
    ///
    /// 也报告时效指标（二级指标为时效指标，或名称以`时间`、`时限`、`日期`结尾）的指标值中丢了分隔符的日期：5 或 6 位数字，前四位是 2000–2039 年，后面是 1–12 月，如`20246`（2024年6月）、`202412`（2024年12月）。
    ///
    /// ## 为什么是问题
    /// 损坏处原来的字已经丢失，读者（和本工具的其他规则）无法知道原文写的是什么：`保障農村低保戶的基本生活???效指標`中丢掉的可能是一个数字，也可能是一个类别。公开的表格应从原始文件重新导出。
    ///
    /// ## 示例
    /// ```text
    /// 1、2-效益指标；22-社会效益指标；困难群众???生活保障率；年度指标值：≥95%。
    /// 2、1-产出指标；13-时效指标；项目完成时间；年度指标值：20246。
    /// ```
    /// 从原始文件重新导出或转录这一段，恢复丢失的字；第二行写`2024年6月`。
    ///
    /// ## 依据
    /// 经验规则：公开的预算绩效信息应完整、准确（《中华人民共和国预算法》第十四条关于预算公开的要求）。
    ///
    /// ## 已知局限
    /// 只认问号串、替换符和时效指标值中丢了分隔符的年月；其他指标中的（`完成20246户`可能就是 20246 户）和 8 位的`20241231`不报告，错认的字（OCR把`口`读成`0`）看不出来。原文有意连用问号的情况（极少见）也会被报告。
    pub struct DamagedText => "V010";
}

impl Rule for DamagedText {
    rule_meta!();

    fn reads_texts(&self) -> bool {
        true
    }

    fn check_texts(&self, texts: &Texts<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let marked = may_be_marked(texts.joined());
        for (t, marked) in texts.list().iter().zip(marked) {
            // A value without five digits in a row has no fused date: told before asking whether
            // its indicator is a time indicator, which scans the 二级's name.
            if t.label != "指标名称"
                && t.indicator.is_some()
                && has_five_digits(t.text)
                && t.indicator.is_some_and(is_time_indicator)
                && let Some((run, year, month)) = fused_date(t.text)
            {
                out.push(t.finding(
                    Self::CODE,
                    format!(
                        "{}“{}”中的“{run}”像是丢了分隔符的日期（原为{year}年{month}月？）",
                        t.label,
                        t.text.trim()
                    ),
                    "从原始文件核对这个日期，写成“2024年6月”这样带分隔的形式。",
                ));
                continue;
            }
            let Some(damage) = marked.then(|| damage(t.text)).flatten() else {
                continue;
            };
            out.push(t.finding(
                Self::CODE,
                format!(
                    "{}“{}”中有损坏的文字“{damage}”，原来的字已经丢失",
                    t.label,
                    t.text.trim()
                ),
                "从原始文件重新导出或转录这段文字，恢复丢失的字。",
            ));
        }
    }
}

/// A 时效 indicator: filed under 时效指标, or named for a time or date.
fn is_time_indicator(indicator: &jixiao_model::Indicator) -> bool {
    let filed = indicator
        .level2
        .as_ref()
        .is_some_and(|c| c.code.as_deref() == Some("13") || util::has(&c.name, "时效"));
    let name = &*indicator.name.text;
    // Trimmed only when it ends in a space: the call cost more than the rest of the test.
    let name = if name.ends_with(char::is_whitespace) {
        name.trim_end()
    } else {
        name
    };
    filed || ["时间", "时限", "日期"].iter().any(|w| name.ends_with(w))
}

/// True when `text` has a run of five ASCII digits, as every date [`fused_date`] finds has.
fn has_five_digits(text: &str) -> bool {
    let mut run = 0;
    for &byte in text.as_bytes() {
        run = if byte.is_ascii_digit() { run + 1 } else { 0 };
        if run == 5 {
            return true;
        }
    }
    false
}

/// The first run of 5 or 6 ASCII digits that reads as a year (2000–2039) and a month (1–12) with
/// the separators lost (`20246`, `202412`), with the year and month.
fn fused_date(text: &str) -> Option<(&str, u32, u32)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        // A decimal point or thousands separator on either side: a number, not a date.
        let joined = |b: Option<&u8>| matches!(b, Some(b'.' | b','));
        if joined(bytes.get(i)) || joined(start.checked_sub(1).and_then(|p| bytes.get(p))) {
            continue;
        }
        let run = &text[start..i];
        if !(5..=6).contains(&run.len()) {
            continue;
        }
        let year: u32 = run[..4].parse().ok()?;
        let month: u32 = run[4..].parse().ok()?;
        if (2000..=2039).contains(&year) && (1..=12).contains(&month) {
            return Some((run, year, month));
        }
    }
    None
}

/// The first damaged run in `text`: two or more question marks, or replacement characters.
fn damage(text: &str) -> Option<&str> {
    // Most texts have no mark at all: their bytes say so faster than their characters.
    if !may_have_mark(text.as_bytes()) {
        return None;
    }
    let is_mark = |c: char| matches!(c, '?' | '？' | '\u{FFFD}');
    let start = text.find(is_mark)?;
    let mut search_from = start;
    loop {
        let run_start = search_from + text[search_from..].find(is_mark)?;
        let run_len: usize = text[run_start..]
            .chars()
            .take_while(|&c| is_mark(c))
            .map(char::len_utf8)
            .sum();
        let run = &text[run_start..run_start + run_len];
        if run.contains('\u{FFFD}') || run.chars().count() >= 2 {
            return Some(run);
        }
        search_from = run_start + run_len;
    }
}

/// For each text, false when [`may_have_mark`] is false for it, told by one pass over the texts
/// joined rather than a search set up for each text. A character is never cut by a line break
/// that ends a text, so the bytes after a lead byte are that text's.
fn may_be_marked(joined: &Joined) -> Vec<bool> {
    let bytes = joined.bytes();
    joined.hit(memchr::memchr2_iter(b'?', 0xEF, bytes).filter(|&at| is_mark_at(bytes, at)))
}

/// True when a mark starts at `at`, a `?` or 0xEF byte of `bytes`.
fn is_mark_at(bytes: &[u8], at: usize) -> bool {
    bytes[at] == b'?' || matches!(bytes.get(at + 1..at + 3), Some([0xBC, 0x9F] | [0xBF, 0xBD]))
}

/// False when `bytes` certainly hold no `?`, `？` (EF BC 9F) or `\u{FFFD}` (EF BF BD). EF also
/// leads the full-width punctuation most texts have (`，`, `（`), so a lead byte counts only with
/// the two bytes after it.
fn may_have_mark(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'?', 0xEF, bytes).any(|at| is_mark_at(bytes, at))
}

#[cfg(test)]
mod tests {
    use super::damage;

    #[test]
    fn question_mark_runs_and_replacement_characters() {
        assert_eq!(damage("基本生活???绩效"), Some("???"));
        assert_eq!(damage("是否达标？"), None);
        assert_eq!(damage("是否达标？已完成？？"), Some("？？"));
        assert_eq!(damage("農\u{FFFD}村"), Some("\u{FFFD}"));
        assert_eq!(damage("≥95%"), None);
        assert_eq!(damage("达标（是），完成：100%"), None);
    }

    #[test]
    fn marks_are_found_by_their_bytes() {
        use super::may_have_mark;
        for text in ["?", "是否？", "農\u{FFFD}村", "，？"] {
            assert!(may_have_mark(text.as_bytes()), "{text}");
        }
        for text in ["", "达标（是），完成：100%", "\u{FFFC}", "＞"] {
            assert!(!may_have_mark(text.as_bytes()), "{text}");
        }
        let texts = [
            "?",
            "",
            "是否？",
            "，",
            "農\u{FFFD}村",
            "达标（是）",
            "，？",
            "＞",
            "?",
        ];
        let each: Vec<bool> = texts.iter().map(|t| may_have_mark(t.as_bytes())).collect();
        let joined = super::Joined::new(texts.iter().copied());
        assert_eq!(super::may_be_marked(&joined), each);
    }

    #[test]
    fn dates_that_lost_their_separators() {
        use super::fused_date;
        assert_eq!(fused_date("20246"), Some(("20246", 2024, 6)));
        assert_eq!(fused_date("≤202412前完成"), Some(("202412", 2024, 12)));
        assert_eq!(fused_date("2024年6月"), None);
        assert_eq!(fused_date("20241231"), None);
        assert_eq!(fused_date("202413"), None);
        assert_eq!(fused_date("12000.5"), None);
        assert_eq!(fused_date("20246.5"), None);
        assert_eq!(fused_date("≤12个月"), None);
    }

    /// Every text with a fused date has five digits in a row.
    #[test]
    fn fused_dates_have_five_digits() {
        use super::{fused_date, has_five_digits};
        for text in [
            "20246",
            "≤202412前完成",
            "a202406b",
            "1234",
            "12.345",
            "2024年6月",
            "202413",
            "",
        ] {
            if fused_date(text).is_some() {
                assert!(has_five_digits(text), "{text}");
            }
        }
        assert!(has_five_digits("≤202412前完成"));
        assert!(!has_five_digits("2024年6月"));
        assert!(!has_five_digits("1234.5"));
    }
}
