//! `jixiao serve`: the reviewer's web app on the corpus (see `jixiao-web`). On an empty corpus it
//! first imports the two bundled example tables, the way `jixiao import` does, so a new user sees
//! something at once.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use jixiao_rules::Checker;
use jixiao_store::{Filter, Overrides, Store};

use crate::args::ServeArgs;

/// The bundled examples (examples/), compiled in so the first run works from any directory.
const EXAMPLES: [(&str, &[u8]); 2] = [
    (
        "examples/guangzhou-yuexiu-rsj.txt",
        include_bytes!("../../../../examples/guangzhou-yuexiu-rsj.txt"),
    ),
    (
        "examples/guangzhou-huadu-rsj.txt",
        include_bytes!("../../../../examples/guangzhou-huadu-rsj.txt"),
    ),
];

/// The administrator the first run creates when the corpus has no user.
const FIRST_ADMIN: &str = "admin";

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let settings = super::check::load_settings(args.config.as_deref())?;
    let mut limits = super::limits(args.config.as_deref(), &args.limits)?;
    if args.limits.max_file_size.is_none() {
        limits.file_size = jixiao_web::Config::default().limits.file_size;
    }
    let url = super::import::database_url(args.db.as_deref());
    let addr: std::net::SocketAddr = args.addr.parse().with_context(|| {
        format!(
            "监听地址“{}”无效，应为 主机:端口，如 127.0.0.1:8080",
            args.addr
        )
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动网页服务所需的运行环境")?;
    runtime.block_on(async {
        let store: Arc<dyn Store> = Arc::from(super::import::open_store(&url).await?);
        if !args.no_examples && store.documents(&Filter::default(), true).await?.is_empty() {
            import_examples(store.as_ref(), &Checker::new(settings.clone()), &limits).await?;
        }
        // The first search would otherwise load jieba's dictionary (a few hundred ms) while
        // every search behind it waits: load it now, beside the start-up work.
        jixiao_search::preload();
        let folder = super::import::index_path(args.index.as_deref(), &url);
        let index = Arc::new(
            jixiao_search::SearchIndex::open(&folder)
                .with_context(|| format!("无法打开搜索索引 {}", folder.display()))?,
        );
        if !index.is_current(store.as_ref()).await? {
            println!("正在更新搜索索引 {} …", folder.display());
            // A running `jixiao import` holds the index until it has brought it up to date
            // itself; the server starts with the index as it stands and syncs again later.
            match index.sync(store.as_ref()).await {
                Ok(report) => println!(
                    "搜索索引已更新：新增 {} 张表，移除 {} 张表，{} 条。",
                    report.added, report.removed, report.entries
                ),
                Err(e) => eprintln!(
                    "警告：搜索索引暂未更新（{e}）；若正在导入，导入结束时会更新索引，之后保存审核或重启服务也会再次更新。"
                ),
            }
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("无法监听 {addr}（端口可能已被占用）"))?;
        let users = store.review().users().await?;
        println!("审核网页：http://{addr}/ （数据库：{url}）");
        if users.is_empty() {
            // The first run must let its user in at once: an administrator with a random
            // password, shown once on the terminal of whoever started the server.
            let password: String = jixiao_web::random_token().chars().take(16).collect();
            let hash = jixiao_web::hash_password(&password).map_err(anyhow::Error::msg)?;
            store
                .review()
                .create_user(
                    FIRST_ADMIN,
                    jixiao_store::Role::Admin,
                    &hash,
                    &jixiao_web::now(),
                    "首次启动",
                )
                .await?;
            println!(
                "首次启动，已创建管理员：用户名 {FIRST_ADMIN}，密码 {password}（只显示这一次；登录后可在“用户管理”中添加用户、修改角色，也可用 `jixiao user add` 添加）。"
            );
        }
        if args.public {
            println!("--public：未登录的访客可以浏览只读页面。");
        }
        let config = jixiao_web::Config {
            public: args.public,
            secure_cookies: args.secure_cookies,
            limits,
            settings,
        };
        jixiao_web::serve(
            listener,
            jixiao_web::AppState::with_search(store, config, index),
        )
            .await
            .context("网页服务出错")?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Imports the bundled examples as `jixiao import examples/` would.
async fn import_examples(
    store: &dyn Store,
    checker: &Checker,
    limits: &jixiao_parse::Limits,
) -> anyhow::Result<()> {
    let mut documents = Vec::new();
    for (name, bytes) in EXAMPLES {
        documents.extend(super::import::prepare_bytes(
            name,
            bytes,
            checker,
            &Overrides::default(),
            limits,
        )?);
    }
    let outcomes = store
        .import_batch(&documents)
        .await
        .context("导入示例表失败")?;
    println!("语料库为空，已导入 {} 张示例表。", outcomes.len());
    Ok(())
}
