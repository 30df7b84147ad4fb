//! Report writers. Only this module writes the report; every format shows findings,
//! diagnostics and counts, and never a secret value.

pub mod github;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::io::{self, Write};

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
