//! The indicator CSV that `jixiao parse --format csv` writes and the readers read back: one row
//! per indicator, money as exact decimals, empty cells empty (not 0).

use std::borrow::Cow;

use jixiao_model::{Amount, Document, Indicator, Project, Unit, ValueKind, value_kind_name};

/// The whole CSV of `documents` with its header row, optionally behind a UTF-8 BOM (for Excel).
pub fn indicator_csv(documents: &[Document], bom: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(jixiao_parse::INDICATOR_CSV_COLUMNS)?;
    write_indicator_csv_rows(&mut writer, documents)?;
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

/// Writes one CSV row per indicator (the columns of [`jixiao_parse::INDICATOR_CSV_COLUMNS`]).
pub fn write_indicator_csv_rows<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    documents: &[Document],
) -> Result<(), csv::Error> {
    for document in documents {
        for unit in &document.units {
            for project in &unit.projects {
                // A project's amounts are the same on each of its rows: formatted once.
                let amounts = project_amounts(project);
                for indicator in &project.indicators {
                    let fields = record(document, unit, project, &amounts, indicator);
                    writer.write_record(fields.iter().map(|f| f.as_bytes()))?;
                }
            }
        }
    }
    Ok(())
}

/// One indicator's CSV row.
pub fn indicator_csv_record(
    document: &Document,
    unit: &Unit,
    project: &Project,
    indicator: &Indicator,
) -> [String; 22] {
    record(
        document,
        unit,
        project,
        &project_amounts(project),
        indicator,
    )
    .map(Cow::into_owned)
}

/// The project's total, fiscal, special-account and other amounts as CSV cells.
fn project_amounts(project: &Project) -> [String; 4] {
    let amount = |a: &Option<Amount>| a.as_ref().map(|a| a.value.to_string()).unwrap_or_default();
    [
        amount(&project.amounts.total),
        amount(&project.amounts.fiscal),
        amount(&project.amounts.special_account),
        amount(&project.amounts.other),
    ]
}

/// One indicator's CSV row, its texts borrowed from the model (a row is written per indicator:
/// 22 new strings each was most of the CSV output's cost).
fn record<'a>(
    document: &'a Document,
    unit: &'a Unit,
    project: &'a Project,
    amounts: &'a [String; 4],
    indicator: &'a Indicator,
) -> [Cow<'a, str>; 22] {
    let category_name =
        |c: &'a Option<jixiao_model::Category>| c.as_ref().map_or("", |c| c.name.as_str());
    let category_code = |c: &'a Option<jixiao_model::Category>| {
        c.as_ref()
            .and_then(|c| c.code.as_ref())
            .map_or("", |c| c.as_str())
    };
    let quantity = indicator.annual.as_ref().and_then(|v| match &v.kind {
        ValueKind::Quantitative(q) => Some(q),
        _ => None,
    });
    let [total, fiscal, special_account, other] = amounts;
    [
        Cow::Borrowed(document.source.as_str()),
        Cow::Borrowed(document.department.as_ref().map_or("", |d| d.text.as_str())),
        Cow::Borrowed(unit.name.text.as_str()),
        Cow::Borrowed(project.name.text.as_str()),
        Cow::Owned(project.span.line.to_string()),
        Cow::Owned(indicator.seq.to_string()),
        Cow::Borrowed(category_name(&indicator.level1)),
        Cow::Borrowed(category_code(&indicator.level1)),
        Cow::Borrowed(category_name(&indicator.level2)),
        Cow::Borrowed(category_code(&indicator.level2)),
        Cow::Borrowed(indicator.level2.as_ref().map_or("", |c| {
            if c.inferred.is_some() {
                "true"
            } else {
                "false"
            }
        })),
        Cow::Borrowed(indicator.name.text.as_str()),
        Cow::Borrowed(indicator.annual.as_ref().map_or("", |v| v.raw.as_str())),
        Cow::Borrowed(
            indicator
                .annual
                .as_ref()
                .map_or("", |v| value_kind_name(&v.kind)),
        ),
        Cow::Borrowed(
            quantity
                .and_then(|q| q.comparator)
                .map_or("", |c| c.symbol()),
        ),
        quantity.map_or(Cow::Borrowed(""), |q| Cow::Owned(q.number.to_string())),
        Cow::Borrowed(
            quantity
                .and_then(|q| q.unit.as_ref())
                .map_or("", |u| u.as_str()),
        ),
        Cow::Borrowed(indicator.period.as_ref().map_or("", |v| v.raw.as_str())),
        Cow::Borrowed(total.as_str()),
        Cow::Borrowed(fiscal.as_str()),
        Cow::Borrowed(special_account.as_str()),
        Cow::Borrowed(other.as_str()),
    ]
}
