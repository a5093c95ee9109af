//! `jixiao rule`: print rule documentation.

use std::process::ExitCode;

use anyhow::bail;
use jixiao_rules::{all_rules, rule_for, rule_page};

use crate::args::RuleArgs;

pub fn run(args: &RuleArgs) -> anyhow::Result<ExitCode> {
    if args.all {
        for rule in all_rules() {
            if let Some(page) = rule_page(rule.code()) {
                println!("{page}\n");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let code = args.code.as_deref().unwrap_or_default();
    match rule_for(code) {
        Some(rule) => {
            println!("{}", rule_page(rule.code()).unwrap_or_default());
            Ok(ExitCode::SUCCESS)
        }
        None => bail!("没有规则“{code}”。用 `jixiao rule --all` 查看全部规则。"),
    }
}
