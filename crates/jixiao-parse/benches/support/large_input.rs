//! The repeated-seed input of the parse bench, included by the check bench and
//! `jixiao-rules/examples/check_cpu.rs` too, so all three time the same text.

const HUADU: &str = include_str!("../../../../examples/guangzhou-huadu-rsj.txt");

/// The 花都 table with its unit and project rows repeated until the text is `bytes` long.
pub fn large_input(bytes: usize) -> String {
    let lines: Vec<&str> = HUADU.lines().collect();
    let header_end = lines
        .iter()
        .position(|l| l.starts_with("合计"))
        .map_or(0, |i| i + 1);
    let mut text = lines[..header_end].join("\n");
    text.push('\n');
    let body: String = lines[header_end..]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    while text.len() < bytes {
        text.push_str(&body);
    }
    text
}
