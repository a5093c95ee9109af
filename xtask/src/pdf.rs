//! `cargo xtask pdf-fixtures [DIR]`: the PDF test fixtures, made from our own documents.
//!
//! Each fixture is a grid (the seed department lists read as text, a project sheet read from
//! `jixiao_export::project_sheets_xlsx`) laid out as published tables are: landscape A4, a
//! bordered table with padded cells, wrapped text, merged cells centred vertically, the header row
//! repeated on every page, a running page header and a page number. Rows are not split across
//! pages, as Excel and WPS print them.
//!
//! Two font set-ups: Noto Serif CJK SC from Debian's fonts-noto-cjk, subset and embedded with a
//! ToUnicode map (what office suites write), and the standard `STSong-Light` CID font with the
//! `UniGB-UCS2-H` encoding, not embedded and without ToUnicode (what older government PDF tools
//! write), which only a reader with Adobe's CMaps (poppler-data) can turn into text.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use jixiao_model::{Grid, GridCell, Profile};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

const NOTO: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
const PAGE_WIDTH: f32 = 842.0;
const PAGE_HEIGHT: f32 = 595.0;
const MARGIN_X: f32 = 36.0;
const MARGIN_TOP: f32 = 48.0;
const MARGIN_BOTTOM: f32 = 50.0;
const FONT_SIZE: f32 = 9.0;
const LINE_HEIGHT: f32 = 12.0;
const PADDING: f32 = 4.0;
const TITLE_SIZE: f32 = 15.0;

pub fn fixtures(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seed = |name: &str| -> anyhow::Result<Grid> {
        let path = root.join("examples").join(name);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut grids = jixiao_parse::container::read_grids(name, &bytes)?;
        if grids.len() != 1 {
            bail!("{name}: expected one grid, read {}", grids.len());
        }
        Ok(grids.remove(0))
    };
    let huadu = seed("guangzhou-huadu-rsj.txt")?;
    let yuexiu = seed("guangzhou-yuexiu-rsj.txt")?;
    let sheet = project_sheet(&root)?;

    let noto = std::fs::read(NOTO).with_context(|| {
        format!("reading {NOTO}; install it with `apt-get install fonts-noto-cjk`")
    })?;
    let index = sc_face(&noto)?;
    let write = |name: &str, grid: &Grid, font: FontChoice<'_>, style: Furniture| {
        let bytes = render(grid, font, style)?;
        let path = dir.join(name);
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("{} ({} bytes)", path.display(), bytes.len());
        anyhow::Ok(())
    };
    let embedded = || FontChoice::Embedded { data: &noto, index };
    write("huadu.pdf", &huadu, embedded(), Furniture::PageOf)?;
    write("yuexiu.pdf", &yuexiu, embedded(), Furniture::PageOf)?;
    write("project-sheet.pdf", &sheet, embedded(), Furniture::Dashes)?;
    write(
        "yuexiu-stsong.pdf",
        &yuexiu,
        FontChoice::StSong,
        Furniture::Dashes,
    )?;
    Ok(())
}

/// The project sheet of 越秀's 自谋职业随军家属专项补贴, as `project_sheets_xlsx` lays it out.
fn project_sheet(root: &Path) -> anyhow::Result<Grid> {
    let path = root.join("examples/guangzhou-yuexiu-rsj.txt");
    let bytes = std::fs::read(&path)?;
    let parsed = jixiao_parse::parse_bytes("yuexiu.txt", &bytes, &Profile::builtin())?;
    let xlsx = jixiao_export::project_sheets_xlsx(&parsed.documents)?;
    let grids = jixiao_parse::container::read_grids("sheets.xlsx", &xlsx)?;
    grids
        .into_iter()
        .find(|g| {
            g.name
                .as_deref()
                .is_some_and(|n| n.contains("自谋职业随军家属专项补贴"))
        })
        .context("the project sheet of 自谋职业随军家属专项补贴")
}

/// The Simplified Chinese face of the Noto CJK collection.
fn sc_face(data: &[u8]) -> anyhow::Result<u32> {
    let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    for index in 0..count {
        let face = ttf_parser::Face::parse(data, index)?;
        let is_sc = face.names().into_iter().any(|name| {
            name.name_id == ttf_parser::name_id::FAMILY
                && name.to_string().is_some_and(|n| n.ends_with(" SC"))
        });
        if is_sc {
            return Ok(index);
        }
    }
    bail!("no SC face in {NOTO}")
}

#[derive(Clone, Copy)]
enum FontChoice<'a> {
    Embedded { data: &'a [u8], index: u32 },
    StSong,
}

/// Page header and footer: `第 N 页 共 M 页` or `- N -`.
#[derive(Clone, Copy)]
enum Furniture {
    PageOf,
    Dashes,
}

/// Turns text into font codes and knows advance widths.
struct Font<'a> {
    choice: FontChoice<'a>,
    face: Option<ttf_parser::Face<'a>>,
    remapper: subsetter::GlyphRemapper,
    /// New glyph id → (character, advance in 1/1000 em), for the widths and ToUnicode.
    used: BTreeMap<u16, (char, f32)>,
}

impl<'a> Font<'a> {
    fn new(choice: FontChoice<'a>) -> anyhow::Result<Self> {
        let face = match choice {
            FontChoice::Embedded { data, index } => Some(ttf_parser::Face::parse(data, index)?),
            FontChoice::StSong => None,
        };
        Ok(Self {
            choice,
            face,
            remapper: subsetter::GlyphRemapper::new(),
            used: BTreeMap::new(),
        })
    }

    /// Advance of `c` in em.
    fn advance(&self, c: char) -> f32 {
        match &self.face {
            Some(face) => face
                .glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(1.0, |a| f32::from(a) / f32::from(face.units_per_em())),
            None if c.is_ascii() => 0.5,
            None => 1.0,
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in text.chars() {
            let code = match &self.face {
                Some(face) => {
                    let glyph = face.glyph_index(c).map_or(0, |g| g.0);
                    let new = self.remapper.remap(glyph);
                    let advance = self.advance(c) * 1000.0;
                    self.used.entry(new).or_insert((c, advance));
                    new
                }
                None => u16::try_from(u32::from(c)).unwrap_or(0x3000),
            };
            out.extend_from_slice(&code.to_be_bytes());
        }
        out
    }
}

/// Where a cell is drawn.
struct Placed {
    x: f32,
    width: f32,
}

fn render(grid: &Grid, choice: FontChoice<'_>, furniture: Furniture) -> anyhow::Result<Vec<u8>> {
    let mut font = Font::new(choice)?;
    let rows = grid.row_count();
    let cols = grid.col_count();
    let mut by_row: Vec<Vec<&GridCell>> = vec![Vec::new(); rows];
    for cell in &grid.cells {
        if let Some(row) = by_row.get_mut(cell.row as usize) {
            row.push(cell);
        }
    }
    // Leading rows of one cell are titles printed above the table.
    let titles = by_row
        .iter()
        .take_while(|r| r.iter().filter(|c| !c.text.trim().is_empty()).count() <= 1)
        .count();
    let widths = column_widths(grid, &font, cols, titles);
    let lefts: Vec<f32> = widths
        .iter()
        .scan(MARGIN_X, |x, w| {
            let left = *x;
            *x += w;
            Some(left)
        })
        .collect();
    let placed = |cell: &GridCell| {
        let col = cell.col as usize;
        let end = (col + cell.col_span.max(1) as usize).min(cols);
        Placed {
            x: lefts[col],
            width: widths[col..end].iter().sum(),
        }
    };
    // Row heights: the tallest single-row cell; a merged cell's deficit goes to its last row.
    let mut heights = vec![LINE_HEIGHT + 2.0 * PADDING; rows];
    for cell in &grid.cells {
        let p = placed(cell);
        let lines = wrap(&font, &cell.text, p.width - 2.0 * PADDING)
            .len()
            .max(1);
        let need = lines as f32 * LINE_HEIGHT + 2.0 * PADDING;
        let r = cell.row as usize;
        if cell.row_span <= 1 {
            heights[r] = heights[r].max(need);
        }
    }
    for cell in grid.cells.iter().filter(|c| c.row_span > 1) {
        let p = placed(cell);
        let lines = wrap(&font, &cell.text, p.width - 2.0 * PADDING)
            .len()
            .max(1);
        let need = lines as f32 * LINE_HEIGHT + 2.0 * PADDING;
        let (start, end) = (cell.row as usize, (cell.row + cell.row_span) as usize);
        let have: f32 = heights[start..end.min(rows)].iter().sum();
        if need > have {
            heights[end.min(rows) - 1] += need - have;
        }
    }

    let mut pages: Vec<Content> = Vec::new();
    let mut content = Content::new();
    let mut y = PAGE_HEIGHT - MARGIN_TOP;
    for (r, row) in by_row.iter().enumerate().take(titles) {
        let Some(cell) = row.iter().find(|c| !c.text.trim().is_empty()) else {
            continue;
        };
        let text = cell.text.trim();
        if r == 0 {
            y -= TITLE_SIZE + 6.0;
            let x = (PAGE_WIDTH - font.width(text, TITLE_SIZE)) / 2.0;
            show(&mut content, &mut font, text, x, y, TITLE_SIZE);
            y -= 14.0;
        } else {
            y -= 11.0 + 6.0;
            show(&mut content, &mut font, text, MARGIN_X, y, 11.0);
        }
    }
    y -= 10.0;
    let header = titles;
    // Rows tied together by a merged cell stay on one page.
    let mut group_end: Vec<usize> = (1..=rows).collect();
    for cell in grid.cells.iter().filter(|c| c.row_span > 1) {
        let start = cell.row as usize;
        let end = (cell.row + cell.row_span) as usize;
        group_end[start] = group_end[start].max(end.min(rows));
    }
    let table = Table {
        by_row: &by_row,
        heights: &heights,
        header_row: header,
        placed: &placed,
    };
    let mut r = header;
    let mut first = true;
    while r < rows {
        let mut end = group_end[r];
        let mut k = r;
        while k < end {
            end = end.max(group_end[k]);
            k += 1;
        }
        let height: f32 = heights[r..end].iter().sum();
        if !first && y - height < MARGIN_BOTTOM {
            pages.push(std::mem::replace(&mut content, Content::new()));
            y = PAGE_HEIGHT - MARGIN_TOP;
            draw_rows(&mut content, &mut font, &table, header..header + 1, y);
            y -= heights[header];
        }
        draw_rows(&mut content, &mut font, &table, r..end, y);
        y -= height;
        first = false;
        r = end;
    }
    pages.push(content);
    write_pdf(pages, font, furniture)
}

/// Column widths filling the page: each column gets at least its header's width, the rest of the
/// page is shared by how much text the columns hold.
fn column_widths(grid: &Grid, font: &Font<'_>, cols: usize, header: usize) -> Vec<f32> {
    let available = PAGE_WIDTH - 2.0 * MARGIN_X;
    let mut minimum = vec![40.0f32; cols];
    let mut natural = vec![0.0f32; cols];
    for cell in grid.cells.iter().filter(|c| c.col_span <= 1) {
        let col = cell.col as usize;
        let width = font.width(cell.text.trim(), FONT_SIZE) + 2.0 * PADDING + 1.0;
        if cell.row as usize == header {
            minimum[col] = minimum[col].max(width.min(90.0));
        }
        natural[col] = natural[col].max(width.min(320.0));
    }
    let natural: Vec<f32> = natural
        .iter()
        .zip(&minimum)
        .map(|(n, m)| n.max(*m))
        .collect();
    let min_sum: f32 = minimum.iter().sum();
    let extra: f32 = natural.iter().zip(&minimum).map(|(n, m)| n - m).sum();
    let scale = if extra > 0.0 {
        ((available - min_sum) / extra).max(0.0)
    } else {
        0.0
    };
    let mut widths: Vec<f32> = natural
        .iter()
        .zip(&minimum)
        .map(|(n, m)| m + (n - m) * scale)
        .collect();
    let sum: f32 = widths.iter().sum();
    for w in &mut widths {
        *w *= available / sum;
    }
    widths
}

/// Breaks `text` into lines no wider than `width`: anywhere between CJK characters, never inside
/// a run of Latin letters (as word processors do), at `\n` always.
fn wrap(font: &Font<'_>, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.trim().split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        let chars: Vec<char> = paragraph.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let mut j = i + 1;
            if chars[i].is_ascii_alphabetic() {
                while j < chars.len() && chars[j].is_ascii_alphabetic() {
                    j += 1;
                }
            }
            let piece: String = chars[i..j].iter().collect();
            let piece_width = font.width(&piece, FONT_SIZE);
            if line_width + piece_width > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push_str(&piece);
            line_width += piece_width;
            i = j;
        }
        lines.push(line);
    }
    lines
}

fn show(content: &mut Content, font: &mut Font<'_>, text: &str, x: f32, y: f32, size: f32) {
    let bytes = font.encode(text);
    content
        .begin_text()
        .set_font(Name(b"F1"), size)
        .next_line(x, y)
        .show(Str(&bytes))
        .end_text();
}

/// The laid-out table: cells by row, row heights, the header row, and where a cell goes.
struct Table<'t> {
    by_row: &'t [Vec<&'t GridCell>],
    heights: &'t [f32],
    header_row: usize,
    placed: &'t dyn Fn(&GridCell) -> Placed,
}

/// Draws rows `range` with their top at `top`: borders, then text (numbers right-aligned,
/// headers and merged cells centred, other text left-aligned; all centred vertically).
fn draw_rows(
    content: &mut Content,
    font: &mut Font<'_>,
    table: &Table<'_>,
    range: std::ops::Range<usize>,
    top: f32,
) {
    let Table {
        by_row,
        heights,
        header_row,
        placed,
    } = table;
    let header_row = *header_row;
    let mut y = top;
    for r in range.clone() {
        for cell in &by_row[r] {
            let p = placed(cell);
            let span_end = (r + cell.row_span.max(1) as usize).min(range.end);
            let height: f32 = heights[r..span_end].iter().sum();
            content.set_line_width(0.5);
            content.rect(p.x, y - height, p.width, height).stroke();
            let lines = wrap(font, &cell.text, p.width - 2.0 * PADDING);
            let text_height = lines.len() as f32 * LINE_HEIGHT;
            let mut baseline = y - (height - text_height) / 2.0 - LINE_HEIGHT + 2.5;
            for line in &lines {
                let width = font.width(line, FONT_SIZE);
                let numeric = line
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || c == '-');
                let x = if numeric && !line.is_empty() {
                    p.x + p.width - PADDING - width
                } else if r == header_row || cell.row_span > 1 || lines.len() == 1 && width < 50.0 {
                    p.x + (p.width - width) / 2.0
                } else {
                    p.x + PADDING
                };
                if !line.is_empty() {
                    show(content, font, line, x, baseline, FONT_SIZE);
                }
                baseline -= LINE_HEIGHT;
            }
        }
        y -= heights[r];
    }
}

fn write_pdf(
    pages: Vec<Content>,
    mut font: Font<'_>,
    furniture: Furniture,
) -> anyhow::Result<Vec<u8>> {
    let total = pages.len();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let type0 = Ref::new(3);
    let cid = Ref::new(4);
    let descriptor = Ref::new(5);
    let file = Ref::new(6);
    let to_unicode = Ref::new(7);
    let mut next = 8;
    let mut alloc = || {
        next += 1;
        Ref::new(next)
    };
    let mut page_refs = Vec::new();
    let mut streams = Vec::new();
    for (n, mut content) in pages.into_iter().enumerate() {
        let number = n + 1;
        let running = "人力资源和社会保障局部门预算公开";
        let x = PAGE_WIDTH - MARGIN_X - font.width(running, 8.0);
        show(&mut content, &mut font, running, x, PAGE_HEIGHT - 26.0, 8.0);
        let footer = match furniture {
            Furniture::PageOf => format!("第 {number} 页 共 {total} 页"),
            Furniture::Dashes => format!("- {number} -"),
        };
        let x = (PAGE_WIDTH - font.width(&footer, 9.0)) / 2.0;
        show(&mut content, &mut font, &footer, x, 24.0, 9.0);
        let page = alloc();
        let stream = alloc();
        page_refs.push(page);
        streams.push((page, stream, deflate(&content.finish())?));
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(i32::try_from(page_refs.len())?);
    for (page, stream, data) in &streams {
        let mut p = pdf.page(*page);
        p.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(*stream);
        p.resources().fonts().pair(Name(b"F1"), type0);
        p.finish();
        pdf.stream(*stream, data).filter(Filter::FlateDecode);
    }
    match font.choice {
        FontChoice::StSong => {
            pdf.type0_font(type0)
                .base_font(Name(b"STSong-Light"))
                .encoding_predefined(Name(b"UniGB-UCS2-H"))
                .descendant_font(cid);
            let mut c = pdf.cid_font(cid);
            c.subtype(CidFontType::Type0)
                .base_font(Name(b"STSong-Light"))
                .system_info(SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"GB1"),
                    supplement: 2,
                })
                .font_descriptor(descriptor)
                .default_width(1000.0);
            // Adobe-GB1 CIDs 1–95 are the proportional ASCII glyphs UniGB-UCS2-H maps to.
            c.widths().same(1, 95, 500.0);
            c.finish();
            pdf.font_descriptor(descriptor)
                .name(Name(b"STSong-Light"))
                .flags(FontFlags::SYMBOLIC)
                .bbox(Rect::new(-25.0, -254.0, 1000.0, 880.0))
                .italic_angle(0.0)
                .ascent(880.0)
                .descent(-120.0)
                .cap_height(880.0)
                .stem_v(93.0);
        }
        FontChoice::Embedded { data, index } => {
            let subset = subsetter::subset(data, index, &font.remapper)
                .map_err(|e| anyhow::anyhow!("subsetting the font: {e}"))?;
            let base = Name(b"AAAAAA+NotoSerifCJKsc-Regular");
            pdf.type0_font(type0)
                .base_font(base)
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid)
                .to_unicode(to_unicode);
            let mut c = pdf.cid_font(cid);
            c.subtype(CidFontType::Type0)
                .base_font(base)
                .system_info(SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"Identity"),
                    supplement: 0,
                })
                .font_descriptor(descriptor)
                .default_width(1000.0);
            {
                let mut widths = c.widths();
                for (gid, (_, advance)) in &font.used {
                    widths.consecutive(*gid, [*advance]);
                }
            }
            c.finish();
            pdf.font_descriptor(descriptor)
                .name(base)
                .flags(FontFlags::SYMBOLIC)
                .bbox(Rect::new(-1000.0, -300.0, 2000.0, 1100.0))
                .italic_angle(0.0)
                .ascent(880.0)
                .descent(-120.0)
                .cap_height(733.0)
                .stem_v(80.0)
                .font_file3(file);
            let compressed = deflate(&subset)?;
            pdf.stream(file, &compressed)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Subtype"), Name(b"OpenType"));
            let mut cmap = UnicodeCmap::new(
                Name(b"Custom"),
                SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"UCS"),
                    supplement: 0,
                },
            );
            for (gid, (c, _)) in &font.used {
                cmap.pair(*gid, *c);
            }
            let cmap = cmap.finish();
            pdf.cmap(to_unicode, &cmap);
        }
    }
    Ok(pdf.finish())
}

fn deflate(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}
