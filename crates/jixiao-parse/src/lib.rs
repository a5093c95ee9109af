//! Readers for published 项目支出绩效目标表: bytes in, `Parsed { documents, problems }` out.

pub mod value;

pub use value::parse_value;
