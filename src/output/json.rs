//! JSON output: one document with a schema version, the tool, findings, diagnostics and
//! counts. The field list is documented in `docs/json-schema.md`; fields are only ever added.

use std::io::{self, Write};

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
    serde_json::to_writer_pretty(&mut w, &doc).map_err(io::Error::other)?;
    writeln!(w)?;
    w.flush()
}
