use jixiao_model::Document;

use super::for_each_text;
use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告绩效目标、指标名称和指标值中被损坏的文字：连续的问号（`???`、`？？？`，转换编码时无法表示的字变成了问号）和替换符`�`（读取时无法解码的字节）。每段文字只报告一次。
    ///
    /// ## 为什么是问题
    /// 损坏处原来的字已经丢失，读者（和本工具的其他规则）无法知道原文写的是什么：`保障農村低保戶的基本生活???效指標`中丢掉的可能是一个数字，也可能是一个类别。公开的表格应从原始文件重新导出。
    ///
    /// ## 示例
    /// ```text
    /// 1、2-效益指标；22-社会效益指标；困难群众???生活保障率；年度指标值：≥95%。
    /// ```
    /// 从原始文件重新导出或转录这一段，恢复丢失的字。
    ///
    /// ## 依据
    /// 经验规则：公开的预算绩效信息应完整、准确（《中华人民共和国预算法》第十四条关于预算公开的要求）。
    ///
    /// ## 已知局限
    /// 只认问号串和替换符；丢失的分隔符（`20246`原为`2024年6月`）和错认的字（OCR把`口`读成`0`）看不出来。原文有意连用问号的情况（极少见）也会被报告。
    pub struct DamagedText => "V010";
}

impl Rule for DamagedText {
    rule_meta!();

    fn check_document(&self, document: &Document, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_text(document, |t| {
            if t.label == "实施周期指标值"
                && t.indicator
                    .and_then(|i| i.annual.as_ref())
                    .is_some_and(|annual| *annual.raw == *t.text)
            {
                return;
            }
            let Some(damage) = damage(t.text) else {
                return;
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
        });
    }
}

/// The first damaged run in `text`: two or more question marks, or replacement characters.
fn damage(text: &str) -> Option<&str> {
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
    }
}
