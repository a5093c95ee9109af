//! Excel 97-2003 (`.xls`) files written from cells: an OLE compound file with one `Workbook`
//! stream of BIFF8 records, one sheet of text cells. No crate writes XLS, and the fuzzer's seeds
//! and the hostile-input tests need some; `stream_of` reads the stream back out of what
//! `workbook` wrote, so mutants can change the records and be wrapped again.

const FREE: u32 = 0xFFFF_FFFF;
const END: u32 = 0xFFFF_FFFE;
const FAT_SECTOR: u32 = 0xFFFF_FFFD;
/// FAT entries per 512-byte sector.
const PER_SECTOR: usize = 128;
/// A BIFF8 record holds at most 8,224 bytes: longer text is cut (XLS would continue it in
/// `CONTINUE` records).
const MAX_CHARS: usize = 4_000;

fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_le_bytes().to_vec();
    out.extend(u16::try_from(data.len()).unwrap_or(u16::MAX).to_le_bytes());
    out.extend(data);
    out
}

fn bof(kind: u16) -> Vec<u8> {
    let mut data = 0x0600u16.to_le_bytes().to_vec();
    data.extend(kind.to_le_bytes());
    data.extend([0u8; 12]);
    record(0x0809, &data)
}

/// A `LABEL` record: row, column, XF 0, then the text, one byte per character when it is
/// Latin-1, else UTF-16.
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(col.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    let chars: Vec<char> = text.chars().take(MAX_CHARS).collect();
    let units: Vec<u16> = chars.iter().collect::<String>().encode_utf16().collect();
    data.extend(u16::try_from(units.len()).unwrap_or(u16::MAX).to_le_bytes());
    if chars.iter().all(|&c| u32::from(c) < 0x100) {
        data.push(0);
        data.extend(
            chars
                .iter()
                .map(|&c| u8::try_from(u32::from(c)).unwrap_or(b'?')),
        );
    } else {
        data.push(1);
        data.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    }
    record(0x0204, &data)
}

/// The BIFF8 stream of a workbook with one sheet holding `cells` (row, column, text).
pub fn workbook_stream(cells: &[(u16, u16, &str)]) -> Vec<u8> {
    let name = b"Sheet1";
    let bound_sheet = |offset: u32| {
        let mut data = offset.to_le_bytes().to_vec();
        data.extend([0, 0, u8::try_from(name.len()).unwrap_or(0), 0]);
        data.extend(name);
        record(0x0085, &data)
    };
    let globals_len = bof(0x0005).len() + bound_sheet(0).len() + record(0x000A, &[]).len();
    let mut stream = bof(0x0005);
    stream.extend(bound_sheet(u32::try_from(globals_len).unwrap_or(0)));
    stream.extend(record(0x000A, &[]));
    stream.extend(bof(0x0010));
    for &(row, col, text) in cells {
        stream.extend(label(row, col, text));
    }
    stream.extend(record(0x000A, &[]));
    stream
}

/// An OLE compound file (version 3, 512-byte sectors) holding `stream` under `stream_name`:
/// the FAT sectors, the directory, then the stream (padded past the 4,096-byte mini-stream
/// cutoff, so it is in ordinary sectors).
pub fn ole(stream_name: &str, stream: &[u8]) -> Vec<u8> {
    let mut stream = stream.to_vec();
    stream.resize(stream.len().max(4096), 0);
    let stream_sectors = stream.len().div_ceil(512);
    // FAT sectors cover themselves, the directory sector and the stream; the header lists at
    // most 109 of them (about 7 MB of stream).
    let mut fat_sectors = 1;
    while fat_sectors * PER_SECTOR < fat_sectors + 1 + stream_sectors {
        fat_sectors += 1;
    }
    let fat_sectors = fat_sectors.min(109);
    let sector = |n: usize| u32::try_from(n).unwrap_or(END);
    let directory = fat_sectors;
    let first_stream = fat_sectors + 1;

    let mut header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    header.extend([0u8; 16]);
    header.extend(0x003Eu16.to_le_bytes());
    header.extend(3u16.to_le_bytes());
    header.extend(0xFFFEu16.to_le_bytes());
    header.extend(9u16.to_le_bytes());
    header.extend(6u16.to_le_bytes());
    header.extend([0u8; 10]);
    header.extend(sector(fat_sectors).to_le_bytes());
    header.extend(sector(directory).to_le_bytes());
    header.extend(0u32.to_le_bytes());
    header.extend(4096u32.to_le_bytes()); // mini stream cutoff
    header.extend(END.to_le_bytes()); // first mini FAT sector
    header.extend(0u32.to_le_bytes());
    header.extend(END.to_le_bytes()); // first DIFAT sector
    header.extend(0u32.to_le_bytes());
    for n in 0..fat_sectors {
        header.extend(sector(n).to_le_bytes());
    }
    while header.len() < 512 {
        header.extend(FREE.to_le_bytes());
    }

    let mut fat = vec![FAT_SECTOR; fat_sectors];
    fat.push(END); // the directory
    for i in 0..stream_sectors {
        fat.push(if i + 1 == stream_sectors {
            END
        } else {
            sector(first_stream + i + 1)
        });
    }
    fat.resize(fat_sectors * PER_SECTOR, FREE);

    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let length = u16::try_from(e.len() + 2).unwrap_or(64);
        e.resize(64, 0);
        e.extend(length.to_le_bytes());
        e.push(kind);
        e.push(1);
        e.extend(FREE.to_le_bytes());
        e.extend(FREE.to_le_bytes());
        e.extend(child.to_le_bytes());
        e.resize(0x74, 0);
        e.extend(start.to_le_bytes());
        e.extend(size.to_le_bytes());
        e.resize(128, 0);
        e
    };
    let mut out = header;
    out.extend(fat.iter().flat_map(|f| f.to_le_bytes()));
    out.extend(entry("Root Entry", 5, 1, END, 0));
    out.extend(entry(
        stream_name,
        2,
        FREE,
        sector(first_stream),
        u32::try_from(stream.len()).unwrap_or(u32::MAX),
    ));
    out.extend(vec![0u8; 256]);
    out.extend(&stream);
    out.resize(512 + (first_stream + stream_sectors) * 512, 0);
    out
}

/// An `.xls` file of one sheet holding `cells`.
pub fn workbook(cells: &[(u16, u16, &str)]) -> Vec<u8> {
    ole("Workbook", &workbook_stream(cells))
}

/// Cells from tab-separated text: a row per line, a column per tab (at most 65,536 rows and
/// 256 columns, what XLS holds).
pub fn cells_of_text(text: &str) -> Vec<(u16, u16, String)> {
    text.lines()
        .take(usize::from(u16::MAX) + 1)
        .enumerate()
        .flat_map(|(row, line)| {
            line.split('\t')
                .take(256)
                .enumerate()
                .filter(|(_, cell)| !cell.trim().is_empty())
                .map(move |(col, cell)| {
                    (
                        u16::try_from(row).unwrap_or(u16::MAX),
                        u16::try_from(col).unwrap_or(u16::MAX),
                        cell.to_owned(),
                    )
                })
        })
        .collect()
}

/// The stream of a file [`ole`] wrote (its layout, not any compound file's): `None` when the
/// file is not laid out that way.
pub fn stream_of(file: &[u8]) -> Option<Vec<u8>> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(file.get(at..at + 4)?.try_into().ok()?))
    };
    let directory = usize::try_from(u32_at(0x30)?).ok()?;
    let entry = 512 + directory * 512 + 128;
    let start = usize::try_from(u32_at(entry + 0x74)?).ok()?;
    let size = usize::try_from(u32_at(entry + 0x78)?).ok()?;
    let from = 512 + start * 512;
    file.get(from..from.checked_add(size)?).map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_workbook_reads_back_and_gives_its_stream_back() {
        let text = "项目名称\t社区养老服务补助\n一级指标\t二级指标\t三级指标\t指标值\n\
                    产出指标\t数量指标\t服务老人人数\t≥500人\n";
        let cells = cells_of_text(text);
        let borrowed: Vec<(u16, u16, &str)> =
            cells.iter().map(|(r, c, t)| (*r, *c, t.as_str())).collect();
        let stream = workbook_stream(&borrowed);
        let file = workbook(&borrowed);
        let back = stream_of(&file).expect("our own layout");
        assert_eq!(&back[..stream.len()], stream.as_slice());
        let parsed =
            jixiao_parse::parse_bytes("seed.xls", &file, &jixiao_model::Profile::builtin())
                .expect("an XLS that reads");
        let names: Vec<String> = parsed
            .documents
            .iter()
            .flat_map(|d| d.projects())
            .flat_map(|(_, p)| &p.indicators)
            .map(|i| i.name.text.to_string())
            .collect();
        assert_eq!(names, ["服务老人人数"]);
    }

    #[test]
    fn a_stream_of_many_sectors_takes_several_fat_sectors() {
        let long = "甲".repeat(3_000);
        let cells: Vec<(u16, u16, &str)> = (0..100).map(|r| (r, 0, long.as_str())).collect();
        let file = workbook(&cells);
        assert!(file.len() > 600_000);
        let stream = stream_of(&file).expect("our own layout");
        assert!(stream.starts_with(&workbook_stream(&cells)));
    }
}
