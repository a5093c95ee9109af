//! Review actions (审核员 and up): a decision on a finding (a dismissal needs a comment), a
//! project's grade (overriding the suggested one needs a reason) and a document's status. Each
//! writes one audit row in the same transaction as the change. The page forms and the API share
//! these functions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Router};
use jixiao_store::{DocumentStatus, NewAudit, ReviewState, Role};
use serde::Deserialize;

use crate::auth::Viewer;
use crate::error::{Form, Id, PageError};
use crate::{AppState, now};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/findings/{id}/review", post(review_finding_form))
        .route("/projects/{id}/grade", post(grade_form))
        .route("/documents/{id}/status", post(status_form))
}

/// A decision on a finding, as the form and the API send it.
pub fn parse_decision(text: &str) -> Result<ReviewState, PageError> {
    match text {
        "accepted" | "confirm" => Ok(ReviewState::Accepted),
        "dismissed" | "dismiss" => Ok(ReviewState::Dismissed),
        "open" => Ok(ReviewState::Open),
        _ => Err(PageError::bad_request(
            "审核决定应为 accepted（确认）、dismissed（驳回）或 open（撤销）。",
        )),
    }
}

/// Records a decision on a finding; returns its document id.
pub async fn review_finding(
    state: &AppState,
    viewer: &Viewer,
    finding_id: i64,
    decision: ReviewState,
    comment: Option<&str>,
) -> Result<i64, PageError> {
    let user = viewer.require(Role::Reviewer)?;
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if decision == ReviewState::Dismissed && comment.is_none() {
        return Err(PageError::bad_request("驳回审核意见时必须填写理由。"));
    }
    let store = state.store();
    let place = store
        .review()
        .finding_place(finding_id)
        .await?
        .ok_or_else(|| PageError::not_found("审核意见"))?;
    let before = store
        .findings(place.document_id)
        .await?
        .into_iter()
        .find(|f| f.id == finding_id)
        .map(|f| f.review_state);
    let at = now();
    store
        .review()
        .review_finding_audited(
            finding_id,
            decision,
            &user.name,
            comment,
            &NewAudit {
                at: &at,
                user: &user.name,
                object_kind: "finding",
                object_id: finding_id,
                action: "review_finding",
                before: before.map(|s| s.label().to_owned()),
                after: Some(decision.label().to_owned()),
                reason: comment.map(str::to_owned),
            },
        )
        .await?;
    Ok(place.document_id)
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    csrf: Option<String>,
    #[serde(default)]
    decision: String,
    comment: Option<String>,
}

async fn review_finding_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    viewer.check_csrf(form.csrf.as_deref())?;
    let decision = parse_decision(&form.decision)?;
    let document = review_finding(&state, &viewer, id, decision, form.comment.as_deref()).await?;
    Ok(Redirect::to(&format!("/documents/{document}#f-{id}")).into_response())
}

/// The suggested grade of a stored project, from its stored findings.
pub async fn suggested_grade(state: &AppState, project_id: i64) -> Result<String, PageError> {
    let store = state.store();
    let project = store
        .review()
        .project(project_id)
        .await?
        .ok_or_else(|| PageError::not_found("项目"))?;
    let places = store.review().finding_places(project.document_id).await?;
    let findings = store.findings(project.document_id).await?;
    let own: Vec<(String, jixiao_rules::Severity)> = findings
        .into_iter()
        .filter(|f| {
            places
                .iter()
                .any(|p| p.finding_id == f.id && p.project_ordinal == Some(project.ordinal))
        })
        .map(|f| (f.code, crate::view::severity_of(&f.severity)))
        .collect();
    Ok(state
        .config()
        .settings
        .grades
        .grade_of(own.iter().map(|(c, s)| (c.as_str(), *s)))
        .label()
        .to_owned())
}

/// Sets a project's grade; returns its document id and place.
pub async fn grade_project(
    state: &AppState,
    viewer: &Viewer,
    project_id: i64,
    grade: &str,
    reason: Option<&str>,
) -> Result<(i64, i64), PageError> {
    let user = viewer.require(Role::Reviewer)?;
    if !["优", "良", "中", "差"].contains(&grade) {
        return Err(PageError::bad_request("等级应为 优、良、中 或 差。"));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let suggested = suggested_grade(state, project_id).await?;
    if grade != suggested && reason.is_none() {
        return Err(PageError::bad_request(format!(
            "建议等级为“{suggested}”；评定为“{grade}”时必须填写理由。"
        )));
    }
    let store = state.store().review();
    let project = store
        .project(project_id)
        .await?
        .ok_or_else(|| PageError::not_found("项目"))?;
    let before = store
        .project_grades(project.document_id)
        .await?
        .into_iter()
        .find(|g| g.project_id == project_id)
        .map(|g| g.grade);
    let at = now();
    store
        .set_project_grade(
            project_id,
            grade,
            &suggested,
            reason,
            &NewAudit {
                at: &at,
                user: &user.name,
                object_kind: "project",
                object_id: project_id,
                action: "set_grade",
                before: Some(before.unwrap_or_else(|| format!("{suggested}（建议）"))),
                after: Some(grade.to_owned()),
                reason: reason.map(str::to_owned),
            },
        )
        .await?;
    Ok((project.document_id, project.ordinal))
}

#[derive(Debug, Deserialize)]
pub struct GradeForm {
    csrf: Option<String>,
    #[serde(default)]
    grade: String,
    reason: Option<String>,
}

async fn grade_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
    Form(form): Form<GradeForm>,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    viewer.check_csrf(form.csrf.as_deref())?;
    let (document, place) =
        grade_project(&state, &viewer, id, &form.grade, form.reason.as_deref()).await?;
    Ok(Redirect::to(&format!("/documents/{document}#p-{place}")).into_response())
}

/// Moves a document version to `status`, if the workflow allows it from where it is.
pub async fn set_status(
    state: &AppState,
    viewer: &Viewer,
    document_id: i64,
    status: DocumentStatus,
    reason: Option<&str>,
) -> Result<(), PageError> {
    let user = viewer.require(Role::Reviewer)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if status == DocumentStatus::Returned && reason.is_none() {
        return Err(PageError::bad_request("退回修改时必须填写理由。"));
    }
    let store = state.store().review();
    let current = store
        .document_status(document_id)
        .await?
        .map_or(DocumentStatus::Pending, |s| s.status);
    if !crate::pages::next_statuses(current)
        .iter()
        .any(|(next, _)| *next == status)
    {
        return Err(PageError::new(
            StatusCode::CONFLICT,
            format!(
                "当前状态为“{}”，不能直接改为“{}”。",
                current.label(),
                status.label()
            ),
        ));
    }
    let at = now();
    store
        .set_document_status(
            document_id,
            status,
            &NewAudit {
                at: &at,
                user: &user.name,
                object_kind: "document",
                object_id: document_id,
                action: "set_status",
                before: Some(current.label().to_owned()),
                after: Some(status.label().to_owned()),
                reason: reason.map(str::to_owned),
            },
        )
        .await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    csrf: Option<String>,
    #[serde(default)]
    status: String,
    reason: Option<String>,
}

async fn status_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    viewer.check_csrf(form.csrf.as_deref())?;
    let status = DocumentStatus::from_name(&form.status)
        .ok_or_else(|| PageError::bad_request("未知的审核状态。"))?;
    set_status(&state, &viewer, id, status, form.reason.as_deref()).await?;
    Ok(Redirect::to(&format!("/documents/{id}")).into_response())
}
