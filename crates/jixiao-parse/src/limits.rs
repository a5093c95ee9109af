//! How much one source may hold before reading stops: the one place the limits live.
//!
//! Every container checks these while it reads (streaming), so a hostile file (a ZIP bomb, a
//! cell at the far corner of a sheet, thousands of nested tables, a 200 MB line) is refused in
//! bounded time and memory with a message naming the limit and how to raise it. The defaults are
//! far above any published table; `jixiao.toml` (`[limits]`) and the `--max-*` flags raise them.

use std::fmt;

/// The limits a read runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the input file.
    pub file_size: u64,
    /// Bytes inflated from a ZIP archive (XLSX, DOCX), over all the parts read.
    pub inflated_size: u64,
    /// Lattice positions of one table: its cells, a merged cell counting every position it covers.
    pub cells: u64,
    /// Columns of one row.
    pub columns: u64,
    /// Bytes of one cell's text (a line of a text file without separators is one cell).
    pub cell_size: u64,
    /// Tables nested in tables (HTML, DOCX).
    pub depth: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // The 100 MB benchmark corpus still reads; a published table is a few MB at most.
            file_size: 128 << 20,
            // What DOCX capped `document.xml` at before limits were settable.
            inflated_size: 256 << 20,
            cells: 2_000_000,
            // Excel's own column limit.
            columns: 16_384,
            cell_size: 1 << 20,
            depth: 100,
        }
    }
}

/// One of the limits, for messages and settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    FileSize,
    InflatedSize,
    Cells,
    Columns,
    CellSize,
    Depth,
}

impl Limit {
    pub const ALL: [Self; 6] = [
        Self::FileSize,
        Self::InflatedSize,
        Self::Cells,
        Self::Columns,
        Self::CellSize,
        Self::Depth,
    ];

    /// The key under `[limits]` in `jixiao.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Self::FileSize => "file_size",
            Self::InflatedSize => "inflated_size",
            Self::Cells => "cells",
            Self::Columns => "columns",
            Self::CellSize => "cell_size",
            Self::Depth => "depth",
        }
    }

    /// The command-line flag.
    pub fn flag(self) -> &'static str {
        match self {
            Self::FileSize => "--max-file-size",
            Self::InflatedSize => "--max-inflated-size",
            Self::Cells => "--max-cells",
            Self::Columns => "--max-columns",
            Self::CellSize => "--max-cell-size",
            Self::Depth => "--max-depth",
        }
    }

    /// What is limited, in the words of a message.
    pub fn label(self) -> &'static str {
        match self {
            Self::FileSize => "文件大小",
            Self::InflatedSize => "解压后的大小",
            Self::Cells => "一张表格的单元格数",
            Self::Columns => "一行的列数",
            Self::CellSize => "一个单元格（或文本文件的一行）的长度",
            Self::Depth => "表格嵌套的层数",
        }
    }

    /// Sizes are bytes (written `128MiB`); the others are counts.
    pub fn is_size(self) -> bool {
        matches!(self, Self::FileSize | Self::InflatedSize | Self::CellSize)
    }

    /// A value of this limit as a user writes it.
    pub fn show(self, value: u64) -> String {
        if !self.is_size() {
            return value.to_string();
        }
        for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
            if value >= 1 << shift && value.is_multiple_of(1 << shift) {
                return format!("{}{unit}", value >> shift);
            }
        }
        format!("{value} 字节")
    }

    /// Parses a value written for this limit: a count, or a size such as `300MiB`, `1G`, `512k`
    /// or a number of bytes.
    pub fn parse(self, text: &str) -> Result<u64, String> {
        let text = text.trim().replace(['_', ','], "");
        let digits = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let bad = || {
            if self.is_size() {
                format!(
                    "{}的值“{text}”无效：请写字节数或带单位的大小，如 300MiB、1GiB",
                    self.label()
                )
            } else {
                format!("{}的值“{text}”无效：请写正整数", self.label())
            }
        };
        let number: u64 = number.parse().map_err(|_| bad())?;
        let shift = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 0,
            "k" | "kb" | "kib" if self.is_size() => 10,
            "m" | "mb" | "mib" if self.is_size() => 20,
            "g" | "gb" | "gib" if self.is_size() => 30,
            _ => return Err(bad()),
        };
        let value = number.checked_mul(1 << shift).ok_or_else(bad)?;
        if value == 0 {
            return Err(bad());
        }
        Ok(value)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Limits {
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::FileSize => self.file_size,
            Limit::InflatedSize => self.inflated_size,
            Limit::Cells => self.cells,
            Limit::Columns => self.columns,
            Limit::CellSize => self.cell_size,
            Limit::Depth => self.depth,
        }
    }

    pub fn set(&mut self, limit: Limit, value: u64) {
        let slot = match limit {
            Limit::FileSize => &mut self.file_size,
            Limit::InflatedSize => &mut self.inflated_size,
            Limit::Cells => &mut self.cells,
            Limit::Columns => &mut self.columns,
            Limit::CellSize => &mut self.cell_size,
            Limit::Depth => &mut self.depth,
        };
        *slot = value;
    }

    /// Applies a `[limits]` table from `jixiao.toml`: keys as in [`Limit::key`], values numbers
    /// or strings such as `"300MiB"`.
    pub fn apply_toml<'a>(
        &mut self,
        entries: impl IntoIterator<Item = (&'a str, LimitValue<'a>)>,
    ) -> Result<(), String> {
        for (key, value) in entries {
            let Some(limit) = Limit::ALL.into_iter().find(|l| l.key() == key) else {
                let known: Vec<&str> = Limit::ALL.iter().map(|l| l.key()).collect();
                return Err(format!(
                    "[limits] 中没有“{key}”这一项；可用的有：{}",
                    known.join("、")
                ));
            };
            let value = match value {
                LimitValue::Number(n) => u64::try_from(n)
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("[limits] {key} 必须是正数"))?,
                LimitValue::Text(text) => limit.parse(text)?,
            };
            self.set(limit, value);
        }
        Ok(())
    }

    /// An error when `found` is past `limit`.
    pub(crate) fn check(
        &self,
        limit: Limit,
        found: u64,
        file: &str,
        place: impl FnOnce() -> String,
    ) -> Result<(), crate::container::ContainerError> {
        if found <= self.get(limit) {
            return Ok(());
        }
        Err(self.exceeded(limit, file, place()))
    }

    /// The error for going past `limit` at `place` (`第 3 行：`, `xl/sharedStrings.xml：`, or
    /// empty).
    pub fn exceeded(
        &self,
        limit: Limit,
        file: &str,
        place: String,
    ) -> crate::container::ContainerError {
        crate::container::ContainerError::Limit {
            file: file.to_owned(),
            limit,
            value: self.get(limit),
            place,
        }
    }
}

/// A value under `[limits]` as written in TOML.
#[derive(Debug, Clone, Copy)]
pub enum LimitValue<'a> {
    Number(i64),
    Text(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(Limit::FileSize.parse("300MiB"), Ok(300 << 20));
        assert_eq!(Limit::FileSize.parse("1g"), Ok(1 << 30));
        assert_eq!(Limit::CellSize.parse("4096"), Ok(4096));
        assert!(Limit::Cells.parse("3MiB").is_err());
        assert!(Limit::Cells.parse("0").is_err());
        assert_eq!(Limit::Cells.parse("5_000_000"), Ok(5_000_000));
    }

    #[test]
    fn sizes_show_in_their_largest_whole_unit() {
        assert_eq!(Limit::FileSize.show(128 << 20), "128MiB");
        assert_eq!(Limit::CellSize.show(1000), "1000 字节");
        assert_eq!(Limit::Cells.show(2_000_000), "2000000");
    }

    #[test]
    fn toml_keys_are_checked() {
        let mut limits = Limits::default();
        limits
            .apply_toml([
                ("file_size", LimitValue::Text("1GiB")),
                ("depth", LimitValue::Number(10)),
            ])
            .expect("valid");
        assert_eq!(limits.file_size, 1 << 30);
        assert_eq!(limits.depth, 10);
        assert!(
            limits
                .apply_toml([("rows", LimitValue::Number(1))])
                .is_err()
        );
    }
}
