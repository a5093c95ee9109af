//! A server over a fresh corpus with the bundled examples and three users, for the route and
//! browser tests.

#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use jixiao_rules::Checker;
use jixiao_store::{Overrides, Role, SqliteStore, Store};
use jixiao_web::{AppState, Config};
use tower::ServiceExt as _;

pub const PASSWORD: &str = "password-123";

pub const YUEXIU: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/guangzhou-yuexiu-rsj.txt"
);
pub const HUADU: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/guangzhou-huadu-rsj.txt"
);

pub struct Fixture {
    pub state: AppState,
    pub app: Router,
    /// The PostgreSQL server and schema to drop when done.
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Fixture {
    /// Drops a PostgreSQL fixture's schema.
    pub async fn finish(self) {
        if let Some((url, schema)) = &self.postgres {
            let pool = sqlx::PgPool::connect(url).await.expect("connect");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&pool)
                .await
                .expect("drop schema");
        }
    }
}

/// A corpus with both examples imported and the users 管理员 root, 审核员 alice and 访客 guest,
/// in an SQLite file.
pub async fn fixture(config: Config) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("corpus.db"))
        .await
        .expect("open store");
    fixture_on(Arc::new(store), config, dir).await
}

/// [`fixture`] in a fresh schema of the PostgreSQL server `JIXIAO_TEST_POSTGRES_URL` names, if
/// it is set.
pub async fn postgres_fixture(config: Config) -> Option<Fixture> {
    use std::str::FromStr as _;
    let url = std::env::var("JIXIAO_TEST_POSTGRES_URL").ok()?;
    let schema = format!("jixiao_web_test_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(&admin)
        .await
        .expect("drop schema");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .expect("create schema");
    let options = sqlx::postgres::PgConnectOptions::from_str(&url)
        .expect("URL")
        .options([("search_path", schema.as_str())]);
    let store = jixiao_store::PostgresStore::open_with(options, "test")
        .await
        .expect("open postgres");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fixture = fixture_on(Arc::new(store), config, dir).await;
    fixture.postgres = Some((url, schema));
    Some(fixture)
}

async fn fixture_on(store: Arc<dyn Store>, config: Config, dir: tempfile::TempDir) -> Fixture {
    let checker = Checker::new(config.settings.clone());
    let mut documents = Vec::new();
    for path in [YUEXIU, HUADU] {
        let bytes = std::fs::read(path).expect("example");
        let name = format!("examples/{}", path.rsplit('/').next().unwrap_or_default());
        let parsed = jixiao_parse::parse_bytes(&name, &bytes, &checker.settings().profile)
            .expect("example parses");
        documents.extend(
            jixiao_store::prepare_file(
                &bytes,
                parsed.documents,
                &parsed.problems,
                &checker,
                &Overrides::default(),
            )
            .expect("prepare"),
        );
    }
    store.import_batch(&documents).await.expect("import");
    let hash = jixiao_web::hash_password(PASSWORD).expect("hash");
    for (name, role) in [
        ("root", Role::Admin),
        ("alice", Role::Reviewer),
        ("guest", Role::Guest),
    ] {
        store
            .review()
            .create_user(name, role, &hash, &jixiao_web::now(), "测试")
            .await
            .expect("user");
    }
    let index = jixiao_search::SearchIndex::open(&dir.path().join("corpus.db.index"))
        .expect("search index");
    index.sync(store.as_ref()).await.expect("index the corpus");
    let state = AppState::with_search(store, config, Arc::new(index));
    Fixture {
        app: jixiao_web::app(state.clone()),
        state,
        postgres: None,
        _dir: dir,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The value a `Set-Cookie` header gives `name`, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                let first = v.split(';').next()?;
                let (key, value) = first.split_once('=')?;
                (key == name).then(|| value.to_owned())
            })
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let text = self.text();
        let marker = "name=\"csrf\" value=\"";
        let start = text.find(marker).expect("the page has a form") + marker.len();
        text[start..start + 64].to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}

pub fn form(uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request")
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A multipart body with the given fields; `file` fields carry a file name.
pub fn multipart(uri: &str, cookie: &str, fields: &[(&str, Option<&str>, &[u8])]) -> Request<Body> {
    let boundary = "----jixiao-test-boundary";
    let mut body = Vec::new();
    for (name, file_name, bytes) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file_name {
            Some(file) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

/// A logged-in browser: its cookie header and the CSRF token of its forms.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub async fn login(app: &Router, name: &str) -> Session {
    let page = send(app, get("/login", "")).await;
    let anonymous = format!(
        "jixiao_csrf={}",
        page.cookie("jixiao_csrf").expect("csrf cookie")
    );
    let reply = send(
        app,
        form(
            "/login",
            &anonymous,
            &[
                ("name", name),
                ("password", PASSWORD),
                ("csrf", &page.csrf()),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{name} logs in");
    let cookie = format!(
        "jixiao_session={}",
        reply.cookie("jixiao_session").expect("session cookie")
    );
    let home = send(app, get("/", &cookie)).await;
    assert_eq!(home.status, StatusCode::OK);
    Session {
        csrf: home.csrf(),
        cookie,
    }
}

/// A new API token for the user `name`, as `jixiao user token` makes one.
pub async fn token(fx: &Fixture, name: &str) -> String {
    let user = fx
        .state
        .store()
        .review()
        .user_by_name(name)
        .await
        .expect("db")
        .expect("user");
    let (token, hash) = jixiao_web::new_api_token();
    fx.state
        .store()
        .review()
        .create_api_token(
            &hash,
            user.id,
            "测试",
            &jixiao_store::NewAudit {
                at: &jixiao_web::now(),
                user: "测试",
                object_kind: "token",
                object_id: 0,
                action: "create_token",
                before: None,
                after: None,
                reason: None,
            },
        )
        .await
        .expect("token");
    token
}
