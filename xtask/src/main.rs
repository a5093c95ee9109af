//! `cargo xtask docs [--check]`: write docs/rules/*.md from the rules' documentation, or check that
//! the committed pages are current. `cargo xtask pdf-fixtures [DIR]`: write the PDF test fixtures
//! (see `pdf.rs`).

mod pdf;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("docs") => docs(args.iter().any(|a| a == "--check")),
        Some("pdf-fixtures") => {
            let dir = args.get(1).map_or_else(
                || {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                        .join("../crates/jixiao-parse/tests/fixtures/pdf")
                },
                PathBuf::from,
            );
            pdf::fixtures(&dir)?;
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("usage: cargo xtask docs [--check] | cargo xtask pdf-fixtures [DIR]"),
    }
}

fn docs(check: bool) -> anyhow::Result<ExitCode> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
    let mut pages = vec![("README.md".to_owned(), index())];
    for rule in jixiao_rules::all_rules() {
        let page = jixiao_rules::rule_page(rule.code()).context("every rule has a page")?;
        pages.push((format!("{}.md", rule.code()), page));
    }
    let mut stale = Vec::new();
    for (name, page) in &pages {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != *page {
            stale.push(name.clone());
            if !check {
                std::fs::create_dir_all(&dir)?;
                std::fs::write(&path, page)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
    }
    if check && !stale.is_empty() {
        eprintln!(
            "docs/rules is stale ({}); run `cargo xtask docs`",
            stale.join(", ")
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn index() -> String {
    let mut text = String::from(
        "# 审核规则\n\n由 `cargo xtask docs` 从各规则的文档生成，请勿手工修改。\n\n| 代码 | 名称 | 说明 | 默认级别 |\n|---|---|---|---|\n",
    );
    for info in jixiao_rules::CODES {
        text.push_str(&format!(
            "| [{code}]({code}.md) | {} | {} | {} |\n",
            info.name,
            info.title,
            info.severity,
            code = info.code
        ));
    }
    text
}
