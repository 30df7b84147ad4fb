//! The result of a scan, as every output format sees it: findings, diagnostics about files
//! that could not be read or parsed, and counts.

use serde::Serialize;

use crate::finding::{Finding, Severity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The file could not be scanned.
    Error,
    /// Scanned, but something was skipped or may be wrong.
    Warning,
    /// Informational (a Helm template skipped, a budget note).
    Note,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// A problem with an input file (never with the scanned configuration's security).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub level: Level,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            level: Level::Error,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(mut self, line: Option<u32>, column: Option<u32>) -> Diagnostic {
        self.line = line;
        self.column = column;
        self
    }

    pub fn level(mut self, level: Level) -> Diagnostic {
        self.level = level;
        self
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Files parsed and analysed.
    pub files_scanned: usize,
    /// Files walked but not of a kind nhiaudit reads.
    pub files_skipped: usize,
    /// Files that could not be read or parsed.
    pub files_failed: usize,
    pub bytes_scanned: u64,
    pub findings: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub suppressed: usize,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub counts: Counts,
    /// Display names of the scan roots (for SARIF's `originalUriBaseIds`).
    pub roots: Vec<String>,
    /// The NHI inventory, when the scan was asked for it.
    pub inventory: Option<crate::inventory::Inventory>,
    /// Wall time of each phase, in order (`--timings`; never part of an output format).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Report {
    /// Recompute the severity counts from the findings.
    pub fn tally(&mut self) {
        let c = &mut self.counts;
        c.findings = 0;
        c.critical = 0;
        c.high = 0;
        c.medium = 0;
        c.low = 0;
        c.suppressed = 0;
        for f in &self.findings {
            if f.suppression.is_some() {
                c.suppressed += 1;
                continue;
            }
            c.findings += 1;
            match f.severity {
                Severity::Critical => c.critical += 1,
                Severity::High => c.high += 1,
                Severity::Medium => c.medium += 1,
                Severity::Low => c.low += 1,
            }
        }
    }

    /// The most severe unsuppressed finding.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| f.severity)
            .max()
    }
}
