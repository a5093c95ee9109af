//! Year and publisher of a document, read from what it says about itself.

use jixiao_model::Document;

/// The budget year a document is for: the first `2024年` (or `2024年度`) in its title, department,
/// header or file name, in that order. Years outside 1990–2100 are not years but numbers.
pub fn infer_year(document: &Document) -> Option<i32> {
    let texts = [
        document.title.as_ref().map(|t| t.text.as_str()),
        document.department.as_ref().map(|t| t.text.as_str()),
        document.header.as_ref().map(|t| t.text.as_str()),
        Some(file_name(&document.source)),
    ];
    texts.into_iter().flatten().find_map(year_in)
}

/// The department that published the document (部门名称), else its first named unit.
pub fn infer_publisher(document: &Document) -> Option<String> {
    document
        .department
        .as_ref()
        .map(|d| d.text.trim().to_owned())
        .filter(|d| !d.is_empty())
        .or_else(|| {
            document
                .units
                .iter()
                .find(|u| !u.implicit)
                .map(|u| u.name.text.trim().to_owned())
        })
}

fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).enumerate().find_map(|(i, w)| {
        let digits = w[..4].iter().all(char::is_ascii_digit);
        let before_is_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if !digits || before_is_digit || w[4] != '年' {
            return None;
        }
        let year: i32 = w[..4].iter().collect::<String>().parse().ok()?;
        (1990..=2100).contains(&year).then_some(year)
    })
}

pub(crate) fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

#[cfg(test)]
mod tests {
    use super::year_in;

    #[test]
    fn reads_years_before_nian() {
        assert_eq!(year_in("2024年度项目支出绩效目标表"), Some(2024));
        assert_eq!(year_in("花都区2023年部门预算"), Some(2023));
        assert_eq!(year_in("共12024年"), None);
        assert_eq!(year_in("3000年"), None);
        assert_eq!(year_in("项目支出绩效目标表"), None);
    }
}
