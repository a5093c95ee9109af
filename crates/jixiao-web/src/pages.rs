//! Browsing the corpus: publishers, a document as read with its findings, a project across
//! years, search, the dashboard, the review queue, the audit log and the users page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use jixiao_model::Document;
use jixiao_rules::Severity;
use jixiao_store::{DocumentStatus, Filter, NewAudit, Role};
use maud::{Markup, PreEscaped, html};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::auth::{Viewer, csrf_field, require_reader};
use crate::error::{Form, Id, PageError, Query};
use crate::find::{self, Filters};
use crate::view::{
    FindingView, ProjectExtras, ReviewView, date_time, document_body, highlight, money, page,
    severity_badge, severity_of,
};
use crate::{AppState, now};
use jixiao_search::HitKind;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/publishers", get(publishers))
        .route("/publishers/{name}", get(publisher))
        .route("/documents/{id}", get(document))
        .route("/projects/{id}", get(project))
        .route("/search", get(search))
        .route("/dashboard", get(dashboard))
        .route("/review", get(review_queue))
        .route("/audit", get(audit))
        .route("/audit.csv", get(audit_csv))
        .route("/audit.xlsx", get(audit_xlsx))
        .route("/admin/users", get(users).post(add_user))
}

fn reader(viewer: &Viewer) -> Result<(), Response> {
    require_reader(viewer)
}

fn publisher_link(name: Option<&str>) -> Markup {
    match name {
        Some(name) => html! { a href=(format!("/publishers/{}", url_encode(name))) { (name) } },
        None => html! { "（未知）" },
    }
}

/// Percent-encodes a path segment or query value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn year_text(year: Option<i64>) -> String {
    year.map(|y| format!("{y}年"))
        .unwrap_or_else(|| "年度未知".to_owned())
}

async fn publishers(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, PageError> {
    if let Err(r) = reader(&viewer) {
        return Ok(r);
    }
    let rows = overview(&state).await?;
    Ok(page(
        &viewer,
        "发布单位",
        html! {
            h1 { "发布单位" }
            @if rows.is_empty() { p.note { "语料库中还没有表。" } }
            table.list {
                thead { tr { th { "发布单位" } th { "年度" } th { "表" } th { "单位" } th { "项目" } th { "指标" } th { "审核意见" } th { "金额（万元）" } } }
                tbody {
                    @for row in rows.iter() {
                        tr {
                            td { (publisher_link(row.publisher.as_deref())) }
                            td { (year_text(row.year)) }
                            td.num { (row.documents) } td.num { (row.units) } td.num { (row.projects) }
                            td.num { (row.indicators) } td.num { (row.findings) } td.num { (row.total_wan.map_or_else(|| "未列金额".to_owned(), money)) }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

async fn publisher(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(name): Path<String>,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    if let Err(r) = reader(&viewer) {
        return Ok(r);
    }
    let filters = filters.with("publisher", None);
    let version = state.store().corpus_version().await?;
    let data = state
        .aggregates()
        .get_or_compute(format!("publisher|{name}"), version, || {
            publisher_data(&state, &name)
        })
        .await?;
    if data.documents.is_empty() {
        return Err(PageError::not_found("发布单位"));
    }
    let year = filters.year()?;
    let documents: Vec<_> = data
        .documents
        .iter()
        .filter(|d| year.is_none_or(|y| d.year == Some(i64::from(y))))
        .cloned()
        .collect();
    let documents = filters.keep_documents(&state, documents).await?;
    let path = format!("/publishers/{}", url_encode(&name));
    let (statuses, counts) = (&data.statuses, &data.counts);
    let mut by_year: BTreeMap<std::cmp::Reverse<Option<i64>>, Vec<_>> = BTreeMap::new();
    for document in &documents {
        by_year
            .entry(std::cmp::Reverse(document.year))
            .or_default()
            .push(document);
    }
    Ok(page(
        &viewer,
        &name,
        html! {
            h1 { (name) }
            (find::active_filters(&path, &filters))
            div.with-side {
            (find::filter_form(&path, &filters, false, true))
            div.results {
            @if documents.is_empty() { p.note { "没有符合筛选条件的表。" } }
            @for (year, list) in &by_year {
                h2 { (year_text(year.0)) }
                table.list {
                    thead { tr { th { "表" } th { "版式" } th { "版本" } th { "导入时间" } th { "错误" } th { "警告" } th { "提示" } th { "审核状态" } } }
                    tbody {
                        @for d in list {
                            tr class=[(!d.is_latest).then_some("old")] {
                                td { a href=(format!("/documents/{}", d.id)) { (d.source_file) } }
                                td { (layout_label(&d.layout)) }
                                td { "第 " (d.version) " 版" @if !d.is_latest { "（旧）" } }
                                td { (date_time(&d.imported_at)) }
                                @let count = counts.get(&d.id).copied().unwrap_or_default();
                                td.num { (count[0]) } td.num { (count[1]) } td.num { (count[2]) }
                                td { (statuses.get(&d.id).copied().unwrap_or(DocumentStatus::Pending).label()) }
                            }
                        }
                    }
                }
            }
            @let scored: Vec<_> = data
                .scores
                .iter()
                .filter(|p| year.is_none_or(|y| p.year == Some(i64::from(y))))
                .collect();
            @if !scored.is_empty() {
                h2 id="scores" { "绩效自评得分核对" }
                p.note { "导入时按计分政策重算的总分和等级，与表中公布的并列（最新版本）。公布等级高于重算等级的项目标为“偏高”。" }
                table.list.scores {
                    thead { tr { th { "年度" } th { "项目" } th { "公布总分" } th { "公布等级" } th { "重算总分" } th { "重算等级" } th { "差异" } th { "计分政策" } th { "核对" } } }
                    tbody {
                        @for p in &scored {
                            tr {
                                td { (year_text(p.year)) }
                                td { a href=(format!("/documents/{}", p.document_id)) { (p.project) } }
                                td.num { (p.published_total.map(|t| t.normalize().to_string()).unwrap_or_default()) }
                                td { (p.published_grade.as_deref().unwrap_or_default()) }
                                td.num { (p.recomputed_total.normalize()) }
                                td { (p.recomputed_grade.map_or("", |g| g.label())) }
                                td.num { (p.difference.map(|d| d.normalize().to_string()).unwrap_or_default()) }
                                td { (p.policy) }
                                td { @if p.published_higher() { strong { "偏高" } } }
                            }
                        }
                    }
                }
            }
            }
            }
        },
    )
    .into_response())
}

/// A publisher's tables (every version), their review status and findings by severity.
struct PublisherData {
    documents: Vec<jixiao_store::DocumentInfo>,
    statuses: HashMap<i64, DocumentStatus>,
    counts: HashMap<i64, [i64; 3]>,
    /// The scored self-evaluation projects of the latest versions.
    scores: Vec<jixiao_store::ScoredProject>,
}

async fn publisher_data(state: &AppState, name: &str) -> Result<PublisherData, PageError> {
    let filter = Filter {
        publisher: Some(name.to_owned()),
        year: None,
    };
    // The filter matches publishers containing the name; the page is for this one.
    let documents = state
        .store()
        .documents(&filter, true)
        .await?
        .into_iter()
        .filter(|d| d.publisher.as_deref() == Some(name))
        .collect();
    let statuses = state
        .store()
        .review()
        .document_statuses(&filter)
        .await?
        .into_iter()
        .map(|s| (s.document_id, s.status))
        .collect();
    let mut counts: HashMap<i64, [i64; 3]> = HashMap::new();
    for count in state.store().document_finding_counts(&filter, true).await? {
        let entry = counts.entry(count.document_id).or_default();
        match severity_of(&count.severity) {
            Severity::Error => entry[0] += count.count,
            Severity::Warning => entry[1] += count.count,
            Severity::Info => entry[2] += count.count,
        }
    }
    let scores = state
        .store()
        .scored_projects(&filter)
        .await?
        .into_iter()
        .filter(|p| p.publisher.as_deref() == Some(name))
        .collect();
    Ok(PublisherData {
        documents,
        statuses,
        counts,
        scores,
    })
}

fn layout_label(name: &str) -> String {
    jixiao_model::Layout::from_name(name).map_or_else(|| name.to_owned(), |l| l.label().to_owned())
}

/// Everything the document page shows.
pub struct DocumentPage {
    pub info: Option<jixiao_store::DocumentInfo>,
    pub versions: Vec<jixiao_store::DocumentInfo>,
    pub model: Document,
    pub findings: Vec<FindingView>,
    pub extras: ProjectExtras,
    pub status: DocumentStatus,
}

/// Loads a stored document with its findings (placed on their cells), grades and versions.
pub async fn load_document_page(
    state: &AppState,
    id: i64,
    viewer: &Viewer,
) -> Result<DocumentPage, PageError> {
    let store = state.store();
    let model = store.load_document(id).await?;
    let rows = store.findings(id).await?;
    let rows_by_key: HashMap<i64, FindingKey> =
        rows.iter().map(|r| (r.id, FindingKey::of(r))).collect();
    let places: HashMap<i64, jixiao_store::FindingPlace> = store
        .review()
        .finding_places(id)
        .await?
        .into_iter()
        .map(|p| (p.finding_id, p))
        .collect();
    let findings: Vec<FindingView> = rows
        .into_iter()
        .map(|row| {
            let place = places.get(&row.id);
            FindingView {
                key: format!("f-{}", row.id),
                stored_id: Some(row.id),
                severity: severity_of(&row.severity),
                code: row.code,
                message: row.message,
                help: row.help,
                project: place
                    .and_then(|p| p.project_ordinal)
                    .and_then(|p| usize::try_from(p).ok()),
                indicator: place
                    .and_then(|p| p.indicator_ordinal)
                    .and_then(|i| usize::try_from(i).ok()),
                review: Some(ReviewView {
                    state: row.review_state,
                    carried: false,
                    by: row.reviewed_by,
                    at: row.reviewed_at,
                    comment: row.review_comment,
                }),
            }
        })
        .collect();
    let projects = store.review().document_projects(id).await?;
    let grades = store.review().project_grades(id).await?;
    let settings = &state.config().settings.grades;
    let mut suggested =
        vec![jixiao_rules::grade::Grade::Excellent.label().to_owned(); projects.len()];
    for (place, slot) in suggested.iter_mut().enumerate() {
        let grade = settings.grade_of(
            findings
                .iter()
                .filter(|f| f.project == Some(place))
                .map(|f| (f.code.as_str(), f.severity)),
        );
        *slot = grade.label().to_owned();
    }
    let place_of: HashMap<i64, usize> = projects
        .iter()
        .map(|p| (p.id, usize::try_from(p.ordinal).unwrap_or(usize::MAX)))
        .collect();
    let graded = grades
        .into_iter()
        .filter_map(|g| {
            Some((
                *place_of.get(&g.project_id)?,
                (g.grade, g.reason, g.graded_by),
            ))
        })
        .collect();
    let versions = store.review().document_versions(id).await?;
    let info = versions.iter().find(|d| d.id == id).cloned();
    let mut findings = findings;
    // WEB.md: the same finding on a new version carries its decision forward, marked 沿用.
    let previous = info
        .as_ref()
        .and_then(|i| versions.iter().find(|v| v.version == i.version - 1));
    if let Some(previous) = previous {
        carry_forward(
            &mut findings,
            &rows_by_key,
            &store.findings(previous.id).await?,
        );
    }
    let status = store
        .review()
        .document_status(id)
        .await?
        .map_or(DocumentStatus::Pending, |s| s.status);
    Ok(DocumentPage {
        info,
        versions,
        model,
        findings,
        extras: ProjectExtras {
            ids: projects.iter().map(|p| p.id).collect(),
            suggested,
            graded,
            can_review: viewer.can(Role::Reviewer) && !viewer.by_token,
        },
        status,
    })
}

/// What makes two versions' findings the same finding: rule, project, indicator and message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FindingKey(String, Option<String>, Option<i64>, String);

impl FindingKey {
    fn of(row: &jixiao_store::FindingRow) -> Self {
        Self(
            row.code.clone(),
            row.project.clone(),
            row.indicator_seq,
            row.message.clone(),
        )
    }
}

/// Shows the previous version's decision on each finding still open in this version.
fn carry_forward(
    findings: &mut [FindingView],
    keys: &HashMap<i64, FindingKey>,
    previous: &[jixiao_store::FindingRow],
) {
    let decided: HashMap<FindingKey, &jixiao_store::FindingRow> = previous
        .iter()
        .filter(|r| r.review_state != jixiao_store::ReviewState::Open)
        .map(|r| (FindingKey::of(r), r))
        .collect();
    for finding in findings {
        let (Some(id), Some(review)) = (finding.stored_id, finding.review.as_mut()) else {
            continue;
        };
        if review.state != jixiao_store::ReviewState::Open {
            continue;
        }
        if let Some(old) = keys.get(&id).and_then(|k| decided.get(k)) {
            *review = ReviewView {
                state: old.review_state,
                carried: true,
                by: old.reviewed_by.clone(),
                at: old.reviewed_at.clone(),
                comment: old.review_comment.clone(),
            };
        }
    }
}

/// The moves a document's status may make (WEB.md's workflow).
pub fn next_statuses(status: DocumentStatus) -> &'static [(DocumentStatus, &'static str)] {
    match status {
        DocumentStatus::Pending => &[(DocumentStatus::InReview, "开始审核")],
        DocumentStatus::InReview => &[
            (DocumentStatus::Reviewed, "提交（已审）"),
            (DocumentStatus::Returned, "退回修改"),
        ],
        DocumentStatus::Reviewed => &[(DocumentStatus::InReview, "重新审核")],
        DocumentStatus::Returned => &[(DocumentStatus::InReview, "重新审核")],
    }
}

async fn document(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Err(r) = reader(&viewer) {
        return Ok(r);
    }
    let doc = load_document_page(&state, id, &viewer).await?;
    let title = doc
        .info
        .as_ref()
        .map_or_else(|| format!("文档 {id}"), |i| i.source_file.clone());
    let problems: Vec<&FindingView> = doc
        .findings
        .iter()
        .filter(|f| f.code.starts_with('S') || f.code == "V001")
        .collect();
    let count = |s: Severity| doc.findings.iter().filter(|f| f.severity == s).count();
    Ok(page(
        &viewer,
        &title,
        html! {
            h1 { (title) }
            @if let Some(info) = &doc.info {
                p.summary {
                    (publisher_link(info.publisher.as_deref())) " · " (year_text(info.year))
                    " · 第 " (info.version) " 版" @if !info.is_latest { "（已有新版本）" }
                    " · 导入于 " (date_time(&info.imported_at))
                }
            }
            div.status {
                "审核状态：" strong { (doc.status.label()) }
                @if doc.extras.can_review {
                    " " a href=(format!("/documents/{id}/opinion")) { "审核意见（可打印）" }
                    @for (next, label) in next_statuses(doc.status) {
                        form.inline method="post" action=(format!("/documents/{id}/status")) {
                            (csrf_field(&viewer))
                            input type="hidden" name="status" value=(next.name());
                            @if *next == DocumentStatus::Returned {
                                input type="text" name="reason" placeholder="退回理由（必填）" aria-label="退回理由";
                            }
                            button type="submit" { (label) }
                        }
                    }
                }
            }
            p.summary {
                "审核意见："
                span.sev.sev-error { "错误" } " " (count(Severity::Error)) "，"
                span.sev.sev-warning { "警告" } " " (count(Severity::Warning)) "，"
                span.sev.sev-info { "提示" } " " (count(Severity::Info))
                " · 按 j / k 在审核意见间移动"
            }
            nav.tabs aria-label="分页" {
                a href="#table" { "表格与审核意见" }
                a href="#problems" { "读取问题（" (problems.len()) "）" }
                a href="#versions" { "版本（" (doc.versions.len()) "）" }
            }
            section id="table" { (document_body(&viewer, &doc.model, &doc.findings, &doc.extras)) }
            section id="problems" {
                h2 { "读取问题" }
                @if problems.is_empty() { p.note { "没有读取问题。" } }
                ul.problems {
                    @for f in &problems { li { (severity_badge(f.severity)) " " code { (f.code) } " " (f.message) } }
                }
            }
            section id="versions" {
                h2 { "版本" }
                table.list {
                    thead { tr { th { "版本" } th { "文件" } th { "导入时间" } } }
                    tbody {
                        @for v in &doc.versions {
                            tr {
                                td { @if v.id == id { strong { "第 " (v.version) " 版（本页）" } } @else { a href=(format!("/documents/{}", v.id)) { "第 " (v.version) " 版" } } }
                                td { (v.source_file) }
                                td { (date_time(&v.imported_at)) }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

async fn project(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Err(r) = reader(&viewer) {
        return Ok(r);
    }
    let store = state.store();
    let Some(project) = store.review().project(id).await? else {
        return Err(PageError::not_found("项目"));
    };
    let model = store.load_document(project.document_id).await?;
    let publisher = store
        .review()
        .document_versions(project.document_id)
        .await?
        .into_iter()
        .find(|d| d.id == project.document_id)
        .and_then(|d| d.publisher);
    let filter = Filter {
        publisher: publisher.clone(),
        year: None,
    };
    // The same project in each year's latest table of this publisher.
    let mut years: Vec<(Option<i64>, i64, Document)> = Vec::new();
    for info in store.documents(&filter, false).await? {
        if info.publisher != publisher {
            continue;
        }
        let document = if info.id == project.document_id {
            model.clone()
        } else {
            store.load_document(info.id).await?
        };
        if document
            .projects()
            .any(|(_, p)| *p.name.text == *project.name)
        {
            years.push((info.year, info.id, document));
        }
    }
    years.sort_by_key(|(year, ..)| *year);
    let mut names: Vec<String> = Vec::new();
    let mut values: HashMap<(String, usize), String> = HashMap::new();
    for (column, (_, _, document)) in years.iter().enumerate() {
        for (_, p) in document
            .projects()
            .filter(|(_, p)| *p.name.text == *project.name)
        {
            for indicator in &p.indicators {
                let name = indicator.name.text.to_string();
                if !names.contains(&name) {
                    names.push(name.clone());
                }
                values.insert(
                    (name, column),
                    indicator
                        .annual
                        .as_ref()
                        .map(|v| v.raw.to_string())
                        .unwrap_or_default(),
                );
            }
        }
    }
    let amounts = |document: &Document| -> Option<Decimal> {
        document
            .projects()
            .find(|(_, p)| *p.name.text == *project.name)
            .and_then(|(_, p)| p.amounts.total.as_ref().map(|a| a.value))
    };
    Ok(page(
        &viewer,
        &project.name,
        html! {
            h1 { (project.name) }
            p.summary { (publisher_link(publisher.as_deref())) " · " (project.unit) " · "
                a href=(format!("/documents/{}#p-{}", project.document_id, project.ordinal)) { "所在的表" } }
            h2 { "各年度指标对照" }
            table.list.compare {
                thead {
                    tr {
                        th { "三级指标" }
                        @for (year, doc_id, _) in &years { th { a href=(format!("/documents/{doc_id}")) { (year_text(*year)) } } }
                    }
                    tr.amount-row {
                        th { "项目资金（万元）" }
                        @for (_, _, document) in &years { td.num { (amounts(document).map(money).unwrap_or_default()) } }
                    }
                }
                tbody {
                    @for name in &names {
                        tr {
                            th scope="row" { (name) }
                            @for column in 0..years.len() {
                                td { (values.get(&(name.clone(), column)).cloned().unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

/// Results shown on one search page: each is highlighted, so the page's cost grows with it.
const SEARCH_PAGE: usize = 100;
/// Pages of results one can turn to; a narrower search or a filter finds the rest.
const SEARCH_PAGES: usize = 10;

fn hit_kind_label(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Indicator => "指标",
        HitKind::Goal => "绩效目标",
        HitKind::Project => "项目",
    }
}

async fn search(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    if let Err(r) = reader(&viewer) {
        return Ok(r);
    }
    let page_number = filters.page(SEARCH_PAGES)?;
    let found = find::search(&state, &filters, page_number * SEARCH_PAGE).await?;
    let first = (page_number - 1) * SEARCH_PAGE;
    let shown = &found.hits[first.min(found.hits.len())..];
    let reachable = found.total.min(SEARCH_PAGE * SEARCH_PAGES);
    let page_link = |n: usize| format!("/search{}&page={n}", filters.query_string());
    let text = filters.q.trim();
    let words = found.words.join(" ");
    let narrow = |key: &str, value: &str| {
        format!("/search{}", filters.with(key, Some(value)).query_string())
    };
    Ok(page(
        &viewer,
        "搜索",
        html! {
            h1 { "搜索指标、目标和项目" }
            div.with-side {
                (find::filter_form("/search", &filters, true, true))
                div.results {
                    (find::active_filters("/search", &filters))
                    @if !text.is_empty() {
                        p.summary {
                            "找到 " (found.total) " 条"
                            @if found.total > SEARCH_PAGE {
                                "，这是第 " (first + 1) "–" (first + shown.len()) " 条"
                                @if found.total > reachable { "（可翻看前 " (reachable) " 条，其余请加筛选条件或换更具体的词）" }
                            }
                            "。"
                            @if !found.words.is_empty() { " 分词：" @for w in &found.words { code { (w) } " " } }
                        }
                    }
                    table.list {
                        thead { tr { th { "类别" } th { "发布单位" } th { "年度" } th { "项目" } th { "一级指标" } th { "三级指标" } th { "指标值或目标" } } }
                        tbody {
                            @for hit in shown {
                                tr {
                                    td { (hit_kind_label(hit.kind)) }
                                    td { @if let Some(p) = &hit.publisher { a href=(narrow("publisher", p)) { (p) } } }
                                    td { @if let Some(y) = hit.year { a href=(narrow("year", &y.to_string())) { (year_text(Some(y))) } } }
                                    td { a href=(format!("/documents/{}", hit.document_id)) { (highlight(&hit.project, &words)) } }
                                    td { (hit.level1.clone().unwrap_or_default()) }
                                    td { (highlight(&hit.name, &words)) }
                                    td { (highlight(&hit.text, &words)) }
                                }
                            }
                        }
                    }
                    @if page_number > 1 || first + shown.len() < reachable {
                        nav.pager {
                            @if page_number > 1 { a href=(page_link(page_number - 1)) { "上一页" } " " }
                            "第 " (page_number) " 页"
                            @if first + shown.len() < reachable { " " a href=(page_link(page_number + 1)) { "下一页" } }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

/// The data behind the dashboard's charts (and the tables below them).
#[derive(Debug, Default, serde::Serialize)]
pub struct Dashboard {
    pub by_code: Vec<(String, i64)>,
    pub by_publisher: Vec<(String, i64)>,
    pub suggested_grades: Vec<(String, i64)>,
    pub reviewed_grades: Vec<(String, i64)>,
    pub money_by_publisher_year: Vec<(String, String)>,
    /// Year by year over the filtered publishers: (year, money, findings, projects).
    pub years: Vec<(String, String, i64, i64)>,
    pub indicators_by_category: Vec<(String, i64)>,
}

/// Computes the publisher list and the unfiltered dashboard into the cache. A failure here is
/// only logged: the page that needs the figures computes them again and reports it.
pub async fn warm_caches(state: &AppState) {
    let result = async {
        overview(state).await?;
        dashboard_data(state, &Filter::default()).await?;
        Ok::<_, PageError>(())
    }
    .await;
    if let Err(e) = result {
        eprintln!("预先计算统计页失败：{}", e.message);
    }
}

/// Every publisher and year with its counts and money, computed once per corpus version.
async fn overview(state: &AppState) -> Result<Arc<Vec<jixiao_store::OverviewRow>>, PageError> {
    let version = state.store().corpus_version().await?;
    state
        .aggregates()
        .get_or_compute("overview".to_owned(), version, || async {
            state.store().overview(&Filter::default()).await
        })
        .await
        .map_err(PageError::from)
}

/// The dashboard for `filter`, computed once per corpus version (it grades every project).
pub async fn dashboard_data(
    state: &AppState,
    filter: &Filter,
) -> Result<Arc<Dashboard>, PageError> {
    let version = state.store().corpus_version().await?;
    let key = format!("dashboard|{:?}|{:?}", filter.publisher, filter.year);
    state
        .aggregates()
        .get_or_compute(key, version, || compute_dashboard(state, filter))
        .await
}

async fn compute_dashboard(state: &AppState, filter: &Filter) -> Result<Dashboard, PageError> {
    let store = state.store();
    let counts = store.finding_counts(filter).await?;
    let mut by_code: BTreeMap<String, i64> = BTreeMap::new();
    for count in &counts {
        *by_code.entry(count.code.clone()).or_default() += count.total;
    }
    let overview = store.overview(filter).await?;
    let mut by_publisher: BTreeMap<String, i64> = BTreeMap::new();
    let mut projects = 0;
    let mut money = Vec::new();
    let mut years: BTreeMap<Option<i64>, (Decimal, i64, i64)> = BTreeMap::new();
    for row in &overview {
        let year = years.entry(row.year).or_default();
        year.0 += row.total_wan.unwrap_or_default();
        year.1 += row.findings;
        year.2 += row.projects;
        let name = row
            .publisher
            .clone()
            .unwrap_or_else(|| "（未知）".to_owned());
        *by_publisher.entry(name.clone()).or_default() += row.findings;
        projects += row.projects;
        // Tables without amounts (未列金额) have no bar, rather than a bar of 0.
        if let Some(total) = row.total_wan {
            money.push((
                format!("{} {}", name, year_text(row.year)),
                money_text(total),
            ));
        }
    }
    let settings = &state.config().settings.grades;
    let mut per_project: BTreeMap<i64, Vec<(String, Severity)>> = BTreeMap::new();
    for finding in store.review().project_findings(filter).await? {
        per_project
            .entry(finding.project_id)
            .or_default()
            .push((finding.code, severity_of(&finding.severity)));
    }
    let mut suggested: BTreeMap<&str, i64> = ["优", "良", "中", "差"]
        .into_iter()
        .map(|g| (g, 0))
        .collect();
    for findings in per_project.values() {
        let grade = settings.grade_of(findings.iter().map(|(c, s)| (c.as_str(), *s)));
        *suggested.entry(grade.label()).or_default() += 1;
    }
    // Projects without a finding are 优.
    *suggested.entry("优").or_default() += projects - per_project.len() as i64;
    let mut reviewed: BTreeMap<String, i64> = ["优", "良", "中", "差"]
        .into_iter()
        .map(|g| (g.to_owned(), 0))
        .collect();
    for grade in store.review().all_project_grades(filter).await? {
        *reviewed.entry(grade.grade).or_default() += 1;
    }
    let order = |g: &str| {
        ["优", "良", "中", "差"]
            .iter()
            .position(|x| *x == g)
            .unwrap_or(4)
    };
    let mut suggested: Vec<(String, i64)> = suggested
        .into_iter()
        .map(|(g, n)| (g.to_owned(), n))
        .collect();
    suggested.sort_by_key(|(g, _)| order(g));
    let mut reviewed: Vec<(String, i64)> = reviewed.into_iter().collect();
    reviewed.sort_by_key(|(g, _)| order(g));
    let categories = store
        .review()
        .category_counts(filter)
        .await?
        .into_iter()
        .map(|c| {
            let label = match (c.level1, c.level2) {
                (Some(l1), Some(l2)) => format!("{l1} / {l2}"),
                (Some(l1), None) => l1,
                (None, Some(l2)) => l2,
                (None, None) => "（未分类）".to_owned(),
            };
            (label, c.indicators)
        })
        .collect();
    Ok(Dashboard {
        by_code: by_code.into_iter().collect(),
        by_publisher: by_publisher.into_iter().collect(),
        suggested_grades: suggested,
        reviewed_grades: reviewed,
        money_by_publisher_year: money,
        years: years
            .into_iter()
            .map(|(year, (total, findings, projects))| {
                (year_text(year), money_text(total), findings, projects)
            })
            .collect(),
        indicators_by_category: categories,
    })
}

fn money_text(value: Decimal) -> String {
    money(value)
}

fn chart(id: &str, title: &str, kind: &str, unit: &str, rows: &[(String, String)]) -> Markup {
    let data = serde_json::json!({
        "title": title,
        "kind": kind,
        "labels": rows.iter().map(|(l, _)| l).collect::<Vec<_>>(),
        "values": rows.iter().map(|(_, v)| v).collect::<Vec<_>>(),
    });
    html! {
        section.chart-box {
            h2 { (title) }
            div.chart id=(id) role="img" aria-label=(title) {}
            script type="application/json" class="chart-data" data-target=(id) {
                (PreEscaped(data.to_string().replace("</", "<\\/")))
            }
            table.list.chart-table {
                thead { tr { th { "项目" } th { (unit) } } }
                tbody { @for (label, value) in rows { tr { td { (label) } td.num { (value) } } } }
            }
        }
    }
}

fn counted(rows: &[(String, i64)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(l, n)| (l.clone(), n.to_string()))
        .collect()
}

async fn dashboard(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<Filters>,
) -> Result<Response, PageError> {
    if let Err(r) = reader(&viewer) {
        return Ok(r);
    }
    let filter = query.store_filter()?;
    let data = dashboard_data(&state, &filter).await?;
    Ok(page(
        &viewer,
        "统计",
        html! {
            h1 { "统计" }
            p.note { "按发布单位筛选即可看到该单位的逐年对比。" }
            form.filters method="get" action="/dashboard" {
                label { "发布单位" input type="text" name="publisher" value=(query.publisher().unwrap_or_default()); }
                label { "年度" input type="text" name="year" value=(query.year.clone().unwrap_or_default()); }
                button type="submit" { "筛选" }
            }
            script src="/assets/vendor/echarts/echarts.min.js" defer {}
            div.charts {
                (chart("chart-codes", "审核意见按编号", "bar", "条数", &counted(&data.by_code)))
                (chart("chart-publishers", "审核意见按发布单位", "bar", "条数", &counted(&data.by_publisher)))
                (chart("chart-grades", "建议等级分布", "bar", "项目数", &counted(&data.suggested_grades)))
                (chart("chart-reviewed", "审核等级分布（审核员评定）", "bar", "项目数", &counted(&data.reviewed_grades)))
                (chart("chart-money", "项目资金按发布单位和年度（万元）", "bar", "万元", &data.money_by_publisher_year))
                (chart("chart-years", "逐年对比：项目资金（万元）", "line", "万元", &data.years.iter().map(|(y, m, _, _)| (y.clone(), m.clone())).collect::<Vec<_>>()))
                (chart("chart-years-findings", "逐年对比：每个项目的审核意见数", "line", "条/项目", &data.years.iter().map(|(y, _, f, p)| (y.clone(), if *p > 0 { format!("{:.1}", *f as f64 / *p as f64) } else { "0".to_owned() })).collect::<Vec<_>>()))
                (chart("chart-categories", "指标数按一级/二级指标", "bar", "指标数", &counted(&data.indicators_by_category)))
            }
        },
    )
    .into_response())
}

async fn review_queue(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<Filters>,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    let filter = query.store_filter()?;
    let store = state.store();
    let statuses: HashMap<i64, DocumentStatus> = store
        .review()
        .document_statuses(&filter)
        .await?
        .into_iter()
        .map(|s| (s.document_id, s.status))
        .collect();
    let mut rows = Vec::new();
    let documents = query
        .keep_documents(&state, store.documents(&filter, false).await?)
        .await?;
    for info in documents {
        let findings = store.findings(info.id).await?;
        let errors = findings.iter().filter(|f| f.severity == "error").count();
        let warnings = findings.iter().filter(|f| f.severity == "warning").count();
        let status = statuses
            .get(&info.id)
            .copied()
            .unwrap_or(DocumentStatus::Pending);
        rows.push((info, errors, warnings, findings.len(), status));
    }
    // Worst first: most errors, then most warnings.
    rows.sort_by_key(|row| std::cmp::Reverse((row.1, row.2)));
    Ok(page(
        &viewer,
        "待审队列",
        html! {
            h1 { "待审队列" }
            (find::filter_form("/review", &query, false, false))
            (find::active_filters("/review", &query))
            table.list {
                thead { tr { th { "表" } th { "发布单位" } th { "年度" } th { "错误" } th { "警告" } th { "审核意见" } th { "状态" } } }
                tbody {
                    @for (info, errors, warnings, total, status) in &rows {
                        tr {
                            td { a href=(format!("/documents/{}", info.id)) { (info.source_file) } }
                            td { @if let Some(p) = &info.publisher { a href=(format!("/review{}", query.with("publisher", Some(p)).query_string())) { (p) } } }
                            td { (year_text(info.year)) }
                            td.num { (errors) } td.num { (warnings) } td.num { (total) }
                            td { (status.label()) }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

/// Audit rows shown and exported.
const AUDIT_LIMIT: i64 = 10_000;

fn action_label(action: &str) -> &str {
    match action {
        "review_finding" => "审核意见决定",
        "set_grade" => "项目等级",
        "set_status" => "审核状态",
        "create_user" => "创建用户",
        "set_role" => "修改角色",
        "create_token" => "创建接口令牌",
        other => other,
    }
}

fn object_label(kind: &str) -> &str {
    match kind {
        "finding" => "审核意见",
        "project" => "项目",
        "document" => "表",
        "user" => "用户",
        "token" => "令牌",
        other => other,
    }
}

const AUDIT_HEADER: [&str; 8] = [
    "时间", "用户", "对象", "编号", "操作", "之前", "之后", "理由",
];

fn audit_cells(entry: &jixiao_store::AuditEntry) -> Vec<String> {
    vec![
        date_time(&entry.at),
        entry.user.clone(),
        object_label(&entry.object_kind).to_owned(),
        entry.object_id.to_string(),
        action_label(&entry.action).to_owned(),
        entry.before.clone().unwrap_or_default(),
        entry.after.clone().unwrap_or_default(),
        entry.reason.clone().unwrap_or_default(),
    ]
}

async fn audit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    let entries = state.store().review().audit_log(AUDIT_LIMIT).await?;
    Ok(page(
        &viewer,
        "审核日志",
        html! {
            h1 { "审核日志" }
            @if viewer.can(Role::Admin) {
                p.downloads { "导出：" a href="/audit.csv" download { "CSV" } a href="/audit.xlsx" download { "Excel" } }
            }
            table.list.audit {
                thead { tr { @for h in AUDIT_HEADER { th { (h) } } } }
                tbody {
                    @for entry in &entries {
                        tr {
                            @for (n, cell) in audit_cells(entry).into_iter().enumerate() {
                                @if n == 3 && entry.object_kind == "document" {
                                    td { a href=(format!("/documents/{}", entry.object_id)) { (cell) } }
                                } @else {
                                    td { (cell) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

async fn audit_csv(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, PageError> {
    viewer.require(Role::Admin)?;
    let entries = state.store().review().audit_log(AUDIT_LIMIT).await?;
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let failed = |_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "无法生成 CSV 文件。");
    writer.write_record(AUDIT_HEADER).map_err(failed)?;
    for entry in &entries {
        writer.write_record(audit_cells(entry)).map_err(failed)?;
    }
    let body = writer
        .into_inner()
        .map_err(|_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "无法生成 CSV 文件。"))?;
    Ok(crate::check::attachment(
        "text/csv; charset=utf-8",
        "audit.csv",
        body,
    ))
}

async fn audit_xlsx(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, PageError> {
    viewer.require(Role::Admin)?;
    let entries = state.store().review().audit_log(AUDIT_LIMIT).await?;
    let rows: Vec<Vec<String>> = entries.iter().map(audit_cells).collect();
    let body = jixiao_export::table_xlsx(&[jixiao_export::Sheet {
        name: "审核日志",
        header: &AUDIT_HEADER,
        rows: &rows,
    }])
    .map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(crate::check::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "audit.xlsx",
        body,
    ))
}

async fn users(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, PageError> {
    viewer.require(Role::Admin)?;
    let users = state.store().review().users().await?;
    Ok(users_page(&viewer, &users, None).into_response())
}

fn users_page(viewer: &Viewer, users: &[jixiao_store::User], message: Option<&str>) -> Markup {
    page(
        viewer,
        "用户管理",
        html! {
            h1 { "用户管理" }
            @if let Some(message) = message { p.error role="alert" { (message) } }
            table.list {
                thead { tr { th { "用户名" } th { "角色" } th { "创建时间" } } }
                tbody { @for user in users { tr { td { (user.name) } td { (user.role.label()) } td { (date_time(&user.created_at)) } } } }
            }
            h2 { "添加或修改用户" }
            form.login method="post" action="/admin/users" {
                (csrf_field(viewer))
                label { "用户名" input type="text" name="name" required; }
                label { "角色" select name="role" { @for role in Role::ALL { option value=(role.name()) { (role.label()) } } } }
                label { "密码（新用户必填，至少 8 位）" input type="password" name="password" autocomplete="new-password"; }
                button type="submit" { "保存" }
            }
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct UserForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// Adds a user, or changes an existing user's role.
async fn add_user(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<UserForm>,
) -> Result<Response, PageError> {
    let admin = viewer.require(Role::Admin)?;
    viewer.check_csrf(form.csrf.as_deref())?;
    let name = form.name.trim();
    let Some(role) = Role::from_name(&form.role) else {
        return Err(PageError::bad_request("请选择角色：管理员、审核员或访客。"));
    };
    if name.is_empty() {
        return Err(PageError::bad_request("请填写用户名。"));
    }
    let store = state.store().review();
    let at = now();
    match store.user_by_name(name).await? {
        Some(user) => {
            store
                .set_user_role(
                    user.id,
                    role,
                    &NewAudit {
                        at: &at,
                        user: &admin.name,
                        object_kind: "user",
                        object_id: user.id,
                        action: "set_role",
                        before: Some(user.role.label().to_owned()),
                        after: Some(role.label().to_owned()),
                        reason: None,
                    },
                )
                .await?;
        }
        None => {
            if form.password.chars().count() < 8 {
                let users = store.users().await?;
                return Ok((
                    StatusCode::BAD_REQUEST,
                    users_page(&viewer, &users, Some("新用户的密码至少 8 位。")),
                )
                    .into_response());
            }
            let password = form.password.clone();
            let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
                .await
                .map_err(|_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "无法保存密码。"))?
                .map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
            store
                .create_user(name, role, &hash, &at, &admin.name)
                .await?;
        }
    }
    Ok(Redirect::to("/admin/users").into_response())
}
