//! Check one table (`/`): a file (any format `jixiao parse` reads) or pasted text is read under
//! the configured limits and reviewed, and the result is shown on the same page with downloads
//! (data as CSV and JSON, findings as SARIF, the review as XLSX). A result stays in a small
//! in-memory cache for its downloads and for saving it into the corpus.

use std::collections::VecDeque;
use std::sync::Arc;

use axum::extract::{Multipart, Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use jixiao_model::{Document, Problem};
use jixiao_rules::{Finding, Severity, Summary};
use jixiao_store::{ImportOutcome, Overrides, Role};
use maud::{Markup, html};
use serde::Serialize;

use crate::auth::{Viewer, csrf_field, require_reader};
use crate::error::{Form, PageError};
use crate::view::{FindingView, ProjectExtras, document_body, page};
use crate::{AppState, now};

/// Results kept for downloads and saving; the oldest goes first.
const CACHED_CHECKS: usize = 32;

/// One checked source.
#[derive(Debug)]
pub struct CheckResult {
    pub id: String,
    pub name: String,
    pub bytes: Vec<u8>,
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
    pub findings: Vec<Finding>,
    pub grades: Vec<jixiao_rules::ProjectGrade>,
    pub checked_at: String,
}

#[derive(Debug, Default)]
pub struct CheckCache {
    results: VecDeque<Arc<CheckResult>>,
}

impl CheckCache {
    fn insert(&mut self, result: Arc<CheckResult>) {
        if self.results.len() >= CACHED_CHECKS {
            self.results.pop_front();
        }
        self.results.push_back(result);
    }

    fn get(&self, id: &str) -> Option<Arc<CheckResult>> {
        self.results.iter().find(|r| r.id == id).cloned()
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route(
            "/check",
            post(check_upload).get(|| async { Redirect::to("/") }),
        )
        .route("/checks/{id}", get(show_check))
        .route("/checks/{id}/{file}", get(download))
        .route("/checks/{id}/save", post(save))
}

/// Reads and reviews `bytes` (named `name`) under the server's limits, off the async threads.
pub async fn run_check(
    state: &AppState,
    name: String,
    bytes: Vec<u8>,
) -> Result<Arc<CheckResult>, PageError> {
    let limits = state.config().limits;
    if bytes.len() as u64 > limits.file_size {
        return Err(too_large(limits.file_size));
    }
    let worker = state.clone();
    let result = tokio::task::spawn_blocking(move || {
        let checker = worker.checker();
        let parsed = jixiao_parse::parse_bytes_with_limits(
            &name,
            &bytes,
            &checker.settings().profile,
            None,
            &limits,
        )
        .map_err(|e| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        let findings = checker.check_documents(&parsed.documents, &parsed.problems);
        let grades =
            Summary::default().grade_documents(&parsed.documents, &findings, checker.settings());
        Ok::<_, PageError>(CheckResult {
            id: crate::auth::random_token()[..16].to_owned(),
            name,
            bytes,
            documents: parsed.documents,
            problems: parsed.problems,
            findings,
            grades,
            checked_at: now(),
        })
    })
    .await
    .map_err(|_| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "读取这张表时出错，请检查文件后重试。",
        )
    })??;
    let result = Arc::new(result);
    state
        .0
        .checks
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(result.clone());
    Ok(result)
}

pub fn too_large(limit: u64) -> PageError {
    PageError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "文件过大：上限为 {} MB。请只上传绩效目标表本身，或请管理员调高上限（jixiao.toml 的 [limits] file_size）。",
            limit >> 20
        ),
    )
}

/// The upload form and the paste box.
fn check_form(viewer: &Viewer) -> Markup {
    html! {
        form.check id="check-form" method="post" action="/check" enctype="multipart/form-data" {
            (csrf_field(viewer))
            div.drop id="drop" {
                label for="file" { "选择或拖入表格文件" }
                input id="file" type="file" name="file" accept=".txt,.tsv,.csv,.xlsx,.xls,.html,.htm,.docx,.pdf,.json";
                p.note { "可读取：文本、CSV/TSV、Excel（.xlsx/.xls）、网页（.html）、Word（.docx）、PDF。" }
            }
            label for="text" { "或粘贴从网页、PDF 复制的表格文字" }
            textarea id="text" name="text" rows="8" {}
            button type="submit" { "审核" }
        }
    }
}

async fn index(Extension(viewer): Extension<Viewer>) -> Response {
    if let Err(redirect) = require_reader(&viewer) {
        return redirect;
    }
    page(
        &viewer,
        "审核一张表",
        html! {
            h1 { "审核一张绩效目标表" }
            p { "上传或粘贴一张项目支出绩效目标表，立即看到读取结果和审核意见；表格不会存入语料库，除非审核员选择保存。" }
            (check_form(&viewer))
        },
    )
    .into_response()
}

async fn check_upload(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    if let Err(redirect) = require_reader(&viewer) {
        return Ok(redirect);
    }
    let upload = read_upload(&state, multipart).await?;
    viewer.check_csrf(upload.csrf.as_deref())?;
    let (name, bytes) = upload.table()?;
    let result = run_check(&state, name, bytes).await?;
    // Post, then redirect: the result has an address of its own that reloads and goes back.
    Ok(Redirect::to(&format!("/checks/{}", result.id)).into_response())
}

/// The fields of the check form.
#[derive(Debug, Default)]
pub struct Upload {
    pub csrf: Option<String>,
    pub file: Option<(String, Vec<u8>)>,
    pub text: Option<String>,
}

impl Upload {
    /// The table to read: the file if one was chosen, else the pasted text.
    pub fn table(self) -> Result<(String, Vec<u8>), PageError> {
        match (self.file, self.text) {
            (Some((name, bytes)), _) if !bytes.is_empty() => Ok((name, bytes)),
            (_, Some(text)) if !text.trim().is_empty() => {
                Ok(("粘贴的表格.txt".to_owned(), text.into_bytes()))
            }
            _ => Err(PageError::bad_request(
                "没有收到表格：请选择一个文件，或在文本框中粘贴表格文字。",
            )),
        }
    }
}

pub async fn read_upload(
    state: &AppState,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Upload, PageError> {
    let limit = state.config().limits.file_size;
    let mut multipart = multipart.map_err(|_| {
        PageError::bad_request("表单格式不正确：请通过页面上的表单上传文件或粘贴文字。")
    })?;
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(too_large(limit));
            }
            Err(_) => return Err(PageError::bad_request("上传中断或表单格式不正确，请重试。")),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(too_large(limit));
            }
            Err(_) => return Err(PageError::bad_request("上传中断，请重试。")),
        };
        if bytes.len() as u64 > limit {
            return Err(too_large(limit));
        }
        match name.as_str() {
            "csrf" => upload.csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "file" => {
                let file_name = file_name
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "上传的表格".to_owned());
                upload.file = Some((file_name, bytes.to_vec()));
            }
            "text" => upload.text = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => {}
        }
    }
    Ok(upload)
}

/// Findings of a fresh check, placed at their project and indicator.
pub fn finding_views(documents: &[Document], findings: &[Finding]) -> Vec<(usize, FindingView)> {
    findings
        .iter()
        .enumerate()
        .map(|(n, finding)| {
            let (document, project, indicator) = place(documents, finding);
            (
                document,
                FindingView {
                    key: format!("f-{n}"),
                    stored_id: None,
                    code: finding.code.to_owned(),
                    severity: finding.severity,
                    message: finding.message.clone(),
                    help: finding.help.to_string(),
                    project,
                    indicator,
                    review: None,
                },
            )
        })
        .collect()
}

/// Which document, project and indicator a finding concerns: the project of that name on the
/// finding's sheet (workbooks give each sheet its own document, with the same row numbers) whose
/// row starts closest before the finding's line.
fn place(documents: &[Document], finding: &Finding) -> (usize, Option<usize>, Option<usize>) {
    let sheet = |span: &jixiao_model::Span| span.cell.as_deref().and_then(|c| c.sheet.clone());
    let finding_sheet = sheet(&finding.span);
    let document_sheet = |d: &Document| d.units.first().and_then(|u| sheet(&u.span));
    let line_cost = |line: u32| {
        finding.span.line.abs_diff(line) + if line > finding.span.line { 1 << 20 } else { 0 }
    };
    let sheet_cost = |d: &Document| {
        if finding_sheet.is_some() && document_sheet(d) != finding_sheet {
            1u32 << 30
        } else {
            0
        }
    };
    let document = documents
        .iter()
        .enumerate()
        .min_by_key(|(_, d)| {
            let first = d.units.first().map_or(0, |u| u.span.line);
            sheet_cost(d).saturating_add(line_cost(first))
        })
        .map_or(0, |(n, _)| n);
    let Some(name) = finding.project.as_deref() else {
        return (document, None, None);
    };
    let best = documents
        .iter()
        .enumerate()
        .flat_map(|(n, d)| {
            d.projects()
                .enumerate()
                .map(move |(p, (unit, project))| (n, d, p, unit, project))
        })
        .filter(|(_, _, _, unit, project)| {
            *project.name.text == *name
                && finding
                    .unit
                    .as_deref()
                    .is_none_or(|u| *unit.name.text == *u)
        })
        .min_by_key(|(_, d, _, _, project)| {
            sheet_cost(d).saturating_add(line_cost(project.span.line))
        });
    let Some((document, _, p, _, project)) = best else {
        return (document, None, None);
    };
    let indicator = finding
        .indicator
        .and_then(|seq| project.indicators.iter().position(|i| i.seq == seq));
    (document, Some(p), indicator)
}

fn result_page(viewer: &Viewer, result: &CheckResult) -> Markup {
    let views = finding_views(&result.documents, &result.findings);
    let count = |s: Severity| result.findings.iter().filter(|f| f.severity == s).count();
    let id = &result.id;
    page(
        viewer,
        "审核结果",
        html! {
            h1 { "审核结果：" (result.name) }
            p.note { "审核时间：" (crate::view::date_time(&result.checked_at)) }
            p.summary {
                (result.documents.len()) " 张表，"
                (result.documents.iter().map(|d| d.projects().count()).sum::<usize>()) " 个项目，"
                (result.documents.iter().map(Document::indicator_count).sum::<usize>()) " 个指标；审核意见："
                span.sev.sev-error { "错误" } " " (count(Severity::Error)) "，"
                span.sev.sev-warning { "警告" } " " (count(Severity::Warning)) "，"
                span.sev.sev-info { "提示" } " " (count(Severity::Info))
            }
            nav.downloads aria-label="下载" {
                "下载："
                a href=(format!("/checks/{id}/data.csv")) download { "数据 CSV" }
                a href=(format!("/checks/{id}/data.json")) download { "数据 JSON" }
                a href=(format!("/checks/{id}/findings.sarif")) download { "审核意见 SARIF" }
                a href=(format!("/checks/{id}/review.xlsx")) download { "审核意见 Excel" }
                @if viewer.can(Role::Reviewer) {
                    form.inline method="post" action=(format!("/checks/{id}/save")) {
                        (csrf_field(viewer))
                        button type="submit" { "保存到语料库" }
                    }
                }
            }
            @if !result.grades.is_empty() {
                table.grades {
                    caption { "各项目建议等级" }
                    tr { th { "单位" } th { "项目" } th { "得分" } th { "建议等级" } }
                    @for grade in &result.grades {
                        tr { td { (grade.unit) } td { (grade.project) } td.num { (format!("{:.0}", grade.points)) } td.grade { (grade.grade.label()) } }
                    }
                }
            }
            @if !result.problems.is_empty() {
                section id="problems" {
                    h2 { "读取问题" }
                    ul.problems {
                        @for problem in &result.problems {
                            li { "第 " (problem.span.line) " 行：" (problem.message) }
                        }
                    }
                }
            }
            @for (n, document) in result.documents.iter().enumerate() {
                @let own: Vec<FindingView> = views.iter().filter(|(d, _)| *d == n).map(|(_, v)| v.clone()).collect();
                (document_body(viewer, document, &own, &ProjectExtras::default()))
            }
            h2 { "再审核一张" }
            (check_form(viewer))
        },
    )
}

fn cached(state: &AppState, id: &str) -> Result<Arc<CheckResult>, PageError> {
    state
        .0
        .checks
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(id)
        .ok_or_else(|| {
            PageError::new(
                StatusCode::NOT_FOUND,
                "这次审核的结果已过期（服务器只保留最近的结果）。请重新上传表格。",
            )
        })
}

async fn show_check(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    if let Err(redirect) = require_reader(&viewer) {
        return Ok(redirect);
    }
    let result = cached(&state, &id)?;
    Ok(result_page(&viewer, &result).into_response())
}

/// The JSON download: what `jixiao parse --format json` writes, with the findings.
#[derive(Debug, Serialize)]
pub struct CheckJson<'a> {
    pub documents: &'a [Document],
    pub problems: &'a [Problem],
    pub findings: &'a [Finding],
}

async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    if let Err(redirect) = require_reader(&viewer) {
        return Ok(redirect);
    }
    let result = cached(&state, &id)?;
    let (content_type, body): (&str, Vec<u8>) = match file.as_str() {
        "data.csv" => (
            "text/csv; charset=utf-8",
            jixiao_export::indicator_csv(&result.documents, true)
                .map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?,
        ),
        "data.json" => (
            "application/json",
            serde_json::to_vec_pretty(&CheckJson {
                documents: &result.documents,
                problems: &result.problems,
                findings: &result.findings,
            })
            .map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?,
        ),
        "findings.sarif" => (
            "application/sarif+json",
            jixiao_rules::render::render_sarif(&result.findings).into_bytes(),
        ),
        "review.xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            review_xlsx(&result)?,
        ),
        _ => return Err(PageError::not_found("下载文件")),
    };
    Ok(attachment(content_type, &file, body))
}

/// A download response with a file name.
pub fn attachment(content_type: &str, file: &str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// The review as a workbook: 审核意见 (one row per finding, with the rule's basis) and 建议等级.
fn review_xlsx(result: &CheckResult) -> Result<Vec<u8>, PageError> {
    let findings: Vec<Vec<String>> = result
        .findings
        .iter()
        .map(|f| {
            let doc = crate::view::rule_doc(f.code).unwrap_or_default();
            vec![
                f.unit.clone().unwrap_or_default(),
                f.project.clone().unwrap_or_default(),
                f.indicator.map(|i| i.to_string()).unwrap_or_default(),
                f.code.to_owned(),
                f.severity.label().to_owned(),
                f.message.clone(),
                f.help.to_string(),
                doc.regulation,
                f.span.line.to_string(),
            ]
        })
        .collect();
    let grades: Vec<Vec<String>> = result
        .grades
        .iter()
        .map(|g| {
            vec![
                g.unit.clone(),
                g.project.clone(),
                format!("{:.0}", g.points),
                g.grade.label().to_owned(),
            ]
        })
        .collect();
    jixiao_export::table_xlsx(&[
        jixiao_export::Sheet {
            name: "审核意见",
            header: &[
                "单位",
                "项目",
                "指标序号",
                "编号",
                "级别",
                "问题",
                "建议",
                "依据",
                "行",
            ],
            rows: &findings,
        },
        jixiao_export::Sheet {
            name: "建议等级",
            header: &["单位", "项目", "得分", "建议等级"],
            rows: &grades,
        },
    ])
    .map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// Saves a checked table into the corpus (审核员 and up) and opens it.
async fn save(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    viewer.check_csrf(form.csrf.as_deref())?;
    let result = cached(&state, &id)?;
    let worker = state.clone();
    let job = result.clone();
    let prepared = tokio::task::spawn_blocking(move || {
        jixiao_store::prepare_file(
            &job.bytes,
            job.documents.clone(),
            &job.problems,
            worker.checker(),
            &Overrides::default(),
        )
    })
    .await
    .map_err(|_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "保存失败，请重试。"))??;
    let outcomes = state.store().import_batch(&prepared).await?;
    state.sync_search().await;
    let first = outcomes.first().map(|o| match o {
        ImportOutcome::Imported { id }
        | ImportOutcome::NewVersion { id, .. }
        | ImportOutcome::Unchanged { id, .. }
        | ImportOutcome::Updated { id, .. } => *id,
    });
    match first {
        Some(id) => Ok(Redirect::to(&format!("/documents/{id}")).into_response()),
        None => Err(PageError::bad_request("这份文件中没有可保存的表。")),
    }
}
