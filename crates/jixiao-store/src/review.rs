//! What the web app (`jixiao serve`) keeps beside the corpus: accounts, sessions and API tokens;
//! the review workflow (a status per document version, a grade per project, decisions on
//! findings); and the audit log that every review action writes to in the same transaction.
//!
//! [`ReviewStore`] is reached through [`crate::Store::review`]; both backends implement it with
//! the same SQL ([`review_impl!`]), as [`crate::sql`] does for the corpus.

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::{Filter, Result, ReviewState};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 访客: reads only.
    Guest,
    /// 审核员: reviews findings, grades projects, sets document status.
    Reviewer,
    /// 管理员: everything, and manages users.
    Admin,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Admin, Self::Reviewer, Self::Guest];

    pub fn name(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Reviewer => "reviewer",
            Self::Guest => "guest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "管理员",
            Self::Reviewer => "审核员",
            Self::Guest => "访客",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: String,
}

/// A document version's place in the review workflow (WEB.md): 待审 → 审核中 → 已审, or back to
/// the unit as 退回修改.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Pending,
    InReview,
    Reviewed,
    Returned,
}

impl DocumentStatus {
    pub const ALL: [Self; 4] = [
        Self::Pending,
        Self::InReview,
        Self::Reviewed,
        Self::Returned,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::InReview => "in_review",
            Self::Reviewed => "reviewed",
            Self::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "待审",
            Self::InReview => "审核中",
            Self::Reviewed => "已审",
            Self::Returned => "退回修改",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A document version's review status as stored; a version never touched is [`DocumentStatus::Pending`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentStatusRow {
    pub document_id: i64,
    pub status: DocumentStatus,
    pub updated_by: String,
    pub updated_at: String,
}

/// A reviewer's grade of a project, beside the suggested one it overrides or keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectGradeRow {
    pub project_id: i64,
    pub grade: String,
    pub suggested: String,
    pub reason: Option<String>,
    pub graded_by: String,
    pub graded_at: String,
}

/// A stored project: its id and where it is in its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectRef {
    pub id: i64,
    pub document_id: i64,
    /// The project's place among the document's projects (all units, in order).
    pub ordinal: i64,
    pub unit: String,
    pub name: String,
    pub total: Option<Decimal>,
}

/// Which project and indicator of its document a stored finding concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FindingPlace {
    pub finding_id: i64,
    pub document_id: i64,
    pub project_ordinal: Option<i64>,
    /// The indicator's place within its project.
    pub indicator_ordinal: Option<i64>,
}

/// A finding of a project, for grading many projects at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectFinding {
    pub project_id: i64,
    pub code: String,
    pub severity: String,
}

/// How many indicators a 一级/二级 category holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub indicators: i64,
}

/// One audit row to write: who did what to which object, the state before and after, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit<'a> {
    pub at: &'a str,
    pub user: &'a str,
    /// `finding`, `project`, `document`, `user`, `token`.
    pub object_kind: &'a str,
    pub object_id: i64,
    pub action: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

/// One audit row as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub object_kind: String,
    pub object_id: i64,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

/// Accounts, the review workflow and the audit log. Every method that changes review state takes
/// the audit row it writes, and writes both in one transaction.
#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// Creates an account (`by` names who did, for the audit log); fails if the name is taken.
    async fn create_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        at: &str,
        by: &str,
    ) -> Result<i64>;
    async fn user_by_name(&self, name: &str) -> Result<Option<User>>;
    async fn users(&self) -> Result<Vec<User>>;
    /// Changes a user's role, with the audit row saying so.
    async fn set_user_role(&self, user_id: i64, role: Role, audit: &NewAudit<'_>) -> Result<()>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        at: &str,
        expires_at: &str,
    ) -> Result<()>;
    /// The session's user, CSRF token and expiry time.
    async fn session(&self, token_hash: &str) -> Result<Option<(User, String, String)>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: i64,
        label: &str,
        audit: &NewAudit<'_>,
    ) -> Result<i64>;
    async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>>;

    /// Every version of the document a version belongs to, newest first; empty when there is no
    /// such version.
    async fn document_versions(&self, document_id: i64) -> Result<Vec<crate::DocumentInfo>>;

    /// The projects of a document version, in order.
    async fn document_projects(&self, document_id: i64) -> Result<Vec<ProjectRef>>;
    async fn project(&self, project_id: i64) -> Result<Option<ProjectRef>>;
    /// Where each finding of a document version points.
    async fn finding_places(&self, document_id: i64) -> Result<Vec<FindingPlace>>;
    async fn finding_place(&self, finding_id: i64) -> Result<Option<FindingPlace>>;

    /// Records a decision on a finding and its audit row in one transaction.
    async fn review_finding_audited(
        &self,
        finding_id: i64,
        state: ReviewState,
        by: &str,
        comment: Option<&str>,
        audit: &NewAudit<'_>,
    ) -> Result<()>;

    async fn document_status(&self, document_id: i64) -> Result<Option<DocumentStatusRow>>;
    /// The stored statuses of the latest versions a filter selects (unlisted ones are 待审).
    async fn document_statuses(&self, filter: &Filter) -> Result<Vec<DocumentStatusRow>>;
    async fn set_document_status(
        &self,
        document_id: i64,
        status: DocumentStatus,
        audit: &NewAudit<'_>,
    ) -> Result<()>;

    async fn project_grades(&self, document_id: i64) -> Result<Vec<ProjectGradeRow>>;
    /// Reviewers' grades of the latest versions a filter selects.
    async fn all_project_grades(&self, filter: &Filter) -> Result<Vec<ProjectGradeRow>>;
    async fn set_project_grade(
        &self,
        project_id: i64,
        grade: &str,
        suggested: &str,
        reason: Option<&str>,
        audit: &NewAudit<'_>,
    ) -> Result<()>;

    /// The findings of every project of the latest versions a filter selects.
    async fn project_findings(&self, filter: &Filter) -> Result<Vec<ProjectFinding>>;
    /// Indicators counted by 一级 and 二级 category over the latest versions a filter selects.
    async fn category_counts(&self, filter: &Filter) -> Result<Vec<CategoryCount>>;

    /// The newest audit rows first, at most `limit`.
    async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>>;
}

/// Implements [`ReviewStore`] for a backend with a `pool` field and a `begin_write` method.
macro_rules! review_impl {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn write_audit(
                tx: &mut sqlx::Transaction<'static, $db>,
                audit: &$crate::NewAudit<'_>,
            ) -> $crate::Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (at, user_name, object_kind, object_id, action, \
                     before_value, after_value, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(audit.at)
                .bind(audit.user)
                .bind(audit.object_kind)
                .bind(audit.object_id)
                .bind(audit.action)
                .bind(audit.before.as_deref())
                .bind(audit.after.as_deref())
                .bind(audit.reason.as_deref())
                .execute(&mut **tx)
                .await?;
                // Every audited action may change what the dashboard and lists show.
                sqlx::query(
                    "UPDATE corpus_state SET review_generation = review_generation + 1 WHERE id = 1",
                )
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::ReviewStore for $store {
            async fn create_user(
                &self,
                name: &str,
                role: $crate::Role,
                password_hash: &str,
                at: &str,
                by: &str,
            ) -> $crate::Result<i64> {
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (name, role, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(name)
                .bind(role.name())
                .bind(password_hash)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                Self::write_audit(
                    &mut tx,
                    &$crate::NewAudit {
                        at,
                        user: by,
                        object_kind: "user",
                        object_id: id,
                        action: "create_user",
                        before: None,
                        after: Some(format!("{name}：{}", role.label())),
                        reason: None,
                    },
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn user_by_name(&self, name: &str) -> $crate::Result<Option<$crate::User>> {
                let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT id, name, role, password_hash, created_at FROM users WHERE name = $1",
                )
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.and_then($crate::review::user_from_row))
            }

            async fn users(&self) -> $crate::Result<Vec<$crate::User>> {
                let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT id, name, role, password_hash, created_at FROM users ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .filter_map($crate::review::user_from_row)
                    .collect())
            }

            async fn set_user_role(
                &self,
                user_id: i64,
                role: $crate::Role,
                audit: &$crate::NewAudit<'_>,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                    .bind(role.name())
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound {
                        what: "用户",
                        id: user_id,
                    });
                }
                Self::write_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(
                &self,
                token_hash: &str,
                user_id: i64,
                csrf: &str,
                at: &str,
                expires_at: &str,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                // Expired sessions go when a new one comes, so the table stays small.
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(at)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session(
                &self,
                token_hash: &str,
            ) -> $crate::Result<Option<($crate::User, String, String)>> {
                let row: Option<(i64, String, String, String, String, String, String)> =
                    sqlx::query_as(
                        "SELECT u.id, u.name, u.role, u.password_hash, u.created_at, s.csrf, \
                         s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
                         WHERE s.token_hash = $1",
                    )
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.and_then(|(id, name, role, hash, created, csrf, expires)| {
                    let user = $crate::review::user_from_row((id, name, role, hash, created))?;
                    Some((user, csrf, expires))
                }))
            }

            async fn delete_session(&self, token_hash: &str) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_api_token(
                &self,
                token_hash: &str,
                user_id: i64,
                label: &str,
                audit: &$crate::NewAudit<'_>,
            ) -> $crate::Result<i64> {
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO api_tokens (token_hash, user_id, label, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(token_hash)
                .bind(user_id)
                .bind(label)
                .bind(audit.at)
                .fetch_one(&mut *tx)
                .await?;
                let audit = $crate::NewAudit {
                    object_id: id,
                    ..audit.clone()
                };
                Self::write_audit(&mut tx, &audit).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn api_token_user(
                &self,
                token_hash: &str,
            ) -> $crate::Result<Option<$crate::User>> {
                let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT u.id, u.name, u.role, u.password_hash, u.created_at \
                     FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.and_then($crate::review::user_from_row))
            }

            async fn document_versions(
                &self,
                document_id: i64,
            ) -> $crate::Result<Vec<$crate::DocumentInfo>> {
                let query = format!(
                    "{} WHERE document_key = \
                     (SELECT document_key FROM documents WHERE id = $1) ORDER BY version DESC",
                    $crate::sql::DOCUMENT_INFO_SELECT
                );
                let rows: Vec<$crate::sql::DocumentInfoRow> = sqlx::query_as(&query)
                    .bind(document_id)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map($crate::sql::document_info).collect()
            }

            async fn document_projects(
                &self,
                document_id: i64,
            ) -> $crate::Result<Vec<$crate::ProjectRef>> {
                let rows: Vec<(i64, i64, i64, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT p.id, p.document_id, p.ordinal, u.name, p.name, CAST(p.total AS TEXT) \
                     FROM projects p JOIN units u ON u.id = p.unit_id \
                     WHERE p.document_id = $1 ORDER BY p.ordinal",
                )
                .bind(document_id)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::review::project_from_row).collect()
            }

            async fn project(&self, project_id: i64) -> $crate::Result<Option<$crate::ProjectRef>> {
                let row: Option<(i64, i64, i64, String, String, Option<String>)> =
                    sqlx::query_as(
                        "SELECT p.id, p.document_id, p.ordinal, u.name, p.name, \
                         CAST(p.total AS TEXT) FROM projects p JOIN units u ON u.id = p.unit_id \
                         WHERE p.id = $1",
                    )
                    .bind(project_id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::review::project_from_row).transpose()
            }

            async fn finding_places(
                &self,
                document_id: i64,
            ) -> $crate::Result<Vec<$crate::FindingPlace>> {
                let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
                    "SELECT f.id, f.document_id, p.ordinal, i.ordinal FROM findings f \
                     LEFT JOIN projects p ON p.id = f.project_id \
                     LEFT JOIN indicators i ON i.id = f.indicator_id \
                     WHERE f.document_id = $1 ORDER BY f.id",
                )
                .bind(document_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| $crate::FindingPlace {
                        finding_id: r.0,
                        document_id: r.1,
                        project_ordinal: r.2,
                        indicator_ordinal: r.3,
                    })
                    .collect())
            }

            async fn finding_place(
                &self,
                finding_id: i64,
            ) -> $crate::Result<Option<$crate::FindingPlace>> {
                let row: Option<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
                    "SELECT f.id, f.document_id, p.ordinal, i.ordinal FROM findings f \
                     LEFT JOIN projects p ON p.id = f.project_id \
                     LEFT JOIN indicators i ON i.id = f.indicator_id WHERE f.id = $1",
                )
                .bind(finding_id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|r| $crate::FindingPlace {
                    finding_id: r.0,
                    document_id: r.1,
                    project_ordinal: r.2,
                    indicator_ordinal: r.3,
                }))
            }

            async fn review_finding_audited(
                &self,
                finding_id: i64,
                state: $crate::ReviewState,
                by: &str,
                comment: Option<&str>,
                audit: &$crate::NewAudit<'_>,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE findings SET review_state = $1, reviewed_by = $2, \
                     reviewed_at = CURRENT_TIMESTAMP, review_comment = $3 WHERE id = $4",
                )
                .bind(state.name())
                .bind(by)
                .bind(comment)
                .bind(finding_id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound {
                        what: "问题",
                        id: finding_id,
                    });
                }
                Self::write_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn document_status(
                &self,
                document_id: i64,
            ) -> $crate::Result<Option<$crate::DocumentStatusRow>> {
                let row: Option<(i64, String, String, String)> = sqlx::query_as(
                    "SELECT document_id, status, updated_by, updated_at FROM document_reviews \
                     WHERE document_id = $1",
                )
                .bind(document_id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.and_then($crate::review::status_from_row))
            }

            async fn document_statuses(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::DocumentStatusRow>> {
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(&format!(
                    "SELECT r.document_id, r.status, r.updated_by, r.updated_at \
                     FROM document_reviews r JOIN documents d ON d.id = r.document_id \
                     WHERE {} ORDER BY r.document_id",
                    $crate::sql::FILTER
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .filter_map($crate::review::status_from_row)
                    .collect())
            }

            async fn set_document_status(
                &self,
                document_id: i64,
                status: $crate::DocumentStatus,
                audit: &$crate::NewAudit<'_>,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let exists: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE id = $1")
                        .bind(document_id)
                        .fetch_one(&mut *tx)
                        .await?;
                if exists == 0 {
                    return Err($crate::StoreError::NotFound {
                        what: "文档",
                        id: document_id,
                    });
                }
                sqlx::query(
                    "INSERT INTO document_reviews (document_id, status, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (document_id) DO UPDATE SET \
                     status = excluded.status, updated_by = excluded.updated_by, \
                     updated_at = excluded.updated_at",
                )
                .bind(document_id)
                .bind(status.name())
                .bind(audit.user)
                .bind(audit.at)
                .execute(&mut *tx)
                .await?;
                Self::write_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn project_grades(
                &self,
                document_id: i64,
            ) -> $crate::Result<Vec<$crate::ProjectGradeRow>> {
                let rows: Vec<(i64, String, String, Option<String>, String, String)> =
                    sqlx::query_as(
                        "SELECT g.project_id, g.grade, g.suggested, g.reason, g.graded_by, \
                         g.graded_at FROM project_grades g \
                         JOIN projects p ON p.id = g.project_id \
                         WHERE p.document_id = $1 ORDER BY p.ordinal",
                    )
                    .bind(document_id)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map($crate::review::grade_from_row)
                    .collect())
            }

            async fn all_project_grades(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::ProjectGradeRow>> {
                let rows: Vec<(i64, String, String, Option<String>, String, String)> =
                    sqlx::query_as(&format!(
                        "SELECT g.project_id, g.grade, g.suggested, g.reason, g.graded_by, \
                         g.graded_at FROM project_grades g \
                         JOIN projects p ON p.id = g.project_id \
                         JOIN documents d ON d.id = p.document_id \
                         WHERE {} ORDER BY g.project_id",
                        $crate::sql::FILTER
                    ))
                    .bind(filter.publisher_pattern())
                    .bind(filter.year())
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map($crate::review::grade_from_row)
                    .collect())
            }

            async fn set_project_grade(
                &self,
                project_id: i64,
                grade: &str,
                suggested: &str,
                reason: Option<&str>,
                audit: &$crate::NewAudit<'_>,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let exists: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE id = $1")
                        .bind(project_id)
                        .fetch_one(&mut *tx)
                        .await?;
                if exists == 0 {
                    return Err($crate::StoreError::NotFound {
                        what: "项目",
                        id: project_id,
                    });
                }
                sqlx::query(
                    "INSERT INTO project_grades (project_id, grade, suggested, reason, \
                     graded_by, graded_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (project_id) DO UPDATE SET grade = excluded.grade, \
                     suggested = excluded.suggested, reason = excluded.reason, \
                     graded_by = excluded.graded_by, graded_at = excluded.graded_at",
                )
                .bind(project_id)
                .bind(grade)
                .bind(suggested)
                .bind(reason)
                .bind(audit.user)
                .bind(audit.at)
                .execute(&mut *tx)
                .await?;
                Self::write_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn project_findings(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::ProjectFinding>> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
                    "SELECT p.id, f.code, f.severity FROM projects p \
                     JOIN documents d ON d.id = p.document_id \
                     LEFT JOIN findings f ON f.project_id = p.id \
                     WHERE {} AND f.id IS NOT NULL ORDER BY p.id, f.id",
                    $crate::sql::FILTER
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(project_id, code, severity)| $crate::ProjectFinding {
                        project_id,
                        code,
                        severity,
                    })
                    .collect())
            }

            async fn category_counts(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::CategoryCount>> {
                let rows: Vec<(Option<String>, Option<String>, i64)> = sqlx::query_as(&format!(
                    "SELECT c.level1, c.level2, COUNT(*) FROM indicators i \
                     JOIN documents d ON d.id = i.document_id \
                     LEFT JOIN indicator_categories c ON c.id = i.category_id WHERE {} \
                     GROUP BY c.level1, c.level2 ORDER BY c.level1, c.level2",
                    $crate::sql::FILTER
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(level1, level2, indicators)| $crate::CategoryCount {
                        level1,
                        level2,
                        indicators,
                    })
                    .collect())
            }

            async fn audit_log(&self, limit: i64) -> $crate::Result<Vec<$crate::AuditEntry>> {
                type Row = (
                    i64,
                    String,
                    String,
                    String,
                    i64,
                    String,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                );
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT id, at, user_name, object_kind, object_id, action, before_value, \
                     after_value, reason FROM audit_log ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| $crate::AuditEntry {
                        id: r.0,
                        at: r.1,
                        user: r.2,
                        object_kind: r.3,
                        object_id: r.4,
                        action: r.5,
                        before: r.6,
                        after: r.7,
                        reason: r.8,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use review_impl;

pub(crate) fn user_from_row(
    (id, name, role, password_hash, created_at): (i64, String, String, String, String),
) -> Option<User> {
    Some(User {
        id,
        name,
        role: Role::from_name(&role)?,
        password_hash,
        created_at,
    })
}

pub(crate) fn project_from_row(
    (id, document_id, ordinal, unit, name, total): (i64, i64, i64, String, String, Option<String>),
) -> Result<ProjectRef> {
    Ok(ProjectRef {
        id,
        document_id,
        ordinal,
        unit,
        name,
        total: crate::sql::decimal(id, "projects.total", total)?,
    })
}

pub(crate) fn status_from_row(
    (document_id, status, updated_by, updated_at): (i64, String, String, String),
) -> Option<DocumentStatusRow> {
    Some(DocumentStatusRow {
        document_id,
        status: DocumentStatus::from_name(&status)?,
        updated_by,
        updated_at,
    })
}

pub(crate) fn grade_from_row(
    (project_id, grade, suggested, reason, graded_by, graded_at): (
        i64,
        String,
        String,
        Option<String>,
        String,
        String,
    ),
) -> ProjectGradeRow {
    ProjectGradeRow {
        project_id,
        grade,
        suggested,
        reason,
        graded_by,
        graded_at,
    }
}
