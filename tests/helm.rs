#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Helm charts read without helm: templates rendered with their chart's default values give
//! findings on the template lines, say which values they depend on, and a template that cannot
//! be read is one note, never a crash. Small charts are built at test time; the real charts of
//! the shared corpus are checked when it is present.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use nhiaudit::finding::{Confidence, Finding};
use nhiaudit::report::{Level, Report};
use nhiaudit::{ScanOptions, scan};

fn write(dir: &Path, name: &str, content: &str) {
    let p = dir.join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

fn run(dir: &Path) -> Report {
    scan(&ScanOptions {
        paths: vec![dir.to_path_buf()],
        ..ScanOptions::default()
    })
    .unwrap()
}

fn describe(r: &Report) -> String {
    let mut s = String::new();
    for f in &r.findings {
        s.push_str(&format!(
            "  {}:{} {} [{}] {}\n",
            f.location.path,
            f.location.start.line,
            f.rule,
            f.confidence.as_str(),
            f.message
        ));
    }
    for d in &r.diagnostics {
        s.push_str(&format!("  diag {}: {:?} {}\n", d.path, d.level, d.message));
    }
    s
}

/// The finding of `rule` at `file:line` (the path ends with `file`).
fn at<'a>(r: &'a Report, rule: &str, file: &str, line: u32) -> &'a Finding {
    r.findings
        .iter()
        .find(|f| {
            f.rule == rule && f.location.path.ends_with(file) && f.location.start.line == line
        })
        .unwrap_or_else(|| panic!("no {rule} at {file}:{line}; got:\n{}", describe(r)))
}

fn none_of(r: &Report, rule: &str) {
    assert!(
        !r.findings.iter().any(|f| f.rule == rule),
        "unexpected {rule}:\n{}",
        describe(r)
    );
}

const CHART: &str = "apiVersion: v2\nname: ops\nversion: 0.1.0\nappVersion: \"1.2.3\"\n";

const VALUES: &str = "\
rbac:
  create: false
serviceAccount:
  create: true
  name: ops-bot
  automount: true
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/ops
secretsAccess: list
podAnnotations:
  team: sre
  tier: ops
image:
  repository: registry.example.com/ops
";

const CLUSTERROLE: &str = r#"{{- if .Values.rbac.create }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ include "ops.fullname" . }}
  labels:
    {{- include "ops.labels" . | nindent 4 }}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "{{ .Values.secretsAccess }}"]
{{- end }}
"#;

const BINDING: &str = r#"{{- if .Values.rbac.create }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ include "ops.fullname" . }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ include "ops.fullname" . }}
subjects:
  - kind: ServiceAccount
    name: {{ .Values.serviceAccount.name }}
    namespace: {{ .Release.Namespace }}
{{- end }}
"#;

const SERVICEACCOUNT: &str = r#"{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Values.serviceAccount.name }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
{{- end }}
"#;

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "ops.fullname" . }}
  labels:
    {{- include "ops.labels" . | nindent 4 }}
spec:
  template:
    metadata:
      annotations:
        {{- toYaml .Values.podAnnotations | nindent 8 }}
    spec:
      serviceAccountName: {{ .Values.serviceAccount.name }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          env:
            - name: GITHUB_TOKEN
              value: "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
"#;

/// The `ops` chart: RBAC gated by `rbac.create` (false by default), a ServiceAccount whose
/// name, token automounting and IRSA role come from values, and a Deployment using it.
fn ops_chart() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("ops");
    write(&c, "Chart.yaml", CHART);
    write(&c, "values.yaml", VALUES);
    write(&c, "templates/clusterrole.yaml", CLUSTERROLE);
    write(&c, "templates/clusterrolebinding.yaml", BINDING);
    write(&c, "templates/serviceaccount.yaml", SERVICEACCOUNT);
    write(&c, "templates/deployment.yaml", DEPLOYMENT);
    write(
        &c,
        "templates/_helpers.tpl",
        "{{- define \"ops.fullname\" -}}\n{{ .Release.Name }}-ops\n{{- end }}\n",
    );
    write(
        &c,
        "templates/NOTES.txt",
        "Installed {{ .Release.Name }}.\n",
    );
    dir
}

#[test]
fn rbac_created_only_under_a_false_default_still_reports_and_says_so() {
    let dir = ops_chart();
    let r = run(dir.path());
    let f = at(&r, "k8s-rbac-secret-read", "templates/clusterrole.yaml", 10);
    assert!(
        f.message.ends_with("(holds only when rbac.create is true)"),
        "{}",
        f.message
    );
    // `list` came from values.yaml: every Secret, cluster-wide through the chart's binding.
    assert!(
        f.message
            .contains("list and read every Secret cluster-wide")
    );
    assert_eq!(
        f.confidence,
        Confidence::Medium,
        "one step below the rule's high"
    );
    assert_eq!(f.location.snippet[0].text, r#"    resources: ["secrets"]"#);
    assert!(r.diagnostics.is_empty(), "{}", describe(&r));
}

#[test]
fn identity_values_join_templates_and_decide_the_token() {
    let dir = ops_chart();
    let r = run(dir.path());
    // serviceAccountName, the ServiceAccount and the binding subject all read
    // serviceAccount.name; automountServiceAccountToken comes from values (true).
    let f = at(
        &r,
        "k8s-sa-token-automount",
        "templates/deployment.yaml",
        12,
    );
    assert!(
        f.message.contains("ServiceAccount ops-bot"),
        "{}",
        f.message
    );
    assert!(
        f.message.ends_with("(holds only when rbac.create is true)"),
        "the power comes from gated RBAC: {}",
        f.message
    );
    assert!(
        f.related
            .iter()
            .any(|rel| rel.location.path.ends_with("templates/clusterrole.yaml")),
        "{f:?}"
    );

    // With automounting off in values, the same chart is quiet about the token.
    let c = dir.path().join("ops");
    write(
        &c,
        "values.yaml",
        &VALUES.replace("automount: true", "automount: false"),
    );
    let r = run(dir.path());
    none_of(&r, "k8s-sa-token-automount");
}

#[test]
fn irsa_annotation_and_names_come_from_values_yaml() {
    let dir = ops_chart();
    let path = dir.path().join("ops/templates/serviceaccount.yaml");
    let file = nhiaudit::inputs::read_text(&path, "sa.yaml".into(), 1 << 20).unwrap();
    let mut facts = nhiaudit::model::Facts::default();
    let t = nhiaudit::inputs::helm::analyse(
        &path,
        &file,
        nhiaudit::source::FileId(0),
        1 << 20,
        &mut facts,
    )
    .unwrap();
    assert_eq!(t.objects, 1);
    let sa = &facts.k8s.service_accounts[0];
    assert_eq!(sa.meta.name, "ops-bot");
    assert_eq!(
        sa.meta.namespace.as_deref(),
        Some(nhiaudit::inputs::helm::RELEASE_NAMESPACE)
    );
    let (arn, span) = sa.meta.annotation("eks.amazonaws.com/role-arn").unwrap();
    assert_eq!(arn, "arn:aws:iam::111122223333:role/ops");
    // The value was written by the `toYaml` line: that is where the span points.
    assert_eq!(file.line_col(span.start).line, 8);
    assert_eq!(sa.automount.map(|(b, _)| b), Some(true));
    assert_eq!(file.line_col(sa.automount.unwrap().1.start).line, 10);
    assert_eq!(
        sa.meta.condition, None,
        "serviceAccount.create is true by default"
    );
}

#[test]
fn snippets_show_template_lines_and_secrets_stay_masked() {
    let dir = ops_chart();
    let r = run(dir.path());
    let f = at(
        &r,
        "k8s-hardcoded-credential",
        "templates/deployment.yaml",
        19,
    );
    let snippet = &f.location.snippet[0].text;
    assert!(snippet.starts_with("              value: \""), "{snippet}");
    assert!(!snippet.contains("aBcDeFgHiJkLmNoPqRsTuVwXyZ"), "{snippet}");
    // Snippets of findings on templated lines show the template, not the rendering.
    let f = at(
        &r,
        "k8s-sa-token-automount",
        "templates/deployment.yaml",
        12,
    );
    let ctx = f.context.as_ref().unwrap();
    assert!(
        ctx.snippet
            .iter()
            .any(|l| l.text.contains("{{ include \"ops.fullname\" . }}")),
        "{ctx:?}"
    );
    for f in &r.findings {
        for l in f
            .location
            .snippet
            .iter()
            .chain(f.context.iter().flat_map(|c| &c.snippet))
        {
            assert!(
                !l.text.contains("__helm_"),
                "placeholder leaked: {}",
                l.text
            );
        }
        assert!(!f.message.contains("__helm_"), "{}", f.message);
    }
}

#[test]
fn lines_after_expanded_values_and_multiline_actions_stay_put() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    write(
        &c,
        "Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    );
    write(
        &c,
        "values.yaml",
        "labels:\n  a: b\n  c: d\n  e: f\nextraRules:\n  - apiGroups: [\"\"]\n    resources: [\"pods/exec\"]\n    verbs: [\"create\"]\n",
    );
    write(
        &c,
        "templates/role.yaml",
        r#"{{- /*
  A comment over
  three lines.
*/ -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: c
  namespace: kube-system
  labels:
    {{- toYaml .Values.labels | nindent 4 }}
{{- if or
      .Values.a
      .Values.b }}
  annotations: {}
{{- end }}
rules:
  {{- toYaml .Values.extraRules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: d
  namespace: kube-system
rules:
  - apiGroups: [""]
    resources: ["pods/exec"]
    verbs: ["create"]
"#,
    );
    let r = run(dir.path());
    // values' rules are reported on the line that writes them
    at(&r, "k8s-rbac-pod-exec", "templates/role.yaml", 18);
    // and everything after keeps its template line
    let f = at(&r, "k8s-rbac-pod-exec", "templates/role.yaml", 27);
    assert_eq!(f.location.start.col, 17);
    assert!(r.diagnostics.is_empty(), "{}", describe(&r));
}

#[test]
fn an_unreadable_template_is_one_note_and_the_chart_is_still_read() {
    let dir = ops_chart();
    let c = dir.path().join("ops");
    write(
        &c,
        "templates/broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.x\n",
    );
    write(
        &c,
        "templates/unbalanced.yaml",
        "{{- if .Values.a }}\napiVersion: v1\nkind: ConfigMap\n",
    );
    write(
        &c,
        "templates/notyaml.yaml",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n",
    );
    let r = run(dir.path());
    let notes: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("Helm template not read"))
        .collect();
    assert_eq!(notes.len(), 3, "{}", describe(&r));
    assert!(notes.iter().all(|d| d.level == Level::Note));
    let of = |file: &str| {
        notes
            .iter()
            .find(|d| d.path.ends_with(file))
            .unwrap_or_else(|| panic!("no note for {file}:\n{}", describe(&r)))
    };
    assert!(
        of("broken.yaml")
            .message
            .contains("unterminated `{{` action at line 4")
    );
    assert!(
        of("unbalanced.yaml")
            .message
            .contains("`{{ if }}` opened at line 1 is never closed")
    );
    let n = of("notyaml.yaml");
    assert!(n.message.contains("is not YAML"), "{}", n.message);
    assert!(n.line.is_some());
    assert_eq!(r.counts.files_failed, 0, "notes, not parse errors");
    // The rest of the chart is read as before.
    at(&r, "k8s-rbac-secret-read", "templates/clusterrole.yaml", 10);
}

#[test]
fn partials_helpers_and_notes_are_not_manifests() {
    let dir = ops_chart();
    let c = dir.path().join("ops");
    write(
        &c,
        "templates/_pod.yaml",
        "{{- define \"ops.pod\" -}}\nspec:\n  containers: {{ .x }\n{{- end }}\n",
    );
    let r = run(dir.path());
    assert!(r.diagnostics.is_empty(), "{}", describe(&r));
    assert!(
        !r.findings
            .iter()
            .any(|f| f.location.path.ends_with("_pod.yaml")
                || f.location.path.ends_with("_helpers.tpl")
                || f.location.path.ends_with("NOTES.txt"))
    );
}

#[test]
fn inline_ignores_apply_to_template_lines() {
    let dir = ops_chart();
    let c = dir.path().join("ops");
    write(
        &c,
        "templates/clusterrole.yaml",
        &CLUSTERROLE.replace(
            "    resources: [\"secrets\"]\n",
            "    # nhiaudit: ignore[k8s-rbac-secret-read] the operator syncs every Secret\n    resources: [\"secrets\"]\n",
        ),
    );
    let r = run(dir.path());
    let f = at(&r, "k8s-rbac-secret-read", "templates/clusterrole.yaml", 11);
    let s = f.suppression.as_ref().expect("suppressed");
    assert_eq!(s.justification, "the operator syncs every Secret");
}

#[test]
fn templates_outside_a_chart_keep_the_skip_note() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "templates/x.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}-x\n",
    );
    let r = run(dir.path());
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.level == Level::Note && d.message.contains("not plain YAML")),
        "{}",
        describe(&r)
    );
}

// ------------------------------------------------------------------------------------------
// The real charts of the shared corpus

fn corpus() -> Option<PathBuf> {
    let p = std::env::var_os("NHIAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if p.join("helm-charts").is_dir() {
        Some(p)
    } else {
        eprintln!("note: {} missing; real-chart checks skipped", p.display());
        None
    }
}

/// Scan a chart; it must read with no diagnostic at all.
fn chart(rel: &str) -> Option<Report> {
    let r = run(&corpus()?.join(rel));
    assert!(r.diagnostics.is_empty(), "{rel}:\n{}", describe(&r));
    assert_eq!(r.counts.files_failed, 0);
    Some(r)
}

#[test]
fn reloader_reads_secrets_cluster_wide_and_patches_deployments() {
    let Some(r) = chart("helm-charts/reloader") else {
        return;
    };
    let f = at(&r, "k8s-rbac-secret-read", "templates/clusterrole.yaml", 25);
    assert!(f.message.contains("cluster-wide"), "{}", f.message);
    let f = at(&r, "k8s-rbac-pod-create", "templates/clusterrole.yaml", 71);
    assert!(f.message.contains("deployments"), "{}", f.message);
    at(&r, "k8s-rbac-pod-create", "templates/clusterrole.yaml", 92);
    let f = at(
        &r,
        "k8s-sa-token-automount",
        "templates/deployment.yaml",
        46,
    );
    assert!(f.message.contains("CRED_EXPOSURE"), "{}", f.message);
    // env entries from a range over an empty default map exist only when it is set
    let f = at(&r, "k8s-secret-env-var", "templates/deployment.yaml", 130);
    assert!(
        f.message
            .contains("holds only when reloader.deployment.env.secret is set"),
        "{}",
        f.message
    );
}

#[test]
fn botkube_has_a_broad_cluster_role_that_impersonates() {
    let Some(r) = chart("helm-charts/botkube") else {
        return;
    };
    at(&r, "k8s-rbac-secret-read", "templates/clusterrole.yaml", 22);
    let f = at(
        &r,
        "k8s-rbac-escalate-bind-impersonate",
        "templates/clusterrole.yaml",
        29,
    );
    assert!(f.message.contains("impersonate"), "{}", f.message);
    // rbac.groups from values.yaml, rendered by a range over the groups
    let f = at(&r, "k8s-rbac-wildcard", "templates/rbac-groups.yaml", 20);
    assert!(
        f.message.contains("botkube-plugins-default"),
        "{}",
        f.message
    );
    // the Deployment opts out of automounting (it projects its own token)
    none_of(&r, "k8s-sa-token-automount");
}

#[test]
fn descheduler_evicts_pods_and_reads_nodes() {
    let Some(r) = chart("helm-charts/descheduler") else {
        return;
    };
    let f = at(&r, "k8s-sa-token-automount", "templates/cronjob.yaml", 66);
    assert!(f.message.contains("OPERATE, OBSERVE"), "{}", f.message);
    assert!(
        !f.message.contains("holds only when"),
        "kind is CronJob by default"
    );
    assert!(
        f.related.iter().any(
            |rel| rel.location.path.ends_with("templates/clusterrole.yaml")
                && rel.location.start.line == 21
        ),
        "the pods/eviction rule: {f:?}"
    );
    let f = at(
        &r,
        "k8s-sa-token-automount",
        "templates/deployment.yaml",
        36,
    );
    assert!(
        f.message
            .ends_with("(holds only when kind is \"Deployment\")"),
        "{}",
        f.message
    );
    assert_eq!(f.confidence, Confidence::Medium);
}

#[test]
fn kubernetes_goat_charts() {
    let Some(r) = chart("kubernetes-goat/infrastructure/helm-tiller/pwnchart") else {
        return;
    };
    // `namespace: {{ .Values.namespace }}` and `name: {{ .Values.name }}` are `default`
    at(
        &r,
        "k8s-cluster-admin-binding",
        "templates/clusterrolebinding.yaml",
        8,
    );
    let f = at(
        &r,
        "k8s-default-sa-bound",
        "templates/clusterrolebinding.yaml",
        10,
    );
    assert!(
        f.message.contains("`default` ServiceAccount of default"),
        "{}",
        f.message
    );
    let Some(r) = chart("kubernetes-goat/scenarios/metadata-db") else {
        return;
    };
    at(
        &r,
        "k8s-default-sa-token-automount",
        "templates/deployment.yaml",
        21,
    );
    at(
        &r,
        "k8s-default-sa-token-automount",
        "templates/tests/test-connection.yaml",
        12,
    );
}

#[test]
fn corpus_charts_sarif_passes_the_validator() {
    let Some(corpus) = corpus() else {
        return;
    };
    let validator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/validate-sarif");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("helm.sarif");
    let status = Command::new(env!("CARGO_BIN_EXE_nhiaudit"))
        .current_dir(&corpus)
        .args(["scan", "--format", "sarif", "-o"])
        .arg(&file)
        .arg("helm-charts")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "findings at or above low");
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|x| {
        x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("reloader/templates/clusterrole.yaml"))
    }));
    if !validator.is_file() || Command::new("python3").arg("--version").output().is_err() {
        eprintln!("note: validate-sarif or python3 missing; SARIF validation skipped");
        return;
    }
    let v = Command::new(&validator).arg(&file).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    match v.status.code() {
        Some(0) => assert!(!text.contains("WARNING"), "{text}"),
        Some(2) => eprintln!("note: validate-sarif could not set itself up; skipped:\n{text}"),
        _ => panic!("validate-sarif rejected the SARIF:\n{text}"),
    }
}
