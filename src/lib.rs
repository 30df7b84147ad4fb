//! nhiaudit: a static auditor for the configurations that give automation its identity.
//!
//! [`scan`] is the whole pipeline, top to bottom: discover files, then for each unit of work
//! (a Terraform module or a single file) in parallel: read, parse, extract model facts, run
//! the rules; then sort and fingerprint the findings into a [`report::Report`].

pub mod cli;
pub mod discover;
pub mod finding;
pub mod inputs;
pub mod model;
pub mod output;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;

use std::path::PathBuf;

use rayon::prelude::*;

use discover::{Candidate, Discovered, Unit};
use finding::Finding;
use inputs::terraform::{self, eval::FileAccess};
use inputs::{iam_json, read_text};
use model::Facts;
use parse::yaml::{self, Budget};
use report::{Diagnostic, Report};
use rules::Cx;
use source::{Sources, Span};

/// Default `--max-file-size`: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub max_file_size: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// When non-empty, only these rules run.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// AWS account ids that belong to the user (for cross-account trust).
    pub own_accounts: Vec<String>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: None,
            select: Vec::new(),
            ignore: Vec::new(),
            own_accounts: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("unknown rule id '{0}' (see `nhiaudit rules`)")]
    UnknownRule(String),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    #[error("nothing could be scanned: {0}")]
    NothingScanned(String),
}

/// What one unit of work produced.
#[derive(Default)]
struct UnitOutput {
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    scanned: usize,
    failed: usize,
    skipped: usize,
    bytes: u64,
}

/// Run a scan.
pub fn scan(opts: &ScanOptions) -> Result<Report, ScanError> {
    for id in opts.select.iter().chain(&opts.ignore) {
        if rules::meta(id).is_none() {
            return Err(ScanError::UnknownRule(id.clone()));
        }
    }
    let discovery = discover::discover(&opts.paths, opts.max_file_size);
    if discovery.roots.is_empty() {
        let why = discovery
            .diagnostics
            .first()
            .map(|d| format!("{}: {}", d.path, d.message))
            .unwrap_or_else(|| "no paths".into());
        return Err(ScanError::NothingScanned(why));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .stack_size(8 << 20)
        .build()
        .map_err(|e| ScanError::Threads(e.to_string()))?;
    let outputs: Vec<UnitOutput> = pool.install(|| {
        discovery
            .units
            .par_iter()
            .map(|u| analyse(u, opts))
            .collect()
    });
    let mut report = Report {
        diagnostics: discovery.diagnostics,
        roots: discovery.roots,
        ..Report::default()
    };
    report.counts.files_skipped = discovery.skipped;
    report.counts.files_failed = report
        .diagnostics
        .iter()
        .filter(|d| d.level == report::Level::Error)
        .count();
    for o in outputs {
        report.findings.extend(o.findings);
        report.diagnostics.extend(o.diagnostics);
        report.counts.files_scanned += o.scanned;
        report.counts.files_failed += o.failed;
        report.counts.files_skipped += o.skipped;
        report.counts.bytes_scanned += o.bytes;
    }
    finding::finalise(&mut report.findings);
    report
        .diagnostics
        .sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
    report.diagnostics.dedup();
    report.tally();
    Ok(report)
}

fn analyse(unit: &Unit, opts: &ScanOptions) -> UnitOutput {
    match unit {
        Unit::Terraform { module, root } => {
            let access = FileAccess {
                root: root.clone(),
                max_size: opts.max_file_size,
            };
            let m = terraform::analyse(module, &access, &opts.own_accounts);
            UnitOutput {
                findings: check(&m.facts, &m.sources, opts),
                diagnostics: m.diagnostics,
                scanned: m.files_scanned,
                failed: m.files_failed,
                skipped: 0,
                bytes: m.bytes,
            }
        }
        Unit::File(d) => analyse_file(d, opts),
    }
}

fn analyse_file(d: &Discovered, opts: &ScanOptions) -> UnitOutput {
    let mut out = UnitOutput::default();
    let file = match read_text(&d.path, d.display.clone(), opts.max_file_size) {
        Ok(f) => f,
        Err(e) => {
            out.failed = 1;
            out.diagnostics
                .push(Diagnostic::error(&d.display, e.to_string()));
            return out;
        }
    };
    let bytes = file.text.len() as u64;
    let mut sources = Sources::default();
    let id = sources.add(file);
    let text = sources.get(id).map(|f| f.text.as_str()).unwrap_or("");
    let mut facts = Facts {
        own_accounts: opts.own_accounts.clone(),
        ..Facts::default()
    };
    match d.kind {
        Candidate::Json if iam_json::sniff(text) => {
            match yaml::parse_json(text, id, 0, Budget::default()) {
                Ok(root) => {
                    if !iam_json::extract(&root, &d.display, &mut facts) {
                        out.skipped = 1;
                        return out;
                    }
                }
                Err(e) => {
                    out.failed = 1;
                    out.diagnostics
                        .push(terraform::parse_diagnostic(&d.display, &e));
                    return out;
                }
            }
        }
        _ => {
            out.skipped = 1;
            return out;
        }
    }
    out.scanned = 1;
    out.bytes = bytes;
    out.findings = check(&facts, &sources, opts);
    out
}

/// Run the enabled rules over one unit's facts and resolve their hits into findings.
fn check(facts: &Facts, sources: &Sources, opts: &ScanOptions) -> Vec<Finding> {
    let cx = Cx { facts, sources };
    let mut hits = Vec::new();
    for rule in rules::all() {
        let id = rule.id();
        if (!opts.select.is_empty() && !opts.select.iter().any(|s| s == id))
            || opts.ignore.iter().any(|s| s == id)
        {
            continue;
        }
        rule.check(&cx, &mut hits);
    }
    let secret_spans: Vec<Span> = facts.secrets.iter().map(|s| s.span).collect();
    hits.into_iter()
        .filter_map(|h| {
            let m = rules::meta(h.rule)?;
            finding::resolve(h, m.severity, m.confidence, sources, &secret_spans)
        })
        .collect()
}
