//! Plain tables as a workbook (a review's findings and grades, the audit log): a bold, frozen
//! header row, text cells, one sheet per table.

use rust_xlsxwriter::{Format, Workbook};

use crate::ExportError;

/// One sheet: its name, header and rows of text.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    pub name: &'a str,
    pub header: &'a [&'a str],
    pub rows: &'a [Vec<String>],
}

/// A workbook with one sheet per table.
pub fn table_xlsx(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet.name)?;
        for (col, title) in sheet.header.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            worksheet.write_string_with_format(0, col, *title, &bold)?;
            worksheet.set_column_width(col, 16)?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        for (row, cells) in sheet.rows.iter().enumerate() {
            let row = u32::try_from(row + 1).unwrap_or(u32::MAX);
            for (col, text) in cells.iter().enumerate() {
                let col = u16::try_from(col).unwrap_or(u16::MAX);
                worksheet.write_string(row, col, text)?;
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}
