//! The reviewer's web app (`jixiao serve`): check one table, browse and search the corpus, review
//! findings, grade projects and keep an audit log, in Chinese; and the same operations as a REST
//! API under `/api/v1` with an OpenAPI document.
//!
//! [`app`] builds the router from an [`AppState`]; tests call it with `oneshot`, and [`serve`]
//! runs it on a listener. Pages are rendered on the server ([`view`]) and work without
//! JavaScript; the small script in `assets/app.js` adds drag and drop, finding highlights and
//! j/k, and the dashboard draws its charts with the vendored ECharts.

mod api;
mod assets;
mod auth;
mod cache;
mod check;
mod error;
mod find;
mod opinion;
mod pages;
mod review;
mod view;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use jixiao_parse::Limits;
use jixiao_rules::{Checker, Settings};
use jixiao_search::SearchIndex;
use jixiao_store::Store;

pub use auth::{hash_password, new_api_token, random_token};
pub use error::{ApiError, PageError};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Serve the read-only pages to visitors who have not logged in.
    pub public: bool,
    /// Mark cookies `Secure` (the server is behind TLS).
    pub secure_cookies: bool,
    /// The reading limits uploads are parsed under; `file_size` is also the upload limit.
    pub limits: Limits,
    pub settings: Settings,
}

impl Default for Config {
    fn default() -> Self {
        let limits = Limits {
            // A published table is a few MB at most; a web form need not take the CLI's 128 MB.
            file_size: 20 << 20,
            ..Limits::default()
        };
        Self {
            public: false,
            secure_cookies: false,
            limits,
            settings: Settings::default(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Arc<dyn Store>,
    checker: Checker,
    config: Config,
    checks: Mutex<check::CheckCache>,
    logins: Mutex<auth::LoginLimiter>,
    /// The dashboard and lists over the whole corpus, until the corpus changes.
    aggregates: cache::AggregateCache,
    /// The corpus's word index; without one, search falls back to the store's substring search.
    search: Option<Arc<SearchIndex>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.0.store)
            .field("config", &self.0.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        Self::build(store, config, None)
    }

    /// A state whose search uses `index`, kept up to date as tables are saved.
    pub fn with_search(store: Arc<dyn Store>, config: Config, index: Arc<SearchIndex>) -> Self {
        Self::build(store, config, Some(index))
    }

    fn build(store: Arc<dyn Store>, config: Config, search: Option<Arc<SearchIndex>>) -> Self {
        Self(Arc::new(Inner {
            store,
            checker: Checker::new(config.settings.clone()),
            config,
            checks: Mutex::new(check::CheckCache::default()),
            logins: Mutex::new(auth::LoginLimiter::default()),
            aggregates: cache::AggregateCache::default(),
            search,
        }))
    }

    pub fn store(&self) -> &dyn Store {
        self.0.store.as_ref()
    }

    /// Brings the search index up to date after the corpus changed. The corpus is what counts: a
    /// failure is logged, and the next sync (another save, or the next start) catches up.
    async fn sync_search(&self) {
        if let Some(index) = &self.0.search
            && let Err(e) = index.sync(self.store()).await
        {
            eprintln!("更新搜索索引失败：{e}");
        }
    }

    fn aggregates(&self) -> &cache::AggregateCache {
        &self.0.aggregates
    }

    fn search_index(&self) -> Option<&Arc<SearchIndex>> {
        self.0.search.as_ref()
    }

    fn config(&self) -> &Config {
        &self.0.config
    }

    fn checker(&self) -> &Checker {
        &self.0.checker
    }
}

/// The whole application: pages, static files and the API.
pub fn app(state: AppState) -> Router {
    // Multipart framing and a text field beside the file: a little over the file limit.
    let body_limit = usize::try_from(state.config().limits.file_size)
        .unwrap_or(usize::MAX)
        .saturating_add(64 << 10);
    Router::new()
        .merge(check::router())
        .merge(pages::router())
        .merge(review::router())
        .merge(opinion::router())
        .merge(auth::router())
        .merge(assets::router())
        .nest("/api", api::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::resolve_viewer,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// Serves the application on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // The corpus-wide pages take up to a second to compute on a large corpus: do it before the
    // first visitor asks rather than while they wait.
    let warming = state.clone();
    tokio::spawn(async move { pages::warm_caches(&warming).await });
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Now, as stored (UTC, RFC 3339, second precision, so text order is time order).
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
