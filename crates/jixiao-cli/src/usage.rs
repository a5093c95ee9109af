//! Chinese help and usage errors. clap writes its headings (`Usage:`, `Options:`), the help and
//! version flags and its errors in English; users of jixiao read Chinese, so the command is
//! given Chinese headings and flags here, and clap's errors are rewritten from their kind and
//! context (the argument, the value, the valid values, the suggestion), not from their text.

use std::error::Error as _;
use std::fmt::Write as _;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// `command` and its subcommands with Chinese headings, help and version flags.
pub fn localized(command: Command) -> Command {
    let command = command.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本号"),
    );
    localize(command)
}

fn localize(command: Command) -> Command {
    let help = Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help("显示帮助")
        .global(false);
    let command = command
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(help)
        .mut_args(|arg| {
            let arg = explain_values(chinese_value_names(arg));
            if arg.get_help_heading().is_some() {
                arg
            } else if arg.is_positional() {
                arg.help_heading("参数")
            } else {
                arg.help_heading("选项")
            }
        });
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names.into_iter().fold(command, |command, name| {
        command.mut_subcommand(name, localize)
    })
}

/// Placeholders in usage and help (`<FILES>`) in Chinese; derive names them after the field.
fn chinese_value_names(arg: Arg) -> Arg {
    const NAMES: &[(&str, &str)] = &[
        ("ADDR", "地址"),
        ("CODE", "编号"),
        ("CONFIG", "配置文件"),
        ("DB", "数据库"),
        ("FAIL_ON", "级别"),
        ("FILE", "文件"),
        ("FILES", "文件"),
        ("FORMAT", "格式"),
        ("INDEX", "目录"),
        ("LABEL", "说明"),
        ("LAYOUT", "版式"),
        ("LIMIT", "行数"),
        ("NAME", "名称"),
        ("OFFSET", "行数"),
        ("OUT", "输出文件"),
        ("PATHS", "文件或目录"),
        ("POLICY", "政策"),
        ("PUBLISHER", "发布单位"),
        ("ROLE", "角色"),
        ("TEXT", "文字"),
        ("TO", "目标"),
        ("TOLERANCE", "容差"),
        ("YEAR", "年度"),
    ];
    let translated: Option<Vec<&str>> = arg
        .get_value_names()
        .map(|names| {
            names
                .iter()
                .map(|n| {
                    NAMES
                        .iter()
                        .find(|(en, _)| n.as_str() == *en)
                        .map(|(_, zh)| *zh)
                })
                .collect::<Option<Vec<&str>>>()
        })
        .unwrap_or_else(|| {
            // Without an explicit name clap uses the id in upper case.
            let id = arg.get_id().as_str().to_uppercase();
            let takes = arg.get_action().takes_values();
            NAMES
                .iter()
                .find(|(en, _)| takes && *en == id)
                .map(|(_, zh)| vec![*zh])
        });
    match translated {
        Some(names) => arg.value_names(names),
        None => arg,
    }
}

/// clap appends `[default: …]` and `Possible values:` in English; the same facts in Chinese.
fn explain_values(arg: Arg) -> Arg {
    if !arg.get_action().takes_values() {
        return arg;
    }
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if values.is_empty() && defaults.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let long_help = arg
        .get_long_help()
        .map(ToString::to_string)
        .unwrap_or_else(|| help.clone());
    let mut short = Vec::new();
    let mut long = String::new();
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        short.push(format!("可选：{}", names.join("、")));
        long.push_str("\n\n可选的值：");
        for value in &values {
            let _ = write!(long, "\n- {}", value.get_name());
            if let Some(help) = value.get_help() {
                let _ = write!(long, "：{help}");
            }
        }
    }
    if !defaults.is_empty() {
        short.push(format!("默认：{}", defaults.join("、")));
        let _ = write!(long, "\n\n默认：{}", defaults.join("、"));
    }
    arg.hide_possible_values(true)
        .hide_default_value(true)
        .help(match help.strip_suffix('。') {
            Some(help) => format!("{help}（{}）。", short.join("；")),
            None => format!("{help}（{}）", short.join("；")),
        })
        .long_help(format!("{long_help}{long}"))
}

/// Prints a clap error in Chinese (help and version go to standard output as asked) and gives
/// the exit code: 0 for help and version, 2 for a usage error.
pub fn report(error: &clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", placeholders(&error.render().to_string()));
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `jixiao` or `jixiao user` alone: the help is the answer, but it is not a success.
            eprint!("{}", placeholders(&error.render().to_string()));
            return ExitCode::from(2);
        }
        _ => {}
    }
    let mut text = format!("错误：{}\n", message(error));
    if let Some(usage) = string(error, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim_start();
        let _ = write!(text, "\n用法：{}\n", placeholders(usage));
        // `jixiao parse [选项] <FILES>...` → `jixiao parse --help`.
        let command: Vec<&str> = usage
            .split_whitespace()
            .take_while(|w| !w.starts_with(['[', '<', '-']))
            .collect();
        if !command.is_empty() {
            let _ = write!(text, "\n更多信息请运行：{} --help\n", command.join(" "));
        }
    }
    eprint!("{text}");
    ExitCode::from(2)
}

/// The one English word clap puts into usage lines.
fn placeholders(text: &str) -> String {
    text.replace("[OPTIONS]", "[选项]")
}

fn message(error: &clap::Error) -> String {
    let arg = string(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(error, ContextKind::InvalidValue).unwrap_or_default();
    let mut message = match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 需要一个值"),
        ErrorKind::InvalidValue => format!("参数 {arg} 的值“{value}”无效"),
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            let name = string(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有“{name}”这个命令")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的值要用等号给出（{arg}=值）"),
        ErrorKind::ValueValidation => {
            let reason = error
                .source()
                .map(|e| format!("：{}", reason_in_chinese(&e.to_string())))
                .unwrap_or_default();
            format!("参数 {arg} 的值“{value}”无效{reason}")
        }
        ErrorKind::TooManyValues => format!("参数 {arg} 给的值太多（多出“{value}”）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 给的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let prior = string(error, ContextKind::PriorArg).unwrap_or_default();
            if prior.is_empty() {
                format!("参数 {arg} 不能与其他参数同时使用")
            } else {
                format!("参数 {arg} 不能与 {prior} 同时使用")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数：{}", arg.replace('\n', "、"))
        }
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_owned(),
        _ => format!("命令行参数有误：{}", error.kind()),
    };
    if let Some(valid) = strings(error, ContextKind::ValidValue) {
        let _ = write!(message, "。可选的值：{}", valid.join("、"));
    }
    if let Some(suggested) = strings(error, ContextKind::SuggestedArg)
        .or_else(|| strings(error, ContextKind::SuggestedSubcommand))
    {
        let _ = write!(message, "。是不是想用“{}”？", suggested.join("”或“"));
    } else if matches!(error.kind(), ErrorKind::UnknownArgument) && arg.starts_with('-') {
        let _ = write!(message, "。如果这是一个以“-”开头的文件名，请写在 -- 之后");
    }
    message
}

/// Value parsers of the standard library answer in English; the common ones in Chinese.
fn reason_in_chinese(reason: &str) -> String {
    match reason {
        "invalid digit found in string" => "不是整数".to_owned(),
        "number too large to fit in target type" => "数值太大".to_owned(),
        "number too small to fit in target type" => "数值太小".to_owned(),
        "cannot parse integer from empty string" => "不能为空".to_owned(),
        "invalid float literal" => "不是数字".to_owned(),
        other => other.to_owned(),
    }
}

fn string(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => Some(list.join("\n")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(error: &clap::Error, kind: ContextKind) -> Option<Vec<String>> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(vec![s.clone()]),
        ContextValue::Strings(list) if !list.is_empty() => Some(list.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    fn error_of(args: &[&str]) -> clap::Error {
        localized(crate::args::Cli::command())
            .try_get_matches_from(args)
            .expect_err("a usage error")
    }

    #[test]
    fn the_localized_command_is_consistent() {
        localized(crate::args::Cli::command()).debug_assert();
    }

    #[test]
    fn unknown_arguments_and_bad_values_are_explained_in_chinese() {
        let unknown = message(&error_of(&["jixiao", "parse", "--bogus", "a.txt"]));
        assert!(unknown.starts_with("不认识的参数“--bogus”"), "{unknown}");
        let bad = message(&error_of(&["jixiao", "parse", "--format", "yaml", "a.txt"]));
        assert!(bad.contains("参数 --format <格式> 的值“yaml”无效"), "{bad}");
        assert!(bad.contains("可选的值：") && bad.contains("json"), "{bad}");
        let missing = message(&error_of(&["jixiao", "parse"]));
        assert!(missing.starts_with("缺少必需的参数："), "{missing}");
        let typo = message(&error_of(&["jixiao", "chek"]));
        assert!(
            typo.contains("没有“chek”这个命令") && typo.contains("check"),
            "{typo}"
        );
    }

    #[test]
    fn help_has_chinese_headings() {
        let help = localized(crate::args::Cli::command())
            .find_subcommand_mut("parse")
            .expect("parse")
            .render_long_help()
            .to_string();
        for heading in [
            "用法：",
            "参数:",
            "选项:",
            "显示帮助",
            "可选的值：",
            "默认：summary",
        ] {
            assert!(help.contains(heading), "{heading} in {help}");
        }
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Print help",
            "Possible values",
            "[default:",
        ] {
            assert!(!help.contains(english), "{english} in {help}");
        }
    }
}
