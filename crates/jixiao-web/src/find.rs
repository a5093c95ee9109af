//! Search and the filters of the browse pages: publisher, year, layout, finding code, severity
//! and grade, as GET parameters that every link keeps.
//!
//! Search goes to the corpus's tantivy index (jieba word segmentation) when the server has one,
//! and to the store's substring search otherwise; both give the same [`Found`], so the results
//! page does not know which answered.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use jixiao_rules::Severity;
use jixiao_search::{Found, Hit, HitKind, SearchFilter};
use jixiao_store::{DocumentInfo, Filter};
use maud::{Markup, html};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::view::severity_of;

/// The grades a reviewer gives, best first.
pub const GRADES: [&str; 4] = ["优", "良", "中", "差"];

/// The filters of a browse or search page, as they come in the query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub q: String,
    pub publisher: Option<String>,
    pub year: Option<String>,
    pub layout: Option<String>,
    pub code: Option<String>,
    pub severity: Option<String>,
    pub grade: Option<String>,
    /// The page of search results, from 1; not kept in filter links (a new filter starts over).
    pub page: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Filters {
    pub fn publisher(&self) -> Option<&str> {
        given(&self.publisher)
    }

    pub fn layout(&self) -> Option<&str> {
        given(&self.layout)
    }

    /// The finding code, upper-cased (`a001` → `A001`).
    pub fn code(&self) -> Option<String> {
        given(&self.code).map(str::to_uppercase)
    }

    pub fn year(&self) -> Result<Option<i32>, PageError> {
        given(&self.year)
            .map(|text| {
                text.trim_end_matches('年')
                    .parse::<i32>()
                    .map_err(|_| PageError::bad_request(format!("年度“{text}”不是有效的年份。")))
            })
            .transpose()
    }

    /// `error`, `warning` or `info`; the Chinese words are accepted too.
    pub fn severity(&self) -> Result<Option<&'static str>, PageError> {
        given(&self.severity)
            .map(|text| match text {
                "error" | "错误" => Ok("error"),
                "warning" | "警告" => Ok("warning"),
                "info" | "提示" => Ok("info"),
                other => Err(PageError::bad_request(format!(
                    "严重程度“{other}”无效，应为 错误、警告 或 提示。"
                ))),
            })
            .transpose()
    }

    pub fn grade(&self) -> Result<Option<&'static str>, PageError> {
        given(&self.grade)
            .map(|text| {
                GRADES.into_iter().find(|g| *g == text).ok_or_else(|| {
                    PageError::bad_request(format!("等级“{text}”无效，应为 优、良、中 或 差。"))
                })
            })
            .transpose()
    }

    /// The page of results asked for (1 when not given), at most `last`.
    pub fn page(&self, last: usize) -> Result<usize, PageError> {
        match given(&self.page) {
            None => Ok(1),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|p| (1..=last).contains(p))
                .ok_or_else(|| {
                    PageError::bad_request(format!(
                        "页码“{text}”无效，应为 1 到 {last} 之间的整数。"
                    ))
                }),
        }
    }

    /// Checks every filter, so a bad one is reported before any work.
    pub fn validate(&self) -> Result<(), PageError> {
        self.year()?;
        self.severity()?;
        self.grade()?;
        Ok(())
    }

    /// The part the store filters on itself.
    pub fn store_filter(&self) -> Result<Filter, PageError> {
        Ok(Filter {
            publisher: self.publisher().map(str::to_owned),
            year: self.year()?,
        })
    }

    fn search_filter(&self) -> Result<SearchFilter, PageError> {
        Ok(SearchFilter {
            publisher: self.publisher().map(str::to_owned),
            year: self.year()?,
            layout: self.layout().map(str::to_owned),
            code: self.code(),
            severity: self.severity()?.map(str::to_owned),
        })
    }

    /// Whether anything beyond publisher and year is asked for.
    fn needs_findings(&self) -> bool {
        given(&self.code).is_some() || given(&self.severity).is_some()
    }

    /// The query string of these filters (empty ones left out), `?`-prefixed unless empty.
    pub fn query_string(&self) -> String {
        let pairs = [
            ("q", Some(self.q.trim())),
            ("publisher", given(&self.publisher)),
            ("year", given(&self.year)),
            ("layout", given(&self.layout)),
            ("code", given(&self.code)),
            ("severity", given(&self.severity)),
            ("grade", given(&self.grade)),
        ];
        let text: Vec<String> = pairs
            .into_iter()
            .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
            .map(|(k, v)| format!("{k}={}", crate::pages::url_encode(v)))
            .collect();
        if text.is_empty() {
            String::new()
        } else {
            format!("?{}", text.join("&"))
        }
    }

    /// These filters with one of them changed (`None` removes it).
    pub fn with(&self, key: &str, value: Option<&str>) -> Self {
        let mut out = self.clone();
        let value = value.map(str::to_owned);
        match key {
            "publisher" => out.publisher = value,
            "year" => out.year = value,
            "layout" => out.layout = value,
            "code" => out.code = value,
            "severity" => out.severity = value,
            "grade" => out.grade = value,
            _ => out.q = value.unwrap_or_default(),
        }
        out
    }

    /// Documents that pass the layout, code, severity and grade filters (publisher and year are
    /// the store's, already applied to `documents`).
    pub async fn keep_documents(
        &self,
        state: &AppState,
        documents: Vec<DocumentInfo>,
    ) -> Result<Vec<DocumentInfo>, PageError> {
        let layout = self.layout();
        let mut documents: Vec<DocumentInfo> = documents
            .into_iter()
            .filter(|d| layout.is_none_or(|l| d.layout == l))
            .collect();
        if self.needs_findings() {
            let code = self.code();
            let severity = self.severity()?;
            // One grouped query, narrowed to the publisher when every document shares one.
            let mut filter = self.store_filter()?;
            if let Some(first) = documents.first().and_then(|d| d.publisher.as_deref())
                && documents
                    .iter()
                    .all(|d| d.publisher.as_deref() == Some(first))
            {
                filter.publisher = Some(first.to_owned());
            }
            let all_versions = documents.iter().any(|d| !d.is_latest);
            let with_finding: BTreeSet<i64> = state
                .store()
                .document_finding_counts(&filter, all_versions)
                .await?
                .into_iter()
                .filter(|f| {
                    code.as_deref().is_none_or(|c| f.code == c)
                        && severity.is_none_or(|s| f.severity == s)
                })
                .map(|f| f.document_id)
                .collect();
            documents.retain(|d| with_finding.contains(&d.id));
        }
        if let Some(grade) = self.grade()? {
            let ids: BTreeSet<i64> = documents.iter().map(|d| d.id).collect();
            let graded = project_grades(state, &self.store_filter()?, &ids).await?;
            let with_grade: BTreeSet<i64> = graded
                .iter()
                .filter(|(_, g)| **g == grade)
                .map(|((document, _, _), _)| *document)
                .collect();
            documents.retain(|d| with_grade.contains(&d.id));
        }
        Ok(documents)
    }
}

/// Each project of `documents`, by (document, unit, name), with its grade: the reviewer's when
/// set, else the one its findings suggest.
pub async fn project_grades(
    state: &AppState,
    filter: &Filter,
    documents: &BTreeSet<i64>,
) -> Result<HashMap<(i64, String, String), &'static str>, PageError> {
    let review = state.store().review();
    let settings = &state.config().settings.grades;
    let mut per_project: HashMap<i64, Vec<(String, Severity)>> = HashMap::new();
    for finding in review.project_findings(filter).await? {
        per_project
            .entry(finding.project_id)
            .or_default()
            .push((finding.code, severity_of(&finding.severity)));
    }
    let mut out = HashMap::new();
    for &document in documents {
        let reviewed: HashMap<i64, String> = review
            .project_grades(document)
            .await?
            .into_iter()
            .map(|g| (g.project_id, g.grade))
            .collect();
        for project in review.document_projects(document).await? {
            let grade = match reviewed.get(&project.id) {
                Some(grade) => GRADES.into_iter().find(|g| g == grade).unwrap_or("差"),
                None => {
                    let findings = per_project.get(&project.id).map(Vec::as_slice);
                    settings
                        .grade_of(
                            findings
                                .unwrap_or_default()
                                .iter()
                                .map(|(c, s)| (c.as_str(), *s)),
                        )
                        .label()
                }
            };
            out.insert((document, project.unit, project.name), grade);
        }
    }
    Ok(out)
}

/// Searches the corpus with every filter applied.
pub async fn search(state: &AppState, filters: &Filters, limit: usize) -> Result<Found, PageError> {
    let text = filters.q.trim();
    filters.validate()?;
    if text.is_empty() {
        return Ok(Found::default());
    }
    let mut found = match state.search_index() {
        Some(index) => {
            // A search is milliseconds of CPU: off the async workers, so that the pages served
            // from cache beside it do not queue behind it.
            let (index, words, filter) =
                (Arc::clone(index), text.to_owned(), filters.search_filter()?);
            tokio::task::spawn_blocking(move || index.search(&words, &filter, limit))
                .await
                .map_err(|e| e.to_string())
                .and_then(|found| found.map_err(|e| e.to_string()))
                .map_err(|e| {
                    PageError::new(
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        format!("搜索出错：{e}"),
                    )
                })?
        }
        None => store_search(state, filters, text, limit).await?,
    };
    if let Some(grade) = filters.grade()? {
        let ids: BTreeSet<i64> = found.hits.iter().map(|h| h.document_id).collect();
        let graded = project_grades(state, &filters.store_filter()?, &ids).await?;
        found.hits.retain(|h| {
            graded.get(&(h.document_id, h.unit.clone(), h.project.clone())) == Some(&grade)
        });
        found.total = found.hits.len();
    }
    Ok(found)
}

/// The store's substring search, for a server without an index.
async fn store_search(
    state: &AppState,
    filters: &Filters,
    text: &str,
    limit: usize,
) -> Result<Found, PageError> {
    let filter = filters.store_filter()?;
    let hits = state
        .store()
        .search(text, &filter, i64::try_from(limit).unwrap_or(i64::MAX))
        .await?;
    let wanted: Option<BTreeSet<i64>> = if filters.layout().is_some() || filters.needs_findings() {
        let documents = state.store().documents(&filter, false).await?;
        let kept = filters.keep_documents(state, documents).await?;
        Some(kept.into_iter().map(|d| d.id).collect())
    } else {
        None
    };
    let layouts: HashMap<i64, String> = state
        .store()
        .documents(&filter, true)
        .await?
        .into_iter()
        .map(|d| (d.id, d.layout))
        .collect();
    let hits: Vec<Hit> = hits
        .into_iter()
        .filter(|h| wanted.as_ref().is_none_or(|w| w.contains(&h.document_id)))
        .map(|h| Hit {
            kind: HitKind::Indicator,
            document_id: h.document_id,
            publisher: h.publisher,
            year: h.year,
            layout: layouts.get(&h.document_id).cloned().unwrap_or_default(),
            unit: h.unit,
            project: h.project,
            seq: Some(h.seq),
            level1: h.level1,
            name: h.name,
            text: h.annual_raw.unwrap_or_default(),
            line: h.line,
            score: 0.0,
        })
        .collect();
    Ok(Found {
        words: text.split_whitespace().map(str::to_owned).collect(),
        total: hits.len(),
        hits,
    })
}

/// The filter fields of a page whose form goes to `action`; `with_query` adds the search box;
/// `side` lays them out in a left column (beside results) instead of a row above them.
pub fn filter_form(action: &str, filters: &Filters, with_query: bool, side: bool) -> Markup {
    let layout = filters.layout().unwrap_or_default();
    let severity = filters.severity().ok().flatten().unwrap_or_default();
    let grade = filters.grade().ok().flatten().unwrap_or_default();
    html! {
        form class=(if side { "side" } else { "filters" }) method="get" action=(action) {
            @if with_query {
                label { "关键词" input type="search" name="q" value=(filters.q.trim()); }
            }
            label { "发布单位" input type="text" name="publisher" value=(filters.publisher().unwrap_or_default()); }
            label { "年度" input type="text" name="year" value=(given(&filters.year).unwrap_or_default()) placeholder="如 2024"; }
            label { "版式"
                select name="layout" {
                    option value="" { "全部" }
                    @for l in jixiao_model::Layout::ALL {
                        option value=(l.name()) selected[layout == l.name()] { (l.label()) }
                    }
                }
            }
            label { "问题编号" input type="text" name="code" value=(filters.code().unwrap_or_default()) placeholder="如 A001"; }
            label { "严重程度"
                select name="severity" {
                    option value="" { "全部" }
                    @for (value, label) in [("error", "错误"), ("warning", "警告"), ("info", "提示")] {
                        option value=(value) selected[severity == value] { (label) }
                    }
                }
            }
            label { "等级"
                select name="grade" {
                    option value="" { "全部" }
                    @for g in GRADES {
                        option value=(g) selected[grade == g] { (g) }
                    }
                }
            }
            button type="submit" { @if with_query { "搜索" } @else { "筛选" } }
        }
    }
}

/// The filters in force, each with a link that removes it and keeps the others.
pub fn active_filters(path: &str, filters: &Filters) -> Markup {
    let severity_label = |s: &str| match s {
        "error" => "错误",
        "warning" => "警告",
        _ => "提示",
    };
    let mut chips: Vec<(&str, String)> = Vec::new();
    if let Some(p) = filters.publisher() {
        chips.push(("publisher", format!("发布单位：{p}")));
    }
    if let Some(y) = given(&filters.year) {
        chips.push(("year", format!("年度：{y}")));
    }
    if let Some(l) = filters.layout() {
        let label = jixiao_model::Layout::from_name(l).map_or(l, |l| l.label());
        chips.push(("layout", format!("版式：{label}")));
    }
    if let Some(c) = filters.code() {
        chips.push(("code", format!("问题编号：{c}")));
    }
    if let Ok(Some(s)) = filters.severity() {
        chips.push(("severity", format!("严重程度：{}", severity_label(s))));
    }
    if let Ok(Some(g)) = filters.grade() {
        chips.push(("grade", format!("等级：{g}")));
    }
    html! {
        @if !chips.is_empty() {
            p.active-filters {
                "筛选条件："
                @for (key, label) in &chips {
                    a.chip href=(format!("{path}{}", filters.with(key, None).query_string())) title="去掉这个条件" { (label) " ×" }
                    " "
                }
            }
        }
    }
}
