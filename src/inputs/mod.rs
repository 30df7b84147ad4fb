//! Input kinds: each turns parsed documents into model facts. Shared here: reading a file's
//! text safely (size limit, encodings, binary content) into a [`SourceFile`].

pub mod github_actions;
pub mod gitlab_ci;
pub mod helm;
pub mod iam_json;
pub mod kubernetes;
pub mod terraform;

use std::io::Read;
use std::path::Path;

use crate::report::{Diagnostic, Level};
use crate::source::SourceFile;

/// Why a file's text could not be obtained.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read file: {0}")]
    Io(String),
    #[error("file is larger than the {0}-byte limit (--max-file-size); skipped")]
    TooLarge(u64),
    #[error("file is not valid UTF-8 (byte {0})")]
    NotUtf8(usize),
    #[error("file looks binary (NUL bytes); skipped")]
    Binary,
    #[error("not a regular file; skipped")]
    NotRegular,
}

/// Read a file as text: refuses anything but regular files, stops at `max` bytes, strips a
/// UTF-8 BOM, decodes UTF-16 with a BOM, and rejects invalid UTF-8 and binary content.
///
/// Three system calls for a file that is read: open, fstat (type and size, of the file that
/// was opened, so a file swapped for another in between is measured as it is read) and one
/// read of the measured size. The walk already knows the file's type; opening without
/// blocking keeps a file swapped for a FIFO since then from hanging the scan.
pub fn read_text(path: &Path, display: String, max: u64) -> Result<SourceFile, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.kind().to_string());
    let mut file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(max));
    }
    // Never more than the measured size (which is within the limit): a file that grows while
    // it is read is read as it was measured.
    let len = usize::try_from(meta.len()).map_err(|_| ReadError::TooLarge(max))?;
    let mut bytes = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    bytes.truncate(filled);
    let text = decode(bytes)?;
    Ok(SourceFile::new(display, path.to_path_buf(), text))
}

impl ReadError {
    /// The diagnostic for a file that could not be read: a file over the size limit is
    /// skipped on purpose (a warning), anything else failed (an error).
    pub fn diagnostic(&self, display: &str) -> Diagnostic {
        let d = Diagnostic::error(display, self.to_string());
        match self {
            ReadError::TooLarge(_) => d.level(Level::Warning),
            _ => d,
        }
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Bytes as text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM; binary content refused.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode(rest.to_vec());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let (a, b) = (c[0], c.get(1).copied().unwrap_or(0));
                if le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                }
            })
            .collect();
        return String::from_utf16(&units).map_err(|_| ReadError::NotUtf8(0));
    }
    if memchr_nul(&bytes) {
        return Err(ReadError::Binary);
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}

fn memchr_nul(b: &[u8]) -> bool {
    b.contains(&0)
}
