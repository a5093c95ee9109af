//! Errors of the store, in Chinese for the people who see them.

use std::path::PathBuf;

/// Something went wrong talking to the corpus database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Said once: the causes are not chained as sources, so `{error:#}` does not repeat them.
    #[error("无法连接数据库 {target}：{reason}。请检查：{check}")]
    Connect {
        target: String,
        /// What went wrong, in Chinese, with the database's own words where they help.
        reason: String,
        /// What to check.
        check: &'static str,
    },
    #[error(
        "数据库 {target} 升级到新结构失败：{source_error}。数据库未改动；如有备份文件（.bak-版本号）可用它恢复。"
    )]
    Migrate {
        target: String,
        source_error: sqlx::migrate::MigrateError,
    },
    #[error(
        "无法锁定 {path}（用于让同时打开新数据库或旧数据库的进程依次建表、升级）：{cause}。请确认数据库所在目录可写。"
    )]
    Lock {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("升级前备份数据库到 {path} 失败：{cause}。请确认目录可写、磁盘有空间。")]
    Backup { path: PathBuf, cause: sqlx::Error },
    #[error("数据库操作失败：{0}")]
    Database(sqlx::Error),
    #[error("文档 {id} 的存储数据无法还原：{cause}。该记录可能由更新版本的 jixiao 写入。")]
    Model { id: i64, cause: serde_json::Error },
    #[error("文档 {id} 的 {field} 不是有效的金额或数值：{value}")]
    Number {
        id: i64,
        field: &'static str,
        value: String,
    },
    #[error("找不到编号为 {id} 的{what}。")]
    NotFound { what: &'static str, id: i64 },
    #[error("导出中断：{0}")]
    Sink(Box<dyn std::error::Error + Send + Sync>),
    #[error("存储的文档数据无法压缩或解压：{0}")]
    Compress(String),
    #[error(
        "全库审核（G002 等跨文档规则）的临时文件读写失败：{0}。请确认临时目录可写、磁盘有空间。"
    )]
    Scratch(std::io::Error),
    #[error("数据库文件不存在：{0}。请先用 jixiao import 建立语料库，或用 --db 指定已有的数据库。")]
    Missing(PathBuf),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

/// What to check when PostgreSQL cannot be reached.
pub(crate) const POSTGRES_CHECK: &str = "服务器是否已启动；主机名和端口（默认 5432）是否正确；\
用户名、密码和数据库名是否正确（postgres://用户:密码@主机:端口/库）；防火墙是否允许连接。";

/// What to check when an SQLite file cannot be opened.
pub(crate) const SQLITE_CHECK: &str =
    "路径是否正确；所在目录是否存在且可写；文件是否是 jixiao 的 SQLite 数据库。";

/// A connection failure in Chinese; the driver's own words follow in brackets where they say
/// more than the kind of failure.
pub(crate) fn connect_reason(error: &sqlx::Error) -> String {
    use std::io::ErrorKind;
    match error {
        sqlx::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => "连接被拒绝（服务器没有运行，或端口不对）".to_owned(),
            ErrorKind::TimedOut => "连接超时".to_owned(),
            ErrorKind::NotFound => "找不到主机或文件".to_owned(),
            ErrorKind::PermissionDenied => "没有权限".to_owned(),
            _ => format!("网络或文件错误（{io}）"),
        },
        sqlx::Error::PoolTimedOut => "5 秒内没有连上".to_owned(),
        sqlx::Error::Tls(tls) => format!("加密连接失败（{tls}）"),
        sqlx::Error::Configuration(config) => format!("连接地址有误（{config}）"),
        sqlx::Error::Database(database) => format!("服务器拒绝了连接（{}）", database.message()),
        other => format!("{other}"),
    }
}
