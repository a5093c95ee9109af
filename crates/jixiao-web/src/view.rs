//! The markup every page shares: the frame with its navigation, the error and login pages, and a
//! table as read, laid out like the published one (header block, amounts, goals, the indicator
//! grid with merged 一级/二级 cells) with its findings in a gutter beside the rows they concern.

use std::collections::HashMap;

use jixiao_model::{Amount, AmountColumn, Document, Project};
use jixiao_rules::Severity;
use jixiao_store::{ReviewState, Role};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use rust_decimal::Decimal;

use crate::auth::{Viewer, csrf_field};

/// A page in the frame: title, navigation, the viewer's name and a logout button.
pub fn page(viewer: &Viewer, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · 绩效目标审核" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "绩效目标审核" }
                    nav aria-label="主导航" {
                        a href="/" { "审核一张表" }
                        a href="/publishers" { "发布单位" }
                        a href="/search" { "搜索" }
                        a href="/dashboard" { "统计" }
                        @if viewer.can(Role::Reviewer) {
                            a href="/review" { "待审队列" }
                            a href="/audit" { "审核日志" }
                        }
                        @if viewer.can(Role::Admin) {
                            a href="/admin/users" { "用户管理" }
                        }
                        a href="/api/docs" { "接口" }
                    }
                    div.who {
                        @if let Some(user) = &viewer.user {
                            span { (user.name) "（" (user.role.label()) "）" }
                            form method="post" action="/logout" {
                                (csrf_field(viewer))
                                button type="submit" { "退出" }
                            }
                        } @else {
                            a href="/login" { "登录" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page for a visitor who may not exist yet (errors, login): no navigation that needs a user.
pub fn error_page(title: &str, message: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { (title) " · 绩效目标审核" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header.top { a.brand href="/" { "绩效目标审核" } }
                main {
                    h1 { (title) }
                    p.error role="alert" { (message) }
                    p { a href="javascript:history.back()" { "返回上一页" } " · " a href="/" { "首页" } }
                }
            }
        }
    }
}

pub fn login_page(viewer: &Viewer, error: Option<&str>) -> Markup {
    page(
        viewer,
        "登录",
        html! {
            h1 { "登录" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form.login method="post" action="/login" {
                (csrf_field(viewer))
                label { "用户名" input type="text" name="name" autocomplete="username" required; }
                label { "密码" input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { "登录" }
            }
            p.note { "没有账号？请联系管理员用 " code { "jixiao user add 用户名 --role reviewer" } " 创建。" }
        },
    )
}

/// 2026年12月6日 10:30 from a stored UTC time, in China Standard Time.
pub fn date_time(stored: &str) -> String {
    let parsed = chrono::DateTime::parse_from_rfc3339(stored)
        .map(|t| t.naive_utc())
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(stored, "%Y-%m-%d %H:%M:%S"));
    match parsed {
        Ok(utc) => (utc + chrono::Duration::hours(8))
            .format("%Y年%-m月%-d日 %H:%M")
            .to_string(),
        Err(_) => stored.to_owned(),
    }
}

/// An amount with two decimals (万元 as the tables publish them).
pub fn money(value: Decimal) -> String {
    format!("{:.2}", value.round_dp(2))
}

pub fn severity_badge(severity: Severity) -> Markup {
    let class = match severity {
        Severity::Error => "sev sev-error",
        Severity::Warning => "sev sev-warning",
        Severity::Info => "sev sev-info",
    };
    html! { span class=(class) { (severity.label()) } }
}

pub fn severity_of(name: &str) -> Severity {
    Severity::parse(name).unwrap_or(Severity::Info)
}

/// The explanation of a rule, from its documentation (`jixiao rule CODE`).
#[derive(Debug, Clone, Default)]
pub struct RuleDoc {
    pub title: String,
    pub what: String,
    pub why: String,
    pub regulation: String,
}

pub fn rule_doc(code: &str) -> Option<RuleDoc> {
    let page = jixiao_rules::rule_page(code)?;
    let mut doc = RuleDoc {
        title: page
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
            .to_owned(),
        ..RuleDoc::default()
    };
    let mut current: Option<&mut String> = None;
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            current = match heading.trim() {
                "检查什么" => Some(&mut doc.what),
                "为什么是问题" => Some(&mut doc.why),
                "依据" => Some(&mut doc.regulation),
                _ => None,
            };
        } else if let Some(text) = current.as_deref_mut() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
    }
    for text in [&mut doc.what, &mut doc.why, &mut doc.regulation] {
        *text = text.trim().to_owned();
    }
    Some(doc)
}

/// A finding as a page shows it, checked now or read from the corpus.
#[derive(Debug, Clone)]
pub struct FindingView {
    /// The DOM id (`f-3`).
    pub key: String,
    /// The stored finding, when it is in the corpus (reviewable).
    pub stored_id: Option<i64>,
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    /// The project's place among the document's projects, and the indicator's within it.
    pub project: Option<usize>,
    pub indicator: Option<usize>,
    pub review: Option<ReviewView>,
}

#[derive(Debug, Clone)]
pub struct ReviewView {
    pub state: ReviewState,
    /// The decision was made on the previous version of the table and is carried forward
    /// (沿用) until a reviewer decides on this version.
    pub carried: bool,
    pub by: Option<String>,
    pub at: Option<String>,
    pub comment: Option<String>,
}

/// What a document page adds around each project: grades and review forms.
#[derive(Debug, Default)]
pub struct ProjectExtras {
    /// Project ids of a stored document, by project place.
    pub ids: Vec<i64>,
    /// Suggested grade by project place.
    pub suggested: Vec<String>,
    /// Reviewer grade (grade, reason, by) by project place.
    pub graded: HashMap<usize, (String, Option<String>, String)>,
    /// The viewer may review (forms are shown).
    pub can_review: bool,
}

/// The table as read: every project with its header block and indicator grid.
pub fn document_body(
    viewer: &Viewer,
    document: &Document,
    findings: &[FindingView],
    extras: &ProjectExtras,
) -> Markup {
    let mut by_project: HashMap<usize, Vec<&FindingView>> = HashMap::new();
    let mut loose = Vec::new();
    for finding in findings {
        match finding.project {
            Some(p) => by_project.entry(p).or_default().push(finding),
            None => loose.push(finding),
        }
    }
    let unit_label = document
        .amount_unit
        .as_ref()
        .map(|u| u.text.to_string())
        .unwrap_or_else(|| "单位：万元".to_owned());
    html! {
        section.doc-head {
            @if let Some(title) = &document.title { h2 { (title.text) } }
            dl.meta {
                @if let Some(department) = &document.department { dt { "部门" } dd { (department.text) } }
                dt { "版式" } dd { (document.layout.label()) }
                dt { "金额单位" } dd { (unit_label) }
                dt { "项目数" } dd { (document.projects().count()) }
                dt { "指标数" } dd { (document.indicator_count()) }
            }
            @if let Some(grand) = &document.grand_total {
                (amounts_table("合计", &grand.amounts))
            }
            @if let Some(truncation) = &document.truncation {
                p.truncated role="note" {
                    strong { "截断的表：" } (truncation.note)
                    " （第 " (truncation.span.line) " 行"
                    @if truncation.stops_early { "，读取到此为止" }
                    "）"
                }
            }
            @if !loose.is_empty() {
                div.loose-findings {
                    h3 { "整张表的审核意见" }
                    @for finding in &loose { (finding_item(viewer, finding, extras.can_review)) }
                }
            }
        }
        @for (place, (unit, project)) in document.projects().enumerate() {
            (project_block(viewer, place, &unit.name.text, project, by_project.get(&place).map(Vec::as_slice).unwrap_or(&[]), extras))
        }
    }
}

fn amounts_table(label: &str, amounts: &jixiao_model::Amounts) -> Markup {
    html! {
        table.amounts {
            caption { (label) "（万元）" }
            tr { @for column in AmountColumn::ALL { th scope="col" { (column.label()) } } }
            tr { @for column in AmountColumn::ALL { td.num { (amount_text(amounts.get(column))) } } }
        }
    }
}

fn amount_text(amount: Option<&Amount>) -> String {
    amount.map(|a| a.raw.to_string()).unwrap_or_default()
}

fn project_block(
    viewer: &Viewer,
    place: usize,
    unit: &str,
    project: &Project,
    findings: &[&FindingView],
    extras: &ProjectExtras,
) -> Markup {
    let mut by_indicator: HashMap<usize, Vec<&FindingView>> = HashMap::new();
    let mut own = Vec::new();
    for finding in findings {
        match finding.indicator {
            Some(i) if i < project.indicators.len() => {
                by_indicator.entry(i).or_default().push(finding)
            }
            _ => own.push(*finding),
        }
    }
    let has_period = project.indicators.iter().any(|i| i.period.is_some());
    // Row spans of the merged 一级 and 二级 cells: a run of equal names is one cell.
    let level1: Vec<String> = project
        .indicators
        .iter()
        .map(|i| {
            i.level1
                .as_ref()
                .map(|c| c.name.to_string())
                .unwrap_or_default()
        })
        .collect();
    let level2: Vec<String> = project
        .indicators
        .iter()
        .map(|i| {
            i.level2
                .as_ref()
                .map(|c| c.name.to_string())
                .unwrap_or_default()
        })
        .collect();
    let span1 = runs(&level1, None);
    let span2 = runs(&level2, Some(&level1));
    let project_id = extras.ids.get(place).copied();
    html! {
        section.project id=(format!("p-{place}")) {
            h3 {
                (project.name.text)
                @if let Some(id) = project_id { " " a.small href=(format!("/projects/{id}")) { "各年度" } }
            }
            dl.meta {
                dt { "单位" } dd { (unit) }
                @if let Some(details) = &project.details {
                    @if let Some(d) = &details.department { dt { "主管部门" } dd { (d.text) } }
                    @if let Some(d) = &details.implementer { dt { "实施单位" } dd { (d.text) } }
                    @if let Some(d) = &details.period { dt { "实施期" } dd { (d.text) } }
                }
                @if let Some(grade) = extras.suggested.get(place) { dt { "建议等级" } dd.grade { (grade) } }
                @if let Some((grade, reason, by)) = extras.graded.get(&place) {
                    dt { "审核等级" } dd.grade { (grade) " （" (by) @if let Some(r) = reason { "：" (r) } "）" }
                }
            }
            @if !project.amounts.is_empty() { (amounts_table("项目资金", &project.amounts)) }
            @if let Some(details) = &project.details {
                @if let Some(goal) = &details.long_term_goal { p.goal { strong { "实施期目标：" } (goal.text) } }
            }
            @if let Some(goal) = &project.goal { p.goal { strong { "绩效目标：" } (goal.text) } }
            @if !own.is_empty() {
                div.project-findings {
                    @for finding in &own { (finding_item(viewer, finding, extras.can_review)) }
                }
            }
            @if let (Some(id), true) = (project_id, extras.can_review) {
                (grade_form(viewer, id, extras.suggested.get(place).map(String::as_str)))
            }
            @if project.indicators.is_empty() {
                p.note { "未读出指标。" }
            } @else {
                table.grid {
                    thead { tr {
                        th scope="col" { "一级指标" } th scope="col" { "二级指标" } th scope="col" { "三级指标" }
                        th scope="col" { "指标值" }
                        @if has_period { th scope="col" { "实施周期指标值" } }
                        th.gutter scope="col" { "审核意见" }
                    } }
                    tbody {
                        @for (i, indicator) in project.indicators.iter().enumerate() {
                            @let marked = by_indicator.contains_key(&i);
                            @let cell = format!("c-{place}-{i}");
                            tr id=(format!("r-{place}-{i}")) {
                                @if span1[i] > 0 { td.l1 rowspan=(span1[i]) { (level1[i]) } }
                                @if span2[i] > 0 {
                                    td.l2 rowspan=(span2[i]) {
                                        (level2[i])
                                        @if let Some(inference) = indicator.level2.as_ref().and_then(|c| c.inferred.as_ref()) {
                                            span.inferred title=(inference.reason) { "（推断）" }
                                        }
                                    }
                                }
                                td.name.marked[marked] id=(cell) { (indicator.name.text) }
                                td.value.marked[marked] {
                                    (indicator.annual.as_ref().map(|v| v.raw.to_string()).unwrap_or_default())
                                }
                                @if has_period {
                                    td.value { (indicator.period.as_ref().map(|v| v.raw.to_string()).unwrap_or_default()) }
                                }
                                td.gutter {
                                    @if let Some(list) = by_indicator.get(&i) {
                                        @for finding in list { (finding_item(viewer, finding, extras.can_review)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// For each row, the row span of the merged cell that starts there (0 when the row is inside
/// one). A run continues while the name stays the same (and, for 二级, the 一级 too).
fn runs(names: &[String], parents: Option<&[String]>) -> Vec<usize> {
    let mut spans = vec![0; names.len()];
    let mut start = 0;
    for i in 1..=names.len() {
        let same =
            i < names.len() && names[i] == names[start] && parents.is_none_or(|p| p[i] == p[start]);
        if !same {
            spans[start] = i - start;
            start = i;
        }
    }
    spans
}

/// One finding: severity word and colour, code and message; opening it shows the rule's
/// explanation, basis and the suggestion, and (for reviewers) the decision form.
pub fn finding_item(viewer: &Viewer, finding: &FindingView, can_review: bool) -> Markup {
    let doc = rule_doc(&finding.code).unwrap_or_default();
    let cell = match (finding.project, finding.indicator) {
        (Some(p), Some(i)) => Some(format!("c-{p}-{i}")),
        (Some(p), None) => Some(format!("p-{p}")),
        _ => None,
    };
    let state = finding.review.as_ref().map(|r| r.state);
    let dismissed = state == Some(ReviewState::Dismissed);
    html! {
        details.finding.dismissed[dismissed] id=(finding.key) data-cell=[cell] {
            summary {
                (severity_badge(finding.severity)) " "
                code { (finding.code) } " " (finding.message)
                @if let Some(review) = &finding.review {
                    @if review.state != ReviewState::Open {
                        " " span.state { "（" @if review.carried { "沿用：" } (review.state.label()) "）" }
                    }
                }
            }
            div.explain {
                @if !doc.title.is_empty() { p { strong { "规则：" } (doc.title) } }
                @if !doc.regulation.is_empty() { p { strong { "依据：" } (doc.regulation) } }
                p { strong { "建议：" } (finding.help) }
                @if !doc.what.is_empty() || !doc.why.is_empty() {
                    details.rule-text {
                        summary { "规则说明（规则文档原文，英文）" }
                        @if !doc.what.is_empty() { p { strong { "作用：" } (doc.what) } }
                        @if !doc.why.is_empty() { p { strong { "为何是问题：" } (doc.why) } }
                    }
                }
                @if let Some(review) = &finding.review {
                    @if review.state != ReviewState::Open {
                        p.review-note {
                            @if review.carried { "沿用上一版本的决定：" }
                            (review.state.label())
                            @if let Some(by) = &review.by { "，" (by) }
                            @if let Some(at) = &review.at { "，" (date_time(at)) }
                            @if let Some(comment) = &review.comment { "：" (comment) }
                        }
                    }
                }
                @if let (Some(id), true) = (finding.stored_id, can_review) {
                    form.review method="post" action=(format!("/findings/{id}/review")) {
                        (csrf_field(viewer))
                        label { "意见说明" textarea name="comment" rows="2" placeholder="驳回时必须说明理由" {} }
                        button type="submit" name="decision" value="accepted" { "确认" }
                        button type="submit" name="decision" value="dismissed" { "驳回" }
                        @if state.is_some_and(|s| s != ReviewState::Open) {
                            button type="submit" name="decision" value="open" { "撤销决定" }
                        }
                    }
                }
            }
        }
    }
}

fn grade_form(viewer: &Viewer, project_id: i64, suggested: Option<&str>) -> Markup {
    html! {
        form.grade method="post" action=(format!("/projects/{project_id}/grade")) {
            (csrf_field(viewer))
            label {
                "审核等级"
                select name="grade" {
                    @for grade in ["优", "良", "中", "差"] {
                        option value=(grade) selected[suggested == Some(grade)] { (grade) }
                    }
                }
            }
            label { "理由（与建议等级不同时必填）" input type="text" name="reason"; }
            button type="submit" { "保存等级" }
        }
    }
}

/// Highlights each word of `query` in `text` with `<mark>`, escaping the rest.
pub fn highlight(text: &str, query: &str) -> Markup {
    let words: Vec<&str> = query.split_whitespace().filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = words
            .iter()
            .filter_map(|w| rest.find(w).map(|at| (at, *w)))
            .min_by_key(|(at, w)| (*at, std::cmp::Reverse(w.len())));
        match next {
            Some((at, word)) => {
                out.push_str(&escape(&rest[..at]));
                out.push_str("<mark>");
                out.push_str(&escape(word));
                out.push_str("</mark>");
                rest = &rest[at + word.len()..];
            }
            None => {
                out.push_str(&escape(rest));
                break;
            }
        }
    }
    PreEscaped(out)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_equal_neighbours_within_their_parent() {
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let l1 = names(&["产出", "产出", "产出", "效益"]);
        let l2 = names(&["数量", "数量", "质量", "质量"]);
        assert_eq!(runs(&l1, None), vec![3, 0, 0, 1]);
        assert_eq!(runs(&l2, Some(&l1)), vec![2, 0, 1, 1]);
    }

    #[test]
    fn highlight_escapes_and_marks() {
        let marked = highlight("<b>满意度</b>调查", "满意度").into_string();
        assert_eq!(marked, "&lt;b&gt;<mark>满意度</mark>&lt;/b&gt;调查");
    }

    #[test]
    fn rule_doc_has_sections() {
        let doc = rule_doc("A001").expect("A001 is documented");
        assert!(doc.title.starts_with("A001"));
        assert!(!doc.what.is_empty() && !doc.regulation.is_empty());
    }
}
