//! Pretty JSON that starts inside a larger pretty-printed value, so a report or a parse output can
//! be written an element at a time with the bytes `serde_json::to_writer_pretty` gives the whole.

/// `value` pretty-printed as it appears nested `level` levels deep in a larger pretty-printed
/// value (two spaces a level, as `serde_json::to_writer_pretty`).
// Serialized into a buffer first: serde_json writing through an indenting writer made many small
// writes and took twice the CPU time on a department list. serde_json's own pretty formatter
// writes an indentation one level at a time; this one writes it in one piece.
pub fn write_pretty(
    out: &mut impl std::io::Write,
    value: &impl serde::Serialize,
    level: usize,
) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Pretty::at(level));
    value.serialize(&mut serializer)?;
    Ok(())
}

/// `serde_json::ser::PrettyFormatter` with two-space indentation, starting `level` levels in.
#[derive(Debug)]
pub struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    pub fn at(level: usize) -> Self {
        Self {
            level,
            has_value: false,
        }
    }

    fn newline_and_indent<W: ?Sized + std::io::Write>(
        &self,
        writer: &mut W,
        comma: bool,
    ) -> std::io::Result<()> {
        const SPACES: &[u8; 130] = &[b' '; 130];
        let line: &[u8] = if comma { b",\n" } else { b"\n" };
        writer.write_all(line)?;
        let mut width = self.level * 2;
        while width > 0 {
            let step = width.min(SPACES.len());
            writer.write_all(&SPACES[..step])?;
            width -= step;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Pretty {
    #[inline]
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline_and_indent(writer, false)?;
        }
        writer.write_all(b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline_and_indent(writer, !first)
    }

    #[inline]
    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline_and_indent(writer, false)?;
        }
        writer.write_all(b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline_and_indent(writer, !first)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    #[inline]
    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
