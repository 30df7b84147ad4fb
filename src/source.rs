//! Source files and byte spans: what every parsed node points back to.
//!
//! Parsers keep byte offsets only; lines and columns are computed when a finding is built.
//! A `FileId` indexes the `Sources` of one unit of work (a Terraform module, or one file), so
//! spans stay meaningful when a value comes from another file of the same module.

use std::path::PathBuf;

/// Index of a file inside one unit's [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = clamp_u32(start);
        let end = clamp_u32(end).max(start);
        Span { file, start, end }
    }

    /// The smallest span covering both (they must be in the same file to be meaningful).
    pub fn cover(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }
}

fn clamp_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// One file's text and its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown in reports: relative to the scan root, forward slashes.
    pub display: String,
    /// Path on disk.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl SourceFile {
    pub fn new(display: String, path: PathBuf, text: String) -> SourceFile {
        // Sized once (every line end is a `\n` or a `\r`), not grown and left half empty: the
        // index is kept as long as the file is.
        let bytes = text.as_bytes();
        let cr = memchr::memchr(b'\r', bytes).is_some();
        let ends = if cr {
            memchr::memchr2_iter(b'\n', b'\r', bytes).count()
        } else {
            memchr::memchr_iter(b'\n', bytes).count()
        };
        let mut line_starts = Vec::with_capacity(ends + 1);
        line_starts.push(0u32);
        if cr {
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                // a lone CR (classic Mac line ending) also ends a line; CRLF ends at the LF
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    line_starts.push(clamp_u32(i + 1));
                }
            }
        } else {
            // Line feeds only (nearly every file).
            line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| clamp_u32(i + 1)));
        }
        SourceFile {
            display,
            path,
            text,
            line_starts,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and column of a byte offset (clamped into the file).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(clamp_u32(self.text.len()));
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(idx).copied().unwrap_or(0) as usize;
        let end = floor_char_boundary(&self.text, offset as usize);
        let col = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        LineCol {
            line: clamp_u32(idx + 1),
            col: clamp_u32(col + 1),
        }
    }

    /// The text of a 1-based line, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        let s = self.text.get(start as usize..end).unwrap_or("");
        s.trim_end_matches(['\n', '\r'])
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> u32 {
        let idx = (line as usize).saturating_sub(1);
        self.line_starts
            .get(idx)
            .copied()
            .unwrap_or(clamp_u32(self.text.len()))
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The files of one unit of work.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(clamp_u32(self.files.len()));
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn reserve(&mut self, additional: usize) {
        self.files.reserve(additional);
    }

    pub fn find_path(&self, path: &std::path::Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(clamp_u32(i)))
    }

    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).map(|f| f.slice(span)).unwrap_or("")
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(clamp_u32(i)), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn into_files(self) -> Vec<SourceFile> {
        self.files
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_handles_crlf() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\r\ncé\rx\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 2, col: 1 });
        // 'é' is two bytes; the byte after it is column 3
        assert_eq!(f.line_col(7), LineCol { line: 2, col: 3 });
        assert_eq!(f.line_col(8), LineCol { line: 3, col: 1 });
        assert_eq!(f.line_text(2), "cé");
        assert_eq!(f.line_text(3), "x");
    }
}
