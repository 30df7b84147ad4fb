//! Credential material written in configuration: what it looks like, how to recognise it, and
//! how to show it without leaking it. Patterns are hand-written matchers (no regex engine on the
//! hot path) and are shared by every input kind.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretKind {
    AwsAccessKeyId,
    AwsSecretAccessKey,
    AwsSessionToken,
    PrivateKey,
    GithubToken,
    GitlabToken,
    SlackToken,
    GoogleApiKey,
    StripeKey,
    /// A literal under a secret-sounding name (`password`, `client_secret`, `api_token`).
    NamedSecret,
}

impl SecretKind {
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "AWS access key id",
            SecretKind::AwsSecretAccessKey => "AWS secret access key",
            SecretKind::AwsSessionToken => "AWS session token",
            SecretKind::PrivateKey => "private key",
            SecretKind::GithubToken => "GitHub token",
            SecretKind::GitlabToken => "GitLab token",
            SecretKind::SlackToken => "Slack token",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::StripeKey => "Stripe secret key",
            SecretKind::NamedSecret => "secret value",
        }
    }
}

/// A credential written in clear somewhere in a file.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretLiteral {
    pub kind: SecretKind,
    /// The exact bytes of the secret (redacted in every output).
    pub span: Span,
    /// The attribute or key that holds it (`access_key`, `AWS_SECRET_ACCESS_KEY`).
    pub key: String,
    /// Where it sits, for the rule to decide (`provider`, `lambda-env`, `user-data`, ...).
    pub place: SecretPlace,
    /// Logical address of the enclosing resource or object.
    pub address: String,
    /// Pattern evidence strength: a recognisable token format is high, a name-only match low.
    pub strong: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretPlace {
    /// `provider "aws" { access_key = ... }`, `backend "s3"`.
    ProviderBlock,
    /// Lambda / ECS / CodeBuild / Batch environment variables.
    ComputeEnv,
    /// EC2 / launch template user data, module `user_data` inputs.
    UserData,
    /// A Kubernetes `Secret` manifest's `data` / `stringData`.
    K8sSecret,
    /// A literal `env[].value` of a Kubernetes workload.
    K8sEnv,
    /// A Kubernetes `ConfigMap`'s `data`.
    K8sConfigMap,
    /// A CI pipeline value (`env`, `with`, GitLab `variables`).
    Pipeline,
    /// Any other Terraform attribute, object key, variable default or local.
    TerraformAttribute,
    /// Any other place.
    Other,
}

/// Known example keys from AWS documentation: never real.
const EXAMPLE_VALUES: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
];

/// The AWS documentation's example keys (`AKIAIOSFODNN7EXAMPLE`): never live, but exactly
/// what a committed key looks like, and what people paste to try a scanner. Reported, at low
/// confidence, with a word that says so.
pub fn is_documentation_example(v: &str) -> bool {
    EXAMPLE_VALUES.contains(&v) || v.ends_with("EXAMPLE") || v.ends_with("EXAMPLEKEY")
}

fn is_upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// Byte ranges (within `text`) of AWS access key ids `AKIA…`/`ASIA…` (20 characters).
pub fn find_aws_key_ids(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 20 <= b.len() {
        if (b[i] == b'A' && (&b[i..i + 4] == b"AKIA" || &b[i..i + 4] == b"ASIA"))
            && (i == 0 || !is_upper_alnum(b[i - 1]))
            && b[i + 4..i + 20].iter().all(|c| is_upper_alnum(*c))
            && (i + 20 == b.len() || !is_upper_alnum(b[i + 20]))
        {
            out.push((i, i + 20));
            i += 20;
        } else {
            i += 1;
        }
    }
    out
}

/// Is the whole value an AWS access key id?
pub fn is_aws_key_id(v: &str) -> bool {
    let v = v.trim();
    v.len() == 20 && find_aws_key_ids(v).len() == 1
}

/// Is the whole value shaped like an AWS secret access key (40 base64 characters)?
pub fn is_aws_secret_key(v: &str) -> bool {
    let v = v.trim();
    v.len() == 40
        && v.bytes().all(is_b64)
        && !looks_like_hex_digest(v)
        && v.bytes()
            .any(|c| c.is_ascii_digit() || c == b'/' || c == b'+' || c.is_ascii_uppercase())
}

/// 40 lowercase hex characters with letters: a SHA-1 (commit, checksum), not a key.
fn looks_like_hex_digest(v: &str) -> bool {
    v.bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        && v.bytes().any(|c| c.is_ascii_alphabetic())
}

/// Byte ranges of standalone 40-character base64 tokens (possible AWS secret keys) in free
/// text such as user data.
pub fn find_secret_key_tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_b64(b[i]) {
            let start = i;
            while i < b.len() && is_b64(b[i]) {
                i += 1;
            }
            if i - start == 40 && is_aws_secret_key(&text[start..i]) {
                out.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Byte ranges of PEM private key headers.
pub fn find_private_keys(text: &str) -> Vec<(usize, usize)> {
    const HEAD: &[u8] = b"-----BEGIN ";
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = find_bytes(b, HEAD, from) {
        let label_start = start + HEAD.len();
        let Some(end_rel) = find_bytes(b, b"-----", label_start).map(|e| e - label_start) else {
            break;
        };
        let label = &b[label_start..label_start + end_rel];
        let end = label_start + end_rel + 5;
        if label.len() < 48 && label.windows(11).any(|w| w == b"PRIVATE KEY") {
            out.push((start, end));
        }
        from = end;
    }
    out
}

/// The first occurrence of `needle` (non-empty) in `hay` at or after `from`. This runs on
/// every snippet line and string value, mostly short: a scan for the first byte beats the
/// set-up of a general substring search there.
fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let j = i + hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|&c| c == first)?;
        if hay[j..].starts_with(needle) {
            return Some(j);
        }
        i = j + 1;
    }
    None
}

/// Can `b` hold a token [`find_tokens`] or [`find_secret_key_tokens`] recognises? Every one of
/// them is a run of at least 20 characters from letters, digits and `_-+/` (an AWS key id, a
/// prefixed token, 40 base64 characters), except a PEM header, which starts with `-----`. One
/// cheap pass rules out nearly every line and value.
fn may_hold_token(b: &[u8]) -> bool {
    let mut run = 0usize;
    let mut dashes = 0usize;
    for &c in b {
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'+' | b'/') {
            run += 1;
            if run >= 20 {
                return true;
            }
        } else {
            run = 0;
        }
        if c == b'-' {
            dashes += 1;
            if dashes >= 5 {
                return true;
            }
        } else {
            dashes = 0;
        }
    }
    false
}

/// Recognise well-known token formats inside a value; returns the kind and byte range.
pub fn find_tokens(text: &str) -> Vec<(SecretKind, usize, usize)> {
    let mut out: Vec<(SecretKind, usize, usize)> = Vec::new();
    if !may_hold_token(text.as_bytes()) {
        return out;
    }
    for (s, e) in find_aws_key_ids(text) {
        out.push((SecretKind::AwsAccessKeyId, s, e));
    }
    for (s, e) in find_private_keys(text) {
        out.push((SecretKind::PrivateKey, s, e));
    }
    const PREFIXES: &[(&str, SecretKind, usize)] = &[
        ("ghp_", SecretKind::GithubToken, 36),
        ("gho_", SecretKind::GithubToken, 36),
        ("ghs_", SecretKind::GithubToken, 36),
        ("ghu_", SecretKind::GithubToken, 36),
        ("ghr_", SecretKind::GithubToken, 36),
        ("github_pat_", SecretKind::GithubToken, 60),
        ("glpat-", SecretKind::GitlabToken, 20),
        ("xoxb-", SecretKind::SlackToken, 20),
        ("xoxp-", SecretKind::SlackToken, 20),
        ("xoxa-", SecretKind::SlackToken, 20),
        ("xoxr-", SecretKind::SlackToken, 20),
        ("AIza", SecretKind::GoogleApiKey, 35),
        ("sk_live_", SecretKind::StripeKey, 20),
    ];
    let b = text.as_bytes();
    // Which prefixes can occur, in one pass over the text, rather than a substring search per
    // prefix: most texts hold none of them (this runs on every snippet line and string value).
    let pair_bit = |p: &[u8]| match p {
        [b'g', b'h', ..] => 1u8,
        [b'g', b'i', ..] => 2,
        [b'g', b'l', ..] => 4,
        [b'x', b'o', ..] => 8,
        [b'A', b'I', ..] => 16,
        [b's', b'k', ..] => 32,
        _ => 0,
    };
    let mut seen = 0u8;
    for (i, &c) in b.iter().enumerate() {
        if matches!(c, b'g' | b'x' | b'A' | b's') {
            seen |= pair_bit(&b[i..b.len().min(i + 2)]);
        }
    }
    for (prefix, kind, min_len) in PREFIXES {
        if seen & pair_bit(prefix.as_bytes()) == 0 {
            continue;
        }
        let mut from = 0;
        while let Some(pos) = text[from..].find(prefix) {
            let start = from + pos;
            if start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
                from = start + prefix.len();
                continue;
            }
            let mut end = start + prefix.len();
            while end < b.len()
                && (b[end].is_ascii_alphanumeric() || b[end] == b'_' || b[end] == b'-')
            {
                end += 1;
            }
            if end - start >= *min_len {
                out.push((*kind, start, end));
            }
            from = end.max(start + 1);
        }
    }
    out.sort_by_key(|(_, s, _)| *s);
    out
}

/// Does a key name suggest it holds a credential?
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace('-', "_");
    const NEGATIVE: &[&str] = &[
        "_policy",
        "_length",
        "_arn",
        "_id_ref",
        "_version",
        "_rotation",
        "_ttl",
        "_expir",
        "_file",
        "_path",
        "_param",
        "_name",
        "_type",
        "_url",
        "_enabled",
        "_secret_name",
        "_ref",
        "secretref",
        "_key_id",
    ];
    if NEGATIVE.iter().any(|s| n.contains(s)) && !n.ends_with("secret_key") {
        return false;
    }
    const POSITIVE: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "access_key",
        "client_secret",
        "credential",
        "auth_key",
    ];
    POSITIVE.iter().any(|p| n.contains(p))
}

/// Does an attribute or key name say it holds a credential? Stricter than [`is_secret_name`],
/// for places where any attribute may be read (every Terraform attribute). The name is judged
/// by how it ends, as Terraform puts nouns last: `admin_password`, `client_secret` and
/// `auth_token` hold credentials; `password_length`, `secret_name`, `token_lifetime` and
/// `api_key_source` do not.
pub fn is_credential_name(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "privatekey",
        "accesskey",
        "secretkey",
        "credential",
        "credentials",
        "sharedkey",
        "authkey",
        "appkey",
        "secretstring",
        "secretdata",
        "connectionstring",
    ];
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    SUFFIXES.iter().any(|s| n.ends_with(s))
}

/// A value that is clearly not a secret even under a secret-sounding name: references,
/// placeholders, booleans, very short strings.
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    if t.len() < 6 {
        return true;
    }
    // A value with the exact shape of an AWS key is reported, the documentation's example
    // keys included (at low confidence, see `is_documentation_example`).
    if is_aws_key_id(t) || is_aws_secret_key(t) {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    t.contains("${")
        || t.starts_with("arn:")
        || t.starts_with('$')
        || t.starts_with("{{")
        || t.starts_with('<')
        || t.starts_with("ref+")
        || t.starts_with("vault:")
        || t.starts_with("secretsmanager:")
        || t.starts_with("ssm:")
        || [
            "changeme",
            "change-me",
            "placeholder",
            "example",
            "dummy",
            "redacted",
            "xxxx",
            "****",
            "your-",
            "your_",
            "todo",
            "none",
            "null",
            "true",
            "false",
        ]
        .iter()
        .any(|p| lower.contains(p))
}

/// Show the first four characters and a mask, never the rest.
pub fn redact(v: &str) -> String {
    let prefix: String = v.chars().take(4).collect();
    format!("{prefix}****")
}

/// Mask every recognisable secret in a line of text (for snippets and diagnostics).
pub fn mask_line(line: &str) -> String {
    if !may_hold_token(line.as_bytes()) {
        return line.to_owned();
    }
    let mut ranges: Vec<(usize, usize)> = find_tokens(line)
        .into_iter()
        .map(|(_, s, e)| (s, e))
        .collect();
    ranges.extend(find_secret_key_tokens(line));
    if ranges.is_empty() {
        return line.to_owned();
    }
    mask_ranges(line, &mut ranges)
}

/// Replace each byte range (kept on char boundaries) by its first 4 characters and a mask.
pub fn mask_ranges(line: &str, ranges: &mut [(usize, usize)]) -> String {
    ranges.sort_unstable();
    let mut out = String::with_capacity(line.len());
    let mut pos = 0;
    for &(s, e) in ranges.iter() {
        let (s, e) = (s.min(line.len()), e.min(line.len()));
        if s < pos || !line.is_char_boundary(s) || !line.is_char_boundary(e) {
            continue;
        }
        out.push_str(&line[pos..s]);
        out.push_str(&redact(&line[s..e]));
        pos = e;
    }
    out.push_str(&line[pos..]);
    out
}

/// Standard base64 (with or without padding); `None` if the text is not base64.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        })
    }
    let bytes: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = bytes
        .strip_suffix(b"==")
        .or_else(|| bytes.strip_suffix(b"="))
        .unwrap_or(&bytes);
    if bytes.len() < 8 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in bytes {
        acc = (acc << 6) | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_filter_keeps_every_kind_of_token() {
        let tokens = [
            "AKIAABCDEFGHIJKLMNOP",
            "ASIAABCDEFGHIJKLMNOP",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP",
            "glpat-abcdefghijklmnopqrst",
            "xoxb-1234567890-abcdefghij",
            "AIzaSyA1234567890abcdefghijklmnopqrstu",
            "sk_live_abcdefghijklmnopqrst",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
        ];
        for t in tokens {
            for line in [
                t.to_owned(),
                format!("  key: \"{t}\" # x"),
                format!("k={t};"),
            ] {
                assert!(may_hold_token(line.as_bytes()), "{line}");
                assert!(!find_tokens(&line).is_empty(), "{line}");
                assert_ne!(mask_line(&line), line, "{line}");
            }
        }
        let secret = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz";
        assert!(may_hold_token(secret.as_bytes()));
        assert_ne!(mask_line(secret), secret);
        // Ordinary lines are ruled out at once.
        for line in [
            "  name: web-frontend",
            "resource \"aws_iam_role\" \"ci\" {",
            "- get",
        ] {
            assert!(!may_hold_token(line.as_bytes()), "{line}");
        }
    }

    #[test]
    fn finds_aws_keys_documentation_examples_included() {
        assert_eq!(find_aws_key_ids("x=AKIAABCDEFGHIJKLMNOP;"), vec![(2, 22)]);
        // Found (and masked); the finding says it is the documentation's example.
        assert_eq!(find_aws_key_ids("AKIAIOSFODNN7EXAMPLE"), vec![(0, 20)]);
        assert!(is_documentation_example("AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_placeholder("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(is_aws_secret_key(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz"
        ));
        assert!(!is_aws_secret_key(
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        ));
    }

    #[test]
    fn credential_names_are_judged_by_their_ending() {
        for n in [
            "password",
            "admin_password",
            "administrator_login_password",
            "master_user_password",
            "client_secret",
            "clientSecret",
            "auth_token",
            "api_key",
            "private_key",
            "secret_key",
            "access_key",
            "shared_key",
            "secret_string",
            "DB_PASSWORD",
        ] {
            assert!(is_credential_name(n), "{n}");
        }
        for n in [
            "password_length",
            "secret_name",
            "token_lifetime",
            "api_key_source",
            "kms_key_id",
            "password_reset_required",
            "public_key",
            "key_name",
            "secret_arn",
        ] {
            assert!(!is_credential_name(n), "{n}");
        }
    }

    #[test]
    fn masks_keep_four_characters() {
        assert_eq!(redact("AKIAABCDEFGHIJKLMNOP"), "AKIA****");
        let m = mask_line("key = \"AKIAABCDEFGHIJKLMNOP\"");
        assert_eq!(m, "key = \"AKIA****\"");
        assert!(!mask_line("-----BEGIN RSA PRIVATE KEY-----").contains("RSA PRIVATE"));
    }

    #[test]
    fn base64_roundtrip() {
        assert_eq!(
            base64_decode("aGVsbG8gd29ybGQ=").as_deref(),
            Some(&b"hello world"[..])
        );
        assert!(base64_decode("not base64!").is_none());
    }

    #[test]
    fn secret_names() {
        assert!(is_secret_name("DB_PASSWORD"));
        assert!(is_secret_name("client_secret"));
        assert!(is_secret_name("aws_secret_access_key"));
        assert!(!is_secret_name("password_policy"));
        assert!(!is_secret_name("secret_arn"));
        assert!(!is_secret_name("TOKEN_TTL"));
        assert!(!is_secret_name("API_TOKEN_PARAMETER"));
    }
}
