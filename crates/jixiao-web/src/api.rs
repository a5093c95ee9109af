//! The REST API under `/api/v1`: the same operations as the pages, for scripts. Authentication is
//! an API token (`Authorization: Bearer …`, made with `jixiao user token NAME`); reading also works
//! with a session or on a public server. Errors are `{ "code": "…", "message": "中文…" }`. The
//! OpenAPI 3.1 document is generated from these handlers and types (`/api/openapi.json`), and
//! `/api/docs` renders it as a page.

// utoipa's `params(…)` expands to paths it qualifies itself.
#![allow(unused_qualifications)]

use axum::body::to_bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use jixiao_store::{Filter, Role};
use maud::html;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiId, ApiQuery};
use crate::view::page;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "jixiao 绩效目标审核接口",
        description = "读取并审核项目支出绩效目标表，浏览语料库，记录审核决定。错误返回 {code, message}，message 为中文。"
    ),
    paths(check, documents, document, document_findings, document_projects, project, search, review, grades),
    components(schemas(
        ApiError, CheckResponse, CheckedDocument, CheckedFinding, Problem, Grade, DocumentDto,
        DocumentDetail, FindingDto, ProjectDto, ProjectDetail, SearchHitDto, SearchResponse, Highlighted, ReviewRequest, ReviewResponse,
        GradesResponse, ScoredProjectDto, GradeSummaryDto
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(docs))
        .route("/v1/check", post(check))
        .route("/v1/documents", get(documents))
        .route("/v1/documents/{id}", get(document))
        .route("/v1/documents/{id}/findings", get(document_findings))
        .route("/v1/documents/{id}/projects", get(document_projects))
        .route("/v1/projects/{id}", get(project))
        .route("/v1/search", get(search))
        .route("/v1/findings/{id}/review", post(review))
        .route("/v1/grades", get(grades))
        .fallback(|| async { ApiError::not_found("接口") })
}

fn reader(viewer: &Viewer) -> Result<(), ApiError> {
    if viewer.can_read() {
        Ok(())
    } else {
        Err(ApiError::unauthorized())
    }
}

async fn openapi_json() -> Response {
    Json(openapi()).into_response()
}

async fn docs(Extension(viewer): Extension<Viewer>) -> Response {
    let doc = openapi();
    page(
        &viewer,
        "接口文档",
        html! {
            h1 { "接口文档" }
            p { "机器可读的 OpenAPI 3.1 文档：" a href="/api/openapi.json" { "/api/openapi.json" } "。脚本用令牌认证："
                code { "Authorization: Bearer jx_…" } "（令牌由管理员用 " code { "jixiao user token 用户名" } " 创建）。" }
            table.list {
                thead { tr { th { "方法" } th { "路径" } th { "说明" } } }
                tbody {
                    @for (path, item) in &doc.paths.paths {
                        @for (method, operation) in [("GET", &item.get), ("POST", &item.post)] {
                            @if let Some(operation) = operation {
                                tr {
                                    td { code { (method) } }
                                    td { code { (path) } }
                                    td { (operation.summary.clone().unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

/// 从请求中读出的一张表。
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckedDocument {
    pub department: Option<String>,
    /// 版式的英文名（`department-list`、`project-sheet` 等）。
    pub layout: String,
    pub projects: usize,
    pub indicators: usize,
    /// 完整的结构化数据，与 `jixiao parse --format json` 的输出相同。
    #[schema(value_type = Object)]
    pub model: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckedFinding {
    pub code: String,
    /// 级别：`error`（错误）、`warning`（警告）或 `info`（提示）。
    pub severity: String,
    pub message: String,
    pub help: String,
    pub unit: Option<String>,
    pub project: Option<String>,
    /// 指标在项目中的序号。
    pub indicator: Option<u32>,
    pub line: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Grade {
    pub unit: String,
    pub project: String,
    pub points: f64,
    /// 优、良、中或差。
    pub grade: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResponse {
    pub documents: Vec<CheckedDocument>,
    pub findings: Vec<CheckedFinding>,
    pub problems: Vec<Problem>,
    pub grades: Vec<Grade>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CheckQuery {
    /// 文件名，用于判断格式和提示信息（仅用于直接发送文字或文件内容时）。
    name: Option<String>,
}

/// 审核一张表
///
/// 以 `multipart/form-data` 发送文件（字段 `file`，或文字字段 `text`），或直接以请求体发送表格文字
/// （`text/plain`）。
#[utoipa::path(
    post, path = "/api/v1/check", params(CheckQuery),
    request_body(content = String, description = "表格文字（text/plain），或 multipart/form-data 的 file 字段", content_type = "text/plain"),
    responses(
        (status = 200, description = "读取和审核结果", body = CheckResponse),
        (status = 413, description = "文件过大", body = ApiError),
        (status = 422, description = "无法读取为表格", body = ApiError),
    ),
    security(("token" = []))
)]
async fn check(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(query): ApiQuery<CheckQuery>,
    request: Request,
) -> Result<Json<CheckResponse>, ApiError> {
    reader(&viewer)?;
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = state.config().limits.file_size;
    let (name, bytes) = if multipart {
        let multipart = Multipart::from_request(request, &state).await;
        crate::check::read_upload(&state, multipart)
            .await?
            .table()?
    } else {
        let bytes = to_bytes(
            request.into_body(),
            usize::try_from(limit).unwrap_or(usize::MAX),
        )
        .await
        .map_err(|_| ApiError::from(crate::check::too_large(limit)))?;
        if bytes.is_empty() {
            return Err(ApiError::bad_request(
                "请求体为空：请发送表格文字或上传文件。",
            ));
        }
        (
            query.name.unwrap_or_else(|| "请求.txt".to_owned()),
            bytes.to_vec(),
        )
    };
    let result = crate::check::run_check(&state, name, bytes).await?;
    let documents = result
        .documents
        .iter()
        .map(|d| CheckedDocument {
            department: d.department.as_ref().map(|t| t.text.to_string()),
            layout: d.layout.name().to_owned(),
            projects: d.projects().count(),
            indicators: d.indicator_count(),
            model: serde_json::to_value(d).unwrap_or_default(),
        })
        .collect();
    Ok(Json(CheckResponse {
        documents,
        findings: result
            .findings
            .iter()
            .map(|f| CheckedFinding {
                code: f.code.to_owned(),
                severity: f.severity.to_string(),
                message: f.message.clone(),
                help: f.help.to_string(),
                unit: f.unit.clone(),
                project: f.project.clone(),
                indicator: f.indicator,
                line: f.span.line,
            })
            .collect(),
        problems: result
            .problems
            .iter()
            .map(|p| Problem {
                line: p.span.line,
                message: p.message.clone(),
            })
            .collect(),
        grades: result
            .grades
            .iter()
            .map(|g| Grade {
                unit: g.unit.clone(),
                project: g.project.clone(),
                points: g.points,
                grade: g.grade.label().to_owned(),
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    pub version: i64,
    pub is_latest: bool,
    pub source_file: String,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub layout: String,
    pub imported_at: String,
}

impl From<jixiao_store::DocumentInfo> for DocumentDto {
    fn from(d: jixiao_store::DocumentInfo) -> Self {
        Self {
            id: d.id,
            version: d.version,
            is_latest: d.is_latest,
            source_file: d.source_file,
            publisher: d.publisher,
            year: d.year,
            layout: d.layout,
            imported_at: d.imported_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// 只列发布单位名称包含此文字的表。
    publisher: Option<String>,
    year: Option<i32>,
    /// 同时列出旧版本。
    #[serde(default)]
    all_versions: bool,
}

/// 列出语料库中的表
#[utoipa::path(get, path = "/api/v1/documents", params(ListQuery),
    responses((status = 200, description = "表的列表", body = Vec<DocumentDto>),
        (status = 401, description = "未登录或令牌无效", body = ApiError)),
    security(("token" = [])))]
async fn documents(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Vec<DocumentDto>>, ApiError> {
    reader(&viewer)?;
    let filter = Filter {
        publisher: query.publisher,
        year: query.year,
    };
    let rows = state.store().documents(&filter, query.all_versions).await?;
    Ok(Json(rows.into_iter().map(DocumentDto::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDetail {
    pub document: DocumentDto,
    /// 审核状态：`pending`（待审）、`in_review`（审核中）、`reviewed`（已审）或 `returned`（退回修改）。
    pub status: String,
    #[schema(value_type = Object)]
    pub model: serde_json::Value,
}

/// 取一张表及其结构化数据
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = i64, Path)),
    responses((status = 200, description = "表及其结构化数据", body = DocumentDetail),
        (status = 404, description = "没有这张表", body = ApiError)),
    security(("token" = [])))]
async fn document(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiId(id): ApiId,
) -> Result<Json<DocumentDetail>, ApiError> {
    reader(&viewer)?;
    let store = state.store();
    let info = store
        .review()
        .document_versions(id)
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| ApiError::not_found("文档"))?;
    let model = store.load_document(id).await?;
    let status = store
        .review()
        .document_status(id)
        .await?
        .map_or(jixiao_store::DocumentStatus::Pending, |s| s.status);
    Ok(Json(DocumentDetail {
        document: info.into(),
        status: status.name().to_owned(),
        model: serde_json::to_value(&model).unwrap_or_default(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FindingDto {
    pub id: i64,
    pub code: String,
    pub severity: String,
    pub message: String,
    pub help: String,
    pub project: Option<String>,
    pub indicator_seq: Option<i64>,
    pub line: i64,
    /// 审核决定：`open`（未处理）、`accepted`（确认）或 `dismissed`（驳回）。
    pub review_state: String,
    pub reviewed_by: Option<String>,
    pub review_comment: Option<String>,
}

/// 一张表的审核意见及其审核决定
#[utoipa::path(get, path = "/api/v1/documents/{id}/findings", params(("id" = i64, Path)),
    responses((status = 200, description = "审核意见列表", body = Vec<FindingDto>)), security(("token" = [])))]
async fn document_findings(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiId(id): ApiId,
) -> Result<Json<Vec<FindingDto>>, ApiError> {
    reader(&viewer)?;
    let rows = state.store().findings(id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|f| FindingDto {
                id: f.id,
                code: f.code,
                severity: f.severity,
                message: f.message,
                help: f.help,
                project: f.project,
                indicator_seq: f.indicator_seq,
                line: f.line,
                review_state: f.review_state.name().to_owned(),
                reviewed_by: f.reviewed_by,
                review_comment: f.review_comment,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDto {
    pub id: i64,
    pub document_id: i64,
    pub unit: String,
    pub name: String,
    /// 总计，精确的十进制文字。
    pub total: Option<String>,
}

impl From<jixiao_store::ProjectRef> for ProjectDto {
    fn from(p: jixiao_store::ProjectRef) -> Self {
        Self {
            id: p.id,
            document_id: p.document_id,
            unit: p.unit,
            name: p.name,
            total: p.total.map(|t| t.to_string()),
        }
    }
}

/// 一张表的项目
#[utoipa::path(get, path = "/api/v1/documents/{id}/projects", params(("id" = i64, Path)),
    responses((status = 200, description = "项目列表", body = Vec<ProjectDto>)), security(("token" = [])))]
async fn document_projects(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiId(id): ApiId,
) -> Result<Json<Vec<ProjectDto>>, ApiError> {
    reader(&viewer)?;
    let rows = state.store().review().document_projects(id).await?;
    Ok(Json(rows.into_iter().map(ProjectDto::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDetail {
    pub project: ProjectDto,
    /// 按审核意见建议的等级。
    pub suggested_grade: String,
    /// 审核员评定的等级（如已评定）。
    pub grade: Option<String>,
    /// 项目及其指标，与结构化数据中的相同。
    #[schema(value_type = Object)]
    pub model: serde_json::Value,
}

/// 取一个项目及其指标和等级
#[utoipa::path(get, path = "/api/v1/projects/{id}", params(("id" = i64, Path)),
    responses((status = 200, description = "项目及其指标和等级", body = ProjectDetail),
        (status = 404, description = "没有这个项目", body = ApiError)),
    security(("token" = [])))]
async fn project(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiId(id): ApiId,
) -> Result<Json<ProjectDetail>, ApiError> {
    reader(&viewer)?;
    let store = state.store();
    let project = store
        .review()
        .project(id)
        .await?
        .ok_or_else(|| ApiError::not_found("项目"))?;
    let model = store.load_document(project.document_id).await?;
    let place = usize::try_from(project.ordinal).unwrap_or(usize::MAX);
    let value = model
        .projects()
        .nth(place)
        .map(|(_, p)| serde_json::to_value(p).unwrap_or_default())
        .unwrap_or_default();
    let grade = store
        .review()
        .project_grades(project.document_id)
        .await?
        .into_iter()
        .find(|g| g.project_id == id)
        .map(|g| g.grade);
    let suggested_grade = crate::review::suggested_grade(&state, id).await?;
    Ok(Json(ProjectDetail {
        project: project.into(),
        suggested_grade,
        grade,
        model: value,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitDto {
    /// 命中的类别：`indicator`（指标）、`goal`（项目的绩效目标）或 `project`（项目名称）。
    pub kind: String,
    pub document_id: i64,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub layout: String,
    pub unit: String,
    pub project: String,
    /// 指标在项目中的序号（仅指标）。
    pub seq: Option<i64>,
    pub level1: Option<String>,
    /// 指标名称（仅指标）。
    pub name: String,
    /// 指标值（指标）或目标的文字（目标）。
    pub text: String,
    /// `project`、`name`、`text` 三项，命中的词用 `<mark>` 标出，其余已做 HTML 转义。
    pub highlighted: Highlighted,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Highlighted {
    pub project: String,
    pub name: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// 查询被切分成的词（jieba 分词）；每条结果都包含全部这些词。
    pub words: Vec<String>,
    /// 命中总数；超过条数上限时大于 `hits` 的条数。
    pub total: usize,
    pub hits: Vec<SearchHitDto>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// 要在指标名称和指标值、绩效目标、项目名称中查找的词。
    q: String,
    /// 只查发布单位名称包含此文字的表。
    publisher: Option<String>,
    year: Option<String>,
    /// 版式：`department-list`、`indicator-rows`、`project-sheet` 或 `self-evaluation`。
    layout: Option<String>,
    /// 只查有此编号审核意见的表。
    code: Option<String>,
    /// 只查有此级别审核意见的表：`error`、`warning`、`info`。
    severity: Option<String>,
    /// 只查此等级的项目：优、良、中、差。
    grade: Option<String>,
    /// 最多返回的条数（默认 1000）。
    limit: Option<usize>,
}

/// 搜索指标、绩效目标和项目名称（中文分词），可加筛选条件
#[utoipa::path(get, path = "/api/v1/search", params(SearchParams),
    responses((status = 200, description = "搜索结果", body = SearchResponse),
        (status = 400, description = "查询或筛选条件有误", body = ApiError)),
    security(("token" = [])))]
async fn search(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(query): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    reader(&viewer)?;
    if query.q.trim().is_empty() {
        return Err(ApiError::bad_request("请提供搜索词 q。"));
    }
    let filters = crate::find::Filters {
        q: query.q,
        publisher: query.publisher,
        year: query.year,
        layout: query.layout,
        code: query.code,
        severity: query.severity,
        grade: query.grade,
        page: None,
    };
    let found = crate::find::search(
        &state,
        &filters,
        query.limit.unwrap_or(1000).clamp(1, 10_000),
    )
    .await?;
    let words = found.words.join(" ");
    let mark = |text: &str| crate::view::highlight(text, &words).into_string();
    Ok(Json(SearchResponse {
        total: found.total,
        hits: found
            .hits
            .into_iter()
            .map(|h| SearchHitDto {
                kind: serde_json::to_value(h.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                highlighted: Highlighted {
                    project: mark(&h.project),
                    name: mark(&h.name),
                    text: mark(&h.text),
                },
                document_id: h.document_id,
                publisher: h.publisher,
                year: h.year,
                layout: h.layout,
                unit: h.unit,
                project: h.project,
                seq: h.seq,
                level1: h.level1,
                name: h.name,
                text: h.text,
            })
            .collect(),
        words: found.words,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// 审核决定：`accepted`（确认）、`dismissed`（驳回）或 `open`（撤销决定）。
    pub decision: String,
    /// 说明；驳回时必填。
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResponse {
    pub finding_id: i64,
    pub document_id: i64,
    pub review_state: String,
}

/// 确认或驳回一条审核意见（审核员及以上，用接口令牌）
#[utoipa::path(post, path = "/api/v1/findings/{id}/review", params(("id" = i64, Path)),
    request_body = ReviewRequest,
    responses((status = 200, description = "已记录审核决定", body = ReviewResponse),
        (status = 400, description = "决定无效，或驳回时没有说明", body = ApiError),
        (status = 401, description = "未登录或令牌无效", body = ApiError),
        (status = 403, description = "访客不能审核", body = ApiError),
        (status = 404, description = "没有这条审核意见", body = ApiError)),
    security(("token" = [])))]
async fn review(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiId(id): ApiId,
    body: Result<Json<ReviewRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ReviewResponse>, ApiError> {
    // Changes come with a token only: a browser's cookies must not reach this without a form's
    // CSRF token.
    if !viewer.by_token {
        return Err(ApiError::unauthorized());
    }
    if !viewer.can(Role::Reviewer) {
        return Err(ApiError::forbidden());
    }
    let Json(request) = body.map_err(|_| {
        ApiError::bad_request(
            "请求体应为 JSON：{\"decision\": \"accepted|dismissed|open\", \"comment\": \"…\"}。",
        )
    })?;
    let decision = crate::review::parse_decision(&request.decision)?;
    let document_id =
        crate::review::review_finding(&state, &viewer, id, decision, request.comment.as_deref())
            .await
            .map_err(ApiError::from)?;
    Ok(Json(ReviewResponse {
        finding_id: id,
        document_id,
        review_state: decision.name().to_owned(),
    }))
}

/// 一个已计分的绩效自评项目：公布与重算的总分和等级。
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoredProjectDto {
    /// 项目所在表的编号（见 `/api/v1/documents/{id}`）。
    pub document_id: i64,
    /// 发布部门。
    pub publisher: Option<String>,
    /// 年度。
    pub year: Option<i64>,
    /// 来源文件名。
    pub source_file: String,
    /// 单位名称。
    pub unit: String,
    /// 项目名称。
    pub project: String,
    /// 重算所用的计分政策名称（如 `national`）。
    pub policy: String,
    /// 表中公布的总分。
    pub published_total: Option<rust_decimal::Decimal>,
    /// 表中写明的等级（原文）；表中未写等级时为空。
    pub published_grade: Option<String>,
    /// 用于比较的公布等级：表中写明的等级，未写时按公布总分定级（优、良、中、差）。
    pub published_rank_grade: Option<String>,
    /// 按计分政策重算的总分。
    pub recomputed_total: rust_decimal::Decimal,
    /// 重算等级（优、良、中、差）；只读到部分表格且未公布总分时为空。
    pub recomputed_grade: Option<String>,
    /// 公布总分减重算总分。
    pub difference: Option<rust_decimal::Decimal>,
    /// 公布等级是否高于重算等级。
    pub published_higher: bool,
}

impl From<&jixiao_store::ScoredProject> for ScoredProjectDto {
    fn from(p: &jixiao_store::ScoredProject) -> Self {
        Self {
            document_id: p.document_id,
            publisher: p.publisher.clone(),
            year: p.year,
            source_file: p.source_file.clone(),
            unit: p.unit.clone(),
            project: p.project.clone(),
            policy: p.policy.clone(),
            published_total: p.published_total,
            published_grade: p.published_grade.clone(),
            published_rank_grade: p.published_rank_grade.map(|g| g.label().to_owned()),
            recomputed_total: p.recomputed_total,
            recomputed_grade: p.recomputed_grade.map(|g| g.label().to_owned()),
            difference: p.difference,
            published_higher: p.published_higher(),
        }
    }
}

/// 一个部门一个年度的自评计分汇总。
#[derive(Debug, Serialize, ToSchema)]
pub struct GradeSummaryDto {
    /// 发布部门。
    pub publisher: Option<String>,
    /// 年度。
    pub year: Option<i64>,
    /// 已计分的自评项目数。
    pub projects: i64,
    /// 公布等级和重算等级都有的项目数。
    pub graded: i64,
    /// 公布等级高于重算等级的项目数。
    pub published_higher: i64,
    /// 公布等级低于重算等级的项目数。
    pub published_lower: i64,
    /// 公布总分高于重算总分的项目数。
    pub total_higher: i64,
}

impl From<jixiao_store::ScoreSummaryRow> for GradeSummaryDto {
    fn from(r: jixiao_store::ScoreSummaryRow) -> Self {
        Self {
            publisher: r.publisher,
            year: r.year,
            projects: r.projects,
            graded: r.graded,
            published_higher: r.published_higher,
            published_lower: r.published_lower,
            total_higher: r.total_higher,
        }
    }
}

/// 自评等级核对的结果。
#[derive(Debug, Serialize, ToSchema)]
pub struct GradesResponse {
    /// 公布等级高于重算等级的项目（`all=true` 时为全部已计分的自评项目）。
    pub projects: Vec<ScoredProjectDto>,
    /// 按部门和年度汇总（覆盖全部已计分的自评项目）。
    pub summary: Vec<GradeSummaryDto>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct GradesQuery {
    /// 只看发布部门名称包含此文字的表。
    publisher: Option<String>,
    /// 只看此年度的表。
    year: Option<i32>,
    /// 列出全部已计分的自评项目，而不只是公布等级高于重算等级的。
    #[serde(default)]
    all: bool,
}

/// 绩效自评等级核对：公布等级高于重算等级的项目
///
/// 导入绩效自评表时，按导入时的计分政策重算每个项目的总分和等级，与表中公布的并存。
/// 此接口列出公布等级高于重算等级的项目，并按部门和年度汇总。
#[utoipa::path(get, path = "/api/v1/grades", params(GradesQuery),
    responses((status = 200, description = "公布等级偏高的项目及按部门、年度的汇总", body = GradesResponse),
        (status = 401, description = "未登录或令牌无效", body = ApiError)),
    security(("token" = [])))]
async fn grades(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(query): ApiQuery<GradesQuery>,
) -> Result<Json<GradesResponse>, ApiError> {
    reader(&viewer)?;
    let filter = Filter {
        publisher: query.publisher,
        year: query.year,
    };
    let scored = state.store().scored_projects(&filter).await?;
    let summary = jixiao_store::scores::summarise(&scored);
    Ok(Json(GradesResponse {
        projects: scored
            .iter()
            .filter(|p| query.all || p.published_higher())
            .map(ScoredProjectDto::from)
            .collect(),
        summary: summary.into_iter().map(GradeSummaryDto::from).collect(),
    }))
}
