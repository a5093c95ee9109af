//! The scoring formulas, one function each, over exact decimals.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::policy::{BudgetMethod, BudgetPolicy, QualitativePolicy};

/// Rounds a score the way published tables do (half away from zero).
pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value
        .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// 执行率 = 执行数 ÷ 预算数, as a fraction; `None` when there is no budget to divide by.
pub fn execution_rate(executed: Decimal, budget: Decimal) -> Option<Decimal> {
    (budget > Decimal::ZERO).then(|| executed / budget)
}

/// Budget execution points: 分值 × 执行率 capped at 分值, or by the policy's bands.
pub fn budget_score(weight: Decimal, rate: Decimal, policy: &BudgetPolicy) -> Decimal {
    match policy.method {
        BudgetMethod::Linear => weight * rate.clamp(Decimal::ZERO, Decimal::ONE),
        BudgetMethod::Bands => {
            let percent = rate * Decimal::ONE_HUNDRED;
            let mut bands = policy.bands.clone();
            bands.sort_by_key(|band| std::cmp::Reverse(band.from));
            bands
                .iter()
                .find(|band| percent >= band.from)
                .map_or(Decimal::ZERO, |band| {
                    weight * band.share / Decimal::ONE_HUNDRED
                })
        }
    }
}

/// 正向 (≥) target: 分值 × 完成值 ÷ 目标值, capped at 分值. A target of zero or less is met by
/// any actual at least as high.
pub fn higher_is_better(weight: Decimal, actual: Decimal, target: Decimal) -> Decimal {
    if actual >= target {
        return weight;
    }
    if target <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    weight * (actual / target).clamp(Decimal::ZERO, Decimal::ONE)
}

/// 反向 (≤) target: 分值 × 目标值 ÷ 完成值, capped at 分值.
pub fn lower_is_better(weight: Decimal, actual: Decimal, target: Decimal) -> Decimal {
    if actual <= target {
        return weight;
    }
    if actual <= Decimal::ZERO || target <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    weight * (target / actual).clamp(Decimal::ZERO, Decimal::ONE)
}

/// = target that is a count or an amount: full points when met, none otherwise.
pub fn exact_count(weight: Decimal, actual: Decimal, target: Decimal) -> Decimal {
    if actual == target {
        weight
    } else {
        Decimal::ZERO
    }
}

/// Deadline: full points when met, none otherwise.
pub fn deadline(weight: Decimal, met: bool) -> Decimal {
    if met { weight } else { Decimal::ZERO }
}

/// How far a qualitative target was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Achieved,
    Partial,
    Missed,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Self::Achieved => "达成",
            Self::Partial => "部分达成",
            Self::Missed => "未达成",
        }
    }
}

/// The points a qualitative indicator at `level` may score: `[low, high]`.
pub fn qualitative_band(
    weight: Decimal,
    level: Level,
    policy: &QualitativePolicy,
) -> (Decimal, Decimal) {
    let [low, high] = match level {
        Level::Achieved => policy.achieved,
        Level::Partial => policy.partial,
        Level::Missed => policy.missed,
    };
    (
        weight * low / Decimal::ONE_HUNDRED,
        weight * high / Decimal::ONE_HUNDRED,
    )
}

/// How far the words of an actual value reach a qualitative target; `None` when the words do
/// not tell.
pub fn judge_words(target: &str, actual: &str, policy: &QualitativePolicy) -> Option<Level> {
    let target = compact(target);
    let actual = compact(actual);
    if actual.is_empty() {
        return None;
    }
    if actual == target {
        return Some(Level::Achieved);
    }
    let exact = |words: &[String]| words.contains(&actual);
    if exact(&policy.missed_exact) {
        return Some(Level::Missed);
    }
    if exact(&policy.partial_exact) {
        return Some(Level::Partial);
    }
    if exact(&policy.achieved_exact) {
        return Some(Level::Achieved);
    }
    let contains = |words: &[String]| words.iter().any(|w| actual.contains(w.as_str()));
    if contains(&policy.missed_words) {
        Some(Level::Missed)
    } else if contains(&policy.partial_words) {
        Some(Level::Partial)
    } else if contains(&policy.achieved_words) {
        Some(Level::Achieved)
    } else {
        None
    }
}

/// The text without blanks, full-width blanks and the trailing full stop.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(['。', '.'])
        .to_owned()
}

/// An execution rate as published (`98.5%`, `100.00%`, `1` for 100%), in percent.
pub fn published_rate(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let (number, percent) = match text.strip_suffix(['%', '％']) {
        Some(number) => (number.trim(), true),
        None => (text, false),
    };
    let value: Decimal = number.replace(',', "").parse().ok()?;
    Some(if percent || value > Decimal::ONE {
        value
    } else {
        value * Decimal::ONE_HUNDRED
    })
}

/// True when a published rate (`31.00%`) is 执行数 ÷ 预算数 to the digits it shows, rounded or
/// cut off there: `86.5%` for 86.48% holds, `31.00%` for 31.08% does not. Tables differ in how
/// many digits they show, so a tolerance in percentage points would either pass `31.00%` or fail
/// `87%` for 86.6%.
pub fn rate_as_shown(published: &str, rate: Decimal) -> Option<bool> {
    let percent = published_rate(published)?;
    let shown = rate * Decimal::ONE_HUNDRED;
    // A fraction (`0.865`) shows two digits fewer in percent than it has.
    let fraction = !published.trim().ends_with(['%', '％']) && percent != Decimal::ZERO && {
        let number = published.trim().replace(',', "");
        number.parse::<Decimal>().is_ok_and(|n| n <= Decimal::ONE)
    };
    let digits = if fraction {
        percent.scale().saturating_sub(2)
    } else {
        percent.scale()
    };
    let rounded = shown.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
    let cut = shown.round_dp_with_strategy(digits, RoundingStrategy::ToZero);
    Some(percent == rounded || percent == cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{BudgetBand, Policy};

    #[test]
    fn budget_execution_is_points_times_rate_capped() {
        let policy = Policy::default().budget;
        // 09_self_eval_clean: 108 of 120 executed, 10 points.
        let rate = execution_rate(dec!(108), dec!(120)).expect("budget");
        assert_eq!(rate, dec!(0.9));
        assert_eq!(budget_score(dec!(10), rate, &policy), dec!(9));
        // Executed above budget still scores the points, no more.
        assert_eq!(budget_score(dec!(10), dec!(1.05), &policy), dec!(10));
        // Sample 64: 259.45 of 300.
        let rate = execution_rate(dec!(259.45), dec!(300)).expect("budget");
        assert_eq!(round(rate * dec!(100), 2), dec!(86.48));
        assert_eq!(execution_rate(dec!(5), Decimal::ZERO), None);
    }

    #[test]
    fn budget_execution_by_bands() {
        let mut policy = Policy::default().budget;
        policy.method = BudgetMethod::Bands;
        policy.bands = vec![
            BudgetBand {
                from: dec!(80),
                share: dec!(80),
            },
            BudgetBand {
                from: dec!(95),
                share: dec!(100),
            },
        ];
        assert_eq!(budget_score(dec!(10), dec!(0.96), &policy), dec!(10));
        assert_eq!(budget_score(dec!(10), dec!(0.90), &policy), dec!(8));
        assert_eq!(budget_score(dec!(10), dec!(0.50), &policy), dec!(0));
    }

    #[test]
    fn higher_is_better_scores_the_share_reached() {
        // 09_self_eval_clean: 服务合格率 ≥95%, 93% achieved, 20 points.
        assert_eq!(
            round(higher_is_better(dec!(20), dec!(93), dec!(95)), 2),
            dec!(19.58)
        );
        // Sample 33: 资金到位及时率 ≥100%, 100% achieved: full points, not 7.
        assert_eq!(higher_is_better(dec!(10), dec!(100), dec!(100)), dec!(10));
        assert_eq!(higher_is_better(dec!(20), dec!(520), dec!(500)), dec!(20));
        assert_eq!(higher_is_better(dec!(5), dec!(0), dec!(0)), dec!(5));
    }

    #[test]
    fn lower_is_better_scores_target_over_actual() {
        assert_eq!(lower_is_better(dec!(10), dec!(25), dec!(30)), dec!(10));
        assert_eq!(lower_is_better(dec!(10), dec!(40), dec!(30)), dec!(7.5));
        assert_eq!(lower_is_better(dec!(10), dec!(0), dec!(0)), dec!(10));
        assert_eq!(lower_is_better(dec!(10), dec!(3), dec!(0)), dec!(0));
    }

    #[test]
    fn counts_set_equal_score_only_when_met() {
        assert_eq!(exact_count(dec!(5), dec!(6), dec!(6)), dec!(5));
        assert_eq!(exact_count(dec!(5), dec!(5.8), dec!(6)), dec!(0));
    }

    #[test]
    fn deadlines_are_met_or_not() {
        assert_eq!(deadline(dec!(10), true), dec!(10));
        assert_eq!(deadline(dec!(10), false), dec!(0));
    }

    #[test]
    fn qualitative_bands_follow_the_policy() {
        let national = Policy::default().qualitative;
        assert_eq!(
            qualitative_band(dec!(30), Level::Partial, &national),
            (dec!(18), dec!(24))
        );
        let hubei = Policy::preset("hubei").expect("hubei").qualitative;
        assert_eq!(
            qualitative_band(dec!(10), Level::Partial, &hubei),
            (dec!(5), dec!(8))
        );
        assert_eq!(
            qualitative_band(dec!(10), Level::Achieved, &hubei),
            (dec!(8), dec!(10))
        );
    }

    #[test]
    fn words_tell_the_level() {
        let policy = Policy::default().qualitative;
        let judge = |target, actual| judge_words(target, actual, &policy);
        assert_eq!(judge("有效", "有效"), Some(Level::Achieved));
        assert_eq!(judge("明显提升", "有所提升"), Some(Level::Partial));
        assert_eq!(judge("优良中低差", "优"), Some(Level::Achieved));
        assert_eq!(judge("优良中低差", "良"), Some(Level::Partial));
        assert_eq!(judge("按时完成", "未按时完成"), Some(Level::Missed));
        assert_eq!(judge("是", "基本达到"), Some(Level::Partial));
        assert_eq!(judge("是", "专款专用"), None);
        assert_eq!(judge("是", ""), None);
    }

    #[test]
    fn published_rates_read_as_percent() {
        assert_eq!(published_rate("100.00%"), Some(dec!(100.00)));
        assert_eq!(published_rate("86.5%"), Some(dec!(86.5)));
        assert_eq!(published_rate("1"), Some(dec!(100)));
        assert_eq!(published_rate("90"), Some(dec!(90)));
        assert_eq!(published_rate("—"), None);
    }

    #[test]
    fn rates_hold_to_the_digits_shown() {
        // Sample 64: 259.45 ÷ 300 = 86.483…%, shown as 86.5%.
        let rate = execution_rate(dec!(259.45), dec!(300)).expect("budget");
        assert_eq!(rate_as_shown("86.5%", rate), Some(true));
        assert_eq!(rate_as_shown("86.48%", rate), Some(true));
        assert_eq!(rate_as_shown("86.4%", rate), Some(true));
        assert_eq!(rate_as_shown("87%", rate), Some(false));
        // Sample 63: 46 ÷ 148 = 31.08%, shown as 31.00%.
        let rate = execution_rate(dec!(46), dec!(148)).expect("budget");
        assert_eq!(rate_as_shown("31.00%", rate), Some(false));
        assert_eq!(rate_as_shown("31.08%", rate), Some(true));
        assert_eq!(rate_as_shown("31%", rate), Some(true));
        // `1` is 100%.
        assert_eq!(rate_as_shown("1", Decimal::ONE), Some(true));
        assert_eq!(rate_as_shown("0.865", rate), Some(false));
        assert_eq!(rate_as_shown("—", Decimal::ONE), None);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(dec!(19.575), 2), dec!(19.58));
        assert_eq!(round(dec!(9.000), 2), dec!(9));
    }
}
