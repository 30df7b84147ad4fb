//! JSON output: one document with a schema version, the tool, findings, diagnostics and
//! counts. The field list is documented in `docs/json-schema.md`; fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use super::{pretty_array_parallel, pretty_nested};

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

impl<'a> Doc<'a> {
    fn of(report: &'a Report) -> Doc<'a> {
        Doc {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "nhiaudit",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: &report.findings,
            diagnostics: &report.diagnostics,
            counts: &report.counts,
        }
    }
}

pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let doc = Doc::of(report);
    // serde_json writes many small pieces: a buffer of a concrete type takes them inline,
    // where each would otherwise be a call through `dyn Write`.
    let mut w = io::BufWriter::with_capacity(1 << 16, w);
    write_doc(&doc, &mut w)?;
    writeln!(w)?;
    w.flush()
}

/// The document as `serde_json::to_writer_pretty` writes it, byte for byte, with the findings
/// (nearly all of it) rendered in parallel.
fn write_doc(doc: &Doc, w: &mut impl Write) -> io::Result<()> {
    w.write_all(b"{\n  \"schema_version\": ")?;
    pretty_nested(&doc.schema_version, 1, w)?;
    w.write_all(b",\n  \"tool\": ")?;
    pretty_nested(&doc.tool, 1, w)?;
    w.write_all(b",\n  \"findings\": ")?;
    pretty_array_parallel(doc.findings, 1, pretty_nested, w)?;
    w.write_all(b",\n  \"diagnostics\": ")?;
    pretty_nested(&doc.diagnostics, 1, w)?;
    w.write_all(b",\n  \"counts\": ")?;
    pretty_nested(&doc.counts, 1, w)?;
    w.write_all(b"\n}")
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
        let doc = Doc::of(&report);
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
