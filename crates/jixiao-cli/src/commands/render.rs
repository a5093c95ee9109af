//! `jixiao render`: write a document back out in a published layout.

use std::process::ExitCode;

use jixiao_model::Profile;

use crate::args::{RenderArgs, RenderLayout};

pub fn run(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    let limits = super::limits(None, &args.limits)?;
    let parsed = super::read_file(&args.file, &Profile::builtin(), &limits)?;
    let text = match args.layout {
        RenderLayout::DepartmentList => jixiao_parse::render_department_list(&parsed.documents),
        RenderLayout::ProjectSheet => jixiao_parse::render_project_sheets(&parsed.documents),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
