//! Every route through `oneshot`, with the forbidden cases: visitors, guests, missing CSRF
//! tokens, bad logins, too-large uploads and workflow moves the status does not allow.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Fixture, Session, fixture, form, get, login, multipart, send, token};
use jixiao_store::Role;
use jixiao_web::Config;

async fn app() -> Fixture {
    fixture(Config::default()).await
}

/// Posts the check form and follows the redirect to the result page.
async fn check(
    fx: &Fixture,
    session: &Session,
    fields: &[(&str, Option<&str>, &[u8])],
) -> common::Reply {
    let reply = send(&fx.app, multipart("/check", &session.cookie, fields)).await;
    if reply.status != StatusCode::SEE_OTHER {
        return reply;
    }
    assert!(
        reply.location().starts_with("/checks/"),
        "{}",
        reply.location()
    );
    send(&fx.app, get(reply.location(), &session.cookie)).await
}

/// The yuexiu table's findings (document 1), as the API lists them.
async fn findings(fx: &Fixture, session: &Session) -> Vec<serde_json::Value> {
    let reply = send(
        &fx.app,
        get("/api/v1/documents/1/findings", &session.cookie),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json().as_array().expect("a list").clone()
}

#[tokio::test]
async fn visitors_are_sent_to_login_unless_the_server_is_public() {
    let fx = app().await;
    for page in [
        "/",
        "/publishers",
        "/documents/1",
        "/search?q=满意度",
        "/dashboard",
    ] {
        let reply = send(&fx.app, get(page, "")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(reply.location(), "/login", "{page}");
    }
    let public = fixture(Config {
        public: true,
        ..Config::default()
    })
    .await;
    let home = send(&public.app, get("/", "")).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("审核一张绩效目标表"));
    let document = send(&public.app, get("/documents/1", "")).await;
    assert_eq!(document.status, StatusCode::OK);
    // Read-only: no review forms for a visitor, and posting one is refused.
    assert!(!document.text().contains("/review\""));
    let csrf = document.cookie("jixiao_csrf").expect("visitor csrf");
    let reply = send(
        &public.app,
        form(
            "/findings/1/review",
            &format!("jixiao_csrf={csrf}"),
            &[("decision", "accepted"), ("csrf", &csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bad_login_shows_an_error_and_opens_no_session() {
    let fx = app().await;
    let page = send(&fx.app, get("/login", "")).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = format!("jixiao_csrf={}", page.cookie("jixiao_csrf").expect("csrf"));
    let csrf = page.csrf();
    let cookie_header = page
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie_header.contains("HttpOnly") && cookie_header.contains("SameSite=Strict"));
    let reply = send(
        &fx.app,
        form(
            "/login",
            &cookie,
            &[
                ("name", "alice"),
                ("password", "wrong-password"),
                ("csrf", &csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.text().contains("用户名或密码不正确"));
    assert!(reply.cookie("jixiao_session").is_none());
    // Without the CSRF token even the right password is refused.
    let reply = send(
        &fx.app,
        form(
            "/login",
            &cookie,
            &[("name", "alice"), ("password", common::PASSWORD)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.cookie("jixiao_session").is_none());
    assert!(reply.text().contains("安全令牌"));
}

#[tokio::test]
async fn logins_are_rate_limited() {
    let fx = app().await;
    let page = send(&fx.app, get("/login", "")).await;
    let cookie = format!("jixiao_csrf={}", page.cookie("jixiao_csrf").expect("csrf"));
    let csrf = page.csrf();
    for _ in 0..5 {
        let reply = send(
            &fx.app,
            form(
                "/login",
                &cookie,
                &[("name", "root"), ("password", "nope"), ("csrf", &csrf)],
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = send(
        &fx.app,
        form(
            "/login",
            &cookie,
            &[
                ("name", "root"),
                ("password", common::PASSWORD),
                ("csrf", &csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.text().contains("登录失败次数过多"));
    assert!(reply.cookie("jixiao_session").is_none());
}

#[tokio::test]
async fn checking_an_upload_shows_the_grid_findings_and_downloads() {
    let fx = app().await;
    let guest = login(&fx.app, "guest").await;
    let bytes = std::fs::read(common::YUEXIU).expect("example");
    let reply = check(
        &fx,
        &guest,
        &[
            ("csrf", None, guest.csrf.as_bytes()),
            ("file", Some("yuexiu.txt"), &bytes),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = reply.text();
    assert!(page.contains("审核结果：yuexiu.txt"));
    assert!(page.contains("一级指标") && page.contains("三级指标"));
    assert!(page.contains("rowspan="), "merged 一级/二级 cells");
    assert!(
        page.contains("class=\"sev sev-"),
        "findings with their severity word"
    );
    assert!(page.contains("依据："), "the rule's basis");
    // A guest cannot save into the corpus.
    assert!(!page.contains("保存到语料库"));
    let marker = "/checks/";
    let start = page.find(marker).expect("download links") + marker.len();
    let id = &page[start..start + 16];
    for (file, kind, needle) in [
        ("data.csv", "text/csv", "file,department"),
        ("data.json", "application/json", "\"documents\""),
        ("findings.sarif", "application/sarif+json", "\"runs\""),
        ("review.xlsx", "spreadsheetml", "PK"),
    ] {
        let reply = send(&fx.app, get(&format!("/checks/{id}/{file}"), &guest.cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{file}");
        let content_type = reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default();
        assert!(content_type.contains(kind), "{file}: {content_type}");
        assert!(reply.text().contains(needle), "{file}");
    }
    let missing = send(
        &fx.app,
        get(&format!("/checks/{id}/other.bin"), &guest.cookie),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let expired = send(
        &fx.app,
        get("/checks/0000000000000000/data.csv", &guest.cookie),
    )
    .await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    assert!(expired.text().contains("已过期"));
}

#[tokio::test]
async fn pasted_text_is_checked_and_bad_input_gets_chinese_errors() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    let text = std::fs::read(common::YUEXIU).expect("example");
    let reply = check(
        &fx,
        &alice,
        &[("csrf", None, alice.csrf.as_bytes()), ("text", None, &text)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("粘贴的表格.txt"));
    assert!(reply.text().contains("保存到语料库"), "a reviewer may save");
    // Nothing sent.
    let reply = check(&fx, &alice, &[("csrf", None, alice.csrf.as_bytes())]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("没有收到表格"));
    // Not a table.
    let reply = check(
        &fx,
        &alice,
        &[
            ("csrf", None, alice.csrf.as_bytes()),
            ("file", Some("x.bin"), &[0u8, 1, 2, 255, 0, 7]),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("无法完成操作"));
    // No CSRF token.
    let reply = check(&fx, &alice, &[("text", None, &text)]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_in_chinese() {
    let mut config = Config::default();
    config.limits.file_size = 1000;
    let fx = fixture(config).await;
    let alice = login(&fx.app, "alice").await;
    let big = vec![b'a'; 5000];
    let reply = check(
        &fx,
        &alice,
        &[
            ("csrf", None, alice.csrf.as_bytes()),
            ("file", Some("big.txt"), &big),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.text().contains("文件过大"));
}

#[tokio::test]
async fn saving_a_checked_table_stores_it() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    let text = "部门名称：测试局\n项目名称\t总计\n";
    let reply = check(
        &fx,
        &alice,
        &[
            ("csrf", None, alice.csrf.as_bytes()),
            (
                "file",
                Some("yuexiu-copy.txt"),
                &std::fs::read(common::YUEXIU).expect("example"),
            ),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{text}");
    let page = reply.text();
    let start = page.find("/checks/").expect("links") + "/checks/".len();
    let id = page[start..start + 16].to_owned();
    let missing_csrf = send(
        &fx.app,
        form(&format!("/checks/{id}/save"), &alice.cookie, &[]),
    )
    .await;
    assert_eq!(missing_csrf.status, StatusCode::FORBIDDEN);
    let saved = send(
        &fx.app,
        form(
            &format!("/checks/{id}/save"),
            &alice.cookie,
            &[("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // The same bytes are already stored as document 1: saving again finds it.
    assert_eq!(saved.location(), "/documents/1");
    let guest = login(&fx.app, "guest").await;
    let refused = send(
        &fx.app,
        form(
            &format!("/checks/{id}/save"),
            &guest.cookie,
            &[("csrf", &guest.csrf)],
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn browse_pages_show_the_corpus() {
    let fx = app().await;
    let guest = login(&fx.app, "guest").await;
    let publishers = send(&fx.app, get("/publishers", &guest.cookie)).await;
    assert_eq!(publishers.status, StatusCode::OK);
    let text = publishers.text();
    assert!(text.contains("越秀区人力资源和社会保障局"), "{text}");
    let link_start = text.find("href=\"/publishers/").expect("a publisher link") + 6;
    let link_end = link_start + text[link_start..].find('"').expect("end");
    let publisher = send(&fx.app, get(&text[link_start..link_end], &guest.cookie)).await;
    assert_eq!(publisher.status, StatusCode::OK);
    assert!(publisher.text().contains("/documents/"));
    assert!(publisher.text().contains("待审"));
    // Findings per table by severity (the first publisher is 花都: 5 errors, 94 warnings, 91 notes;
    // its technical school's 0.01 difference is a rounding note, and C001 accepts paying on time
    // in its three subsidy and award projects).
    assert!(
        publisher
            .text()
            .contains("<td class=\"num\">5</td><td class=\"num\">94</td><td class=\"num\">91</td>"),
        "{}",
        publisher.text()
    );
    let unknown = send(
        &fx.app,
        get(
            "/publishers/%E6%97%A0%E6%AD%A4%E5%8D%95%E4%BD%8D",
            &guest.cookie,
        ),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let document = send(&fx.app, get("/documents/1", &guest.cookie)).await;
    assert_eq!(document.status, StatusCode::OK);
    let page = document.text();
    assert!(page.contains("读取问题") && page.contains("版本"));
    assert!(page.contains("rowspan="));
    assert!(page.contains("审核状态：<strong>待审</strong>"));
    assert!(
        !page.contains("开始审核"),
        "a guest sees no review controls"
    );
    let missing = send(&fx.app, get("/documents/999", &guest.cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("找不到该文档"));
    let bad_id = send(&fx.app, get("/documents/abc", &guest.cookie)).await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);

    let start = page.find("href=\"/projects/").expect("a project link") + 6;
    let end = start + page[start..].find('"').expect("end");
    let project = send(&fx.app, get(&page[start..end], &guest.cookie)).await;
    assert_eq!(project.status, StatusCode::OK);
    assert!(project.text().contains("各年度指标对照"));
    let missing = send(&fx.app, get("/projects/99999", &guest.cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let search = send(
        &fx.app,
        get("/search?q=%E6%BB%A1%E6%84%8F%E5%BA%A6", &guest.cookie),
    )
    .await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(search.text().contains("<mark>满意度</mark>"));
    assert!(search.text().contains("找到 "));
    let bad_year = send(&fx.app, get("/search?q=a&year=abc", &guest.cookie)).await;
    assert_eq!(bad_year.status, StatusCode::BAD_REQUEST);
    assert!(bad_year.text().contains("不是有效的年份"));

    let dashboard = send(&fx.app, get("/dashboard", &guest.cookie)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let text = dashboard.text();
    assert!(
        text.contains("echarts.min.js")
            && text.contains("chart-codes")
            && text.contains("chart-years")
    );
    assert!(
        text.contains("年度未知"),
        "the examples have no year: one point, labelled"
    );
    assert!(text.contains("建议等级分布") && text.contains("<td>优</td>"));
    let echarts = send(&fx.app, get("/assets/vendor/echarts/echarts.min.js", "")).await;
    assert_eq!(echarts.status, StatusCode::OK);
    assert!(echarts.body.len() > 100_000);
    let css = send(&fx.app, get("/assets/style.css", "")).await;
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .contains("css")
    );
    assert_eq!(
        send(&fx.app, get("/assets/none.js", "")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn reviewing_a_finding_is_audited_and_forbidden_to_guests() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    let list = findings(&fx, &alice).await;
    let id = list[0]["id"].as_i64().expect("finding id");
    let uri = format!("/findings/{id}/review");
    // A guest may not review.
    let guest = login(&fx.app, "guest").await;
    let reply = send(
        &fx.app,
        form(
            &uri,
            &guest.cookie,
            &[
                ("decision", "dismissed"),
                ("comment", "不是问题"),
                ("csrf", &guest.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // No CSRF token.
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[("decision", "dismissed"), ("comment", "不是问题")],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // Another session's token.
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[("decision", "accepted"), ("csrf", &guest.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // A dismissal needs a comment.
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[
                ("decision", "dismissed"),
                ("comment", " "),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("驳回审核意见时必须填写理由"));
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[
                ("decision", "dismissed"),
                ("comment", "表中已说明"),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), format!("/documents/1#f-{id}"));
    let after = findings(&fx, &alice).await;
    let finding = after.iter().find(|f| f["id"] == id).expect("finding");
    assert_eq!(finding["review_state"], "dismissed");
    assert_eq!(finding["review_comment"], "表中已说明");
    assert_eq!(finding["reviewed_by"], "alice");
    let audit = send(&fx.app, get("/audit", &alice.cookie)).await;
    assert_eq!(audit.status, StatusCode::OK);
    let text = audit.text();
    assert!(
        text.contains("审核意见决定") && text.contains("表中已说明") && text.contains("已驳回")
    );
    let guest_audit = send(&fx.app, get("/audit", &guest.cookie)).await;
    assert_eq!(guest_audit.status, StatusCode::FORBIDDEN);
    let unknown = send(
        &fx.app,
        form(
            "/findings/99999/review",
            &alice.cookie,
            &[("decision", "accepted"), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// The values of a dashboard chart, from the JSON the page carries for it.
fn chart_values(page: &str, chart: &str) -> Vec<String> {
    let marker = format!("data-target=\"{chart}\">");
    let start = page.find(&marker).expect("chart on the page") + marker.len();
    let end = start + page[start..].find("</script>").expect("end of chart data");
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).expect("chart JSON");
    data["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_str().expect("text").to_owned())
        .collect()
}

#[tokio::test]
async fn grades_and_document_status_follow_the_workflow() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    let projects = send(&fx.app, get("/api/v1/documents/1/projects", &alice.cookie)).await;
    let project = projects.json()[0]["id"].as_i64().expect("project id");
    let detail = send(
        &fx.app,
        get(&format!("/api/v1/projects/{project}"), &alice.cookie),
    )
    .await;
    let suggested = detail.json()["suggested_grade"]
        .as_str()
        .expect("grade")
        .to_owned();
    let other = if suggested == "差" { "优" } else { "差" };
    // The dashboard is cached per corpus version; a grade must show at once all the same.
    let reviewed_before = chart_values(
        &send(&fx.app, get("/dashboard", &alice.cookie)).await.text(),
        "chart-reviewed",
    );
    assert_eq!(reviewed_before, ["0", "0", "0", "0"]);
    let uri = format!("/projects/{project}/grade");
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[("grade", other), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("必须填写理由"));
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[("grade", "甲"), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[
                ("grade", other),
                ("reason", "目标与资金不匹配"),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = send(
        &fx.app,
        form(
            &uri,
            &alice.cookie,
            &[("grade", &suggested), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "the suggested grade needs no reason"
    );
    let page = send(&fx.app, get("/documents/1", &alice.cookie))
        .await
        .text();
    assert!(page.contains("审核等级"));
    let reviewed_after = chart_values(
        &send(&fx.app, get("/dashboard", &alice.cookie)).await.text(),
        "chart-reviewed",
    );
    let position = ["优", "良", "中", "差"]
        .iter()
        .position(|g| *g == suggested)
        .expect("a grade");
    let mut expected = vec!["0"; 4];
    expected[position] = "1";
    assert_eq!(reviewed_after, expected);

    let status = "/documents/1/status";
    let reply = send(
        &fx.app,
        form(
            status,
            &alice.cookie,
            &[("status", "reviewed"), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("不能直接改为"));
    let reply = send(
        &fx.app,
        form(
            status,
            &alice.cookie,
            &[("status", "in_review"), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = send(
        &fx.app,
        form(
            status,
            &alice.cookie,
            &[("status", "returned"), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "returning needs a reason"
    );
    let reply = send(
        &fx.app,
        form(
            status,
            &alice.cookie,
            &[
                ("status", "returned"),
                ("reason", "缺少成本指标"),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let page = send(&fx.app, get("/documents/1", &alice.cookie))
        .await
        .text();
    assert!(page.contains("审核状态：<strong>退回修改</strong>"));
    let queue = send(&fx.app, get("/review", &alice.cookie)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.text().contains("退回修改"));
    let guest = login(&fx.app, "guest").await;
    assert_eq!(
        send(&fx.app, get("/review", &guest.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = send(
        &fx.app,
        form(
            status,
            &guest.cookie,
            &[("status", "in_review"), ("csrf", &guest.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // The 审核意见 lists the confirmed findings with their basis, and the grades.
    let list = findings(&fx, &alice).await;
    let confirmed = list[1]["id"].as_i64().expect("id");
    let reply = send(
        &fx.app,
        form(
            &format!("/findings/{confirmed}/review"),
            &alice.cookie,
            &[
                ("decision", "accepted"),
                ("comment", "请补充"),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let opinion = send(&fx.app, get("/documents/1/opinion", &alice.cookie)).await;
    assert_eq!(opinion.status, StatusCode::OK);
    let text = opinion.text();
    assert!(text.contains("已确认的审核意见</dt><dd>1 条"), "{text}");
    assert!(text.contains(list[1]["message"].as_str().expect("message")));
    assert!(text.contains("审核说明：请补充") && text.contains("审核等级"));
    let xlsx = send(&fx.app, get("/documents/1/opinion.xlsx", &alice.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"));
    let guest = login(&fx.app, "guest").await;
    assert_eq!(
        send(&fx.app, get("/documents/1/opinion", &guest.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let audit = send(&fx.app, get("/audit", &alice.cookie)).await.text();
    assert!(audit.contains("项目等级") && audit.contains("目标与资金不匹配"));
    assert!(audit.contains("审核状态") && audit.contains("缺少成本指标"));
    // Export is the admin's.
    assert_eq!(
        send(&fx.app, get("/audit.xlsx", &alice.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let root = login(&fx.app, "root").await;
    let csv = send(&fx.app, get("/audit.csv", &root.cookie)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().contains("缺少成本指标"));
    let xlsx = send(&fx.app, get("/audit.xlsx", &root.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"));
}

#[tokio::test]
async fn only_admins_manage_users() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    assert_eq!(
        send(&fx.app, get("/admin/users", &alice.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let reply = send(
        &fx.app,
        form(
            "/admin/users",
            &alice.cookie,
            &[
                ("name", "mallory"),
                ("role", "admin"),
                ("password", "password-123"),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let root = login(&fx.app, "root").await;
    let page = send(&fx.app, get("/admin/users", &root.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("审核员"));
    let short = send(
        &fx.app,
        form(
            "/admin/users",
            &root.cookie,
            &[
                ("name", "bob"),
                ("role", "reviewer"),
                ("password", "short"),
                ("csrf", &root.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.text().contains("至少 8 位"));
    let created = send(
        &fx.app,
        form(
            "/admin/users",
            &root.cookie,
            &[
                ("name", "bob"),
                ("role", "reviewer"),
                ("password", "password-123"),
                ("csrf", &root.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let bob = login(&fx.app, "bob").await;
    assert!(
        send(&fx.app, get("/", &bob.cookie))
            .await
            .text()
            .contains("bob（审核员）")
    );
    let promoted = send(
        &fx.app,
        form(
            "/admin/users",
            &root.cookie,
            &[
                ("name", "guest"),
                ("role", "reviewer"),
                ("csrf", &root.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER);
    let user = fx
        .state
        .store()
        .review()
        .user_by_name("guest")
        .await
        .expect("db")
        .expect("user");
    assert_eq!(user.role, Role::Reviewer);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    let without = send(&fx.app, form("/logout", &alice.cookie, &[])).await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    let reply = send(
        &fx.app,
        form("/logout", &alice.cookie, &[("csrf", &alice.csrf)]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.cookie("jixiao_session").as_deref(), Some(""));
    let after = send(&fx.app, get("/", &alice.cookie)).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the old cookie opens nothing"
    );
}

fn bearer(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn the_api_needs_a_token_and_answers_in_json() {
    let fx = app().await;
    let reply = send(&fx.app, get("/api/v1/documents", "")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["code"], "unauthorized");
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("令牌")
    );
    let bad = send(&fx.app, bearer("/api/v1/documents", "jx_wrong")).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);

    let alice = token(&fx, "alice").await;
    let guest = token(&fx, "guest").await;
    let documents = send(&fx.app, bearer("/api/v1/documents", &guest)).await;
    assert_eq!(documents.status, StatusCode::OK);
    assert_eq!(documents.json().as_array().map(Vec::len), Some(2));
    let document = send(&fx.app, bearer("/api/v1/documents/1", &guest)).await;
    assert_eq!(document.json()["status"], "pending");
    assert!(document.json()["model"]["units"].is_array());
    let missing = send(&fx.app, bearer("/api/v1/documents/999", &guest)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], "not_found");
    let search = send(
        &fx.app,
        bearer("/api/v1/search?q=%E6%BB%A1%E6%84%8F%E5%BA%A6", &guest),
    )
    .await;
    assert_eq!(search.status, StatusCode::OK);
    let body = search.json();
    assert_eq!(body["words"][0], "满意度");
    let hits = body["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    assert!(hits.iter().any(|h| {
        h["highlighted"]["name"]
            .as_str()
            .is_some_and(|n| n.contains("<mark>满意度</mark>"))
    }));
    let empty = send(&fx.app, bearer("/api/v1/search?q=%20", &guest)).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.json()["code"], "bad_request");
    let nowhere = send(&fx.app, bearer("/api/v1/nothing", &guest)).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(nowhere.json()["code"], "not_found");

    // Check a table sent as raw text.
    let text = std::fs::read(common::YUEXIU).expect("example");
    let check = Request::post("/api/v1/check?name=yuexiu.txt")
        .header(header::AUTHORIZATION, format!("Bearer {guest}"))
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text.clone()))
        .expect("request");
    let reply = send(&fx.app, check).await;
    assert_eq!(reply.status, StatusCode::OK);
    let json = reply.json();
    assert_eq!(json["documents"][0]["layout"], "department-list");
    assert!(!json["findings"].as_array().expect("findings").is_empty());
    assert!(json["grades"][0]["grade"].is_string());
    let garbage = Request::post("/api/v1/check?name=x.bin")
        .header(header::AUTHORIZATION, format!("Bearer {guest}"))
        .body(Body::from(vec![0u8, 159, 146, 150, 0]))
        .expect("request");
    let reply = send(&fx.app, garbage).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["code"], "unreadable");

    // Review: a guest's token is refused; a dismissal needs a comment.
    let findings = send(&fx.app, bearer("/api/v1/documents/1/findings", &guest)).await;
    let id = findings.json()[0]["id"].as_i64().expect("id");
    let review = |token: &str, body: &str| {
        Request::post(format!("/api/v1/findings/{id}/review"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .expect("request")
    };
    let reply = send(&fx.app, review(&guest, r#"{"decision":"accepted"}"#)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.json()["code"], "forbidden");
    let reply = send(&fx.app, review(&alice, r#"{"decision":"dismissed"}"#)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("理由")
    );
    let reply = send(&fx.app, review(&alice, "not json")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = send(
        &fx.app,
        review(&alice, r#"{"decision":"accepted","comment":"属实"}"#),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["review_state"], "accepted");
    // A browser session cannot change anything through the API (no CSRF token there).
    let session = login(&fx.app, "alice").await;
    let with_cookie = Request::post(format!("/api/v1/findings/{id}/review"))
        .header(header::COOKIE, &session.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"decision":"open"}"#))
        .expect("request");
    assert_eq!(
        send(&fx.app, with_cookie).await.status,
        StatusCode::UNAUTHORIZED
    );
    let audit = fx
        .state
        .store()
        .review()
        .audit_log(10)
        .await
        .expect("audit");
    assert!(audit.iter().any(|a| a.action == "review_finding"
        && a.user == "alice"
        && a.reason.as_deref() == Some("属实")));
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let fx = app().await;
    let reply = send(&fx.app, get("/api/openapi.json", "")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let json = reply.json();
    assert_eq!(json["openapi"], "3.1.0");
    for path in [
        "/api/v1/check",
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/documents/{id}/findings",
        "/api/v1/projects/{id}",
        "/api/v1/search",
        "/api/v1/findings/{id}/review",
        "/api/v1/grades",
    ] {
        assert!(json["paths"][path].is_object(), "{path}");
    }
    assert!(json["components"]["schemas"]["ApiError"].is_object());
    let guest = login(&fx.app, "guest").await;
    let docs = send(&fx.app, get("/api/docs", &guest.cookie)).await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(docs.text().contains("/api/v1/findings/{id}/review"));
}

#[tokio::test]
async fn malformed_addresses_get_chinese_errors() {
    let fx = app().await;
    let guest = login(&fx.app, "guest").await;
    let reply = send(&fx.app, get("/documents/abc", &guest.cookie)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("不是有效的编号"));
    let reply = send(&fx.app, get("/no/such/page", &guest.cookie)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text().contains("找不到该页面"));
    let reply = send(&fx.app, get("/api/v1/documents/abc", &guest.cookie)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["code"], "bad_request");
    let reply = send(&fx.app, get("/api/v1/documents?year=abc", &guest.cookie)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("查询参数")
    );
    let not_a_form = Request::post("/findings/1/review")
        .header(header::COOKIE, &guest.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .expect("request");
    let reply = send(&fx.app, not_a_form).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("表单内容无效"));
}

/// The grades table of a check result page.
fn grades_table(page: &str) -> &str {
    let start = page.find("<table class=\"grades\">").expect("grades table");
    let end = start + page[start..].find("</table>").expect("end of table");
    &page[start..end]
}

/// Regression: a workbook's sheets are documents with the same row numbers, and findings were
/// graded and placed by line alone, so every project of a workbook collected every sheet's
/// findings and was graded 差 with 0 points.
#[tokio::test]
async fn a_workbook_is_graded_sheet_by_sheet_like_its_text() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    let text = std::fs::read(common::YUEXIU).expect("example");
    let parsed = jixiao_parse::parse_bytes("yuexiu.txt", &text, &jixiao_model::Profile::builtin())
        .expect("parses");
    let workbook = jixiao_export::project_sheets_xlsx(&parsed.documents).expect("workbook");
    let from_text = check(
        &fx,
        &alice,
        &[
            ("csrf", None, alice.csrf.as_bytes()),
            ("file", Some("yuexiu.txt"), &text),
        ],
    )
    .await
    .text();
    let from_workbook = check(
        &fx,
        &alice,
        &[
            ("csrf", None, alice.csrf.as_bytes()),
            ("file", Some("yuexiu.xlsx"), &workbook),
        ],
    )
    .await
    .text();
    assert!(from_workbook.contains("每项目一表"));
    assert_eq!(grades_table(&from_workbook), grades_table(&from_text));
}

/// The pages and the review workflow on PostgreSQL, when `JIXIAO_TEST_POSTGRES_URL` is set.
#[tokio::test]
async fn the_review_path_works_on_postgres() {
    let Some(fx) = common::postgres_fixture(Config::default()).await else {
        eprintln!("PostgreSQL web test skipped: set JIXIAO_TEST_POSTGRES_URL");
        return;
    };
    let alice = login(&fx.app, "alice").await;
    for page in [
        "/publishers",
        "/documents/1",
        "/search?q=%E6%BB%A1%E6%84%8F%E5%BA%A6",
        "/dashboard",
        "/review",
    ] {
        let reply = send(&fx.app, get(page, &alice.cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
    }
    let id = findings(&fx, &alice).await[0]["id"].as_i64().expect("id");
    let reply = send(
        &fx.app,
        form(
            &format!("/findings/{id}/review"),
            &alice.cookie,
            &[
                ("decision", "dismissed"),
                ("comment", "表中已说明"),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = send(
        &fx.app,
        form(
            "/documents/1/status",
            &alice.cookie,
            &[("status", "in_review"), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let audit = send(&fx.app, get("/audit", &alice.cookie)).await.text();
    assert!(audit.contains("表中已说明") && audit.contains("审核中"));
    let dashboard = send(&fx.app, get("/dashboard", &alice.cookie)).await.text();
    assert!(dashboard.contains("产出指标"));
    fx.finish().await;
}

#[tokio::test]
async fn cookies_are_secure_behind_tls() {
    let fx = app().await;
    let plain = send(&fx.app, get("/login", "")).await;
    let header = |reply: &common::Reply| {
        reply.headers[header::SET_COOKIE]
            .to_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(!header(&plain).contains("Secure"));
    let proxied = Request::get("/login")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .expect("request");
    assert!(header(&send(&fx.app, proxied).await).contains("; Secure"));
    let flagged = fixture(Config {
        secure_cookies: true,
        ..Config::default()
    })
    .await;
    assert!(header(&send(&flagged.app, get("/login", "")).await).contains("; Secure"));
}

/// WEB.md: a new version of a table returns it to 待审 and carries each finding's decision
/// forward, marked 沿用.
#[tokio::test]
async fn a_new_version_carries_decisions_forward() {
    let fx = app().await;
    let alice = login(&fx.app, "alice").await;
    let list = findings(&fx, &alice).await;
    let finding = list
        .iter()
        .find(|f| f["code"] == "I003")
        .expect("an I003 finding");
    let id = finding["id"].as_i64().expect("id");
    let reply = send(
        &fx.app,
        form(
            &format!("/findings/{id}/review"),
            &alice.cookie,
            &[
                ("decision", "dismissed"),
                ("comment", "该项目无服务对象"),
                ("csrf", &alice.csrf),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = send(
        &fx.app,
        form(
            "/documents/1/status",
            &alice.cookie,
            &[("status", "in_review"), ("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    // The unit publishes a corrected table: one amount changed.
    let text = std::fs::read_to_string(common::YUEXIU).expect("example");
    let changed = text.replacen("44.00", "44.50", 1);
    assert_ne!(changed, text);
    let result = check(
        &fx,
        &alice,
        &[
            ("csrf", None, alice.csrf.as_bytes()),
            ("file", Some("guangzhou-yuexiu-rsj.txt"), changed.as_bytes()),
        ],
    )
    .await
    .text();
    let start = result.find("/checks/").expect("links") + "/checks/".len();
    let check_id = &result[start..start + 16];
    let saved = send(
        &fx.app,
        form(
            &format!("/checks/{check_id}/save"),
            &alice.cookie,
            &[("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let new_version = saved.location().to_owned();
    assert_ne!(new_version, "/documents/1");
    let page = send(&fx.app, get(&new_version, &alice.cookie)).await.text();
    assert!(page.contains("第 2 版"), "{new_version}");
    assert!(page.contains("审核状态：<strong>待审</strong>"));
    assert!(page.contains("沿用：已驳回"));
    assert!(page.contains("沿用上一版本的决定：已驳回") && page.contains("该项目无服务对象"));
    // Only that finding is carried.
    assert_eq!(page.matches("沿用：").count(), 1);
}

/// How many results a search page reports (`找到 N 条`).
fn found_count(page: &str) -> usize {
    let start = page.find("找到 ").expect("a count") + "找到 ".len();
    let end = start + page[start..].find(' ').expect("end of count");
    page[start..end].parse().expect("a number")
}

fn search_page(query: &str) -> String {
    format!("/search?{query}")
}

/// Search cuts Chinese into words (jieba): a word inside a longer word is found where jieba
/// sees it, a run of characters across two words is not, and every result is highlighted.
#[tokio::test]
async fn search_finds_words_the_way_jieba_cuts_them() {
    let fx = fixture(Config::default()).await;
    let guest = login(&fx.app, "guest").await;
    let q = common::encode;
    let whole = send(
        &fx.app,
        get(&search_page(&format!("q={}", q("满意度"))), &guest.cookie),
    )
    .await;
    assert_eq!(whole.status, StatusCode::OK);
    let page = whole.text();
    assert!(found_count(&page) > 0, "{page}");
    assert!(
        page.contains("<td>服务对象<mark>满意度</mark></td>"),
        "{page}"
    );
    assert!(page.contains("分词：<code>满意度</code>"));

    let inner = send(
        &fx.app,
        get(&search_page(&format!("q={}", q("对象"))), &guest.cookie),
    )
    .await
    .text();
    assert!(
        inner.contains("<td>服务<mark>对象</mark>满意度</td>"),
        "{inner}"
    );
    let across = send(
        &fx.app,
        get(&search_page(&format!("q={}", q("象满"))), &guest.cookie),
    )
    .await
    .text();
    assert_eq!(found_count(&across), 0, "{across}");

    // Goals and project names are searched too.
    let goal = send(
        &fx.app,
        get(&search_page(&format!("q={}", q("薪酬调查"))), &guest.cookie),
    )
    .await
    .text();
    assert!(
        goal.contains("<td>绩效目标</td>") && goal.contains("<td>项目</td>"),
        "{goal}"
    );

    // Saving a table that is already in the corpus adds no hit.
    let alice = login(&fx.app, "alice").await;
    let before = found_count(&page);
    let text = std::fs::read(common::HUADU).expect("example");
    let checked = check(
        &fx,
        &alice,
        &[
            ("csrf", None, alice.csrf.as_bytes()),
            ("file", Some("examples/guangzhou-huadu-rsj.txt"), &text),
        ],
    )
    .await
    .text();
    let marker = "action=\"";
    let start = checked.find("action=\"/checks/").expect("a save form") + marker.len();
    let end = start + checked[start..].find('"').expect("end");
    let saved = send(
        &fx.app,
        form(
            &checked[start..end],
            &alice.cookie,
            &[("csrf", &alice.csrf)],
        ),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let again = send(
        &fx.app,
        get(&search_page(&format!("q={}", q("满意度"))), &guest.cookie),
    )
    .await
    .text();
    assert_eq!(found_count(&again), before);
}

/// Search results come a hundred to a page, with links to turn pages that keep the query.
#[tokio::test]
async fn search_results_are_paged() {
    let fx = fixture(Config::default()).await;
    let guest = login(&fx.app, "guest").await;
    // `的` is in more than a hundred goals and values of the two examples.
    let query = format!("q={}", common::encode("的"));
    let first = send(&fx.app, get(&search_page(&query), &guest.cookie))
        .await
        .text();
    let total = found_count(&first);
    assert!(total > 100 && total <= 200, "{total}");
    assert!(first.contains("这是第 1–100 条"), "{first}");
    assert_eq!(
        first.matches("<tr>").count(),
        1 + 100,
        "a header and 100 rows"
    );
    let next = format!("/search?{query}&amp;page=2");
    assert!(first.contains(&format!("href=\"{next}\"")), "{first}");
    assert!(!first.contains("上一页"));

    let second = send(
        &fx.app,
        get(&search_page(&format!("{query}&page=2")), &guest.cookie),
    )
    .await
    .text();
    assert!(
        second.contains(&format!("这是第 101–{total} 条")),
        "{second}"
    );
    assert_eq!(second.matches("<tr>").count(), 1 + total - 100);
    assert!(second.contains("上一页") && !second.contains("下一页"));

    for bad in ["0", "11", "二"] {
        let reply = send(
            &fx.app,
            get(&search_page(&format!("{query}&page={bad}")), &guest.cookie),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "page={bad}");
        assert!(reply.text().contains("页码"), "page={bad}");
    }
    fx.finish().await;
}

/// The filters of the search page: each narrows the results, bad values are refused in Chinese,
/// and the links of a results page keep the filters in force.
#[tokio::test]
async fn search_filters_narrow_and_are_kept_in_links() {
    let fx = fixture(Config::default()).await;
    let guest = login(&fx.app, "guest").await;
    let q = common::encode("满意");
    let count = |query: String| {
        let app = fx.app.clone();
        let cookie = guest.cookie.clone();
        async move {
            let reply = send(&app, get(&search_page(&query), &cookie)).await;
            assert_eq!(reply.status, StatusCode::OK, "{query}");
            found_count(&reply.text())
        }
    };
    let all = count(format!("q={q}")).await;
    assert!(all > 0);

    let huadu = count(format!("q={q}&publisher={}", common::encode("花都"))).await;
    let yuexiu = count(format!("q={q}&publisher={}", common::encode("越秀"))).await;
    assert!(huadu > 0 && yuexiu > 0);
    assert_eq!(huadu + yuexiu, all);

    // Every project has one grade: the grades split the results.
    let mut by_grade = 0;
    for grade in ["优", "良", "中", "差"] {
        by_grade += count(format!("q={q}&grade={}", common::encode(grade))).await;
    }
    assert_eq!(by_grade, all);

    // A002 (合计 does not add up) fires in 花都's table only.
    assert_eq!(count(format!("q={q}&code=a002")).await, huadu);
    assert_eq!(count(format!("q={q}&layout=department-list")).await, all);
    assert_eq!(count(format!("q={q}&layout=project-sheet")).await, 0);
    assert!(count(format!("q={q}&severity=error")).await >= huadu);

    for (query, message) in [
        (format!("q={q}&severity=bad"), "严重程度"),
        (format!("q={q}&grade=A"), "等级"),
        (format!("q={q}&year=abc"), "不是有效的年份"),
    ] {
        let reply = send(&fx.app, get(&search_page(&query), &guest.cookie)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.text().contains(message), "{query}");
    }

    // Links keep the filters: a publisher link narrows to that publisher and keeps the query and
    // the severity, and each filter in force has a link that drops it alone.
    let page = send(
        &fx.app,
        get(
            &search_page(&format!(
                "q={q}&publisher={}&severity=warning",
                common::encode("花都")
            )),
            &guest.cookie,
        ),
    )
    .await
    .text();
    assert!(page.contains("<option value=\"warning\" selected>警告</option>"));
    let publisher = format!("publisher={}", common::encode("花都"));
    let narrowed = format!(
        "href=\"/search?q={q}&amp;publisher={}&amp;severity=warning\"",
        common::encode("广州市花都区人力资源和社会保障局")
    );
    assert!(page.contains(&narrowed), "{narrowed}");
    assert!(page.contains(&format!("href=\"/search?q={q}&amp;severity=warning\"")));
    assert!(page.contains(&format!("href=\"/search?q={q}&amp;{publisher}\"")));

    // The API takes the same filters.
    let token = token(&fx, "guest").await;
    let api = send(
        &fx.app,
        bearer(
            &format!("/api/v1/search?q={q}&publisher={}", common::encode("花都")),
            &token,
        ),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["total"], huadu);
}

/// The review queue and a publisher's page take the same filters.
#[tokio::test]
async fn browse_pages_filter_by_code_severity_layout_and_grade() {
    let fx = fixture(Config::default()).await;
    let alice = login(&fx.app, "alice").await;
    let queue = |query: &'static str| {
        let app = fx.app.clone();
        let cookie = alice.cookie.clone();
        async move {
            let reply = send(&app, get(&format!("/review{query}"), &cookie)).await;
            assert_eq!(reply.status, StatusCode::OK, "{query}");
            reply.text()
        }
    };
    let all = queue("").await;
    assert!(all.contains("guangzhou-huadu-rsj.txt") && all.contains("guangzhou-yuexiu-rsj.txt"));
    let a002 = queue("?code=A002").await;
    assert!(a002.contains("guangzhou-huadu-rsj.txt") && !a002.contains("guangzhou-yuexiu-rsj.txt"));
    assert!(a002.contains("问题编号：A002"));
    let sheets = queue("?layout=project-sheet").await;
    assert!(!sheets.contains("guangzhou-huadu-rsj.txt"));
    let bad = send(&fx.app, get("/review?grade=x", &alice.cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let name = common::encode("广州市花都区人力资源和社会保障局");
    let publisher = send(
        &fx.app,
        get(&format!("/publishers/{name}?code=A002"), &alice.cookie),
    )
    .await
    .text();
    assert!(publisher.contains("guangzhou-huadu-rsj.txt"), "{publisher}");
    let none = send(
        &fx.app,
        get(&format!("/publishers/{name}?code=Z999"), &alice.cookie),
    )
    .await
    .text();
    assert!(none.contains("没有符合筛选条件的表"), "{none}");
}

/// `%XX` for every byte of a path segment.
fn percent(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Sample 33 imported under a policy that makes its recomputed 99.8 a 良, while it prints 优: the
/// API lists it with the summary, and the publisher page shows the scores.
#[tokio::test]
async fn grades_list_self_evaluations_published_above_their_recomputed_grade() {
    let mut config = Config::default();
    config.settings.score_policy = jixiao_score::Policy::from_toml(
        "name = \"strict\"\n[grades]\nexcellent = 99.9\ngood = 95\nfair = 60\n",
    )
    .expect("policy");
    let settings = config.settings.clone();
    let fx = fixture(config).await;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/samples/33_lincang_yongde_minglangzhongxue_2022.txt"
    );
    let bytes = std::fs::read(path).expect("shared sample 33");
    let checker = jixiao_rules::Checker::new(settings);
    let parsed =
        jixiao_parse::parse_bytes("33.txt", &bytes, &checker.settings().profile).expect("parses");
    let prepared = jixiao_store::prepare_file(
        &bytes,
        parsed.documents,
        &parsed.problems,
        &checker,
        &jixiao_store::Overrides::default(),
    )
    .expect("prepares");
    fx.state
        .store()
        .import_batch(&prepared)
        .await
        .expect("imports");

    let guest = token(&fx, "guest").await;
    let reply = send(&fx.app, bearer("/api/v1/grades", &guest)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let json = reply.json();
    let projects = json["projects"].as_array().expect("projects");
    assert_eq!(projects.len(), 1, "{json}");
    assert_eq!(projects[0]["project"], "义务教育营养改善计划专项资金");
    assert_eq!(projects[0]["published_grade"], "优");
    assert_eq!(projects[0]["recomputed_grade"], "良");
    assert_eq!(projects[0]["recomputed_total"], "99.8");
    assert_eq!(projects[0]["difference"], "-3.8");
    assert_eq!(json["summary"][0]["published_higher"], 1);
    let other_year = send(&fx.app, bearer("/api/v1/grades?year=2021", &guest)).await;
    assert_eq!(
        other_year.json()["projects"].as_array().map(Vec::len),
        Some(0)
    );
    let anonymous = send(&fx.app, get("/api/v1/grades", "")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let session = login(&fx.app, "guest").await;
    let page = send(
        &fx.app,
        get(
            &format!("/publishers/{}", percent("临沧市永德县明朗中学")),
            &session.cookie,
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("绩效自评得分核对"), "{html}");
    assert!(html.contains("99.8") && html.contains("偏高"), "{html}");
}
