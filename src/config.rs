//! `.nhiaudit.toml`: found in the scanned root or a parent up to the repository root, or given
//! with `--config`. Rule selection and severity overrides, paths to exclude, identity-scoped
//! ignores with a reason and an optional expiry, and defaults for `fail-on`,
//! `max-file-size` and `own-accounts`. Unknown keys are errors naming the key and the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Severity;
use crate::rules;

pub const FILE_NAME: &str = ".nhiaudit.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Default for `--fail-on`.
    pub fail_on: Option<String>,
    /// Default for `--max-file-size`.
    pub max_file_size: Option<u64>,
    #[serde(default)]
    pub own_accounts: Vec<String>,
    #[serde(default)]
    pub rules: RulesSection,
    #[serde(default)]
    pub paths: PathsSection,
    /// Accepted risks, each tied to a rule and an identity.
    #[serde(default, rename = "ignore")]
    pub ignores: Vec<IgnoreEntry>,
    /// The declared function of identities (`detect`, `recommend`, `execute`), by logical
    /// address, cloud name or `namespace/name` of a ServiceAccount.
    #[serde(default)]
    pub functions: BTreeMap<String, String>,
}

/// Functions an identity may be declared to serve.
pub const FUNCTIONS: &[&str] = &["detect", "recommend", "observe", "notify", "execute"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesSection {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Rule id -> severity.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PathsSection {
    /// Globs, relative to the directory of the configuration file.
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IgnoreEntry {
    /// One rule id, or `rules` for several; neither means every rule.
    pub rule: Option<String>,
    #[serde(default)]
    pub rules: Vec<String>,
    /// Logical address (`aws_iam_role.deployer`, `ServiceAccount/monitoring/robusta-runner`);
    /// `*` wildcards allowed.
    pub address: Option<String>,
    /// A path glob, relative to the configuration file's directory.
    pub path: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`: after this day the ignore stops applying and is reported.
    pub expires: Option<String>,
    /// Line of the entry in the file, for diagnostics.
    #[serde(skip)]
    pub line: u32,
}

impl IgnoreEntry {
    pub fn rule_ids(&self) -> Vec<&str> {
        self.rule
            .iter()
            .map(String::as_str)
            .chain(self.rules.iter().map(String::as_str))
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// A loaded configuration and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    /// The file, when there is one.
    pub path: Option<PathBuf>,
    /// Its directory (globs are relative to it).
    pub dir: Option<PathBuf>,
}

/// Look for `.nhiaudit.toml` from `start` up to the repository root (a directory holding
/// `.git`) or the file system root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    let mut dir = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.parent()?.to_path_buf();
    }
}

fn line_of(text: &str, offset: usize) -> u32 {
    u32::try_from(
        text[..offset.min(text.len())]
            .bytes()
            .filter(|b| *b == b'\n')
            .count()
            + 1,
    )
    .unwrap_or(u32::MAX)
}

/// Parse and validate a configuration text.
pub fn parse(text: &str, display: &str) -> Result<Config, ConfigError> {
    let err = |line: u32, message: String| ConfigError {
        path: display.to_owned(),
        line,
        message,
    };
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        err(line, e.message().trim().to_owned())
    })?;
    // Lines of the `[[ignore]]` tables, in order, for diagnostics about them.
    let mut ignore_lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[ignore]]")
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX));
    for entry in &mut config.ignores {
        entry.line = ignore_lines.next().unwrap_or(1);
    }
    let find_line = |needle: &str| text.find(needle).map(|i| line_of(text, i)).unwrap_or(1);
    let known = |id: &str| rules::meta(id).is_some();
    for id in config.rules.select.iter().chain(&config.rules.ignore) {
        if !known(id) {
            return Err(err(find_line(id), format!("unknown rule id '{id}'")));
        }
    }
    for (id, sev) in &config.rules.severity {
        if !known(id) {
            return Err(err(find_line(id), format!("unknown rule id '{id}'")));
        }
        if Severity::parse(sev).is_none() {
            return Err(err(
                find_line(id),
                format!("severity of '{id}' must be critical, high, medium or low, not '{sev}'"),
            ));
        }
    }
    for (who, f) in &config.functions {
        if !FUNCTIONS.contains(&f.as_str()) {
            return Err(err(
                find_line(who),
                format!(
                    "function of '{who}' must be one of {}, not '{f}'",
                    FUNCTIONS.join(", ")
                ),
            ));
        }
    }
    if let Some(f) = &config.fail_on
        && Severity::parse(f).is_none()
        && f != "none"
    {
        return Err(err(
            find_line("fail-on"),
            format!("fail-on must be critical, high, medium, low or none, not '{f}'"),
        ));
    }
    for e in &config.ignores {
        if e.reason.trim().is_empty() {
            return Err(err(
                e.line,
                "an [[ignore]] entry needs a non-empty reason".into(),
            ));
        }
        for id in e.rule_ids() {
            if !known(id) {
                return Err(err(e.line, format!("unknown rule id '{id}' in [[ignore]]")));
            }
        }
        if e.address.is_none() && e.path.is_none() {
            return Err(err(
                e.line,
                "an [[ignore]] entry needs an address or a path, so it cannot hide every finding"
                    .into(),
            ));
        }
        if let Some(x) = &e.expires
            && parse_date(x).is_none()
        {
            return Err(err(
                e.line,
                format!("expires must be a date like 2027-01-31, not '{x}'"),
            ));
        }
    }
    Ok(config)
}

pub fn load(path: &Path, display: &str) -> Result<Loaded, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: display.to_owned(),
        line: 1,
        message: format!("cannot read: {e}"),
    })?;
    let config = parse(&text, display)?;
    Ok(Loaded {
        config,
        path: Some(path.to_path_buf()),
        dir: path.parent().map(Path::to_path_buf),
    })
}

/// `YYYY-MM-DD` as days since 1970-01-01.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Today, as days since 1970-01-01 (UTC).
pub fn today() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0))
        .unwrap_or(0)
}

/// The commented default written by `nhiaudit init`.
pub const DEFAULT_CONFIG: &str = r#"# nhiaudit configuration. nhiaudit reads the first .nhiaudit.toml it finds in the scanned
# directory or a parent (up to the repository root); `--config FILE` names one explicitly.

# Exit with status 1 when a finding is at or above this severity:
# critical, high, medium, low or none. The command line's --fail-on wins.
# fail-on = "high"

# Skip (and report) files larger than this many bytes.
# max-file-size = 10485760

# Your AWS account ids: trust policies that admit any other account must use sts:ExternalId.
# own-accounts = ["111122223333"]

[rules]
# Run only these rules (ids from `nhiaudit rules`); empty means all.
# select = []
# Never run these rules.
# ignore = []

[rules.severity]
# Change a rule's severity for this repository.
# "aws-iam-user-console-access" = "medium"

[functions]
# What each automation identity is for: detect, recommend, observe, notify or execute.
# Detection and recommendation identities must stay read-only (rule xref-aiops-sod-violation).
# Keys are logical addresses, cloud names or `namespace/name` of a ServiceAccount; the AWS tag
# `nhiaudit:function` and the ServiceAccount annotation `nhiaudit.io/function` say the same.
# "aws_iam_role.anomaly_detector" = "detect"
# "aiops/triage-bot" = "recommend"

[paths]
# Globs, relative to this file, of paths never to scan.
# exclude = ["vendor/**", "**/testdata/**"]

# Accepted risks. Each entry needs a reason, names the rule(s) and the identity (logical
# address as shown in findings, `*` allowed) or a path, and may expire: after that day it
# stops applying and nhiaudit says so.
#
# [[ignore]]
# rule = "k8s-rbac-secret-read"
# address = "ClusterRole/external-secrets-controller"
# reason = "the secret-sync operator must read secrets; reviewed in SEC-1234"
# expires = "2027-06-30"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_parses() {
        assert!(parse(DEFAULT_CONFIG, "x").is_ok());
    }

    #[test]
    fn unknown_key_names_the_key_and_line() {
        let e = parse("fail-on = \"high\"\n\n[rules]\nselekt = []\n", "c.toml")
            .expect_err("unknown key");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("selekt"), "{}", e.message);
    }

    #[test]
    fn ignores_need_reason_and_target() {
        let e = parse(
            "[[ignore]]\nrule = \"iam-admin-wildcard\"\nreason = \"ok\"\n",
            "c",
        )
        .expect_err("no target");
        assert!(e.message.contains("address or a path"));
        let e = parse(
            "[[ignore]]\nrule = \"nope\"\naddress = \"x\"\nreason = \"r\"\n",
            "c",
        )
        .expect_err("unknown rule");
        assert!(e.message.contains("nope"));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert!(parse_date("2027-13-01").is_none());
    }
}
