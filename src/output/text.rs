//! Human output: `path:line:col`, severity and rule, the message, the source lines with the
//! offending span underlined, related locations, then diagnostics and a summary.

use std::io::{self, Write};

use super::TextOptions;
use crate::finding::{Finding, Location, Severity};
use crate::report::{Level, Report};

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
        self.paint(code, s.as_str())
    }
}

pub fn write(report: &Report, opts: TextOptions, w: &mut dyn Write) -> io::Result<()> {
    let st = Style { on: opts.color };
    // Suppressed findings are counted in the summary; JSON and SARIF carry them in full.
    for f in report.findings.iter().filter(|f| f.suppression.is_none()) {
        finding(f, &st, w)?;
    }
    if !opts.quiet {
        for d in &report.diagnostics {
            let level = match d.level {
                Level::Error => st.paint("1;31", "error"),
                Level::Warning => st.paint("33", "warning"),
                Level::Note => st.paint("36", "note"),
            };
            let at = match (d.line, d.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", d.path),
                (Some(l), None) => format!("{}:{l}", d.path),
                _ => d.path.clone(),
            };
            writeln!(w, "{at}: {level}: {}", d.message)?;
        }
        summary(report, &st, w)?;
    }
    Ok(())
}

fn finding(f: &Finding, st: &Style, w: &mut dyn Write) -> io::Result<()> {
    let l = &f.location;
    let suppressed = if f.suppression.is_some() {
        " (suppressed)"
    } else {
        ""
    };
    writeln!(
        w,
        "{}: {}[{}]{suppressed} {}",
        st.paint("1", &format!("{}:{}:{}", l.path, l.start.line, l.start.col)),
        st.severity(f.severity),
        f.rule,
        f.message
    )?;
    snippet(l, &f.label, st, w)?;
    if let Some(c) = &f.context {
        writeln!(w, "   = in {}:{}", c.path, c.start.line)?;
    }
    for r in &f.related {
        writeln!(
            w,
            "   = {}:{}:{}: {}",
            r.location.path, r.location.start.line, r.location.start.col, r.message
        )?;
    }
    writeln!(w)
}

fn snippet(l: &Location, label: &str, st: &Style, w: &mut dyn Write) -> io::Result<()> {
    let width = l
        .snippet
        .last()
        .map(|s| s.line.to_string().len())
        .unwrap_or(1);
    let pad = " ".repeat(width);
    writeln!(w, "{pad} {}", st.paint("34", "|"))?;
    let single = l.start.line == l.end.line;
    for (i, s) in l.snippet.iter().enumerate() {
        writeln!(
            w,
            "{} {} {}",
            st.paint("34", &format!("{:>width$}", s.line)),
            st.paint("34", "|"),
            s.text
        )?;
        if single && i == 0 {
            let start = (l.start.col as usize).saturating_sub(1);
            let len = (l.end.col as usize)
                .saturating_sub(l.start.col as usize)
                .max(1);
            let prefix: String = s
                .text
                .chars()
                .take(start)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let marks = "^".repeat(len.min(s.text.chars().count().saturating_sub(start).max(1)));
            let label = if label.is_empty() {
                String::new()
            } else {
                format!(" {label}")
            };
            writeln!(
                w,
                "{pad} {} {prefix}{}",
                st.paint("34", "|"),
                st.paint("1;31", &format!("{marks}{label}"))
            )?;
        }
    }
    if !single && !label.is_empty() {
        writeln!(
            w,
            "{pad} {} {}",
            st.paint("34", "|"),
            st.paint("1;31", &format!("^ {label}"))
        )?;
    }
    Ok(())
}

fn summary(report: &Report, st: &Style, w: &mut dyn Write) -> io::Result<()> {
    let c = &report.counts;
    let n = c.findings;
    let head = if n == 0 {
        st.paint("32", "no findings")
    } else {
        st.paint(
            "1",
            &format!("{n} finding{}", if n == 1 { "" } else { "s" }),
        )
    };
    let mut parts = Vec::new();
    for (k, v) in [
        ("critical", c.critical),
        ("high", c.high),
        ("medium", c.medium),
        ("low", c.low),
    ] {
        if v > 0 {
            parts.push(format!("{v} {k}"));
        }
    }
    let by_sev = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let suppressed = if c.suppressed > 0 {
        format!(", {} suppressed", c.suppressed)
    } else {
        String::new()
    };
    writeln!(
        w,
        "{head}{by_sev}{suppressed} in {} file{} scanned; {} skipped, {} could not be read or parsed",
        c.files_scanned,
        if c.files_scanned == 1 { "" } else { "s" },
        c.files_skipped,
        c.files_failed
    )
}
