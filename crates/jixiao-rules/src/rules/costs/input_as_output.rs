use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Words naming money moved rather than work done.
const DEFAULT_WORDS: &[&str] = &[
    "资金下达",
    "资金拨付",
    "资金到位",
    "发放资金",
    "预算执行率",
    "资金使用率",
    "资金支付",
    "拨付率",
    "到位率",
    "执行率",
];

/// Words that make a name about money; a listed word without one (`到位率`, `执行率`) matches only
/// a name that has one (`补贴资金支付到位率`, not `编外人员到位率`).
const MONEY_WORDS: &[&str] = &[
    "资金", "经费", "预算", "拨付", "支付", "下达", "款", "金", "费", "补贴", "补助",
];

/// Words in a project's name that say its money goes to people as a payment: the project is the
/// payment, so paying it on time is its output.
const PAYOUT_PROJECT_WORDS: &[&str] = &[
    "补贴",
    "补助",
    "救助",
    "资助",
    "抚恤",
    "奖励",
    "津贴",
    "报酬",
    "生活费",
    "救济",
    "助学金",
    "慰问",
    "低保",
    "补偿",
];

/// Words naming the act of paying recipients (not money reaching the unit: 到位, 下达).
const PAYING_WORDS: &[&str] = &["发放", "拨付", "支付", "兑付"];

/// Words saying the indicator is about when the payment is made.
const ON_TIME_WORDS: &[&str] = &["及时", "按时", "按期"];

/// True for the timeliness of paying recipients (`资金拨付及时率`) in a project whose output is
/// that payment (`困难群众救助补助资金`): there the payment reaching people on time is the service.
pub fn is_payout_timeliness(project_name: &str, indicator_key: &str) -> bool {
    PAYOUT_PROJECT_WORDS
        .iter()
        .any(|w| project_name.contains(w))
        && PAYING_WORDS.iter().any(|w| indicator_key.contains(w))
        && ON_TIME_WORDS.iter().any(|w| indicator_key.contains(w))
}

fn is_money_word(word: &str) -> bool {
    MONEY_WORDS.iter().any(|m| word.contains(m))
}

declare_rule! {
    /// ## 检查什么
    /// 报告产出指标或效益指标中名称讲的是资金流转的指标：资金下达、资金拨付、资金到位、发放资金、预算执行率等（选项`words`）。所列词语本身不涉及资金的（`到位率`、`执行率`），只在名称涉及资金时才算命中（命中`补贴资金支付到位率`，不命中`编外人员到位率`、`计划执行率`）。    ///
    ///
    /// 例外：项目本身就是向个人或单位发放资金时（项目名称含补贴、补助、救助、资助、抚恤、奖励、津贴、报酬、生活费、救济、助学金、慰问、低保、补偿），把钱按时发到对象手中就是它提供的服务，`资金拨付及时率`、`补贴发放及时率`这类讲“发放/拨付/支付/兑付”是否“及时/按时/按期”的指标是产出，不报告。同一项目中的`资金到位率`、`资金下达完成率`、`预算执行率`讲的是资金到达本单位或本单位花钱的进度，仍会报告。
    ///
    /// ## 为什么是问题
    /// 下达、拨付或花出资金是投入，而不是资金带来的结果。`资金下达完成率 100%`这样的“产出”，资金一拨付就算完成，不论项目拿这笔钱做了什么；而预算执行率在绩效自评中已单独计分（10分）。
    ///
    /// ## 示例
    /// ```text
    /// 4、产出指标：资金下达完成率，年度指标值：100%。
    /// ```
    /// 改为这笔钱所购买的产出：`参保扩面任务完成率 ≥95%`、`经办人员培训人次 ≥50人次`。

    ///
    /// ## 依据
    /// 财预〔2020〕10号及审核实务：产出衡量的是提供的产品和服务；资金类指标属于预算执行（DOMAIN.md §4“不以投入代替产出”）。发放类项目的例外依据同一原则：对补贴、救助对象而言，按时足额领到资金正是项目提供的服务（DOMAIN.md §4 列出的“资金下达/拨付/到位率”指的是资金到达预算单位的进度）。
    ///
    /// ## 已知局限
    /// 发放是否及时只按指标名称和项目名称判断：项目名称不含上述词语的发放类项目（如`村干部工作经费`按人发放）仍会报告；名称含这些词语、钱却由本单位自己花掉的项目（如名为`补助经费`、实际用于办公的项目）也不报告其拨付及时率。
    pub struct InputAsOutput => "C001";
}

impl Rule for InputAsOutput {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let words = cx.word_set(Self::CODE, "words", DEFAULT_WORDS);
        // One prefiltered search of the run's names rules out most of them: a scan of each name
        // took the automaton's step per byte. The list order still decides which word is named.
        // Names repeat from project to project: each is searched at its first indicator in the
        // run, where the others of its name find the answer.
        let firsts = projects
            .projects()
            .flat_map(|p| p.facts().iter())
            .enumerate()
            .filter(|&(at, f)| f.same_name == at);
        let keys = firsts.clone().map(|(_, f)| &*f.name_key);
        let found = words.occurs_in_each(&util::Joined::new(keys.clone()), keys);
        let mut has_word = vec![false; projects.indicator_count()];
        for ((at, _), found) in firsts.zip(found) {
            has_word[at] = found;
        }
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            for (indicator, facts) in indexed.indicators() {
                let has_word = has_word.get(facts.same_name).copied().unwrap_or(false);
                let family = match facts.family {
                    Some("1") => "产出指标",
                    Some("2") => "效益指标",
                    _ => continue,
                };
                let key = &facts.name_key;
                if !has_word || is_payout_timeliness(&project.name.text, key) {
                    continue;
                }
                let Some(word) = words.words().iter().find(|w| {
                    key.contains(w.as_str())
                        && (is_money_word(w) || MONEY_WORDS.iter().any(|m| key.contains(m)))
                }) else {
                    continue;
                };
                let value = indicator
                    .annual
                    .as_ref()
                    .map(|v| format!("（{}）", v.raw))
                    .unwrap_or_default();
                out.push(
                    Finding::new(
                        Self::CODE,
                        indicator.name.span.clone(),
                        format!(
                            "{family}“{}”{value}衡量的是资金的下达、拨付或使用（含“{word}”），是投入而不是{}",
                            indicator.name.text,
                            if family == "产出指标" { "产出" } else { "效益" }
                        ),
                        "改用资金所购买的工作或服务来衡量（如完成数量、质量、时效），资金执行情况由预算执行率另行评价。",
                    )
                    .in_project(&unit.name.text, &project.name.text)
                    .at_indicator(indicator.seq),
                );
            }
        }
    }
}
