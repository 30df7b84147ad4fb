//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
//! which the runner turns into annotations on the pull request's diff.

use std::io::{self, Write};

use crate::finding::Severity;
use crate::report::Report;

/// Escape a message (`%`, CR, LF) as the runner expects.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    for f in report.findings.iter().filter(|f| f.suppression.is_none()) {
        let cmd = match f.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "notice",
        };
        let l = &f.location;
        writeln!(
            w,
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&l.path),
            l.start.line,
            l.start.col,
            l.end.line.max(l.start.line),
            l.end.col,
            property(&format!("nhiaudit {} ({})", f.rule, f.severity.as_str())),
            data(&f.message)
        )?;
    }
    for d in &report.diagnostics {
        let mut props = format!("file={}", property(&d.path));
        if let Some(line) = d.line {
            props.push_str(&format!(",line={line}"));
        }
        writeln!(w, "::warning {props},title=nhiaudit::{}", data(&d.message))?;
    }
    Ok(())
}
