//! Report writers. Only this module writes the report; every format shows findings,
//! diagnostics and counts, and never a secret value.

pub mod github;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::report::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable findings with source snippets and a summary.
    Text,
    /// A stable JSON document (see docs/json-schema.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`): annotations on pull requests
    /// without code scanning.
    Github,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    pub color: bool,
    pub quiet: bool,
}

pub fn write(
    report: &Report,
    format: Format,
    text: TextOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, text, w),
        Format::Json => json::write(report, w),
        Format::Sarif => sarif::write(report, w),
        Format::Github => github::write(report, w),
    }
}

/// `value` as `serde_json::to_writer_pretty` writes it when it sits `depth` levels deep in a
/// document: as it prints alone, with every line after its first indented by two spaces per
/// level (a JSON string never holds a raw line feed, so every line feed is structure).
pub(crate) fn pretty_nested(
    value: &impl Serialize,
    depth: usize,
    w: &mut impl Write,
) -> io::Result<()> {
    let alone = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    let mut lines = alone.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        w.write_all(first)?;
    }
    for line in lines {
        w.write_all(b"\n")?;
        for _ in 0..depth {
            w.write_all(b"  ")?;
        }
        w.write_all(line)?;
    }
    Ok(())
}

/// Below this many elements an array is written on the calling thread.
pub const PARALLEL_FROM: usize = 256;

/// A JSON array `depth` levels deep (its elements one level deeper), written byte for byte as
/// serde_json's pretty printer writes it, each element written by `element` (with
/// [`pretty_nested`] at the depth it is given) on the current thread pool, a bounded window at
/// a time: writing the findings is most of the writing.
pub(crate) fn pretty_array_parallel<T: Sync>(
    items: &[T],
    depth: usize,
    element: impl Fn(&T, usize, &mut Vec<u8>) -> io::Result<()> + Sync,
    w: &mut impl Write,
) -> io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    const CHUNK: usize = 64;
    const WINDOW: usize = CHUNK * 64;
    let indent = "  ".repeat(depth + 1);
    // The elements `run` (the first of them at `first` in the array), each after its comma
    // and line break.
    let render = |run: &[T], first: usize| -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(run.len() * 1024);
        for (i, item) in run.iter().enumerate() {
            if first + i > 0 {
                buf.push(b',');
            }
            buf.push(b'\n');
            buf.extend_from_slice(indent.as_bytes());
            element(item, depth + 1, &mut buf)?;
        }
        Ok(buf)
    };
    w.write_all(b"[")?;
    if items.len() <= PARALLEL_FROM {
        w.write_all(&render(items, 0)?)?;
    } else {
        for (wi, window) in items.chunks(WINDOW).enumerate() {
            let rendered: Vec<io::Result<Vec<u8>>> = window
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(ci, chunk)| render(chunk, wi * WINDOW + ci * CHUNK))
                .collect();
            for r in rendered {
                w.write_all(&r?)?;
            }
        }
    }
    w.write_all(b"\n")?;
    w.write_all(&indent.as_bytes()[2..])?;
    w.write_all(b"]")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written alone or in parallel windows, an array nested in a document is what serde_json
    /// writes for the whole document, whatever its length.
    #[test]
    fn arrays_are_serde_jsons_byte_for_byte() {
        #[derive(Serialize)]
        struct Item {
            n: usize,
            text: String,
            list: Vec<usize>,
        }
        #[derive(Serialize)]
        struct Outer<'a> {
            items: &'a [Item],
        }
        for len in [
            0,
            1,
            2,
            PARALLEL_FROM,
            PARALLEL_FROM + 1,
            64 * 64 + 65,
            9000,
        ] {
            let items: Vec<Item> = (0..len)
                .map(|n| Item {
                    n,
                    text: format!("line \"{n}\"\nnext"),
                    list: (0..n % 3).collect(),
                })
                .collect();
            let mut piecewise = b"{\n  \"items\": ".to_vec();
            pretty_array_parallel(&items, 1, pretty_nested, &mut piecewise).expect("written");
            piecewise.extend_from_slice(b"\n}");
            let whole = serde_json::to_vec_pretty(&Outer { items: &items }).expect("serialised");
            assert!(piecewise == whole, "length {len}");
        }
    }
}
