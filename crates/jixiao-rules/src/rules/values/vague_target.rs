use jixiao_model::ValueKind;

use super::{Target, for_each_target};
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util::WordSet;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Words that make a target unmeasurable (option `vague_words`).
const VAGUE_WORDS: &[&str] = &[
    "按时发放",
    "按时",
    "年度控制数",
    "控制数",
    "有所",
    "明显",
    "显著",
    "逐步",
    "进一步",
    "不断",
    "稳步",
    "持续",
    "较好",
    "良好",
    "有效",
    "增加",
    "提高",
    "提升",
    "加强",
    "改善",
    "完善",
    "更多",
    "更加",
    "更好",
];

/// Degree words that leave a yes/no question without a standard (option `degree_words`): whether
/// there was `明显` progress is a judgement, whether there was progress is a fact.
const DEGREE_WORDS: &[&str] = &[
    "明显", "显著", "较大", "大幅", "极大", "较好", "良好", "较高",
];

/// Words of graded qualitative wording (`达到/基本达到/未达到`, `好/较好/一般/差`).
const GRADE_WORDS: &[&str] = &["达到", "较好", "一般", "优", "良", "中", "差", "高", "低"];

declare_rule! {
    /// ## 检查什么
    /// 报告不可衡量的目标：产出数量或质量（二级代码11和12）下的定性值（`按时发放`、`有所提高`、`群众积极参加城乡居民医疗保险`），以及任何类别下使用模糊词语（`有所提高`、`明显提升`、`逐步完善`、`进一步…`、`较好`、`良好`、`有效`、`年度控制数`；选项`vague_words`）的定性值或引用外部数字的值。
    ///
    /// 效益下的`是`/`否`回答的是指标名称提出的问题，因此名称含程度词（`明显`、`显著`、`较大`、`大幅`、`较好`、`良好`等；选项`degree_words`）时也报告：`乡村振兴是否取得明显进展`→`是`。是否“有进展”是可以核验的事实，是否“明显”却没有标准。
    ///
    /// 不报告：期限；名称不含程度词时效益下的`是`/`否`（`教师队伍素质是否得到提升`→`是`；“是否达成”在效益类中是认可的写法）；分级表述（`达到/基本达到/未达到`）；以及数量、质量下自带数字的定性文字（`发生故障后，100%当天启动处理程序`）。
    ///
    /// ## 为什么是问题
    /// 没有数字的目标在年末无法核验：只要有一点改进，`有所提高`就算达成。审核人要求尽可能定量，无法定量的采用定性的分级分档表述；产出（数量、质量）几乎总是可以计数的。
    ///
    /// ## 示例
    /// ```text
    /// 1、1-产出指标；13-时效指标；编外人员工资发放及时率；年度指标值：按时发放。
    /// 1、1-产出指标；11-数量指标；招聘人数；年度指标值：年度控制数。
    /// 4、2-效益指标；22-社会效益；乡村振兴是否取得明显进展；年度指标值：是。
    /// ```
    /// 分别改为`≥100%`/`每月10日前发放`、`≥30人`和可核验的效益目标（如`带动脱贫户增收≥2000元/户`）。
    ///
    /// ## 依据
    /// 《项目支出绩效评价管理办法》（财预〔2020〕10号）第十六条和财预〔2015〕88号：绩效指标应细化、量化；无法量化的，定性指标采用可以判断的分级表述。
    ///
    /// ## 已知局限
    /// 模糊词语只要在值中出现即算命中，因此恰好含有模糊词的精确定性值（`有效证件齐全`）也会被报告。数量下引用外部数字的值，只有用了`控制数`这类模糊词时才报告。
    pub struct VagueTarget => "V002";
}

impl Rule for VagueTarget {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let words = cx.word_set(Self::CODE, "vague_words", VAGUE_WORDS);
        let degree_words = cx.word_set(Self::CODE, "degree_words", DEGREE_WORDS);
        for_each_target(projects, |target| {
            if let Some(finding) = check(&target, &words, &degree_words) {
                out.push(finding);
            }
        });
    }
}

fn check(target: &Target<'_>, words: &WordSet, degree_words: &WordSet) -> Option<Finding> {
    // Most values are quantities, judged by other rules: trimming their text costs more than the
    // rest of this rule.
    if !matches!(
        target.value.kind,
        ValueKind::Qualitative | ValueKind::Reference { .. }
    ) {
        return None;
    }
    let raw = target
        .value
        .raw
        .trim()
        .trim_end_matches(['。', '.', '；', ';']);
    let name = target.name();
    // Only qualitative values and references are judged by their words; most values are
    // quantities, so look for the words only then.
    let vague = || words.longest(raw);
    match &target.value.kind {
        ValueKind::Qualitative => {
            if is_yes_no(raw) && target.level1() == Some("2") {
                // `是` answers the name's question: measurable only when the question is.
                let word = degree_words.longest(name)?;
                return Some(target.finding(
                    VagueTarget::CODE,
                    format!(
                        "指标“{name}”的{}只有“{raw}”，而名称中的“{word}”没有标准，无法衡量是否完成",
                        target.label
                    ),
                    "把问题改成可以核验的目标：写明要达到的数量或比例（如“带动增收≥2000元/户”），或用“达到/基本达到/未达到”并说明各档的标准。",
                ));
            }
            if is_graded(raw) {
                return None;
            }
            let output = matches!(target.level2(), Some("11" | "12"));
            let has_figure = raw.chars().any(|c| c.is_ascii_digit());
            let message = match (vague(), output && !has_figure) {
                (Some(word), _) => format!(
                    "指标“{name}”的{}“{raw}”是含“{word}”的定性描述，无法衡量是否完成",
                    target.label
                ),
                (None, true) => format!(
                    "产出指标“{name}”的{}“{raw}”是定性描述，没有可衡量的数量或比例",
                    target.label
                ),
                (None, false) => return None,
            };
            Some(target.finding(
                VagueTarget::CODE,
                message,
                "改为可衡量的目标值：数量写明“≥N人”“≥N次”，质量写明“≥95%”，时效写明完成时限；确实无法量化的，用“达到/基本达到/未达到”等分级表述。",
            ))
        }
        ValueKind::Reference { reference } => {
            let word = vague()?;
            Some(target.finding(
                VagueTarget::CODE,
                format!(
                    "指标“{name}”的{}“{raw}”只引用了“{reference}”（{word}），表中看不出目标是多少",
                    target.label
                ),
                "写出具体的目标数值（如“≥30人”），必要时在括号中注明依据。",
            ))
        }
        _ => None,
    }
}

/// `是`, `否`, `是/否`, `有`, `无`.
fn is_yes_no(raw: &str) -> bool {
    matches!(raw, "是" | "否" | "是/否" | "有" | "无")
}

/// Graded wording: several short grades joined by `/`, `、` or `，`, one of them a grade word.
fn is_graded(raw: &str) -> bool {
    // One pass without collecting the parts: most qualitative values are one long part.
    let mut parts = 0;
    let mut graded = false;
    for part in raw
        .split(['/', '／', '、', '，', ',', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if part.chars().nth(6).is_some() {
            return false;
        }
        parts += 1;
        graded = graded || GRADE_WORDS.iter().any(|g| part.contains(g));
    }
    parts >= 2 && graded
}
