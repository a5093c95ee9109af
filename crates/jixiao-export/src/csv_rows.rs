//! The indicator CSV that `jixiao parse --format csv` writes and the readers read back: one row
//! per indicator, money as exact decimals, empty cells empty (not 0).

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
                for indicator in &project.indicators {
                    writer
                        .write_record(indicator_csv_record(document, unit, project, indicator))?;
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
    let amount = |a: &Option<Amount>| a.as_ref().map(|a| a.value.to_string()).unwrap_or_default();
    let category_name = |c: &Option<jixiao_model::Category>| {
        c.as_ref().map(|c| c.name.to_string()).unwrap_or_default()
    };
    let category_code = |c: &Option<jixiao_model::Category>| {
        c.as_ref()
            .and_then(|c| c.code.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let quantity = indicator.annual.as_ref().and_then(|v| match &v.kind {
        ValueKind::Quantitative(q) => Some(q),
        _ => None,
    });
    [
        document.source.clone(),
        document
            .department
            .as_ref()
            .map(|d| d.text.to_string())
            .unwrap_or_default(),
        unit.name.text.to_string(),
        project.name.text.to_string(),
        project.span.line.to_string(),
        indicator.seq.to_string(),
        category_name(&indicator.level1),
        category_code(&indicator.level1),
        category_name(&indicator.level2),
        category_code(&indicator.level2),
        indicator
            .level2
            .as_ref()
            .map(|c| c.inferred.is_some().to_string())
            .unwrap_or_default(),
        indicator.name.text.to_string(),
        indicator
            .annual
            .as_ref()
            .map(|v| v.raw.to_string())
            .unwrap_or_default(),
        indicator
            .annual
            .as_ref()
            .map(|v| value_kind_name(&v.kind).to_owned())
            .unwrap_or_default(),
        quantity
            .and_then(|q| q.comparator)
            .map(|c| c.symbol().to_owned())
            .unwrap_or_default(),
        quantity.map(|q| q.number.to_string()).unwrap_or_default(),
        quantity
            .and_then(|q| q.unit.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default(),
        indicator
            .period
            .as_ref()
            .map(|v| v.raw.to_string())
            .unwrap_or_default(),
        amount(&project.amounts.total),
        amount(&project.amounts.fiscal),
        amount(&project.amounts.special_account),
        amount(&project.amounts.other),
    ]
}
