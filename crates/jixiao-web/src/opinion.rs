//! The 审核意见 of a stored table (审核员 and up): the confirmed findings per project with the
//! rule's basis and the suggestion, and the grades, as a printable page (A4 print styles) and as
//! a workbook, to send back to the unit.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use jixiao_store::{ReviewState, Role};
use maud::html;

use crate::auth::Viewer;
use crate::error::{Id, PageError};
use crate::pages::{DocumentPage, load_document_page};
use crate::view::{FindingView, date_time, page, rule_doc, severity_badge};
use crate::{AppState, now};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/documents/{id}/opinion", get(opinion))
        .route("/documents/{id}/opinion.xlsx", get(opinion_xlsx))
}

/// One project's part of the opinion: its place (None for the table as a whole), name, grades
/// and confirmed findings.
struct Part<'a> {
    name: String,
    suggested: Option<&'a str>,
    graded: Option<&'a (String, Option<String>, String)>,
    findings: Vec<&'a FindingView>,
}

fn parts(doc: &DocumentPage) -> Vec<Part<'_>> {
    let confirmed = |place: Option<usize>| -> Vec<&FindingView> {
        doc.findings
            .iter()
            .filter(|f| f.project == place)
            .filter(|f| {
                f.review
                    .as_ref()
                    .is_some_and(|r| r.state == ReviewState::Accepted)
            })
            .collect()
    };
    let mut out = vec![Part {
        name: "整张表".to_owned(),
        suggested: None,
        graded: None,
        findings: confirmed(None),
    }];
    for (place, (unit, project)) in doc.model.projects().enumerate() {
        out.push(Part {
            name: format!("{}（{}）", project.name.text, unit.name.text),
            suggested: doc.extras.suggested.get(place).map(String::as_str),
            graded: doc.extras.graded.get(&place),
            findings: confirmed(Some(place)),
        });
    }
    out
}

async fn opinion(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    let doc = load_document_page(&state, id, &viewer).await?;
    let title = doc
        .info
        .as_ref()
        .map_or_else(|| format!("文档 {id}"), |i| i.source_file.clone());
    let parts = parts(&doc);
    let confirmed: usize = parts.iter().map(|p| p.findings.len()).sum();
    Ok(page(
        &viewer,
        "审核意见",
        html! {
            article.opinion {
                h1 { "审核意见" }
                dl.meta {
                    dt { "表" } dd { (title) }
                    @if let Some(info) = &doc.info {
                        dt { "发布单位" } dd { (info.publisher.clone().unwrap_or_default()) }
                        dt { "版本" } dd { "第 " (info.version) " 版" }
                    }
                    dt { "审核状态" } dd { (doc.status.label()) }
                    dt { "审核人" } dd { (viewer.user.as_ref().map(|u| u.name.clone()).unwrap_or_default()) }
                    dt { "日期" } dd { (date_time(&now())) }
                    dt { "已确认的审核意见" } dd { (confirmed) " 条" }
                }
                p.downloads {
                    a href=(format!("/documents/{id}/opinion.xlsx")) download { "下载 Excel" }
                    " · " a href=(format!("/documents/{id}")) { "返回表格" }
                    " · 用浏览器的“打印”即可得到 A4 版式。"
                }
                @for part in &parts {
                    @if part.suggested.is_some() || !part.findings.is_empty() {
                        section.opinion-part {
                            h2 { (part.name) }
                            @if let Some(suggested) = part.suggested {
                                p {
                                    "建议等级：" strong { (suggested) }
                                    @if let Some((grade, reason, by)) = part.graded {
                                        "；审核等级：" strong { (grade) } "（" (by)
                                        @if let Some(reason) = reason { "：" (reason) } "）"
                                    }
                                }
                            }
                            @if part.findings.is_empty() {
                                p.note { "没有已确认的审核意见。" }
                            } @else {
                                ol {
                                    @for finding in &part.findings {
                                        @let doc = rule_doc(&finding.code).unwrap_or_default();
                                        li {
                                            (severity_badge(finding.severity)) " " code { (finding.code) } " " (finding.message)
                                            @if !doc.regulation.is_empty() { br; "依据：" (doc.regulation) }
                                            br; "建议：" (finding.help)
                                            @if let Some(comment) = finding.review.as_ref().and_then(|r| r.comment.as_ref()) {
                                                br; "审核说明：" (comment)
                                            }
                                        }
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

async fn opinion_xlsx(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Result<Response, PageError> {
    viewer.require(Role::Reviewer)?;
    let doc = load_document_page(&state, id, &viewer).await?;
    let parts = parts(&doc);
    let findings: Vec<Vec<String>> = parts
        .iter()
        .flat_map(|part| {
            part.findings.iter().map(|f| {
                let review = f.review.as_ref();
                vec![
                    part.name.clone(),
                    f.code.clone(),
                    f.severity.label().to_owned(),
                    f.message.clone(),
                    rule_doc(&f.code).unwrap_or_default().regulation,
                    f.help.clone(),
                    review.and_then(|r| r.by.clone()).unwrap_or_default(),
                    review.and_then(|r| r.comment.clone()).unwrap_or_default(),
                ]
            })
        })
        .collect();
    let grades: Vec<Vec<String>> = parts
        .iter()
        .filter_map(|part| {
            let suggested = part.suggested?;
            Some(vec![
                part.name.clone(),
                suggested.to_owned(),
                part.graded.map(|g| g.0.clone()).unwrap_or_default(),
                part.graded.and_then(|g| g.1.clone()).unwrap_or_default(),
            ])
        })
        .collect();
    let body = jixiao_export::table_xlsx(&[
        jixiao_export::Sheet {
            name: "审核意见",
            header: &[
                "项目",
                "编号",
                "级别",
                "问题",
                "依据",
                "建议",
                "审核人",
                "审核说明",
            ],
            rows: &findings,
        },
        jixiao_export::Sheet {
            name: "项目等级",
            header: &["项目", "建议等级", "审核等级", "理由"],
            rows: &grades,
        },
    ])
    .map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(crate::check::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("opinion-{id}.xlsx"),
        body,
    ))
}
