use super::Texts;
use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Template text a publisher should have replaced with the project's own (option `words`).
const DEFAULT_WORDS: &[&str] = &[
    "必填",
    "选填",
    "**",
    "＊＊",
    "……",
    "结合自评情况",
    "字以内",
    "请填写",
    "请说明",
    "填写说明",
];

declare_rule! {
    /// ## 检查什么
    /// 报告指标名称、指标值、绩效目标（年度目标、实施期目标、年度目标完成情况）和自评表的评价结论、存在问题、改进措施中留下的模板文字：`(必填)`、`(选填)`、占位的星号（`(≥**%)`、`≥**人`）、省略号`……`、填表说明（`结合自评情况，说明…`、`(200字以内)`、`请填写`；选项`words`），以及名称只是模板编号的指标（`指标1`、`指标2：`）。指标类别单元格中的模板提示（`质量指标(必填硬性指标)`）由读取时发现，含`必填`、`选填`或星号的也以本代码报告；类别单元格中的分值（`产出指标(50分)`）是版式的一部分，不报告。每段文字只报告一次。
    ///
    /// ## 为什么是问题
    /// 模板提示是给填表人看的，公开的表格里还留着它，说明表格没有按项目填写完整或没有复核：`贫困地区基础设施建设按期完成率(≥**%)`里的`**`本应换成具体数字，`指标1`本应换成具体指标。审核人会把这样的表退回修改。
    ///
    /// ## 示例
    /// ```text
    /// 时效指标 | 贫困地区基础设施建设按期完成率(≥**%) | >=95%
    /// 评价结论 | 结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)
    /// ```
    /// 删去`(≥**%)`；把评价结论改写为本项目的自评结论。
    ///
    /// ## 依据
    /// 财预〔2015〕88号：绩效目标应清晰、可衡量，指标应细化、量化；经验规则：公开的表格不应留有填表说明。
    ///
    /// ## 已知局限
    /// 评价结论、存在问题、改进措施只在读成自评表时保存（有分隔的表格和文字连排的副本都是）；从中途开始、读不出自评表的副本（样表 68：表头在上一页）中它们不保存，其中的模板文字不报告。正文中有意使用的省略号（引文中的`……`）和星号（脱敏的人名`国***`若写在指标中）也会被报告。
    pub struct TemplateLeftIn => "V009";
}

impl Rule for TemplateLeftIn {
    rule_meta!();

    fn reads_texts(&self) -> bool {
        true
    }

    // A period value repeating the annual one repeats its template text: it is not among the
    // texts, so it is reported once.
    fn check_texts(&self, texts: &Texts<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let words = cx.word_set(Self::CODE, "words", DEFAULT_WORDS);
        let with_word = words.occurs_in_each(texts.joined(), texts.list().iter().map(|t| t.text));
        for (t, with_word) in texts.list().iter().zip(with_word) {
            let message = if t.label == "指标名称" && is_template_number(t.text) {
                format!(
                    "指标名称“{}”只是模板的编号，没有写明考核什么",
                    t.text.trim()
                )
            } else if let Some(word) = with_word.then(|| words.longest(t.text)).flatten() {
                let hint = enclosing_brackets(t.text, word).unwrap_or(word);
                format!("{}“{}”中留有模板文字“{hint}”", t.label, t.text.trim())
            } else {
                continue;
            };
            out.push(t.finding(Self::CODE, message, HELP));
        }
    }
}

const HELP: &str = "删去模板提示，按本项目的实际内容填写（具体指标名称、数字和单位）。";

/// The bracketed hint around `word` (`(≥**%)` around `**`), when it is in brackets.
fn enclosing_brackets<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let at = text.find(word)?;
    let open = text[..at].rfind(['(', '（'])?;
    let close = at + text[at..].find([')', '）'])?;
    let hint = &text[open..close + text[close..].chars().next()?.len_utf8()];
    // Brackets far apart enclose the text itself, not a hint.
    (hint.chars().count() <= 24).then_some(hint)
}

/// True for a name that is only a template's numbering: `指标1`, `指标2：`, `指标一`.
fn is_template_number(name: &str) -> bool {
    // Trimmed only when it may be one: trimming every name cost more than the rest of the rule.
    if !(name.starts_with("指标") || name.starts_with(char::is_whitespace)) {
        return false;
    }
    let Some(rest) = name.trim().strip_prefix("指标") else {
        return false;
    };
    let rest = rest.trim_end_matches([':', '：', ' ']);
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_numbering() {
        assert!(is_template_number("指标1"));
        assert!(is_template_number("指标12："));
        assert!(is_template_number("指标三"));
        assert!(!is_template_number("指标完成率"));
        assert!(!is_template_number("指标"));
    }

    #[test]
    fn hint_in_brackets() {
        assert_eq!(enclosing_brackets("按期完成率(≥**%)", "**"), Some("(≥**%)"));
        assert_eq!(
            enclosing_brackets("说明成效。（200字以内）", "字以内"),
            Some("（200字以内）")
        );
        assert_eq!(enclosing_brackets("受益人口数≥**人", "**"), None);
    }
}
