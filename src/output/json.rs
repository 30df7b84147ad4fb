//! JSON output: one document with a schema version, the tool, findings, diagnostics and
//! counts. The field list is documented in `docs/json-schema.md`; fields are only ever added.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::finding::Finding;
use crate::report::{Counts, Diagnostic, Report};

/// Bumped only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    tool: Tool,
    findings: &'a [Finding],
    diagnostics: &'a [Diagnostic],
    counts: &'a Counts,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let doc = Doc {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "nhiaudit",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: &report.findings,
        diagnostics: &report.diagnostics,
        counts: &report.counts,
    };
    // serde_json writes many small pieces: a buffer of a concrete type takes them inline,
    // where each would otherwise be a call through `dyn Write`.
    let mut w = io::BufWriter::with_capacity(1 << 16, w);
    write_doc(&doc, &mut w)?;
    writeln!(w)?;
    w.flush()
}

/// The document as `serde_json::to_writer_pretty` writes it, byte for byte, with the findings
/// (nearly all of it) rendered on the current thread pool a window at a time: a value nested
/// `depth` levels deep prints as it prints alone with every line after its first indented by
/// two spaces per level (strings never hold a raw line feed).
fn write_doc(doc: &Doc, w: &mut impl Write) -> io::Result<()> {
    w.write_all(b"{\n  \"schema_version\": ")?;
    nested(&doc.schema_version, 1, w)?;
    w.write_all(b",\n  \"tool\": ")?;
    nested(&doc.tool, 1, w)?;
    w.write_all(b",\n  \"findings\": ")?;
    if doc.findings.is_empty() {
        w.write_all(b"[]")?;
    } else {
        w.write_all(b"[")?;
        // Bounded: a window of rendered findings at a time, not the whole report twice.
        const CHUNK: usize = 64;
        const WINDOW: usize = CHUNK * 64;
        for (wi, window) in doc.findings.chunks(WINDOW).enumerate() {
            let rendered: Vec<io::Result<Vec<u8>>> = window
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(ci, chunk)| {
                    let mut buf = Vec::with_capacity(chunk.len() * 1024);
                    for (i, f) in chunk.iter().enumerate() {
                        if wi + ci + i > 0 {
                            buf.push(b',');
                        }
                        buf.extend_from_slice(b"\n    ");
                        nested(f, 2, &mut buf)?;
                    }
                    Ok(buf)
                })
                .collect();
            for r in rendered {
                w.write_all(&r?)?;
            }
        }
        w.write_all(b"\n  ]")?;
    }
    w.write_all(b",\n  \"diagnostics\": ")?;
    nested(&doc.diagnostics, 1, w)?;
    w.write_all(b",\n  \"counts\": ")?;
    nested(&doc.counts, 1, w)?;
    w.write_all(b"\n}")
}

/// `value` pretty-printed as a member `depth` levels deep.
fn nested(value: &impl Serialize, depth: usize, w: &mut impl Write) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The document written piecewise is the one serde_json writes whole.
    #[test]
    fn piecewise_document_is_serde_jsons_byte_for_byte() {
        let report = crate::scan(&crate::ScanOptions {
            paths: vec![std::path::PathBuf::from("testdata")],
            ..crate::ScanOptions::default()
        })
        .expect("scan of testdata");
        assert!(report.findings.len() > 100, "a real document to compare");
        let doc = Doc {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "nhiaudit",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: &report.findings,
            diagnostics: &report.diagnostics,
            counts: &report.counts,
        };
        let mut piecewise = Vec::new();
        write_doc(&doc, &mut piecewise).expect("written");
        let whole = serde_json::to_vec_pretty(&doc).expect("serialised");
        assert_eq!(
            String::from_utf8_lossy(&piecewise),
            String::from_utf8_lossy(&whole)
        );
        let empty = Doc {
            findings: &[],
            diagnostics: &[],
            ..doc
        };
        let mut piecewise = Vec::new();
        write_doc(&empty, &mut piecewise).expect("written");
        assert_eq!(
            piecewise,
            serde_json::to_vec_pretty(&empty).expect("serialised")
        );
    }
}
