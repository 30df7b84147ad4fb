//! Rule metadata, read from the `rules/<id>.md` files embedded in the binary: a YAML front
//! matter (id, title, severity, confidence, OWASP NHI ids, CWE, aspects) and a Markdown body
//! with fixed headings. The single source for `nhiaudit rules`, `explain`, SARIF descriptors
//! and `docs/rules.md`.

use crate::finding::{Confidence, Severity};
use crate::parse::doc::Node;
use crate::parse::yaml::{self, Budget};
use crate::source::FileId;

#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// OWASP NHI Top 10 ids, e.g. `NHI5:2025`.
    pub owasp: Vec<String>,
    pub cwe: Vec<u32>,
    /// Credential aspects (catalog §3.0 vocabulary).
    pub aspects: Vec<String>,
    /// Equivalent checks in other scanners, for users migrating.
    pub peers: Vec<String>,
    /// Markdown help: What / Why / Remediation / Example.
    pub help: String,
}

/// The headings every help text must have, in order.
pub const HELP_HEADINGS: &[&str] = &["## What", "## Why", "## Remediation", "## Example"];

impl RuleMeta {
    pub fn parse(text: &str) -> Result<RuleMeta, String> {
        let rest = text
            .strip_prefix("---\n")
            .ok_or("metadata must start with a '---' front matter line")?;
        let end = rest
            .find("\n---\n")
            .ok_or("front matter is not closed by '---'")?;
        let front = &rest[..end + 1];
        let body = rest[end + 5..].trim().to_owned();
        let mut docs = yaml::parse_stream(front, FileId(0), 0, Budget::default())
            .map_err(|e| format!("front matter: {e}"))?;
        if docs.is_empty() {
            return Err("empty front matter".into());
        }
        let root = docs.remove(0).root;
        let s = |k: &str| -> Result<String, String> {
            root.get(k)
                .and_then(Node::as_str)
                .map(str::to_owned)
                .ok_or(format!("missing '{k}'"))
        };
        let list = |k: &str| -> Vec<String> {
            root.get(k)
                .map(|n| {
                    n.one_or_many()
                        .iter()
                        .filter_map(Node::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let severity = Severity::parse(&s("severity")?).ok_or("bad severity")?;
        let confidence = Confidence::parse(&s("confidence")?).ok_or("bad confidence")?;
        let cwe = list("cwe")
            .iter()
            .map(|c| c.trim_start_matches("CWE-").parse::<u32>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "cwe must be numbers".to_owned())?;
        Ok(RuleMeta {
            id: s("id")?,
            title: s("title")?,
            severity,
            confidence,
            owasp: list("owasp"),
            cwe,
            aspects: list("aspects"),
            peers: list("peers"),
            help: body,
        })
    }

    /// The help section under a heading (`## Why`), without the heading.
    pub fn section(&self, heading: &str) -> &str {
        let Some(start) = self.help.find(heading) else {
            return "";
        };
        let after = &self.help[start + heading.len()..];
        let end = after.find("\n## ").unwrap_or(after.len());
        after[..end].trim()
    }

    /// One-sentence description: the first paragraph of "What".
    pub fn summary(&self) -> &str {
        let what = self.section("## What");
        what.split("\n\n").next().unwrap_or(what).trim()
    }

    /// The OWASP NHI page for the rule's first category.
    pub fn owasp_uri(&self) -> String {
        let slug = match self.owasp.first().map(String::as_str) {
            Some("NHI1:2025") => "1-improper-offboarding",
            Some("NHI2:2025") => "2-secret-leakage",
            Some("NHI3:2025") => "3-vulnerable-third-party-nhi",
            Some("NHI4:2025") => "4-insecure-authentication",
            Some("NHI5:2025") => "5-overprivileged-nhi",
            Some("NHI6:2025") => "6-insecure-cloud-deployment-configurations",
            Some("NHI7:2025") => "7-long-lived-secrets",
            Some("NHI8:2025") => "8-environment-isolation",
            Some("NHI9:2025") => "9-nhi-reuse",
            Some("NHI10:2025") => "10-human-use-of-nhi",
            _ => "top-10-2025",
        };
        format!("https://owasp.org/www-project-non-human-identities-top-10/2025/{slug}/")
    }
}
