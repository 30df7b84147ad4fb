//! SARIF 2.1.0 for GitHub code scanning: one run, a descriptor for every rule (help text and
//! markdown, `security-severity`, tags with the OWASP NHI id and CWE), results with
//! repo-relative URIs under `%SRCROOT%`, full regions, related locations, stable
//! `partialFingerprints`, suppressions, and file diagnostics as tool notifications.
//!
//! The subset we emit is written as plain serde structs (as zizmor does) rather than through
//! serde-sarif: the types are fewer, field order is ours, and nothing in it is untyped.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{pretty_array_parallel, pretty_nested};

use crate::finding::{Finding, Location, Severity};
use crate::report::{Level, Report};
use crate::rules::{self, meta::RuleMeta};

/// GitHub's ingestion limits.
const MAX_RESULTS: usize = 25_000;
const MAX_LOCATIONS: usize = 1_000;
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    column_kind: &'static str,
    results: Vec<SResult>,
    invocations: Vec<Invocation>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    help: Help,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    #[serde(rename = "owasp-nhi")]
    owasp_nhi: &'a [String],
    cwe: Vec<String>,
    #[serde(
        rename = "credential-aspect",
        skip_serializing_if = "<[String]>::is_empty"
    )]
    aspects: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SSuppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SSuppression {
    kind: String,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    severity: &'static str,
    confidence: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    logical_address: String,
    #[serde(rename = "privilege-classes", skip_serializing_if = "Vec::is_empty")]
    privilege_classes: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SLocation>,
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn precision(m: &RuleMeta) -> &'static str {
    match m.confidence {
        crate::finding::Confidence::High => "high",
        crate::finding::Confidence::Medium => "medium",
        crate::finding::Confidence::Low => "low",
    }
}

fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "recommendation",
    }
}

/// `iam-admin-wildcard` -> `IamAdminWildcard`.
fn camel(id: &str) -> String {
    id.split('-')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn descriptor(m: &RuleMeta) -> Descriptor<'_> {
    let mut tags = vec!["security".to_owned(), "nhi".to_owned()];
    tags.extend(m.owasp.iter().map(|o| format!("owasp-nhi/{o}")));
    tags.extend(m.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
    let summary = m.summary();
    Descriptor {
        id: &m.id,
        name: camel(&m.id),
        short_description: Text {
            text: m.title.clone(),
        },
        full_description: Text {
            text: truncate(
                if summary.is_empty() {
                    &m.title
                } else {
                    summary
                },
                1000,
            ),
        },
        help_uri: super::markdown::rule_doc_uri(&m.id),
        help: Help {
            text: markdown_to_text(&m.help),
            markdown: m.help.clone(),
        },
        default_configuration: DefaultConfiguration {
            level: level(m.severity),
        },
        properties: RuleProperties {
            tags,
            precision: precision(m),
            problem_severity: problem_severity(m.severity),
            security_severity: m.severity.security_severity(),
            owasp_nhi: &m.owasp,
            cwe: m.cwe.iter().map(|c| format!("CWE-{c}")).collect(),
            aspects: &m.aspects,
        },
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Help as plain text: drop the Markdown heading marks and code fences.
fn markdown_to_text(md: &str) -> String {
    md.lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| l.trim_start_matches("## "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Percent-encode a relative path for a URI reference (RFC 3986 path characters kept).
pub fn encode_uri_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact(path: &str) -> ArtifactLocation {
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode_uri_path(path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_uri_path(path),
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn location(l: &Location, id: Option<usize>, message: Option<String>) -> SLocation {
    SLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(&l.path),
            region: Some(Region {
                start_line: l.start.line.max(1),
                start_column: l.start.col.max(1),
                end_line: l.end.line.max(l.start.line).max(1),
                end_column: if l.end.line == l.start.line {
                    l.end.col.max(l.start.col + 1)
                } else {
                    l.end.col.max(1)
                },
            }),
        },
        message: message.map(|text| Text { text }),
    }
}

fn result(f: &Finding, rule_index: usize) -> SResult {
    let mut locations = vec![location(&f.location, None, None)];
    if let Some(c) = &f.context {
        // The declaration holding the node, for tools that match findings to resources.
        locations.push(location(c, None, Some("declared here".into())));
    }
    let related_locations = f
        .related
        .iter()
        .take(MAX_LOCATIONS - 2)
        .enumerate()
        .map(|(i, r)| location(&r.location, Some(i + 1), Some(r.message.clone())))
        .collect();
    let mut fp = BTreeMap::new();
    fp.insert("primaryLocationLineHash", f.fingerprint.clone());
    fp.insert("nhiaudit/v1", f.fingerprint.clone());
    SResult {
        rule_id: f.rule,
        rule_index,
        level: level(f.severity),
        message: Text {
            text: f.message.clone(),
        },
        locations,
        related_locations,
        partial_fingerprints: fp,
        suppressions: f
            .suppression
            .iter()
            .map(|s| SSuppression {
                kind: s.kind.clone(),
                justification: s.justification.clone(),
            })
            .collect(),
        properties: ResultProperties {
            severity: f.severity.as_str(),
            confidence: f.confidence.as_str(),
            security_severity: f.severity.security_severity(),
            logical_address: f.address.clone(),
            privilege_classes: f.privilege_classes.iter().map(|c| c.as_str()).collect(),
        },
    }
}

/// The index of rule `id` in the log's rule list.
fn rule_index(id: &str) -> usize {
    rules::metas().iter().position(|m| m.id == id).unwrap_or(0)
}

pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let (log, kept) = log_without_results(report);
    // The log with no results, then the results (nearly all of it) rendered in parallel into
    // the place of its empty list: byte for byte what serde_json writes for the whole log.
    let skeleton = serde_json::to_vec_pretty(&log).map_err(io::Error::other)?;
    const EMPTY: &[u8] = b"\"results\": []";
    // Unescaped quotes only occur as structure, and the log has one `results` key.
    let at = skeleton
        .windows(EMPTY.len())
        .position(|win| win == EMPTY)
        .ok_or_else(|| io::Error::other("SARIF log without a results list"))?;
    let line_start = skeleton[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let depth = (at - line_start) / 2;
    let mut w = io::BufWriter::with_capacity(1 << 16, w);
    w.write_all(&skeleton[..at + EMPTY.len() - 2])?;
    let element = |f: &&Finding, d: usize, buf: &mut Vec<u8>| {
        pretty_nested(&result(f, rule_index(f.rule)), d, buf)
    };
    pretty_array_parallel(&kept, depth, element, &mut w)?;
    w.write_all(&skeleton[at + EMPTY.len()..])?;
    writeln!(w)?;
    w.flush()
}

/// The whole log but its results, and the findings to report as results.
fn log_without_results(report: &Report) -> (Log<'_>, Vec<&Finding>) {
    let metas = rules::metas();
    // Past GitHub's limit keep the most severe results, in report order.
    let mut kept: Vec<&Finding> = report.findings.iter().collect();
    let mut notifications = Vec::new();
    if kept.len() > MAX_RESULTS {
        let dropped = kept.len() - MAX_RESULTS;
        let mut order: Vec<usize> = (0..kept.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(kept[i].severity));
        let mut keep: Vec<usize> = order.into_iter().take(MAX_RESULTS).collect();
        keep.sort_unstable();
        kept = keep.into_iter().map(|i| kept[i]).collect();
        notifications.push(Notification {
            level: "warning",
            message: Text {
                text: format!("{dropped} lower-severity results were left out to stay within GitHub's limit of {MAX_RESULTS} results"),
            },
            locations: Vec::new(),
        });
    }
    for d in &report.diagnostics {
        let mut loc = SLocation {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(&d.path),
                region: None,
            },
            message: None,
        };
        if let Some(line) = d.line.filter(|l| *l > 0) {
            loc.physical_location.region = Some(Region {
                start_line: line,
                start_column: d.column.unwrap_or(1).max(1),
                end_line: line,
                end_column: d.column.unwrap_or(1).max(1) + 1,
            });
        }
        notifications.push(Notification {
            level: match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "note",
            },
            message: Text {
                text: format!("{}: {}", d.path, d.message),
            },
            locations: if d.path.is_empty() {
                Vec::new()
            } else {
                vec![loc]
            },
        });
    }
    let mut base = BTreeMap::new();
    base.insert(
        SRCROOT,
        BaseId {
            description: Text {
                text: "The directory nhiaudit was run from; result paths are relative to it."
                    .into(),
            },
        },
    );
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "nhiaudit",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://owasp.org/www-project-non-human-identities-top-10/",
                    rules: metas.iter().map(descriptor).collect(),
                },
            },
            automation_details: AutomationDetails { id: "nhiaudit/" },
            original_uri_base_ids: base,
            column_kind: "unicodeCodePoints",
            // Rendered in parallel below, in place of this empty list.
            results: Vec::new(),
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
        }],
    };
    (log, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log written with its results rendered apart is the one serde_json writes whole.
    #[test]
    fn log_written_piecewise_is_serde_jsons_byte_for_byte() {
        let report = crate::scan(&crate::ScanOptions {
            paths: vec![std::path::PathBuf::from("testdata")],
            ..crate::ScanOptions::default()
        })
        .expect("scan of testdata");
        assert!(report.findings.len() > 100, "a real log to compare");
        let mut piecewise = Vec::new();
        write(&report, &mut piecewise).expect("written");
        let (mut log, kept) = log_without_results(&report);
        log.runs[0].results = kept.iter().map(|f| result(f, rule_index(f.rule))).collect();
        let mut whole = serde_json::to_vec_pretty(&log).expect("serialised");
        whole.push(b'\n');
        assert_eq!(
            String::from_utf8_lossy(&piecewise),
            String::from_utf8_lossy(&whole)
        );
    }
}
