//! The extent of each XLS worksheet, read from its BIFF records before calamine opens the file.
//!
//! calamine builds every sheet of an XLS workbook when it opens it, as a dense range from the
//! first to the last used cell (32 bytes a position): a 2 KB file with cells at A1 and IV65536
//! asks for half a gigabyte. So the `Workbook` stream is found in the OLE compound file (header,
//! FAT, directory, and the mini stream for small workbooks) and its cell records are scanned for
//! each sheet's first and last row and column; a sheet whose range holds more positions than the
//! cell limit is refused. Anything this reader cannot follow is left to calamine, which reports
//! damaged files itself.

use super::ContainerError;
use crate::limits::{Limit, Limits};

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

pub(super) fn check(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), ContainerError> {
    // What this reader cannot follow is left to calamine, which reports damaged files itself.
    let Some(compound) = Compound::parse(bytes) else {
        return Ok(());
    };
    if let Err(reason) = calamine_bounds(&compound, bytes.len() as u64) {
        return Err(ContainerError::CorruptWorkbook {
            file: file.to_owned(),
            reason,
        });
    }
    let Some(stream) = workbook_stream(&compound, bytes) else {
        return Ok(());
    };
    let mut sheet = 0u32;
    let mut extent: Option<(u16, u16, u16, u16)> = None;
    let mut at = 0usize;
    let check_extent = |sheet: u32, extent: Option<(u16, u16, u16, u16)>| {
        let Some((top, bottom, left, right)) = extent else {
            return Ok(());
        };
        let positions = (u64::from(bottom - top) + 1).saturating_mul(u64::from(right - left) + 1);
        limits.check(Limit::Cells, positions, file, || {
            format!(
                "第 {sheet} 个工作表（从 {} 到 {} 的范围，XLS 按整个范围读取）：",
                cell_name(top, left),
                cell_name(bottom, right)
            )
        })
    };
    while let Some(header) = stream.get(at..at + 4) {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let length = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let Some(data) = stream.get(at + 4..at + 4 + length) else {
            break;
        };
        at += 4 + length;
        let word = |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let cells: Option<(u16, u16, u16)> = match kind {
            // BOF of a worksheet: a new sheet starts.
            0x0809 if word(2) == Some(0x0010) => {
                check_extent(sheet, extent)?;
                sheet += 1;
                extent = None;
                None
            }
            0x000A => {
                check_extent(sheet, extent)?;
                None
            }
            // Number, Label, LabelSst, RK, BoolErr, Formula, RString: one cell.
            0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0205 | 0x0006 | 0x00D6 => {
                word(0).zip(word(2)).map(|(row, col)| (row, col, col))
            }
            // MulRk: a run of cells on one row, its last column in the last two bytes.
            0x00BD => word(0)
                .zip(word(2))
                .zip(length.checked_sub(2).and_then(word))
                .map(|((row, first), last)| (row, first, last.max(first))),
            _ => None,
        };
        if let Some((row, first, last)) = cells {
            extent = Some(match extent {
                None => (row, row, first, last),
                Some((top, bottom, left, right)) => (
                    top.min(row),
                    bottom.max(row),
                    left.min(first),
                    right.max(last),
                ),
            });
        }
    }
    check_extent(sheet, extent)
}

/// `A1`-style name of a 0-based position.
fn cell_name(row: u16, col: u16) -> String {
    let mut letters = Vec::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let digit = u8::try_from((n - 1) % 26).unwrap_or(0);
        letters.push(char::from(b'A' + digit));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        letters.into_iter().collect::<String>(),
        u32::from(row) + 1
    )
}

/// What calamine's compound-file reader needs to stay bounded (found by `cargo xtask fuzz`): it
/// follows the directory's sector chain to its end, and other chains as far as the length the
/// file declares, so a chain that loops back (and a declared length of gigabytes) made it
/// allocate until the machine ran out of memory. The directory chain must end; the mini stream,
/// the mini FAT and every stream must declare no more than the file holds.
fn calamine_bounds(file: &Compound, size: u64) -> Result<(), String> {
    let mut next = file.directory_start;
    let mut seen = vec![false; file.fat.len()];
    while next < END_OF_CHAIN {
        let Some(visited) = seen.get_mut(next as usize) else {
            return Err(format!("directory sector {next} is past the FAT"));
        };
        if *visited {
            return Err(format!(
                "the directory's sector chain loops at sector {next}"
            ));
        }
        *visited = true;
        next = file.fat[next as usize];
    }
    if u64::from(file.mini_fat_sectors).saturating_mul(file.sector_size as u64) > size {
        return Err(format!(
            "the mini FAT declares {} sectors, more than the file holds",
            file.mini_fat_sectors
        ));
    }
    for entry in file.directory.chunks_exact(128) {
        // calamine reads 64 bits of length where sectors are larger than 512 bytes, and finds
        // streams by name whatever the entry's kind, so every entry is checked.
        let length = if file.sector_size == 512 {
            u64::from(u32::from_le_bytes(
                entry[0x78..0x7C].try_into().unwrap_or([0; 4]),
            ))
        } else {
            u64::from_le_bytes(entry[0x78..0x80].try_into().unwrap_or([0; 8]))
        };
        if length > size {
            return Err(format!(
                "a stream declares {length} bytes, more than the file's {size}"
            ));
        }
    }
    Ok(())
}

/// An OLE compound file's header fields and FAT, as far as this reader follows them.
struct Compound {
    sector_size: usize,
    /// Sectors the file holds.
    sectors: usize,
    fat: Vec<u32>,
    directory_start: u32,
    mini_fat_sectors: u32,
    /// log2 of the mini stream's sector size.
    mini_shift: u32,
    /// The first mini FAT sector, and the size under which streams live in the mini stream.
    mini_fat_start: u32,
    mini_cutoff: usize,
    /// The directory's sectors, followed at most as many steps as the file has sectors.
    directory: Vec<u8>,
}

impl Compound {
    fn parse(bytes: &[u8]) -> Option<Self> {
        let u16_at = |i: usize| {
            bytes
                .get(i..i + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
        };
        let u32_at = |i: usize| {
            bytes
                .get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let shift = u32::from(u16_at(0x1E)?);
        let mini_shift = u32::from(u16_at(0x20)?);
        if !(7..=16).contains(&shift) || mini_shift >= shift {
            return None;
        }
        let sector_size = 1usize << shift;
        let sectors = bytes.len() / sector_size;
        let sector = |n: u32| sector_at(bytes, sector_size, n);
        // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(0x4C + 4 * i))
            .filter(|&s| s < END_OF_CHAIN)
            .collect();
        let mut difat = u32_at(0x44)?;
        let mut guard = 0;
        while difat < END_OF_CHAIN && guard <= sectors {
            let data = sector(difat)?;
            let entries = sector_size / 4 - 1;
            fat_sectors.extend(
                data.chunks_exact(4)
                    .take(entries)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .filter(|&s| s < END_OF_CHAIN),
            );
            difat = u32::from_le_bytes(data[entries * 4..entries * 4 + 4].try_into().ok()?);
            guard += 1;
        }
        let fat: Vec<u32> = fat_sectors
            .iter()
            .filter_map(|&s| sector(s))
            .flat_map(|data| {
                data.chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            })
            .collect();
        let mut compound = Self {
            sector_size,
            sectors,
            fat,
            directory_start: u32_at(0x30)?,
            mini_fat_sectors: u32_at(0x40)?,
            mini_shift,
            mini_fat_start: u32_at(0x3C)?,
            mini_cutoff: usize::try_from(u32_at(0x38)?).ok()?,
            directory: Vec::new(),
        };
        compound.directory = compound.chain(bytes, compound.directory_start);
        Some(compound)
    }

    /// The sectors of the chain from `start`, at most as many as the file holds.
    fn chain(&self, bytes: &[u8], start: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut next = start;
        let mut steps = 0;
        while next < END_OF_CHAIN && steps <= self.sectors {
            let Some(data) = sector_at(bytes, self.sector_size, next) else {
                break;
            };
            out.extend_from_slice(data);
            next = self.fat.get(next as usize).copied().unwrap_or(END_OF_CHAIN);
            steps += 1;
        }
        out
    }
}

/// Sector `n` (the header is the sector before sector 0).
fn sector_at(bytes: &[u8], sector_size: usize, n: u32) -> Option<&[u8]> {
    let start = (usize::try_from(n).ok()? + 1).checked_mul(sector_size)?;
    bytes.get(start..start.checked_add(sector_size)?)
}

/// The `Workbook` (or `Book`) stream of an OLE compound file.
fn workbook_stream(file: &Compound, bytes: &[u8]) -> Option<Vec<u8>> {
    let chain = |start: u32| file.chain(bytes, start);
    let directory = &file.directory;
    let entry = |name: &str| {
        directory.chunks_exact(128).find(|e| {
            let length = usize::from(u16::from_le_bytes([e[0x40], e[0x41]]));
            let units: Vec<u16> = e[..length.min(64)]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .take_while(|&u| u != 0)
                .collect();
            e[0x42] == 2 && String::from_utf16_lossy(&units) == name
        })
    };
    let found = entry("Workbook").or_else(|| entry("Book"))?;
    let start = u32::from_le_bytes(found[0x74..0x78].try_into().ok()?);
    let size = usize::try_from(u32::from_le_bytes(found[0x78..0x7C].try_into().ok()?)).ok()?;
    let mut stream = if size < file.mini_cutoff {
        // Small streams live in the mini stream, in sectors the mini FAT chains.
        let root = directory.get(..128)?;
        let mini_stream = chain(u32::from_le_bytes(root[0x74..0x78].try_into().ok()?));
        let mini_fat: Vec<u32> = chain(file.mini_fat_start)
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mini_size = 1usize << file.mini_shift;
        let mut out = Vec::new();
        let mut next = start;
        let mut steps = 0;
        while next < END_OF_CHAIN && steps <= mini_fat.len() {
            let offset = usize::try_from(next).ok()?.checked_mul(mini_size)?;
            let Some(data) = mini_stream.get(offset..offset + mini_size) else {
                break;
            };
            out.extend_from_slice(data);
            next = mini_fat.get(next as usize).copied().unwrap_or(END_OF_CHAIN);
            steps += 1;
        }
        out
    } else {
        chain(start)
    };
    stream.truncate(size);
    Some(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_in_excel() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(65_535, 255), "IV65536");
        assert_eq!(cell_name(9, 27), "AB10");
    }
}
