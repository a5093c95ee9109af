//! Small helpers shared by rules.

use jixiao_model::{Document, Indicator, Project, Quantity, Unit, ValueKind};

/// Every project with its unit.
pub fn projects(document: &Document) -> impl Iterator<Item = (&Unit, &Project)> {
    document.projects()
}

/// The annual value as a quantity, when it is one.
pub fn annual_quantity(indicator: &Indicator) -> Option<&Quantity> {
    match &indicator.annual.as_ref()?.kind {
        ValueKind::Quantitative(q) => Some(q),
        _ => None,
    }
}

/// The level-1 code of an indicator (`1` 产出, `2` 效益, `3` 满意度, `4` 成本).
pub fn level1_code(indicator: &Indicator) -> Option<&str> {
    indicator.level1.as_ref()?.code.as_deref()
}

/// The level-2 code of an indicator, given or inferred.
pub fn level2_code(indicator: &Indicator) -> Option<&str> {
    indicator.level2.as_ref()?.code.as_deref()
}

/// True when the text contains any of the words.
pub fn contains_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.contains(w.as_str()))
}

/// Text with quotes, spaces and trailing punctuation removed, for comparing goals and names.
pub fn normalized(text: &str) -> String {
    jixiao_model::match_key(text)
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '"' | '“' | '”' | '\'' | '‘' | '’' | '。' | '.' | ',' | '、' | ';' | ':'
            )
        })
        .collect()
}
