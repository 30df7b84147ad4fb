//! Findings: what a rule reports (a [`Hit`], with spans) and what the outputs print (a
//! [`Finding`], with paths, lines, redacted snippets and a stable fingerprint).

use serde::Serialize;

use crate::model::credentials;
use crate::model::identity::PrivilegeClass;
use crate::source::{LineCol, Sources, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }

    /// One step less severe (conditions and partial evidence lower severity, never below low).
    pub fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            _ => Severity::Low,
        }
    }

    /// GitHub code scanning's `security-severity` (catalog §3.0).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    pub fn lower(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }
}

/// Where a hit points: a span in the sources at hand, or a site resolved earlier, when the
/// sources it came from are gone (facts joined across the whole scan keep resolved sites so
/// that no file's text must stay in memory until the end).
#[derive(Clone, Debug, PartialEq)]
pub enum At {
    Span(Span),
    Site(std::sync::Arc<Site>),
}

/// A location resolved while its file was at hand, with the masked, normalised text of the
/// node (what fingerprints hash).
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub location: Location,
    pub text: String,
}

impl From<Span> for At {
    fn from(s: Span) -> At {
        At::Span(s)
    }
}

impl From<std::sync::Arc<Site>> for At {
    fn from(s: std::sync::Arc<Site>) -> At {
        At::Site(s)
    }
}

/// Resolve a span into a site now, while its file is at hand.
pub fn site(sources: &Sources, span: Span, secret_spans: &[Span]) -> Option<std::sync::Arc<Site>> {
    let location = locate(sources, span, secret_spans)?;
    Some(std::sync::Arc::new(Site {
        location,
        text: node_text(sources, span, secret_spans),
    }))
}

/// The masked, whitespace-normalised text of a node.
fn node_text(sources: &Sources, span: Span, secret_spans: &[Span]) -> String {
    let raw = sources.slice(span);
    let mut ranges: Vec<(usize, usize)> = secret_spans
        .iter()
        .filter(|s| s.file == span.file && s.start < span.end && s.end > span.start)
        .map(|s| {
            (
                (s.start.max(span.start) - span.start) as usize,
                (s.end.min(span.end) - span.start) as usize,
            )
        })
        .collect();
    normalise_snippet(&credentials::mask_line(&credentials::mask_ranges(
        raw,
        &mut ranges,
    )))
}

fn locate_at(sources: &Sources, at: &At, secret_spans: &[Span]) -> Option<Location> {
    match at {
        At::Span(s) => locate(sources, *s, secret_spans),
        At::Site(site) => Some(site.location.clone()),
    }
}

/// What a rule reports, in terms of spans. Turned into a [`Finding`] by [`resolve`].
#[derive(Clone, Debug)]
pub struct Hit {
    pub rule: &'static str,
    /// Overrides the rule's default severity (escalations and downgrades the rule defines).
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
    pub message: String,
    /// Logical address of the thing at fault (`aws_iam_role.ci`, `policy.json#Statement[0]`).
    pub address: String,
    /// The exact offending node.
    pub primary: At,
    /// Short annotation under the primary span.
    pub label: String,
    /// The declaration that holds the node (a policy attribute, a resource), when the node is
    /// nested inside it.
    pub context: Option<At>,
    pub related: Vec<(At, String)>,
    pub classes: Vec<PrivilegeClass>,
}

impl Hit {
    pub fn new(
        rule: &'static str,
        primary: impl Into<At>,
        address: impl Into<String>,
        message: impl Into<String>,
    ) -> Hit {
        Hit {
            rule,
            severity: None,
            confidence: None,
            message: message.into(),
            address: address.into(),
            primary: primary.into(),
            label: String::new(),
            context: None,
            related: Vec::new(),
            classes: Vec::new(),
        }
    }

    pub fn severity(mut self, s: Severity) -> Hit {
        self.severity = Some(s);
        self
    }

    pub fn confidence(mut self, c: Confidence) -> Hit {
        self.confidence = Some(c);
        self
    }

    pub fn label(mut self, l: impl Into<String>) -> Hit {
        self.label = l.into();
        self
    }

    pub fn context(mut self, s: impl Into<At>) -> Hit {
        self.context = Some(s.into());
        self
    }

    pub fn related(mut self, s: impl Into<At>, msg: impl Into<String>) -> Hit {
        self.related.push((s.into(), msg.into()));
        self
    }

    pub fn classes(mut self, c: Vec<PrivilegeClass>) -> Hit {
        self.classes = c;
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SnippetLine {
    pub line: u32,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path relative to the scan root, forward slashes.
    pub path: String,
    pub start: LineCol,
    /// End of the region (exclusive column).
    pub end: LineCol,
    /// The source lines of the region, secrets masked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub snippet: Vec<SnippetLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `inSource` or `external`, as SARIF names them.
    pub kind: String,
    pub justification: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    pub address: String,
    pub location: Location,
    /// Annotation of the primary location.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The declaration holding the offending node, when different from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub privilege_classes: Vec<PrivilegeClass>,
    /// Stable across edits elsewhere in the file: rule, path, logical address, normalised
    /// snippet (never line numbers).
    pub fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
}

/// Most snippet lines kept per location; long lines are cut.
const SNIPPET_LINES: u32 = 6;
const SNIPPET_WIDTH: usize = 240;
/// Bytes past the shown start of a line that are masked with it, so that a secret cut by the
/// end of what is shown is still recognised (and masked) whole.
const MASK_MARGIN: usize = 4096;

/// Turn spans into printable locations. `secret_spans` are masked wherever they appear.
pub fn locate(sources: &Sources, span: Span, secret_spans: &[Span]) -> Option<Location> {
    let file = sources.get(span.file)?;
    let start = file.line_col(span.start);
    let mut end = file.line_col(span.end.max(span.start));
    if end.line < start.line || (end.line == start.line && end.col < start.col) {
        end = start;
    }
    let last = end.line.min(start.line + SNIPPET_LINES - 1).max(start.line);
    let mut snippet = Vec::new();
    for line in start.line..=last {
        let line_start = file.line_start(line);
        // Only the start of a line is shown: mask that (a minified file is one huge line, and
        // masking all of it for every finding is quadratic).
        let text = head(file.line_text(line), SNIPPET_WIDTH * 4 + MASK_MARGIN);
        let line_end = line_start.saturating_add(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let mut ranges: Vec<(usize, usize)> = secret_spans
            .iter()
            .filter(|s| s.file == span.file && s.start < line_end && s.end > line_start)
            .map(|s| {
                (
                    (s.start.max(line_start) - line_start) as usize,
                    (s.end.min(line_end) - line_start) as usize,
                )
            })
            .collect();
        let masked = if ranges.is_empty() {
            credentials::mask_line(text)
        } else {
            credentials::mask_line(&credentials::mask_ranges(text, &mut ranges))
        };
        snippet.push(SnippetLine {
            line,
            text: truncate(&masked, SNIPPET_WIDTH),
        });
    }
    Some(Location {
        path: file.display.clone(),
        start,
        end,
        snippet,
    })
}

/// The first `max` bytes of `s`, cut on a character boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max).collect();
    t.push('…');
    t
}

/// FNV-1a, 64 bit: tiny, stable across platforms and releases (fingerprints must not change).
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // separator so ("ab","c") != ("a","bc")
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Collapse whitespace so reformatting does not change a fingerprint.
pub fn normalise_snippet(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A finding on one of the AWS documentation's example keys: reported (it is exactly what a
/// committed key looks like) at low confidence, saying what it is.
pub fn documentation_example(mut h: Hit, sources: &Sources) -> Hit {
    let At::Span(span) = &h.primary else {
        return h;
    };
    let text = sources.slice(*span).trim().trim_matches(['"', '\'']);
    if text.len() >= 20 && crate::model::credentials::is_documentation_example(text) {
        h.confidence = Some(Confidence::Low);
        h.message.push_str(
            " (an AWS documentation example key: probably not live, but the practice is the risk)",
        );
    }
    h
}

/// Build the printable finding from a rule's hit.
pub fn resolve(
    hit: Hit,
    meta_severity: Severity,
    meta_confidence: Confidence,
    sources: &Sources,
    secret_spans: &[Span],
) -> Option<Finding> {
    let location = locate_at(sources, &hit.primary, secret_spans)?;
    let context = hit
        .context
        .as_ref()
        .filter(|c| match (c, &hit.primary) {
            (At::Span(c), At::Span(p)) => !c.contains(p) || c.start != p.start,
            _ => true,
        })
        .and_then(|c| locate_at(sources, c, secret_spans))
        // worth a second location only when it covers other lines than the node itself
        .filter(|c| {
            c.path != location.path
                || c.start.line != location.start.line
                || c.end.line != location.end.line
        });
    let related = hit
        .related
        .iter()
        .filter_map(|(s, m)| {
            locate_at(sources, s, secret_spans).map(|location| Related {
                location,
                message: m.clone(),
            })
        })
        .collect();
    // The fingerprint hashes the (masked) text of the offending node, so a secret never feeds it.
    let snippet = match &hit.primary {
        At::Span(s) => node_text(sources, *s, secret_spans),
        At::Site(site) => site.text.clone(),
    };
    let fp = fnv1a(&[hit.rule, &location.path, &hit.address, &snippet]);
    Some(Finding {
        rule: hit.rule,
        severity: hit.severity.unwrap_or(meta_severity),
        confidence: hit.confidence.unwrap_or(meta_confidence),
        message: hit.message,
        address: hit.address,
        location,
        label: hit.label,
        context,
        related,
        privilege_classes: hit.classes,
        fingerprint: format!("{fp:016x}"),
        suppression: None,
    })
}

/// Findings of one rule on one node with one message are one finding, except that Terraform
/// instances stay apart: the same line read for `aws_iam_role.r["a"]` and `["b"]`, or for
/// `module.x` and `module.y`, is one finding per instance (their addresses differ in the
/// instance keys and module calls they carry). A module's own directory evaluated with its
/// defaults (no `module.` prefix) is dropped where a call to it says the same thing (messages
/// compared without the call's `module.x.`, which some name the resource with): the call
/// carries more, its address and call site. `findings` must be sorted by path, start and rule.
fn dedup_instances(findings: &mut Vec<Finding>) {
    let same_node = |a: &Finding, b: &Finding| {
        a.rule == b.rule
            && a.location.path == b.location.path
            && a.location.start == b.location.start
    };
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut run: Vec<Finding> = Vec::new();
    for f in findings.drain(..) {
        if run.last().is_some_and(|g| !same_node(g, &f)) {
            dedup_run(&mut run, &mut out);
        }
        run.push(f);
    }
    dedup_run(&mut run, &mut out);
    *findings = out;
}

/// One rule's findings on one node.
fn dedup_run(run: &mut Vec<Finding>, out: &mut Vec<Finding>) {
    if run.len() < 2 {
        out.append(run);
        return;
    }
    // By message (without the module prefix), in order of first appearance.
    let mut groups: Vec<(String, Vec<Finding>)> = Vec::new();
    for f in run.drain(..) {
        let prefix = module_prefix(&f.address);
        let key = if prefix.is_empty() {
            f.message.clone()
        } else {
            f.message.replace(prefix, "")
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    for (_, mut group) in groups {
        if group.iter().any(|f| f.address.starts_with("module."))
            && group.iter().any(|f| !f.address.starts_with("module."))
        {
            group.retain(|f| f.address.starts_with("module."));
        }
        let mut kept: Vec<(String, Finding)> = Vec::with_capacity(group.len());
        for f in group {
            let key = instance_part(&f.address);
            if !kept.iter().any(|(k, _)| *k == key) {
                kept.push((key, f));
            }
        }
        if kept.len() > 1 {
            kept.sort_by(|a, b| a.1.address.cmp(&b.1.address));
        }
        out.extend(kept.into_iter().map(|(_, f)| f));
    }
}

/// The module calls an address starts with (`module.x["a"].module.y.`), or "".
fn module_prefix(addr: &str) -> &str {
    let mut rest = addr;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        let (_, tail) = take_index(&after[end..]);
        match tail.strip_prefix('.') {
            Some(t) => rest = t,
            None => break,
        }
    }
    &addr[..addr.len() - rest.len()]
}

/// What tells Terraform instances apart in an address: the module calls leading to it and
/// every instance key (`module.x["a"].aws_iam_role.r[0]` -> `module.x["a"].[0]`); empty for
/// addresses of one object, and for non-Terraform addresses without brackets.
fn instance_part(addr: &str) -> String {
    let mut out = String::new();
    let mut rest = addr;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        out.push_str("module.");
        out.push_str(&after[..end]);
        rest = &after[end..];
        let (key, tail) = take_index(rest);
        out.push_str(key);
        out.push('.');
        rest = tail.strip_prefix('.').unwrap_or(tail);
    }
    while let Some(i) = rest.find('[') {
        let (key, tail) = take_index(&rest[i..]);
        if key.is_empty() {
            break;
        }
        out.push_str(key);
        rest = tail;
    }
    out
}

/// A leading `[...]` (quote-aware) and what follows it.
fn take_index(s: &str) -> (&str, &str) {
    if !s.starts_with('[') {
        return ("", s);
    }
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in s.char_indices().skip(1) {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ']' {
            return s.split_at(i + 1);
        }
    }
    ("", s)
}

/// Sort findings into report order and make fingerprints unique: identical keys (the same
/// rule on two equal nodes of one resource) get an ordinal suffix in file order.
pub fn finalise(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (&a.location.path, a.location.start, a.rule, &a.message).cmp(&(
            &b.location.path,
            b.location.start,
            b.rule,
            &b.message,
        ))
    });
    dedup_instances(findings);
    // The n-th repeat of a fingerprint gets `:n` (counted on the fingerprints as computed).
    let repeats: Vec<u32> = {
        let mut seen: std::collections::HashMap<&str, u32> =
            std::collections::HashMap::with_capacity(findings.len());
        findings
            .iter()
            .map(|f| {
                let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
                *n += 1;
                *n - 1
            })
            .collect()
    };
    for (f, n) in findings.iter_mut().zip(repeats) {
        if n > 0 {
            f.fingerprint = format!("{}:{}", f.fingerprint, n);
        }
    }
}
