//! Accepting known risks: inline `# nhiaudit: ignore[rule-id] reason` comments, identity-scoped
//! ignores from the configuration file, and a baseline of earlier findings. A suppressed
//! finding stays in JSON and SARIF, marked; every suppression that has no reason, names an
//! unknown rule, matches nothing or has expired is reported, so that a typo never silently
//! fails to suppress, or silently suppresses.

use std::collections::HashMap;
use std::path::Path;

use globset::{Glob, GlobMatcher};
use serde::{Deserialize, Serialize};

use crate::config::{IgnoreEntry, parse_date};
use crate::finding::{Finding, Suppression};
use crate::report::{Diagnostic, Level};
use crate::rules;
use crate::source::SourceFile;

/// One `nhiaudit: ignore[...]` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineIgnore {
    pub path: String,
    /// Where the comment is.
    pub line: u32,
    pub rules: Vec<String>,
    pub reason: String,
    /// Line ranges it applies to: the commented line, and the whole block or document when
    /// that line is its header.
    pub covers: Vec<(u32, u32)>,
    /// The comment could not be read (`nhiaudit: ignore` without `[rule-id]`).
    pub malformed: bool,
}

/// Find suppression comments in a file. `blocks` are byte ranges of structures (blocks,
/// documents, nested mappings) whose first line is a header a comment may suppress whole.
pub fn scan(file: &SourceFile, blocks: &[(u32, u32)]) -> Vec<InlineIgnore> {
    if !file.text.contains("nhiaudit:") {
        return Vec::new();
    }
    let block_lines: Vec<(u32, u32)> = blocks
        .iter()
        .map(|&(s, e)| {
            (
                file.line_col(s).line,
                file.line_col(e.saturating_sub(1).max(s)).line,
            )
        })
        .collect();
    let mut out = Vec::new();
    let n = u32::try_from(file.line_count()).unwrap_or(u32::MAX);
    for line in 1..=n {
        let text = file.line_text(line);
        let Some(at) = text.find("nhiaudit:") else {
            continue;
        };
        let before = &text[..at];
        let marker = before.trim_end();
        let (code, is_comment) = if let Some(c) = marker.strip_suffix('#') {
            (c, true)
        } else if let Some(c) = marker.strip_suffix("//") {
            (c, true)
        } else {
            (marker, false)
        };
        if !is_comment {
            continue;
        }
        let rest = text[at + "nhiaudit:".len()..].trim_start();
        let Some(body) = rest.strip_prefix("ignore") else {
            continue;
        };
        let (rules, reason, malformed) = match body
            .trim_start()
            .strip_prefix('[')
            .and_then(|b| b.split_once(']'))
        {
            Some((ids, reason)) => (
                ids.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>(),
                reason.trim().to_owned(),
                false,
            ),
            None => (Vec::new(), String::new(), true),
        };
        // A trailing comment covers its own line; a comment line covers the next code line.
        let target = if !code.trim().is_empty() {
            line
        } else {
            (line + 1..=n)
                .find(|l| {
                    let t = file.line_text(*l).trim();
                    !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
                })
                .unwrap_or(line)
        };
        let mut covers = vec![(target, target)];
        covers.extend(block_lines.iter().filter(|(s, _)| *s == target).copied());
        out.push(InlineIgnore {
            path: file.display.clone(),
            line,
            rules,
            reason,
            covers,
            malformed,
        });
    }
    out
}

/// Byte ranges of every collection-valued mapping entry and document of located trees.
pub fn yaml_blocks(roots: &[crate::parse::doc::Node]) -> Vec<(u32, u32)> {
    use crate::parse::doc::Value;
    let mut out = Vec::new();
    let mut stack: Vec<&crate::parse::doc::Node> = Vec::new();
    for r in roots {
        let s = r.full_span();
        out.push((s.start, s.end));
        stack.push(r);
    }
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Map(entries) => {
                for e in entries {
                    if matches!(e.value.value, Value::Map(_) | Value::Seq(_)) {
                        out.push((e.key.span.start, e.value.full_span().end));
                        stack.push(&e.value);
                    }
                }
            }
            Value::Seq(items) => {
                for i in items {
                    if matches!(i.value, Value::Map(_)) {
                        let s = i.full_span();
                        out.push((s.start, s.end));
                    }
                    stack.push(i);
                }
            }
            _ => {}
        }
    }
    out
}

/// Byte ranges of every block of an HCL body.
pub fn hcl_blocks(body: &crate::parse::hcl::Body) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(b) = stack.pop() {
        for blk in b.blocks() {
            out.push((blk.span.start, blk.span.end));
            stack.push(&blk.body);
        }
        for a in b.attributes() {
            out.push((a.span.start, a.span.end));
        }
    }
    out
}

// ------------------------------------------------------------------------------------------
// Baseline

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineEntry {
    pub rule: String,
    pub path: String,
    pub address: String,
    /// The finding's fingerprint without the `:N` suffix (rule, path, address, snippet).
    pub fingerprint: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Baseline {
    pub version: u32,
    pub tool: String,
    pub findings: Vec<BaselineEntry>,
}

fn base_fingerprint(f: &str) -> &str {
    f.split(':').next().unwrap_or(f)
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| BaselineEntry {
                rule: f.rule.to_owned(),
                path: f.location.path.clone(),
                address: f.address.clone(),
                fingerprint: base_fingerprint(&f.fingerprint).to_owned(),
                message: f.message.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.address, &a.fingerprint).cmp(&(
                &b.path,
                &b.rule,
                &b.address,
                &b.fingerprint,
            ))
        });
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint && a.rule == b.rule);
        Baseline {
            version: 1,
            tool: "nhiaudit".into(),
            findings: entries,
        }
    }
}

// ------------------------------------------------------------------------------------------
// Applying

/// What suppresses findings in this scan.
pub struct Suppressors<'a> {
    pub inline: Vec<InlineIgnore>,
    pub use_inline: bool,
    pub config: &'a [IgnoreEntry],
    pub config_dir: Option<&'a Path>,
    pub config_display: String,
    pub baseline: Option<(&'a Baseline, String)>,
    /// Rules that ran (suppressions of rules that did not run are not "unused").
    pub enabled: Vec<&'static str>,
    pub today: i64,
}

fn glob(p: &str) -> Option<GlobMatcher> {
    Glob::new(p).ok().map(|g| g.compile_matcher())
}

/// Mark suppressed findings and return diagnostics about the suppressions themselves.
pub fn apply(findings: &mut [Finding], s: &Suppressors) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut inline_used = vec![false; s.inline.len()];
    let mut config_used = vec![false; s.config.len()];
    let known = |id: &str| rules::meta(id).is_some();

    // Inline comments, indexed by path.
    let mut by_path: HashMap<&str, Vec<usize>> = HashMap::new();
    if s.use_inline {
        for (i, ig) in s.inline.iter().enumerate() {
            by_path.entry(ig.path.as_str()).or_default().push(i);
        }
    }
    let config_live: Vec<bool> = s
        .config
        .iter()
        .map(|e| {
            e.expires
                .as_deref()
                .and_then(parse_date)
                .is_none_or(|d| s.today <= d)
        })
        .collect();
    let matchers: Vec<(Option<GlobMatcher>, Option<GlobMatcher>)> = s
        .config
        .iter()
        .map(|e| {
            (
                e.address.as_deref().and_then(glob),
                e.path.as_deref().and_then(glob),
            )
        })
        .collect();
    let baseline_fps: HashMap<(&str, &str), usize> = s
        .baseline
        .as_ref()
        .map(|(b, _)| {
            b.findings
                .iter()
                .enumerate()
                .map(|(i, e)| ((e.rule.as_str(), e.fingerprint.as_str()), i))
                .collect()
        })
        .unwrap_or_default();
    let mut baseline_used = vec![
        false;
        s.baseline
            .as_ref()
            .map(|(b, _)| b.findings.len())
            .unwrap_or(0)
    ];

    for f in findings.iter_mut() {
        if f.suppression.is_some() {
            continue;
        }
        let line = f.location.start.line;
        if let Some(list) = by_path.get(f.location.path.as_str())
            && let Some(&i) = list.iter().find(|&&i| {
                let ig = &s.inline[i];
                ig.rules.iter().any(|r| r == f.rule)
                    && ig.covers.iter().any(|(a, b)| *a <= line && line <= *b)
            })
        {
            inline_used[i] = true;
            let ig = &s.inline[i];
            f.suppression = Some(Suppression {
                kind: "inSource".into(),
                justification: if ig.reason.is_empty() {
                    "(no reason given)".into()
                } else {
                    ig.reason.clone()
                },
            });
            continue;
        }
        let rel = s
            .config_dir
            .and_then(|d| {
                let cwd = std::env::current_dir().ok()?;
                let abs = cwd.join(&f.location.path);
                abs.strip_prefix(d)
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .unwrap_or_else(|| f.location.path.clone());
        if let Some(i) = s.config.iter().enumerate().position(|(i, e)| {
            config_live[i]
                && (e.rule_ids().is_empty() || e.rule_ids().contains(&f.rule))
                && matchers[i]
                    .0
                    .as_ref()
                    .is_none_or(|m| m.is_match(&f.address))
                && matchers[i]
                    .1
                    .as_ref()
                    .is_none_or(|m| m.is_match(&rel) || m.is_match(&f.location.path))
        }) {
            config_used[i] = true;
            f.suppression = Some(Suppression {
                kind: "external".into(),
                justification: s.config[i].reason.clone(),
            });
            continue;
        }
        if let Some(&i) = baseline_fps.get(&(f.rule, base_fingerprint(&f.fingerprint))) {
            baseline_used[i] = true;
            f.suppression = Some(Suppression {
                kind: "external".into(),
                justification: format!(
                    "accepted in baseline {}",
                    s.baseline.as_ref().map(|(_, p)| p.as_str()).unwrap_or("")
                ),
            });
        }
    }

    let warn = |path: &str, line: u32, msg: String| {
        Diagnostic::error(path, msg)
            .level(Level::Warning)
            .at(Some(line), None)
    };
    for (i, ig) in s.inline.iter().enumerate().filter(|_| s.use_inline) {
        if ig.malformed {
            diags.push(warn(
                &ig.path,
                ig.line,
                "unreadable suppression: write `nhiaudit: ignore[rule-id] reason`".into(),
            ));
            continue;
        }
        for r in ig.rules.iter().filter(|r| !known(r)) {
            diags.push(warn(
                &ig.path,
                ig.line,
                format!("suppression names unknown rule '{r}'"),
            ));
        }
        if ig.reason.is_empty() {
            diags.push(warn(
                &ig.path,
                ig.line,
                "suppression without a reason: say why the risk is accepted".into(),
            ));
        }
        let all_ran = ig.rules.iter().all(|r| s.enabled.contains(&r.as_str()));
        if !inline_used[i] && all_ran && ig.rules.iter().all(|r| known(r)) {
            diags.push(warn(
                &ig.path,
                ig.line,
                format!("suppression of {} matches no finding", ig.rules.join(", ")),
            ));
        }
    }
    for (i, e) in s.config.iter().enumerate() {
        if !config_live[i] {
            diags.push(warn(
                &s.config_display,
                e.line,
                format!(
                    "ignore expired on {}: it no longer applies ({})",
                    e.expires.as_deref().unwrap_or(""),
                    e.reason
                ),
            ));
        } else if !config_used[i] && e.rule_ids().iter().all(|r| s.enabled.contains(r)) {
            diags.push(warn(
                &s.config_display,
                e.line,
                format!("ignore matches no finding ({})", e.reason),
            ));
        }
    }
    if let Some((b, path)) = &s.baseline {
        for (i, e) in b.findings.iter().enumerate() {
            if !baseline_used[i] && s.enabled.contains(&e.rule.as_str()) {
                diags.push(
                    Diagnostic::error(
                        path.as_str(),
                        format!(
                            "stale baseline entry: {} at {} ({}) is no longer found",
                            e.rule, e.path, e.address
                        ),
                    )
                    .level(Level::Note),
                );
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("f.tf".into(), "f.tf".into(), text.into())
    }

    #[test]
    fn comment_forms_and_targets() {
        let f = file(
            "a = 1 # nhiaudit: ignore[x-rule] because\n// nhiaudit: ignore[r1, r2] reason two\n\nb = 2\n# nhiaudit: ignore\n",
        );
        let ig = scan(&f, &[]);
        assert_eq!(ig.len(), 3);
        assert_eq!(ig[0].covers, vec![(1, 1)]);
        assert_eq!(ig[0].reason, "because");
        assert_eq!(ig[1].rules, vec!["r1".to_string(), "r2".to_string()]);
        assert_eq!(ig[1].covers, vec![(4, 4)]);
        assert!(ig[2].malformed);
    }

    #[test]
    fn header_comment_covers_the_block() {
        let text = "# nhiaudit: ignore[r] ok\nresource \"x\" \"y\" {\n  a = 1\n}\n";
        let f = file(text);
        let start = u32::try_from(text.find("resource").unwrap_or(0)).unwrap_or(0);
        let ig = scan(&f, &[(start, u32::try_from(text.len()).unwrap_or(0))]);
        assert!(ig[0].covers.contains(&(2, 4)), "{:?}", ig[0].covers);
    }
}
