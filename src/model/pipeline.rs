//! CI pipelines, whichever system runs them: GitHub Actions workflows and composite actions,
//! GitLab CI configurations. A pipeline is jobs with the credentials they hold: token
//! permissions, secrets referenced, cloud authentication (static keys or OIDC federation),
//! environments (approval gates), and the triggers that start them.

use crate::source::{FileId, Sources, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    GithubActions,
    GitlabCi,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::GithubActions => "GitHub Actions",
            Platform::GitlabCi => "GitLab CI",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipelineKind {
    Workflow,
    /// A workflow others call (`on: workflow_call`).
    ReusableWorkflow,
    /// `action.yml` with `runs.using: composite`.
    CompositeAction,
    GitlabConfig,
}

/// A reference inside an expression: `${{ secrets.X }}`, `$X` in GitLab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefKind {
    Secret(String),
    Var(String),
    /// `toJSON(secrets)`, `secrets[...]` with a computed key, `secrets: inherit`.
    AllSecrets,
    /// `secrets.GITHUB_TOKEN` / `github.token`: the job's own short-lived token.
    GithubToken,
    /// A GitLab `$VARIABLE` (CI/CD variables may be secrets; the scan cannot tell).
    GitlabVar(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprRef {
    pub kind: RefKind,
    pub span: Span,
    /// The expression as written (`${{ secrets.X }}`, `$X`).
    pub text: String,
}

impl ExprRef {
    /// The expression's own span. A value the source does not hold verbatim (a block scalar:
    /// a multi-line `run: |`) gets the whole value's span at extraction; its expressions are
    /// still written unchanged in the source, so look for this one there.
    pub fn locate(&self, sources: &Sources) -> Span {
        let src = sources.slice(self.span);
        if src.len() == self.text.len() {
            return self.span;
        }
        match src.find(&self.text) {
            Some(i) => {
                let start = self.span.start as usize + i;
                Span::new(self.span.file, start, start + self.text.len())
            }
            None => self.span,
        }
    }
}

/// A named value: an `env` entry, a `with:` input, a GitLab variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    pub name: String,
    pub name_span: Span,
    pub value: String,
    pub value_span: Span,
    /// Written as a literal: no expression, no variable reference.
    pub literal: bool,
    pub refs: Vec<ExprRef>,
}

impl Var {
    pub fn refs_secret(&self) -> bool {
        self.refs
            .iter()
            .any(|r| matches!(r.kind, RefKind::Secret(_) | RefKind::AllSecrets))
    }
}

/// `permissions:` of a workflow or job.
#[derive(Clone, Debug, PartialEq)]
pub struct Permissions {
    pub key_span: Span,
    /// `read-all`, `write-all`, or `{}` (empty).
    pub all: Option<(String, Span)>,
    pub scopes: Vec<(String, String, Span)>,
}

impl Permissions {
    pub fn write_all(&self) -> Option<Span> {
        self.all
            .as_ref()
            .filter(|(a, _)| a == "write-all")
            .map(|(_, s)| *s)
    }

    /// Scopes granted `write` (`write-all` counts for every scope).
    pub fn writes(&self) -> Vec<(&str, Span)> {
        self.scopes
            .iter()
            .filter(|(_, level, _)| level == "write")
            .map(|(scope, _, s)| (scope.as_str(), *s))
            .collect()
    }

    pub fn scope(&self, name: &str) -> Option<(&str, Span)> {
        self.scopes
            .iter()
            .find(|(s, _, _)| s == name)
            .map(|(_, l, sp)| (l.as_str(), *sp))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub name: Option<String>,
    /// `owner/repo@ref` or `./local` or `docker://...`.
    pub uses: Option<(String, Span)>,
    pub with: Vec<Var>,
    pub env: Vec<Var>,
    pub run: Option<(String, Span)>,
    pub span: Span,
}

impl Step {
    /// The action, without its ref, lowercased (`aws-actions/configure-aws-credentials`).
    pub fn action(&self) -> Option<String> {
        self.uses.as_ref().map(|(u, _)| {
            let base = u.split('@').next().unwrap_or(u);
            base.to_ascii_lowercase()
        })
    }

    /// The ref after `@`.
    pub fn action_ref(&self) -> Option<&str> {
        self.uses
            .as_ref()
            .and_then(|(u, _)| u.split_once('@').map(|(_, r)| r))
    }

    pub fn input(&self, name: &str) -> Option<&Var> {
        self.with.iter().find(|v| v.name.eq_ignore_ascii_case(name))
    }
}

/// GitLab `id_tokens` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct IdToken {
    pub name: String,
    pub span: Span,
    pub aud: Vec<(String, Span)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: String,
    pub key_span: Span,
    pub span: Span,
    pub permissions: Option<Permissions>,
    /// Environment name as written (may be an expression) and where.
    pub environment: Option<(String, Span)>,
    /// A reusable-workflow call (`jobs.x.uses`).
    pub uses: Option<(String, Span)>,
    pub secrets_inherit: Option<Span>,
    /// `secrets:` passed to a reusable workflow.
    pub secrets_passed: Vec<Var>,
    pub env: Vec<Var>,
    pub steps: Vec<Step>,
    /// `container.credentials` / `services.*.credentials` (GitHub), as values.
    pub registry_credentials: Vec<Var>,
    /// `if:` (GitHub) or the text of `rules[].if` / `only` (GitLab).
    pub conditions: Vec<String>,
    pub id_tokens: Vec<IdToken>,
    /// GitLab `script` / `before_script` / `after_script` lines.
    pub script: Vec<(String, Span)>,
    /// A template (`.hidden` job or `extends` target) rather than a job that runs.
    pub template: bool,
}

impl Job {
    /// Every named value the job sees: its env, its steps' env and inputs.
    pub fn all_vars(&self) -> impl Iterator<Item = &Var> {
        self.env
            .iter()
            .chain(self.registry_credentials.iter())
            .chain(self.secrets_passed.iter())
            .chain(
                self.steps
                    .iter()
                    .flat_map(|s| s.env.iter().chain(s.with.iter())),
            )
    }

    /// Secrets (other than the job's own token) the job references, with where: in values
    /// and in `run:` scripts.
    pub fn secret_refs(&self, sources: &Sources) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        let mut push = |refs: &[ExprRef]| {
            for r in refs {
                if let RefKind::Secret(n) = &r.kind {
                    out.push((n.clone(), r.locate(sources)));
                }
            }
        };
        for v in self.all_vars() {
            push(&v.refs);
        }
        for s in &self.steps {
            if let Some((run, span)) = &s.run {
                push(&expr_refs(run, *span));
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub platform: Platform,
    pub kind: PipelineKind,
    /// The file, as shown in reports.
    pub address: String,
    pub span: Span,
    pub triggers: Vec<Trigger>,
    /// The `on:` key (GitHub), where trigger findings point.
    pub on_span: Option<Span>,
    pub permissions: Option<Permissions>,
    pub env: Vec<Var>,
    pub jobs: Vec<Job>,
    /// GitLab `default: id_tokens` (every job mints tokens).
    pub default_id_tokens: Option<Span>,
}

impl Pipeline {
    pub fn has_trigger(&self, name: &str) -> Option<Span> {
        self.triggers
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.span)
    }
}

/// Every pipeline fact of one unit (and, merged, of the scan).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipelineFacts {
    pub pipelines: Vec<Pipeline>,
}

impl PipelineFacts {
    pub fn is_empty(&self) -> bool {
        self.pipelines.is_empty()
    }

    pub fn shift_files(&mut self, by: u32) {
        fn sh(s: &mut Span, by: u32) {
            s.file = FileId(s.file.0 + by);
        }
        fn var(v: &mut Var, by: u32) {
            sh(&mut v.name_span, by);
            sh(&mut v.value_span, by);
            v.refs.iter_mut().for_each(|r| sh(&mut r.span, by));
        }
        fn perms(p: &mut Option<Permissions>, by: u32) {
            if let Some(p) = p {
                sh(&mut p.key_span, by);
                if let Some((_, s)) = &mut p.all {
                    sh(s, by);
                }
                p.scopes.iter_mut().for_each(|(_, _, s)| sh(s, by));
            }
        }
        for p in &mut self.pipelines {
            sh(&mut p.span, by);
            if let Some(s) = &mut p.on_span {
                sh(s, by);
            }
            if let Some(s) = &mut p.default_id_tokens {
                sh(s, by);
            }
            p.triggers.iter_mut().for_each(|t| sh(&mut t.span, by));
            perms(&mut p.permissions, by);
            p.env.iter_mut().for_each(|v| var(v, by));
            for j in &mut p.jobs {
                sh(&mut j.key_span, by);
                sh(&mut j.span, by);
                perms(&mut j.permissions, by);
                if let Some((_, s)) = &mut j.environment {
                    sh(s, by);
                }
                if let Some((_, s)) = &mut j.uses {
                    sh(s, by);
                }
                if let Some(s) = &mut j.secrets_inherit {
                    sh(s, by);
                }
                for list in [
                    &mut j.secrets_passed,
                    &mut j.env,
                    &mut j.registry_credentials,
                ] {
                    list.iter_mut().for_each(|v| var(v, by));
                }
                for st in &mut j.steps {
                    sh(&mut st.span, by);
                    if let Some((_, s)) = &mut st.uses {
                        sh(s, by);
                    }
                    if let Some((_, s)) = &mut st.run {
                        sh(s, by);
                    }
                    st.with.iter_mut().for_each(|v| var(v, by));
                    st.env.iter_mut().for_each(|v| var(v, by));
                }
                for t in &mut j.id_tokens {
                    sh(&mut t.span, by);
                    t.aud.iter_mut().for_each(|(_, s)| sh(s, by));
                }
                j.script.iter_mut().for_each(|(_, s)| sh(s, by));
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Expressions

/// References inside GitHub `${{ ... }}` expressions of `text`, whose bytes start at
/// `span.start` when the source holds the text verbatim (else every reference gets `span`).
pub fn expr_refs(text: &str, span: Span) -> Vec<ExprRef> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("${{") {
        let start = from + i;
        let Some(len) = text[start..].find("}}") else {
            break;
        };
        let inner = &text[start + 3..start + len];
        let at = sub_span(span, text, start, start + len + 2);
        for r in refs_in(inner) {
            out.push(ExprRef {
                kind: r,
                span: at,
                text: text[start..start + len + 2].to_owned(),
            });
        }
        from = start + len + 2;
    }
    out
}

fn sub_span(span: Span, text: &str, s: usize, e: usize) -> Span {
    let len = (span.end - span.start) as usize;
    if len == text.len() {
        Span::new(span.file, span.start as usize + s, span.start as usize + e)
    } else {
        span
    }
}

/// The references of one expression body.
fn refs_in(expr: &str) -> Vec<RefKind> {
    let mut out = Vec::new();
    let bytes = expr.as_bytes();
    let lower = expr.to_ascii_lowercase();
    let mut i = 0;
    while let Some(pos) = lower[i..].find("secrets") {
        let at = i + pos;
        i = at + 7;
        if at > 0
            && (bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b'.')
        {
            continue;
        }
        // `secrets_dir`, `secrets-cache`, or the word inside a string literal (`'secrets/**'`)
        if bytes
            .get(at + 7)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
            || in_string(expr, at)
        {
            continue;
        }
        let rest = &expr[at + 7..];
        if let Some(name) = rest.strip_prefix('.') {
            let n: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if n.eq_ignore_ascii_case("GITHUB_TOKEN") {
                out.push(RefKind::GithubToken);
            } else if !n.is_empty() {
                out.push(RefKind::Secret(n));
            }
        } else if let Some(idx) = rest.trim_start().strip_prefix('[') {
            let idx = idx.trim_start();
            let quoted = idx.strip_prefix('\'').or_else(|| idx.strip_prefix('"'));
            match quoted {
                Some(q) => {
                    let n: String = q.chars().take_while(|c| *c != '\'' && *c != '"').collect();
                    out.push(if n.eq_ignore_ascii_case("GITHUB_TOKEN") {
                        RefKind::GithubToken
                    } else {
                        RefKind::Secret(n)
                    });
                }
                None => out.push(RefKind::AllSecrets),
            }
        } else {
            // the whole context: `toJSON(secrets)`, `secrets` passed around
            out.push(RefKind::AllSecrets);
        }
    }
    let mut i = 0;
    while let Some(pos) = lower[i..].find("vars.") {
        let at = i + pos;
        i = at + 5;
        if at > 0
            && (bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b'.')
        {
            continue;
        }
        let n: String = expr[at + 5..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !n.is_empty() {
            out.push(RefKind::Var(n));
        }
    }
    if lower.contains("github.token") {
        out.push(RefKind::GithubToken);
    }
    out
}

/// Is byte `at` of an expression inside a `'...'` string literal? (`''` escapes a quote,
/// which keeps the count right)
fn in_string(expr: &str, at: usize) -> bool {
    expr.as_bytes()[..at]
        .iter()
        .filter(|b| **b == b'\'')
        .count()
        % 2
        == 1
}

/// GitLab `$NAME` / `${NAME}` references in a value.
pub fn gitlab_refs(text: &str, span: Span) -> Vec<ExprRef> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'$') {
            // `$$` is GitLab's escaped dollar
            i += 2;
            continue;
        }
        if b[i] == b'$' && i + 1 < b.len() {
            let braced = b[i + 1] == b'{';
            let s = i + 1 + usize::from(braced);
            let mut e = s;
            while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'_') {
                e += 1;
            }
            if e > s {
                out.push(ExprRef {
                    kind: RefKind::GitlabVar(text[s..e].to_owned()),
                    span: sub_span(span, text, i, e + usize::from(braced)),
                    text: text[i..e + usize::from(braced)].to_owned(),
                });
            }
            i = e.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Is the text free of expressions and variable references?
pub fn is_literal(text: &str, platform: Platform) -> bool {
    match platform {
        Platform::GithubActions => !text.contains("${{"),
        Platform::GitlabCi => !text.contains('$'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secret_references() {
        let r: Vec<RefKind> = expr_refs("a ${{ secrets.AWS_KEY }} b ${{ toJSON(secrets) }} ${{ secrets['X'] }} ${{ vars.ROLE }}", Span::default())
            .into_iter()
            .map(|r| r.kind)
            .collect();
        assert_eq!(
            r,
            vec![
                RefKind::Secret("AWS_KEY".into()),
                RefKind::AllSecrets,
                RefKind::Secret("X".into()),
                RefKind::Var("ROLE".into())
            ]
        );
        let t: Vec<RefKind> = expr_refs(
            "${{ secrets.GITHUB_TOKEN }} ${{ secrets[format('{0}', x)] }}",
            Span::default(),
        )
        .into_iter()
        .map(|r| r.kind)
        .collect();
        assert_eq!(t, vec![RefKind::GithubToken, RefKind::AllSecrets]);
    }

    #[test]
    fn secrets_word_in_strings_and_names_is_not_the_context() {
        let r: Vec<RefKind> = expr_refs(
            "${{ hashFiles('secrets/**') }} ${{ inputs.use_secrets }} ${{ env.secrets_dir }} ${{ secrets['github_token'] }}",
            Span::default(),
        )
        .into_iter()
        .map(|r| r.kind)
        .collect();
        assert_eq!(r, vec![RefKind::GithubToken]);
    }

    #[test]
    fn gitlab_variables() {
        let r = gitlab_refs("aws sts $ROLE_ARN ${TOKEN} $$ESC", Span::default());
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].kind, RefKind::GitlabVar("ROLE_ARN".into()));
    }
}
