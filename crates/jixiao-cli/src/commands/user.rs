//! `jixiao user`: accounts and API tokens of the web app (`jixiao serve`).

use std::io::BufRead as _;
use std::process::ExitCode;

use anyhow::Context as _;
use jixiao_store::{NewAudit, Role};

use crate::args::{RoleArg, UserAction, UserArgs};

/// Who the audit log names for what is done on the command line.
const CLI_USER: &str = "命令行";

pub fn run(args: &UserArgs) -> anyhow::Result<ExitCode> {
    let url = super::import::database_url(args.db.as_deref());
    let runtime = super::import::runtime()?;
    runtime.block_on(async {
        let store = super::import::open_store(&url).await?;
        let accounts = store.review();
        let at = chrono_now();
        match &args.action {
            UserAction::Add { name, role, .. } => {
                let name = name.trim();
                if name.is_empty() {
                    anyhow::bail!("用户名不能为空。");
                }
                if accounts.user_by_name(name).await?.is_some() {
                    anyhow::bail!("用户“{name}”已存在。");
                }
                let password = read_password()?;
                let hash = jixiao_web::hash_password(&password).map_err(anyhow::Error::msg)?;
                let role = match role {
                    RoleArg::Admin => Role::Admin,
                    RoleArg::Reviewer => Role::Reviewer,
                    RoleArg::Guest => Role::Guest,
                };
                accounts.create_user(name, role, &hash, &at, CLI_USER).await?;
                println!("已添加用户“{name}”（{}）。", role.label());
            }
            UserAction::Token { name, label } => {
                let user = accounts
                    .user_by_name(name)
                    .await?
                    .with_context(|| format!("没有用户“{name}”。先用 `jixiao user add` 添加。"))?;
                let (token, hash) = jixiao_web::new_api_token();
                accounts
                    .create_api_token(
                        &hash,
                        user.id,
                        label,
                        &NewAudit {
                            at: &at,
                            user: CLI_USER,
                            object_kind: "token",
                            object_id: 0,
                            action: "create_token",
                            before: None,
                            after: Some(format!("{name}：{label}")),
                            reason: None,
                        },
                    )
                    .await?;
                println!("{token}");
                eprintln!("这是“{name}”（{}）的接口令牌，只显示这一次：请求时加上 Authorization: Bearer 令牌。", user.role.label());
            }
            UserAction::List => {
                for user in accounts.users().await? {
                    println!("{}\t{}\t{}", user.name, user.role.label(), user.created_at);
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The first line of standard input, at least 8 characters.
fn read_password() -> anyhow::Result<String> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!("密码（至少 8 位，输入后回车）：");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("无法从标准输入读取密码")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < 8 {
        anyhow::bail!("密码至少 8 位（从标准输入的第一行读取）。");
    }
    Ok(password)
}

fn chrono_now() -> String {
    jixiao_web::now()
}
