//! Who is asking: sessions (HttpOnly, SameSite=Strict cookies; only their SHA-256 is stored),
//! API tokens (`Authorization: Bearer …`), CSRF tokens on every form, roles, and login rate
//! limiting. Passwords are argon2id PHC strings.
//!
//! [`resolve_viewer`] runs before every handler and puts a [`Viewer`] in the request: the user
//! (if any) and the CSRF token the page's forms carry. A visitor without a session gets a random
//! token in a cookie of its own (double submit), so the login form is protected too; a session
//! has its own token, stored with it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use jixiao_store::{Role, User};
use maud::html;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Form, PageError};
use crate::{AppState, now};

const SESSION_COOKIE: &str = "jixiao_session";
const CSRF_COOKIE: &str = "jixiao_csrf";
const SESSION_HOURS: i64 = 12;

/// Failed logins allowed per name and per address within [`LOGIN_WINDOW`].
const LOGIN_ATTEMPTS: u32 = 5;
const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The person (or script) behind a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: Option<User>,
    /// The token this viewer's forms must send back.
    pub csrf: String,
    /// The server serves read-only pages to visitors (`--public`).
    pub public: bool,
    /// The user came with an API token, not a session.
    pub by_token: bool,
    /// The client's address, when the server knows it (for login rate limiting).
    pub ip: Option<std::net::IpAddr>,
}

impl Viewer {
    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    pub fn can(&self, role: Role) -> bool {
        self.role().is_some_and(|r| r >= role)
    }

    /// May this viewer read pages at all?
    pub fn can_read(&self) -> bool {
        self.public || self.user.is_some()
    }

    /// Refuses a form whose CSRF token is missing or not this viewer's.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), PageError> {
        match sent {
            Some(sent) if !sent.is_empty() && constant_time_eq(sent, &self.csrf) => Ok(()),
            _ => Err(PageError::csrf()),
        }
    }

    /// Refuses a viewer below `role`.
    pub fn require(&self, role: Role) -> Result<&User, PageError> {
        match &self.user {
            Some(user) if user.role >= role => Ok(user),
            Some(_) => Err(PageError::forbidden()),
            None => Err(PageError::new(
                StatusCode::FORBIDDEN,
                "请先登录，再执行此操作。",
            )),
        }
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS generator failing leaves no safe token to hand out; the process cannot go on.
    getrandom::fill(&mut bytes).expect("the operating system's random generator is available");
    hex::encode(bytes)
}

/// SHA-256 of a token as hex: what the database keeps.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new API token (shown once) and the hash to store.
pub fn new_api_token() -> (String, String) {
    let token = format!("jx_{}", random_token());
    let hash = token_hash(&token);
    (token, hash)
}

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("无法生成随机数：{e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| format!("无法生成盐值：{e}"))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| format!("无法计算密码散列：{e}"))
}

/// A hash no password matches, verified against for names that do not exist.
fn unknown_user_hash() -> Option<&'static str> {
    static HASH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).ok())
        .as_deref()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Whether cookies get `Secure`: `--secure-cookies`, or a TLS proxy in front says the request
/// came over HTTPS.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.config().secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Resolves the [`Viewer`] of every request; sets the visitor's CSRF cookie when it is new.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let public = state.config().public;
    let secure = secure(&state, headers);
    let mut new_csrf = None;
    let mut viewer = None;
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    if let Some(token) = bearer {
        let user = state
            .store()
            .review()
            .api_token_user(&token_hash(&token))
            .await
            .ok()
            .flatten();
        if user.is_none() {
            return crate::ApiError::unauthorized().into_response();
        }
        viewer = Some(Viewer {
            user,
            // Scripts send no cookies, so no cross-site form can ride on a token.
            csrf: String::new(),
            public,
            by_token: true,
            ip: None,
        });
    } else if let Some(session) = cookie(headers, SESSION_COOKIE)
        && let Ok(Some((user, csrf, expires))) =
            state.store().review().session(&token_hash(&session)).await
        && expires > now()
    {
        viewer = Some(Viewer {
            user: Some(user),
            csrf,
            public,
            by_token: false,
            ip: None,
        });
    }
    let viewer = viewer.unwrap_or_else(|| {
        let csrf = cookie(headers, CSRF_COOKIE)
            .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
            .unwrap_or_else(|| {
                let token = random_token();
                new_csrf = Some(token.clone());
                token
            });
        Viewer {
            user: None,
            csrf,
            public,
            by_token: false,
            ip: None,
        }
    });
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    let viewer = Viewer { ip, ..viewer };
    request.extensions_mut().insert(viewer);
    let mut response = next.run(request).await;
    if let Some(token) = new_csrf {
        response
            .headers_mut()
            .append(SET_COOKIE, set_cookie(CSRF_COOKIE, &token, None, secure));
    }
    response
}

/// Failed logins by name and by address, forgotten after [`LOGIN_WINDOW`].
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: HashMap<String, (u32, Instant)>,
}

impl LoginLimiter {
    /// The wait left before `keys` may try again, if any is locked out.
    fn blocked(&mut self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        self.failures
            .retain(|_, (_, since)| now.duration_since(*since) < LOGIN_WINDOW);
        keys.iter()
            .filter_map(|k| self.failures.get(k))
            .filter(|(count, _)| *count >= LOGIN_ATTEMPTS)
            .map(|(_, since)| LOGIN_WINDOW.saturating_sub(now.duration_since(*since)))
            .max()
    }

    fn failed(&mut self, keys: &[String]) {
        for key in keys {
            let entry = self
                .failures
                .entry(key.clone())
                .or_insert((0, Instant::now()));
            entry.0 += 1;
        }
    }

    fn succeeded(&mut self, keys: &[String]) {
        for key in keys {
            self.failures.remove(key);
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", axum::routing::post(logout))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    csrf: Option<String>,
}

async fn login_page(Extension(viewer): Extension<Viewer>) -> Response {
    crate::view::login_page(&viewer, None).into_response()
}

async fn login(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    viewer.check_csrf(form.csrf.as_deref())?;
    let name = form.name.trim().to_owned();
    let mut keys = vec![format!("name:{name}")];
    if let Some(ip) = viewer.ip {
        keys.push(format!("ip:{ip}"));
    }
    let blocked = state
        .0
        .logins
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .blocked(&keys);
    if let Some(wait) = blocked {
        return Err(PageError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "登录失败次数过多，请 {} 分钟后再试。",
                wait.as_secs().div_ceil(60).max(1)
            ),
        ));
    }
    let user = state.store().review().user_by_name(&name).await?;
    let password = form.password;
    // An unknown name costs the same hashing as a known one, so timing does not tell them apart.
    let known = user.as_ref().map(|u| u.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || match known {
        Some(hash) => verify_password(&password, &hash),
        None => {
            if let Some(hash) = unknown_user_hash() {
                verify_password(&password, hash);
            }
            false
        }
    })
    .await
    .unwrap_or(false);
    let Some(user) = user.filter(|_| ok) else {
        state
            .0
            .logins
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .failed(&keys);
        let page = crate::view::login_page(&viewer, Some("用户名或密码不正确。"));
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    state
        .0
        .logins
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .succeeded(&keys);
    let token = random_token();
    let at = now();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    state
        .store()
        .review()
        .create_session(&token_hash(&token), user.id, &random_token(), &at, &expires)
        .await?;
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(
        SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &token,
            Some(SESSION_HOURS * 3600),
            secure(&state, &headers),
        ),
    );
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    viewer.check_csrf(form.csrf.as_deref())?;
    if let Some(session) = cookie(&headers, SESSION_COOKIE) {
        state
            .store()
            .review()
            .delete_session(&token_hash(&session))
            .await?;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), secure(&state, &headers)),
    );
    Ok(response)
}

/// Pages need a reader: visitors are sent to the login page unless the server is public.
pub fn require_reader(viewer: &Viewer) -> Result<(), Response> {
    if viewer.can_read() {
        Ok(())
    } else {
        Err(Redirect::to("/login").into_response())
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(viewer: &Viewer) -> maud::Markup {
    html! { input type="hidden" name="csrf" value=(viewer.csrf); }
}
