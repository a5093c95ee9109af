//! Errors of the store, in Chinese for the people who see them.

use std::path::PathBuf;

/// Something went wrong talking to the corpus database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "无法打开数据库 {target}：{source}。请检查路径或连接地址（sqlite://文件 或 postgres://用户@主机/库）。"
    )]
    Connect {
        target: String,
        #[source]
        source: sqlx::Error,
    },
    #[error(
        "数据库 {target} 升级到新结构失败：{source}。数据库未改动；如有备份文件（.bak-版本号）可用它恢复。"
    )]
    Migrate {
        target: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    #[error(
        "无法锁定 {path}（用于让同时打开新数据库或旧数据库的进程依次建表、升级）：{source}。请确认数据库所在目录可写。"
    )]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("升级前备份数据库到 {path} 失败：{source}。请确认目录可写、磁盘有空间。")]
    Backup {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },
    #[error("数据库操作失败：{0}")]
    Database(#[from] sqlx::Error),
    #[error("文档 {id} 的存储数据无法还原：{source}。该记录可能由更新版本的 jixiao 写入。")]
    Model {
        id: i64,
        #[source]
        source: serde_json::Error,
    },
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
    #[error("无法把文档转换为 JSON：{0}")]
    Serialize(#[source] serde_json::Error),
}
