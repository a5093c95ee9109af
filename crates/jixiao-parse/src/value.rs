//! The value grammar (helper is writing this).

use jixiao_model::ValueKind;

/// Reads a 指标值.
pub fn parse_value(raw: &str) -> ValueKind {
    let _ = raw;
    ValueKind::Qualitative
}
