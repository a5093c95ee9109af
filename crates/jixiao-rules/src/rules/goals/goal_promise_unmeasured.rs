use std::borrow::Cow;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::IndexedProject;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 找出绩效目标中承诺的带计量单位的数字（`结案率在95%以上`、`培训300人次`、`完成10个`），逐一报告本项目任何指标的名称、年度指标值和实施周期指标值中都没有的数字。数字按数值比较，因此`95`与`>95%`、`95.0%`相符。
    ///
    /// 以下不算承诺，不予考虑：年份和日期（`2024年`、`11月30日`）、文号（`〔2018〕131号`）、序数（`第1批`）、`《》`或`〔〕`内的任何内容，以及金额（`安排资金35.4万元`是在重复预算，由C002处理）。
    ///
    /// ## 为什么是问题
    /// 指标是把目标分解成可衡量的部分。目标中承诺了、指标中却没有的数字，年中不会被监控，年末也不会被评分，这项承诺就始终得不到核验。
    ///
    /// ## 示例
    /// ```text
    /// …确保实现全年劳动人事争议仲裁累计结案率在95%以上…	1、…；劳动人事争议调解成功率；年度指标值：>75%。
    /// ```
    /// 增加`仲裁结案率，年度指标值：≥95%`。
    ///
    /// ## 依据
    /// 财预〔2015〕88号 §25：指标是对目标的细化、量化；DOMAIN.md §4“前后一致”。
    ///
    /// ## 已知局限
    /// 不识别用汉字写的数字（`三个`）。数字出现在无关的指标中（另一个比率里的`95`）也算已体现。量级写法不同的数字（目标写`1.2万人`，指标值写`12000人`）按数值匹配。
    pub struct GoalPromiseUnmeasured => "G003";
}

/// Units of measure that make a number a promise, longest first within a prefix; [`unit_at`]
/// finds them by their first character.
#[cfg(test)]
const UNITS: &[&str] = &[
    "个百分点",
    "个工作日",
    "工作日",
    "平方米",
    "公里",
    "小时",
    "人次",
    "场次",
    "期次",
    "户次",
    "课时",
    "学时",
    "%",
    "‰",
    "人",
    "次",
    "个",
    "家",
    "场",
    "份",
    "户",
    "项",
    "期",
    "批",
    "名",
    "所",
    "套",
    "台",
    "篇",
    "天",
    "宗",
    "件",
    "条",
    "本",
    "册",
    "班",
    "座",
    "处",
    "辆",
    "间",
    "张",
    "岗",
    "亩",
];

impl Rule for GoalPromiseUnmeasured {
    rule_meta!();

    fn reads_goal_keys(&self) -> bool {
        true
    }

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        // The numbers read for one project and the promises reported, kept from project to
        // project so that a goal allocates nothing for them.
        let mut numbers = Vec::new();
        let mut reported: Vec<(Decimal, &str)> = Vec::new();
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            let Some(goal) = &project.goal else { continue };
            // The engine keys every goal for this rule (see `reads_goal_keys`).
            let Some(key) = indexed.goal_key() else {
                continue;
            };
            let promises = promises(key);
            if promises.is_empty() {
                continue;
            }
            let mut carried = Carried::new(indexed, &mut numbers);
            reported.clear();
            for promise in &promises {
                if carried.has(promise) || reported.contains(&(promise.number, promise.unit)) {
                    continue;
                }
                reported.push((promise.number, promise.unit));
                out.push(
                    Finding::new(
                        Self::CODE,
                        goal.span.clone(),
                        format!(
                            "绩效目标承诺“{}”，但项目“{}”的 {} 个指标中没有一个衡量 {}{}",
                            promise.context(),
                            project.name.text,
                            project.indicators.len(),
                            promise.number_text,
                            promise.unit
                        ),
                        format!(
                            "补充与目标对应的指标，如“{}，年度指标值：≥{}{}”；若目标中的数字已不适用，改正绩效目标。",
                            promise.subject(),
                            promise.number_text,
                            promise.unit
                        ),
                    )
                    .in_project(&unit.name.text, &project.name.text),
                );
            }
        }
    }
}

/// A number with a unit promised in a goal.
#[derive(Debug, PartialEq)]
struct Promise<'t> {
    number: Decimal,
    number_text: &'t str,
    scale: Option<Decimal>,
    unit: &'static str,
    /// The match key the promise was read from, where the number starts in it and where the
    /// unit ends: the clause around them is found only for a promise that is reported (most are
    /// carried by an indicator).
    key: &'t str,
    start: usize,
    after_unit: usize,
}

impl<'t> Promise<'t> {
    /// The clause around the number, up to the previous punctuation: `累计结案率在95%以上`.
    fn context(&self) -> &'t str {
        &self.key[self.clause_start()..self.tail_end()]
    }

    /// The words before the number in the clause: `累计结案率在`.
    fn before(&self) -> &'t str {
        &self.key[self.clause_start()..self.start]
    }

    /// The clause's start or the 16th character back, whichever is nearer: a break further
    /// back than 16 characters does not matter, so the scan stops there.
    fn clause_start(&self) -> usize {
        let mut clause_start = 0;
        for (n, (p, c)) in self.key[..self.start]
            .char_indices()
            .rev()
            .take(16)
            .enumerate()
        {
            if is_clause_break(c) {
                clause_start = p + c.len_utf8();
                break;
            }
            if n == 15 {
                clause_start = p;
            }
        }
        clause_start
    }

    /// The end of the clause's tail: the next break or digit within four characters after the
    /// unit, else the fourth character.
    fn tail_end(&self) -> usize {
        let (text, after_unit) = (self.key, self.after_unit);
        text[after_unit..]
            .char_indices()
            .take(4)
            .find(|&(_, c)| is_clause_break(c) || c.is_ascii_digit())
            .map_or_else(|| after_chars(text, after_unit, 4), |(p, _)| after_unit + p)
    }

    /// True when `carried` has the number as written or with its scale word applied.
    fn is_carried(&self, carried: &[Decimal]) -> bool {
        // The scaled value as `number * scale` gave it, which panicked on overflow: a number of
        // more than 20 digits before `亿` has no scaled value.
        let scaled = self.scale.and_then(|scale| self.number.checked_mul(scale));
        carried
            .iter()
            .any(|n| same_number(n, &self.number) || scaled.is_some_and(|s| same_number(n, &s)))
    }

    /// A name for the suggested indicator.
    fn subject(&self) -> String {
        let subject = self
            .before()
            .trim_end_matches([
                '在', '达', '到', '为', '于', '超', '过', '不', '低', '少', '约', '共',
            ])
            .trim_end_matches("完成")
            .trim_end_matches("实现");
        let subject = ["确保", "力争", "争取", "实现", "完成", "全年"]
            .iter()
            .fold(subject, |s, w| s.strip_prefix(w).unwrap_or(s));
        if subject.is_empty() {
            "指标名称".to_owned()
        } else {
            subject.to_owned()
        }
    }
}

/// The unit `rest` starts with: the first of [`UNITS`] it starts with, found by its first
/// character (most numbers are followed by none).
fn unit_at(rest: &str) -> Option<&'static str> {
    let candidates: &[&'static str] = match rest.chars().next()? {
        '个' => &["个百分点", "个工作日", "个"],
        '工' => &["工作日"],
        '平' => &["平方米"],
        '公' => &["公里"],
        '小' => &["小时"],
        '人' => &["人次", "人"],
        '场' => &["场次", "场"],
        '期' => &["期次", "期"],
        '户' => &["户次", "户"],
        '课' => &["课时"],
        '学' => &["学时"],
        '%' => &["%"],
        '‰' => &["‰"],
        '次' => &["次"],
        '家' => &["家"],
        '份' => &["份"],
        '项' => &["项"],
        '批' => &["批"],
        '名' => &["名"],
        '所' => &["所"],
        '套' => &["套"],
        '台' => &["台"],
        '篇' => &["篇"],
        '天' => &["天"],
        '宗' => &["宗"],
        '件' => &["件"],
        '条' => &["条"],
        '本' => &["本"],
        '册' => &["册"],
        '班' => &["班"],
        '座' => &["座"],
        '处' => &["处"],
        '辆' => &["辆"],
        '间' => &["间"],
        '张' => &["张"],
        '岗' => &["岗"],
        '亩' => &["亩"],
        _ => return None,
    };
    candidates.iter().copied().find(|u| rest.starts_with(u))
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        ',' | '，' | '。' | ';' | '；' | '、' | ':' | '：' | '!' | '?' | '(' | ')' | '（' | '）'
    )
}

/// The promises in a goal's match key.
// On the key's bytes rather than a vector of its characters: nearly every goal of a corpus has a
// number (a year, a date), and collecting the characters and each number's surroundings into
// strings was most of the rule's cost. Positions are counted in characters where the rule counts
// them (the clause's 16 characters, the 6 after the number, the tail's 4).
fn promises(text: &str) -> Vec<Promise<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        // Ideographs and most other CJK characters (leads E4 to EF) are neither digits nor
        // brackets: passed over first, in a few instructions each, as most of a goal is.
        if (0xE4..=0xEF).contains(&lead) {
            // Runs of them in a loop of their own, which keeps the scan's state in registers.
            i += 3;
            while bytes.get(i).is_some_and(|b| (0xE4..=0xEF).contains(b)) {
                i += 3;
            }
            continue;
        }
        if !lead.is_ascii_digit() {
            // A character at a time by its lead byte, decoding none: the brackets other than
            // `[]` are the characters E3 80 8A/8B (`《》`), 94/95 (`〔〕`) and 90/91 (`【】`).
            let width = match lead {
                b'[' => {
                    depth += 1;
                    1
                }
                b']' => {
                    depth = (depth - 1).max(0);
                    1
                }
                0x00..=0x7F => 1,
                0xE3 => {
                    match bytes.get(i + 1..i + 3) {
                        Some([0x80, 0x8A | 0x94 | 0x90]) => depth += 1,
                        Some([0x80, 0x8B | 0x95 | 0x91]) => depth = (depth - 1).max(0),
                        _ => {}
                    }
                    3
                }
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            i += width;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            end += 1;
        }
        while end > start + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let number_text = &text[start..end];
        i = end;
        let previous = text[..start].chars().next_back();
        if depth > 0
            || matches!(previous, Some('第' | '.' | '-' | '/'))
            || previous.is_some_and(|p| p.is_ascii_alphabetic())
        {
            continue;
        }
        let Some(number) = decimal(number_text) else {
            continue;
        };
        let window = &text[end..after_chars(text, end, 6)];
        let (scale, rest) = match window.chars().next() {
            Some('万') => (Some(Decimal::from(10_000)), &window['万'.len_utf8()..]),
            Some('千') => (Some(Decimal::from(1_000)), &window['千'.len_utf8()..]),
            Some('亿') => (Some(Decimal::from(100_000_000)), &window['亿'.len_utf8()..]),
            _ => (None, window),
        };
        let Some(unit) = unit_at(rest) else {
            continue;
        };
        // `3个亿`, `5个月`: money and durations, not promises.
        if unit == "个" && rest[unit.len()..].starts_with(['亿', '万', '月', '年', '元']) {
            continue;
        }
        out.push(Promise {
            number,
            number_text,
            scale,
            unit,
            key: text,
            start,
            after_unit: end + (window.len() - rest.len()) + unit.len(),
        });
    }
    out
}

/// The position of the first ASCII digit in `bytes` at or after `from`.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    // A block at a time without an early exit, which is vectorised: names rarely have a digit.
    while let Some(block) = bytes.get(i..i + 16) {
        if block.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
            break;
        }
        i += 16;
    }
    // The text is UTF-8 and `i` starts a character: a three-byte character (all of CJK) is
    // passed over whole, where testing each of its bytes took three times as long.
    while let Some(&byte) = bytes.get(i) {
        if byte.is_ascii_digit() {
            return Some(i);
        }
        i += if byte & 0xF0 == 0xE0 { 3 } else { 1 };
    }
    None
}

/// The byte position `count` characters after `from` in `text`, or its end.
fn after_chars(text: &str, from: usize, count: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(count)
        .map_or(text.len(), |(p, _)| from + p)
}

/// The numbers in a project's indicator names and values, read as far as needed: most promises
/// are carried by an indicator, and reading every name and value of the project for each goal
/// with a number was half the rule's cost.
struct Carried<'i, 'd, 'n> {
    indexed: IndexedProject<'i, 'd>,
    /// The next indicator to read, and whether its name (0), annual value (1) and period value
    /// (2) have been read.
    next: (usize, usize),
    numbers: &'n mut Vec<Decimal>,
}

impl<'i, 'd, 'n> Carried<'i, 'd, 'n> {
    /// Reads the numbers of `indexed` into `numbers`, emptied first.
    fn new(indexed: IndexedProject<'i, 'd>, numbers: &'n mut Vec<Decimal>) -> Self {
        numbers.clear();
        Self {
            indexed,
            next: (0, 0),
            numbers,
        }
    }

    /// True when an indicator name or value has the promise's number, reading more of them only
    /// while none read so far has.
    fn has(&mut self, promise: &Promise<'_>) -> bool {
        if promise.is_carried(self.numbers) {
            return true;
        }
        loop {
            let from = self.numbers.len();
            if !self.read_next() {
                return false;
            }
            if promise.is_carried(&self.numbers[from..]) {
                return true;
            }
        }
    }

    /// Reads the numbers of the next name or value; false when every one has been read.
    fn read_next(&mut self) -> bool {
        let (indicators, facts) = (&self.indexed.project.indicators, self.indexed.facts());
        loop {
            let (index, part) = self.next;
            let (Some(indicator), Some(facts)) = (indicators.get(index), facts.get(index)) else {
                return false;
            };
            self.next = if part == 2 {
                (index + 1, 0)
            } else {
                (index, part + 1)
            };
            let (value, norm) = match part {
                0 => {
                    numbers_in(&facts.name_key, self.numbers);
                    return true;
                }
                1 => (indicator.annual.as_ref(), facts.annual_norm.as_ref()),
                _ => (
                    indicator.period.as_deref(),
                    facts.distinct_period_norm.as_ref(),
                ),
            };
            if let Some(value) = value {
                match norm {
                    // A value that is its own normal form has nothing to drop or fold: it is its
                    // own match key.
                    Some(Cow::Borrowed(_)) => numbers_in(&value.raw, self.numbers),
                    _ => numbers_in(&jixiao_model::match_key(&value.raw), self.numbers),
                }
                return true;
            }
        }
    }
}

/// `Decimal::from_str(text).ok()`, with the numbers goals and values have (ASCII digits with at
/// most one point inside, 18 digits at most) made from their digits without the general parser.
fn decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 18 {
        return Decimal::from_str(text).ok();
    }
    let mut mantissa = 0i64;
    let mut scale = 0u32;
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'0'..=b'9' => mantissa = mantissa * 10 + i64::from(byte - b'0'),
            b'.' if scale == 0 && i > 0 && i + 1 < bytes.len() => {
                // At most 16 digits follow the point.
                scale = (bytes.len() - 1 - i) as u32;
            }
            _ => return Decimal::from_str(text).ok(),
        }
    }
    Some(Decimal::new(mantissa, scale))
}

/// `a == b`: of numbers with the same scale, as most are, the mantissas compared; the comparison
/// of decimals aligns their scales first, which cost more than the rest of the rule's test.
fn same_number(a: &Decimal, b: &Decimal) -> bool {
    if a.scale() == b.scale() {
        a.mantissa() == b.mantissa()
    } else {
        a == b
    }
}

/// Appends the numbers in a text, also with a following scale word applied (`1.2万` → 1.2 and 12000).
fn numbers_in(text: &str, out: &mut Vec<Decimal>) {
    // Digits, `.` and `,` are ASCII, and no byte of a multi-byte character is ASCII, so the
    // numbers can be found byte by byte.
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(start) = next_digit(bytes, i) {
        i = start;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b',')
        {
            i += 1;
        }
        let run = &text[start..i];
        let parsed = if run.contains(',') {
            let digits: String = run.chars().filter(|&c| c != ',').collect();
            decimal(digits.trim_end_matches('.'))
        } else {
            decimal(run.trim_end_matches('.'))
        };
        if let Some(number) = parsed {
            out.push(number);
            let scale = match text[i..].chars().next() {
                Some('万') => Some(Decimal::from(10_000)),
                Some('千') => Some(Decimal::from(1_000)),
                Some('亿') => Some(Decimal::from(100_000_000)),
                _ => None,
            };
            // Checked: a number too large to scale once made the check panic.
            if let Some(scaled) = scale.and_then(|scale| number.checked_mul(scale)) {
                out.push(scaled);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(goal: &str) -> Vec<String> {
        promises(&jixiao_model::match_key(goal))
            .into_iter()
            .map(|p| format!("{}{}", p.number_text, p.unit))
            .collect()
    }

    #[test]
    fn reads_promises() {
        assert_eq!(
            found("确保实现全年劳动人事争议仲裁累计结案率在95%以上，大调解成功率在75%以上"),
            ["95%", "75%"]
        );
        assert_eq!(found("培训300人次，完成10个"), ["300人次", "10个"]);
        assert_eq!(found("培训1.2万人次"), ["1.2人次"]);
    }

    #[test]
    fn ignores_years_documents_ordinals_titles_and_money() {
        assert!(found("2024年按穗人社发〔2018〕131号文件执行").is_empty());
        assert!(found("第1批，11月30日前完成，《2023年100个重点项目》").is_empty());
        assert!(found("安排资金35.4万元，约3个亿，5个月内").is_empty());
    }

    /// A promise with its texts owned: number, number text, scale, unit, context, before.
    type Owned = (
        Decimal,
        String,
        Option<Decimal>,
        &'static str,
        String,
        String,
    );

    /// The promises as the first version read them, on a vector of characters.
    fn by_chars(goal: &str) -> Vec<Owned> {
        let text: Vec<char> = jixiao_model::match_key(goal).chars().collect();
        let mut out = Vec::new();
        let mut depth = 0i32;
        let mut i = 0;
        while i < text.len() {
            let c = text[i];
            match c {
                '《' | '〔' | '[' | '【' => depth += 1,
                '》' | '〕' | ']' | '】' => depth = (depth - 1).max(0),
                _ => {}
            }
            if !c.is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i;
            while end < text.len() && (text[end].is_ascii_digit() || text[end] == '.') {
                end += 1;
            }
            while end > start + 1 && text[end - 1] == '.' {
                end -= 1;
            }
            let number_text: String = text[start..end].iter().collect();
            i = end;
            let previous = start.checked_sub(1).map(|p| text[p]);
            if depth > 0
                || matches!(previous, Some('第' | '.' | '-' | '/'))
                || previous.is_some_and(|p| p.is_ascii_alphabetic())
            {
                continue;
            }
            let Ok(number) = Decimal::from_str(&number_text) else {
                continue;
            };
            let rest: String = text[end..text.len().min(end + 6)].iter().collect();
            let (scale, rest) = match rest.chars().next() {
                Some('万') => (Some(Decimal::from(10_000)), &rest['万'.len_utf8()..]),
                Some('千') => (Some(Decimal::from(1_000)), &rest['千'.len_utf8()..]),
                Some('亿') => (Some(Decimal::from(100_000_000)), &rest['亿'.len_utf8()..]),
                _ => (None, rest.as_str()),
            };
            let Some(unit) = UNITS.iter().find(|u| rest.starts_with(*u)) else {
                continue;
            };
            if *unit == "个" && rest[unit.len()..].starts_with(['亿', '万', '月', '年', '元'])
            {
                continue;
            }
            let clause_start = text[..start]
                .iter()
                .rposition(|&c| is_clause_break(c))
                .map_or(0, |p| p + 1)
                .max(start.saturating_sub(16));
            let before: String = text[clause_start..start].iter().collect();
            let after_unit = end + usize::from(scale.is_some()) + unit.chars().count();
            let tail_end = text[after_unit..]
                .iter()
                .position(|&c| is_clause_break(c) || c.is_ascii_digit())
                .map_or(text.len(), |p| after_unit + p)
                .min(after_unit + 4);
            let context: String = text[clause_start..tail_end].iter().collect();
            out.push((number, number_text, scale, *unit, context, before));
        }
        out
    }

    /// The byte scan finds what the scan of characters found, on goals made of the characters
    /// that matter: digits, points, brackets, scale words, units, clause breaks, letters.
    #[test]
    fn reads_as_the_scan_of_characters() {
        const PIECES: &[&str] = &[
            "1",
            "2",
            "0",
            "9",
            ".",
            "..",
            "１",
            "5.",
            "[",
            "]",
            "《",
            "》",
            "〔",
            "〕",
            "【",
            "】",
            "万",
            "千",
            "亿",
            "个",
            "月",
            "年",
            "元",
            "人次",
            "个百分点",
            "工作日",
            "%",
            "‰",
            "人",
            "次",
            "平方米",
            "，",
            "、",
            "。",
            "：",
            "（",
            "）",
            ",",
            "第",
            "-",
            "/",
            "a",
            "Z",
            " ",
            "确保",
            "完成",
            "达到",
            "培训",
            "不少于",
            "率在",
            "“",
            "以上",
            "项目",
            "😀",
            "é",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut compared = 0;
        for _ in 0..20_000 {
            let length = next(40);
            let goal: String = (0..length).map(|_| PIECES[next(PIECES.len())]).collect();
            let key = jixiao_model::match_key(&goal);
            let found: Vec<Owned> = promises(&key)
                .into_iter()
                .map(|p| {
                    let (text, context, before) = (
                        p.number_text.to_owned(),
                        p.context().to_owned(),
                        p.before().to_owned(),
                    );
                    (p.number, text, p.scale, p.unit, context, before)
                })
                .collect();
            assert_eq!(found, by_chars(&goal), "{goal}");
            compared += found.len();
        }
        assert!(compared > 2_000, "only {compared} promises");
    }

    /// The units by first character are [`UNITS`] in their order.
    #[test]
    fn units_by_first_character_are_the_units_in_order() {
        for unit in UNITS {
            for after in ["", "次", "亿", "作日", "百分点", "x"] {
                let rest = format!("{unit}{after}");
                assert_eq!(
                    unit_at(&rest),
                    UNITS.iter().copied().find(|u| rest.starts_with(u)),
                    "{rest}"
                );
            }
        }
        assert_eq!(unit_at("年"), None);
        assert_eq!(unit_at(""), None);
    }

    /// The quick path of [`decimal`] gives what the general parser gives, scale included.
    #[test]
    fn decimals_as_the_general_parser_reads_them() {
        for text in [
            "0",
            "7",
            "007",
            "95",
            "95.0",
            "95.50",
            "1.2",
            "0.05",
            "000.000",
            "999999999999999999",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567.8",
            "1.23456789012345678",
            "1.2.3",
            "5.",
            ".5",
            "1,000",
            "1e3",
            "",
        ] {
            let (quick, general) = (decimal(text), Decimal::from_str(text).ok());
            assert_eq!(quick, general, "{text}");
            assert_eq!(
                quick.map(|d| d.scale()),
                general.map(|d| d.scale()),
                "{text}"
            );
        }
    }

    #[test]
    fn same_number_is_equality() {
        let numbers: Vec<Decimal> = [
            "0",
            "-0",
            "0.0",
            "0.00",
            "95",
            "95.0",
            "95.00",
            "-95",
            "9.5",
            "950",
            "1.2",
            "12000",
            "1.20",
            "0.05",
            "79228162514264337593543950335",
            "7922816251426433759354395033.5",
        ]
        .iter()
        .map(|t| Decimal::from_str(t).expect("a decimal"))
        .chain([
            Decimal::new(-0, 3),
            Decimal::new(12, 1) * Decimal::from(10_000),
        ])
        .collect();
        for a in &numbers {
            for b in &numbers {
                assert_eq!(same_number(a, b), a == b, "{a} {b}");
            }
        }
    }

    #[test]
    fn context_is_the_clause() {
        let key =
            jixiao_model::match_key("确保实现全年劳动人事争议仲裁累计结案率在95%以上，维护稳定");
        let p = &promises(&key)[0];
        assert_eq!(p.context(), "全年劳动人事争议仲裁累计结案率在95%以上");
        assert_eq!(p.number, Decimal::from(95));
    }
}
