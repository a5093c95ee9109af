//! `jixiao score`: recompute the scores of self-evaluations and set them beside the published ones.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use jixiao_rules::Options;
use jixiao_score::render::{self, Cell, RenderOptions, ScoreSummary};
use jixiao_score::{Policy, ProjectScore};
use rust_decimal::Decimal;

use crate::args::{ScoreArgs, ScoreFormat};

pub fn run(args: &ScoreArgs) -> anyhow::Result<ExitCode> {
    let settings =
        super::check::load_settings_with_policy(args.config.as_deref(), args.policy.as_deref())?;
    let policy = settings.score_policy.clone();
    if args.show_policy {
        print!("{}", policy.to_toml());
        return Ok(ExitCode::SUCCESS);
    }
    if args.tolerance < Decimal::ZERO {
        anyhow::bail!("--tolerance 不能为负数");
    }
    if args.format == ScoreFormat::Xlsx && args.out.is_none() {
        anyhow::bail!("--format xlsx 须用 --out 指定输出文件，例如：--out 计分.xlsx");
    }
    let files = super::check::collect_files(&args.paths)?;
    let limits = super::limits(args.config.as_deref(), &args.limits)?;
    let mut scores: Vec<ProjectScore> = Vec::new();
    let mut summary = ScoreSummary {
        files: files.len(),
        ..ScoreSummary::default()
    };
    let mut read_errors = 0;
    for file in &files {
        let parsed = match super::read_file(file, &settings.profile, &limits) {
            Ok(parsed) => parsed,
            Err(error) => {
                eprintln!("错误：{error:#}");
                read_errors += 1;
                continue;
            }
        };
        let found: Vec<ProjectScore> = parsed
            .documents
            .iter()
            .flat_map(|document| jixiao_score::score_document(document, &policy))
            .collect();
        if found.is_empty() {
            let layouts: Vec<&str> = parsed.documents.iter().map(|d| d.layout.label()).collect();
            eprintln!(
                "提示：{}：没有绩效自评表（读作{}），未计分。",
                file.display(),
                layouts.join("、")
            );
        }
        summary.add(&found, args.tolerance);
        scores.extend(found);
    }
    let options = RenderOptions {
        policy: &policy,
        tolerance: args.tolerance,
    };
    write_report(args, &scores, &summary, &options)?;
    if read_errors > 0 {
        return Ok(ExitCode::from(2));
    }
    let failed = args.fail_on && scores.iter().any(|s| s.exceeds(args.tolerance));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `[score] policy = …` of a `jixiao.toml`; a file named there is relative to the config file.
pub(super) fn configured_policy(
    options: &Options,
    config: &Path,
) -> anyhow::Result<Option<Policy>> {
    let Some(value) = options.score.as_ref().and_then(|s| s.get("policy")) else {
        return Ok(None);
    };
    let Some(choice) = value.as_str() else {
        anyhow::bail!(
            "{}：[score] 的 policy 应为预设名称或政策文件路径（字符串）",
            config.display()
        );
    };
    let dir = config.parent().unwrap_or(Path::new("."));
    load_policy(choice, dir)
        .with_context(|| format!("{}：[score] 的 policy 无效", config.display()))
        .map(Some)
}

/// A preset name, or a policy file (a path, or a name ending in `.toml`).
pub(super) fn load_policy(choice: &str, dir: &Path) -> anyhow::Result<Policy> {
    let path = dir.join(choice);
    let looks_like_file = choice.ends_with(".toml") || choice.contains(['/', '\\']);
    if Policy::preset_names().any(|name| name == choice) || !(looks_like_file || path.is_file()) {
        return Ok(Policy::preset(choice)?);
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}：无法读取计分政策文件", path.display()))?;
    Policy::from_toml(&text).with_context(|| format!("{}：计分政策无效", path.display()))
}

fn write_report(
    args: &ScoreArgs,
    scores: &[ProjectScore],
    summary: &ScoreSummary,
    options: &RenderOptions<'_>,
) -> anyhow::Result<()> {
    let bytes = match args.format {
        ScoreFormat::Text => {
            let mut text = String::new();
            for score in scores {
                text.push_str(&render::render_text(score, options));
                text.push('\n');
            }
            text.push_str(&render::render_text_summary(summary, options));
            text.into_bytes()
        }
        ScoreFormat::Json => {
            let mut json = render::render_json(scores, summary, options)?;
            json.push('\n');
            json.into_bytes()
        }
        ScoreFormat::Csv => render::render_csv(scores).context("无法写出 CSV")?,
        ScoreFormat::Xlsx => {
            let out = args.out.as_deref().unwrap_or(Path::new("计分.xlsx"));
            return write_xlsx(out, scores).map_err(|e| anyhow::anyhow!("{}：{e}", out.display()));
        }
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("{}：无法写入", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .context("无法写出计分结果")
        }
    }
}

/// One sheet, 计分: a row per line and per total, numbers as numbers.
fn write_xlsx(
    path: &Path,
    scores: &[ProjectScore],
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("计分")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, (_, heading)) in render::COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *heading, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, cells) in render::rows(scores).into_iter().enumerate() {
        let row = row as u32 + 1;
        for (col, cell) in cells.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(row, col, text)?;
                }
                Cell::Number(value) => super::export::write_decimal(sheet, row, col, value)?,
                Cell::Empty => {}
            }
        }
    }
    workbook.save(PathBuf::from(path))?;
    Ok(())
}
