//! The web app's tables (accounts, sessions, tokens, review workflow, audit log) on both
//! backends: SQLite always, PostgreSQL when `JIXIAO_TEST_POSTGRES_URL` is set (each run in a
//! fresh schema).

use std::str::FromStr as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use jixiao_model::Profile;
use jixiao_rules::{Checker, Settings};
use jixiao_store::{
    DocumentStatus, Filter, NewAudit, Overrides, PostgresStore, ReviewState, Role, SqliteStore,
    Store, StoreError, prepare_file,
};

static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

struct Backend {
    name: &'static str,
    store: Box<dyn Store>,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

async fn backends() -> Vec<Backend> {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = SqliteStore::open(&dir.path().join("corpus.db"))
        .await
        .expect("open sqlite");
    let mut out = vec![Backend {
        name: "sqlite",
        store: Box::new(sqlite),
        cleanup: None,
        _dir: Some(dir),
    }];
    match std::env::var("JIXIAO_TEST_POSTGRES_URL") {
        Ok(url) => {
            let schema = format!(
                "jixiao_review_{}_{}",
                std::process::id(),
                SCHEMAS.fetch_add(1, Ordering::Relaxed)
            );
            let admin = sqlx::PgPool::connect(&url).await.expect("connect");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .expect("create schema");
            let options = sqlx::postgres::PgConnectOptions::from_str(&url)
                .expect("URL")
                .options([("search_path", schema.as_str())]);
            let store = PostgresStore::open_with(options, "test")
                .await
                .expect("open postgres");
            out.push(Backend {
                name: "postgres",
                store: Box::new(store),
                cleanup: Some((url, schema)),
                _dir: None,
            });
        }
        Err(_) => eprintln!("PostgreSQL review tests skipped: set JIXIAO_TEST_POSTGRES_URL"),
    }
    out
}

impl Backend {
    async fn finish(self) {
        if let Some((url, schema)) = &self.cleanup {
            drop(self.store);
            let pool = sqlx::PgPool::connect(url).await.expect("connect");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&pool)
                .await
                .expect("drop schema");
        }
    }
}

async fn import_yuexiu(store: &dyn Store) -> i64 {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/guangzhou-yuexiu-rsj.txt"
    ))
    .expect("example");
    let checker = Checker::new(Settings::default());
    let parsed =
        jixiao_parse::parse_bytes("yuexiu.txt", &bytes, &Profile::builtin()).expect("parses");
    let prepared = prepare_file(
        &bytes,
        parsed.documents,
        &parsed.problems,
        &checker,
        &Overrides::default(),
    )
    .expect("prepares");
    let outcomes = store.import_batch(&prepared).await.expect("imports");
    match outcomes[0] {
        jixiao_store::ImportOutcome::Imported { id } => id,
        other => panic!("unexpected {other:?}"),
    }
}

fn audit<'a>(at: &'a str, kind: &'a str, id: i64, action: &'a str) -> NewAudit<'a> {
    NewAudit {
        at,
        user: "alice",
        object_kind: kind,
        object_id: id,
        action,
        before: Some("之前".to_owned()),
        after: Some("之后".to_owned()),
        reason: Some("理由".to_owned()),
    }
}

#[tokio::test]
async fn accounts_sessions_and_tokens() {
    for backend in backends().await {
        let review = backend.store.review();
        let at = "2026-12-06T02:00:00Z";
        let id = review
            .create_user("alice", Role::Reviewer, "$argon2id$hash", at, "命令行")
            .await
            .expect("create");
        let taken = review
            .create_user("alice", Role::Guest, "x", at, "命令行")
            .await;
        assert!(
            matches!(taken, Err(StoreError::Database(_))),
            "{}",
            backend.name
        );
        let user = review
            .user_by_name("alice")
            .await
            .expect("read")
            .expect("user");
        assert_eq!(
            (user.id, user.role),
            (id, Role::Reviewer),
            "{}",
            backend.name
        );
        assert!(review.user_by_name("bob").await.expect("read").is_none());

        review
            .create_session("hash-1", id, "csrf-1", at, "2026-12-06T14:00:00Z")
            .await
            .expect("session");
        let (user, csrf, expires) = review
            .session("hash-1")
            .await
            .expect("read")
            .expect("session");
        assert_eq!(
            (user.name.as_str(), csrf.as_str(), expires.as_str()),
            ("alice", "csrf-1", "2026-12-06T14:00:00Z")
        );
        // A new session clears the expired ones.
        review
            .create_session(
                "hash-2",
                id,
                "csrf-2",
                "2026-12-07T00:00:00Z",
                "2026-12-07T12:00:00Z",
            )
            .await
            .expect("session");
        assert!(
            review.session("hash-1").await.expect("read").is_none(),
            "{}",
            backend.name
        );
        review.delete_session("hash-2").await.expect("delete");
        assert!(review.session("hash-2").await.expect("read").is_none());

        review
            .create_api_token(
                "token-hash",
                id,
                "脚本",
                &audit(at, "token", 0, "create_token"),
            )
            .await
            .expect("token");
        let owner = review
            .api_token_user("token-hash")
            .await
            .expect("read")
            .expect("user");
        assert_eq!(owner.name, "alice");
        assert!(
            review
                .api_token_user("other")
                .await
                .expect("read")
                .is_none()
        );

        review
            .set_user_role(id, Role::Admin, &audit(at, "user", id, "set_role"))
            .await
            .expect("role");
        assert_eq!(review.users().await.expect("users")[0].role, Role::Admin);
        let missing = review
            .set_user_role(999, Role::Guest, &audit(at, "user", 999, "set_role"))
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })));
        let log = review.audit_log(10).await.expect("audit");
        let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions,
            ["set_role", "create_token", "create_user"],
            "{}",
            backend.name
        );
        assert_eq!(log[2].user, "命令行");
        backend.finish().await;
    }
}

#[tokio::test]
async fn review_actions_write_their_audit_row() {
    for backend in backends().await {
        let store = backend.store.as_ref();
        let document = import_yuexiu(store).await;
        let review = store.review();
        let at = "2026-12-06T03:00:00Z";

        let versions = review.document_versions(document).await.expect("versions");
        assert_eq!(versions.len(), 1, "{}", backend.name);
        assert_eq!((versions[0].id, versions[0].version), (document, 1));
        assert!(
            review
                .document_versions(9999)
                .await
                .expect("versions")
                .is_empty()
        );

        let projects = review.document_projects(document).await.expect("projects");
        assert_eq!(projects.len(), 10, "{}", backend.name);
        assert_eq!(projects[0].ordinal, 0);
        assert_eq!(
            review.project(projects[3].id).await.expect("read"),
            Some(projects[3].clone())
        );

        let findings = store.findings(document).await.expect("findings");
        let places = review.finding_places(document).await.expect("places");
        assert_eq!(places.len(), findings.len());
        let placed = places
            .iter()
            .find(|p| p.indicator_ordinal.is_some())
            .expect("a finding on an indicator");
        let row = findings
            .iter()
            .find(|f| f.id == placed.finding_id)
            .expect("row");
        let project =
            &projects[usize::try_from(placed.project_ordinal.expect("project")).expect("index")];
        assert_eq!(
            row.project.as_deref(),
            Some(project.name.as_str()),
            "{}",
            backend.name
        );
        assert_eq!(
            review.finding_place(placed.finding_id).await.expect("read"),
            Some(*placed)
        );

        review
            .review_finding_audited(
                placed.finding_id,
                ReviewState::Dismissed,
                "alice",
                Some("表中已说明"),
                &audit(at, "finding", placed.finding_id, "review_finding"),
            )
            .await
            .expect("review");
        let after = store.findings(document).await.expect("findings");
        let reviewed = after
            .iter()
            .find(|f| f.id == placed.finding_id)
            .expect("row");
        assert_eq!(reviewed.review_state, ReviewState::Dismissed);
        assert_eq!(reviewed.review_comment.as_deref(), Some("表中已说明"));
        // An unknown finding changes nothing and writes no audit row.
        let missing = review
            .review_finding_audited(
                9999,
                ReviewState::Accepted,
                "alice",
                None,
                &audit(at, "finding", 9999, "review_finding"),
            )
            .await;
        assert!(
            matches!(missing, Err(StoreError::NotFound { .. })),
            "{}",
            backend.name
        );

        assert!(
            review
                .document_status(document)
                .await
                .expect("read")
                .is_none()
        );
        review
            .set_document_status(
                document,
                DocumentStatus::InReview,
                &audit(at, "document", document, "set_status"),
            )
            .await
            .expect("status");
        review
            .set_document_status(
                document,
                DocumentStatus::Returned,
                &audit(at, "document", document, "set_status"),
            )
            .await
            .expect("status");
        let status = review
            .document_status(document)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(status.status, DocumentStatus::Returned);
        assert_eq!(status.updated_by, "alice");
        let all = review
            .document_statuses(&Filter::default())
            .await
            .expect("statuses");
        assert_eq!(all.len(), 1);
        let missing = review
            .set_document_status(
                9999,
                DocumentStatus::InReview,
                &audit(at, "document", 9999, "set_status"),
            )
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })));

        review
            .set_project_grade(
                project.id,
                "中",
                "良",
                Some("目标不清"),
                &audit(at, "project", project.id, "set_grade"),
            )
            .await
            .expect("grade");
        review
            .set_project_grade(
                project.id,
                "差",
                "良",
                Some("资金不符"),
                &audit(at, "project", project.id, "set_grade"),
            )
            .await
            .expect("grade again");
        let grades = review.project_grades(document).await.expect("grades");
        assert_eq!(grades.len(), 1, "{}", backend.name);
        assert_eq!(
            (grades[0].grade.as_str(), grades[0].reason.as_deref()),
            ("差", Some("资金不符"))
        );
        assert_eq!(
            review
                .all_project_grades(&Filter::default())
                .await
                .expect("all")
                .len(),
            1
        );

        let project_findings = review
            .project_findings(&Filter::default())
            .await
            .expect("findings");
        assert!(project_findings.iter().any(|f| f.project_id == project.id));
        let categories = review
            .category_counts(&Filter::default())
            .await
            .expect("categories");
        assert_eq!(
            categories.iter().map(|c| c.indicators).sum::<i64>(),
            20,
            "{}",
            backend.name
        );

        let log = review.audit_log(100).await.expect("audit");
        assert_eq!(log.len(), 5, "{}: one row per change", backend.name);
        assert_eq!(log[0].action, "set_grade");
        assert_eq!(log[4].action, "review_finding");
        assert_eq!(log[4].reason.as_deref(), Some("理由"));
        assert!(store.verify().await.expect("verify").is_empty());
        backend.finish().await;
    }
}
