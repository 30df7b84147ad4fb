//! nhiaudit: a static auditor for the configurations that give automation its identity.
//!
//! [`scan`] is the whole pipeline, top to bottom: discover files, then for each unit of work
//! (a Terraform module or a single file) in parallel: read, parse, extract model facts, run
//! the rules; then sort and fingerprint the findings into a [`report::Report`].

pub mod cli;
pub mod config;
pub mod discover;
pub mod finding;
pub mod graph;
pub mod graph_cloud;
pub mod index;
pub mod inputs;
pub mod inventory;
pub mod model;
pub mod output;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;

use std::path::PathBuf;

use rayon::prelude::*;

use discover::{Candidate, Discovered, Unit};
use finding::Finding;
use inputs::terraform::{self, eval::FileAccess};
use inputs::{github_actions, gitlab_ci, iam_json, kubernetes, read_text};
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
    /// The configuration file's ignores, severity overrides and excluded paths.
    pub config: config::Loaded,
    /// Audit mode: inline `nhiaudit: ignore` comments do not apply.
    pub no_inline_ignores: bool,
    /// Findings accepted earlier, with the file's path for messages.
    pub baseline: Option<(suppress::Baseline, String)>,
    /// Also build the NHI inventory (`Report::inventory`).
    pub inventory: bool,
    /// The caller ends the process once it has used the report (the command line): what only
    /// the scan needed (every kept file, fact and the graph) is left for the process's end
    /// to reclaim, instead of being freed while the report is written.
    pub exit_after: bool,
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
            config: config::Loaded::default(),
            no_inline_ignores: false,
            baseline: None,
            inventory: false,
            exit_after: false,
        }
    }
}

impl ScanOptions {
    fn rule_enabled(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s == id))
            && !self.ignore.iter().any(|s| s == id)
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
    /// Facts that global rules join across files, with the sources their spans point into.
    global: Option<GlobalPart>,
    /// Suppression comments found in the unit's files.
    inline: Vec<suppress::InlineIgnore>,
}

/// The part of a unit's facts kept for the global phase.
struct GlobalPart {
    /// Kept only for units with Kubernetes or pipeline facts (their spans point here).
    sources: Sources,
    k8s: model::rbac::K8sFacts,
    pipelines: model::pipeline::PipelineFacts,
    secrets: Vec<model::credentials::SecretLiteral>,
    /// Cloud identities, summarised with resolved sites: their files need not be kept.
    identities: Vec<model::identity::CloudIdentity>,
}

/// Could this YAML be a CI pipeline? (cheap, before parsing)
fn pipeline_sniff(text: &str, file_name: &str) -> bool {
    file_name.starts_with(".gitlab-ci")
        || text.contains("jobs:")
        || text.contains("runs:")
        || text.contains("script:")
}

impl UnitOutput {
    /// Run the unit's rules, and keep what the global rules need.
    fn finish(&mut self, mut facts: Facts, sources: Sources, opts: &ScanOptions) {
        self.findings = check(&facts, &sources, None, None, opts, false);
        let secret_spans: Vec<Span> = facts.secrets.iter().map(|s| s.span).collect();
        let identities = graph::cloud_identities(&facts, &sources, &secret_spans);
        let joined = !facts.k8s.is_empty() || !facts.pipelines.is_empty();
        facts.k8s.work_out_classes();
        // What is kept until the global phase is kept at its size, not its capacity.
        self.findings.shrink_to_fit();
        facts.k8s.shrink_to_fit();
        facts.pipelines.pipelines.shrink_to_fit();
        facts.secrets.shrink_to_fit();
        if joined || !identities.is_empty() {
            self.global = Some(GlobalPart {
                sources: if joined { sources } else { Sources::default() },
                k8s: std::mem::take(&mut facts.k8s),
                pipelines: std::mem::take(&mut facts.pipelines),
                secrets: if joined {
                    std::mem::take(&mut facts.secrets)
                } else {
                    Vec::new()
                },
                identities,
            });
        }
    }
}

/// Run a scan.
pub fn scan(opts: &ScanOptions) -> Result<Report, ScanError> {
    for id in opts.select.iter().chain(&opts.ignore) {
        if rules::meta(id).is_none() {
            return Err(ScanError::UnknownRule(id.clone()));
        }
    }
    let excludes = exclude_set(opts);
    let pool = thread_pool(opts)?;
    let start = std::time::Instant::now();
    // Discovery checks every file found (a system call or two each) on the scan's threads.
    let discovery = pool.install(|| discover::discover(&opts.paths, opts.max_file_size, &excludes));
    let walked = start.elapsed();
    let mut report = scan_in(&pool, discovery, opts)?;
    report.timings.insert(0, ("discover", walked));
    Ok(report)
}

/// The scan after discovery, on the files found then: a file may have changed or gone since
/// (a seam for the tests that do that, as a concurrent writer could).
pub fn scan_discovered(
    discovery: discover::Discovery,
    opts: &ScanOptions,
) -> Result<Report, ScanError> {
    scan_in(&thread_pool(opts)?, discovery, opts)
}

fn thread_pool(opts: &ScanOptions) -> Result<rayon::ThreadPool, ScanError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .stack_size(8 << 20)
        .build()
        .map_err(|e| ScanError::Threads(e.to_string()))
}

fn scan_in(
    pool: &rayon::ThreadPool,
    discovery: discover::Discovery,
    opts: &ScanOptions,
) -> Result<Report, ScanError> {
    if discovery.roots.is_empty() {
        let why = discovery
            .diagnostics
            .first()
            .map(|d| format!("{}: {}", d.path, d.message))
            .unwrap_or_else(|| "no paths".into());
        return Err(ScanError::NothingScanned(why));
    }
    let mut clock = std::time::Instant::now();
    let mut timings = Vec::new();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let mut outputs: Vec<UnitOutput> = pool.install(|| {
        discovery
            .units
            .par_iter()
            .map(|u| analyse(u, discovery.cwd.as_deref(), opts))
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
    lap("files (read, parse, extract, per-file rules)");
    let (global_findings, inventory) = pool.install(|| global_phase(&mut outputs, opts));
    lap("graph (merge, index, graph, cross-file rules)");
    report.findings.extend(global_findings);
    let mut inline = Vec::new();
    for o in outputs {
        inline.extend(o.inline);
        report.findings.extend(o.findings);
        report.diagnostics.extend(o.diagnostics);
        report.counts.files_scanned += o.scanned;
        report.counts.files_failed += o.failed;
        report.counts.files_skipped += o.skipped;
        report.counts.bytes_scanned += o.bytes;
    }
    // A module's comments come with each configuration that calls it, and with its own scan.
    inline.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    inline.dedup();
    for f in &mut report.findings {
        if let Some(sev) = opts
            .config
            .config
            .rules
            .severity
            .get(f.rule)
            .and_then(|s| finding::Severity::parse(s))
        {
            f.severity = sev;
        }
    }
    finding::finalise(&mut report.findings);
    let suppressors = suppress::Suppressors {
        inline,
        use_inline: !opts.no_inline_ignores,
        config: &opts.config.config.ignores,
        config_dir: opts.config.dir.as_deref(),
        config_display: opts
            .config
            .path
            .as_deref()
            .map(|p| discover::display_of(p, std::env::current_dir().ok().as_deref()))
            .unwrap_or_default(),
        baseline: opts.baseline.as_ref().map(|(b, p)| (b, p.clone())),
        enabled: rules::all()
            .map(|r| r.id())
            .filter(|id| opts.rule_enabled(id))
            .collect(),
        today: config::today(),
    };
    report
        .diagnostics
        .extend(suppress::apply(&mut report.findings, &suppressors));
    report
        .diagnostics
        .sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
    report.diagnostics.dedup();
    report.tally();
    if opts.inventory {
        let mut inv = inventory.unwrap_or_else(|| inventory::Inventory {
            schema_version: inventory::SCHEMA_VERSION,
            identities: Vec::new(),
        });
        inv.attribute(&report.findings);
        report.inventory = Some(inv);
    }
    lap("findings (severity, order, suppressions)");
    report.timings = timings;
    Ok(report)
}

/// Merge the facts that span files into one source table (in unit order, so the result is
/// the same whatever the thread count), build the index, and run the global rules once.
fn global_phase(
    outputs: &mut [UnitOutput],
    opts: &ScanOptions,
) -> (Vec<Finding>, Option<inventory::Inventory>) {
    let mut sources = Sources::default();
    let mut facts = Facts::default();
    let mut identities = Vec::new();
    // Sized once: the merged vectors are large, and growing them step by step copies (and
    // page-faults) every fact again.
    let parts = || outputs.iter().filter_map(|o| o.global.as_ref());
    let total = |f: fn(&GlobalPart) -> usize| parts().map(f).sum::<usize>();
    sources.reserve(total(|p| p.sources.len()));
    facts.k8s.roles.reserve(total(|p| p.k8s.roles.len()));
    facts.k8s.bindings.reserve(total(|p| p.k8s.bindings.len()));
    facts
        .k8s
        .service_accounts
        .reserve(total(|p| p.k8s.service_accounts.len()));
    facts.k8s.secrets.reserve(total(|p| p.k8s.secrets.len()));
    facts
        .k8s
        .workloads
        .reserve(total(|p| p.k8s.workloads.len()));
    facts
        .pipelines
        .pipelines
        .reserve(total(|p| p.pipelines.pipelines.len()));
    facts.secrets.reserve(total(|p| p.secrets.len()));
    identities.reserve(total(|p| p.identities.len()));
    // Each unit's files follow those of the units before it: its facts' file ids move by that
    // many, in parallel (every span of every fact is visited), before the facts are moved.
    let mut offsets = Vec::with_capacity(outputs.len());
    let mut next = 0usize;
    for o in outputs.iter() {
        offsets.push(u32::try_from(next).unwrap_or(u32::MAX));
        next += o.global.as_ref().map_or(0, |p| p.sources.len());
    }
    outputs
        .par_iter_mut()
        .zip(offsets.par_iter())
        .for_each(|(o, &offset)| {
            if let Some(part) = o.global.as_mut() {
                part.k8s.shift_files(offset);
                part.pipelines.shift_files(offset);
                for s in &mut part.secrets {
                    s.span.file = source::FileId(s.span.file.0 + offset);
                }
            }
        });
    for o in outputs.iter_mut() {
        let Some(part) = o.global.take() else {
            continue;
        };
        for f in part.sources.into_files() {
            sources.add(f);
        }
        facts.k8s.extend(part.k8s);
        facts.pipelines.pipelines.extend(part.pipelines.pipelines);
        facts.secrets.extend(part.secrets);
        identities.extend(part.identities);
    }
    if sources.is_empty() && identities.is_empty() {
        return (Vec::new(), None);
    }
    graph::assign_release_namespaces(&mut facts.k8s, &facts.pipelines, &sources);
    let rbac = index::RbacIndex::new(&facts.k8s);
    let graph = graph::Graph::build(identities, &facts.k8s, &facts.pipelines)
        .with_functions(&opts.config.config.functions);
    let findings = check(&facts, &sources, Some(&rbac), Some(&graph), opts, true);
    let inv = opts
        .inventory
        .then(|| inventory::build(&facts, &sources, &rbac, &graph));
    drop(rbac);
    // Freeing every kept file and fact takes a while in a big repository (tens of
    // milliseconds of a core that writing the report can use). A process about to end skips
    // it; otherwise a worker does it while the caller goes on sorting the findings.
    if opts.exit_after {
        std::mem::forget((sources, facts, graph));
    } else {
        rayon::spawn(move || drop((sources, facts, graph)));
    }
    (findings, inv)
}

fn analyse(unit: &Unit, cwd: Option<&std::path::Path>, opts: &ScanOptions) -> UnitOutput {
    match unit {
        Unit::Terraform { module, root } => {
            let access = FileAccess {
                root: root.clone(),
                max_size: opts.max_file_size,
                cwd: cwd.map(std::path::Path::to_path_buf),
            };
            let m = terraform::analyse(module, &access, &opts.own_accounts);
            let mut out = UnitOutput {
                diagnostics: m.diagnostics,
                scanned: m.files_scanned,
                failed: m.files_failed,
                skipped: m.files_skipped,
                bytes: m.bytes,
                inline: m.inline,
                ..UnitOutput::default()
            };
            out.finish(m.facts, m.sources, opts);
            terraform::modules::annotate(&mut out.findings, &m.calls);
            out
        }
        Unit::File(d) => analyse_file(d, opts),
    }
}

fn analyse_file(d: &Discovered, opts: &ScanOptions) -> UnitOutput {
    match read_text(&d.path, d.display.clone(), opts.max_file_size) {
        Ok(file) => analyse_source(d.kind, &d.path, file, opts),
        Err(e) => {
            let skipped = matches!(e, inputs::ReadError::TooLarge(_));
            UnitOutput {
                failed: usize::from(!skipped),
                skipped: usize::from(skipped),
                diagnostics: vec![e.diagnostic(&d.display)],
                ..UnitOutput::default()
            }
        }
    }
}

/// Parse, extract and check one JSON or YAML file whose text is read.
fn analyse_source(
    kind: Candidate,
    path: &std::path::Path,
    file: source::SourceFile,
    opts: &ScanOptions,
) -> UnitOutput {
    let mut out = UnitOutput::default();
    let display = file.display.clone();
    let bytes = file.text.len() as u64;
    let mut sources = Sources::default();
    let id = sources.add(file);
    let text = sources.get(id).map(|f| f.text.as_str()).unwrap_or("");
    let mut facts = Facts {
        own_accounts: opts.own_accounts.clone(),
        ..Facts::default()
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let json = |text: &str| yaml::parse_json(text, id, 0, Budget::default());
    let parsed = match kind {
        // `terraform show -json` plans hold IAM policies too: read them as Terraform.
        Candidate::Json if terraform::plan::sniff(text) => {
            json(text).map(|root| terraform::plan::extract(root, &mut sources, &mut facts))
        }
        Candidate::Json if iam_json::sniff(text) => json(text).map(|root| {
            iam_json::extract(&root, &display, &mut facts)
                || kubernetes::extract(std::slice::from_ref(&root), &mut facts) > 0
        }),
        Candidate::Json if kubernetes::sniff(text) => {
            json(text).map(|root| kubernetes::extract(std::slice::from_ref(&root), &mut facts) > 0)
        }
        Candidate::Yaml if kubernetes::is_kustomize(&name) => Ok(false),
        // A chart's templates are rendered with its default values and read as manifests.
        Candidate::Yaml if inputs::helm::template_chart(path).is_some() => {
            let file = sources.get(id);
            match file.map(|f| inputs::helm::analyse(path, f, id, opts.max_file_size, &mut facts)) {
                Some(Ok(t)) => {
                    out.inline = t.inline;
                    Ok(t.objects > 0)
                }
                Some(Err(note)) => {
                    out.diagnostics.push(note);
                    Ok(false)
                }
                None => Ok(false),
            }
        }
        Candidate::Yaml if kubernetes::sniff(text) || pipeline_sniff(text, &name) => {
            match yaml::parse_stream(text, id, 0, Budget::default()) {
                Ok(docs) => {
                    let roots: Vec<parse::doc::Node> = docs.into_iter().map(|d| d.root).collect();
                    if let Some(file) = sources.get(id)
                        && file.text.contains("nhiaudit:")
                    {
                        out.inline = suppress::scan(file, &suppress::yaml_blocks(&roots));
                    }
                    let mut any = false;
                    for root in &roots {
                        let pipeline = if github_actions::is_workflow(root)
                            || github_actions::is_action(root)
                        {
                            github_actions::extract(root, &display)
                        } else if gitlab_ci::is_gitlab(root, &name) {
                            gitlab_ci::extract(root, &display)
                        } else {
                            None
                        };
                        if let Some(p) = pipeline {
                            facts.secrets.extend(rules::ci::literal_credentials(&p));
                            facts.pipelines.pipelines.push(p);
                            any = true;
                        }
                    }
                    Ok(kubernetes::extract(&roots, &mut facts) > 0 || any)
                }
                // Go templates are not YAML: say once per chart that rendered manifests can
                // be scanned instead; never report them as parse errors.
                Err(_) if kubernetes::is_helm_template(text) => {
                    let chart = kubernetes::chart_root(path)
                        .map(|c| discover::display_of(c, None))
                        .unwrap_or_default();
                    out.diagnostics.push(
                        Diagnostic::error(
                            chart,
                            "Helm chart templates are not plain YAML and were skipped; scan the rendered manifests instead (helm template <chart> > rendered.yaml)",
                        )
                        .level(report::Level::Note),
                    );
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        }
        _ => Ok(false),
    };
    match parsed {
        Ok(true) => {}
        Ok(false) => {
            out.skipped = 1;
            return out;
        }
        Err(e) => {
            out.failed = 1;
            out.diagnostics
                .push(terraform::parse_diagnostic(&display, &e));
            return out;
        }
    }
    out.scanned = 1;
    out.bytes = bytes;
    out.finish(facts, sources, opts);
    out
}

/// Run the enabled rules of one phase (per unit, or global) and resolve their hits.
fn check(
    facts: &Facts,
    sources: &Sources,
    rbac: Option<&index::RbacIndex>,
    graph: Option<&graph::Graph>,
    opts: &ScanOptions,
    global: bool,
) -> Vec<Finding> {
    let cx = Cx {
        facts,
        sources,
        rbac,
        graph,
    };
    let enabled = rules::all().filter(|r| r.global() == global && opts.rule_enabled(r.id()));
    let secret_spans: Vec<Span> = facts.secrets.iter().map(|s| s.span).collect();
    let resolve = |h: finding::Hit| {
        let m = rules::meta(h.rule)?;
        let h = finding::documentation_example(h, sources);
        finding::resolve(h, m.severity, m.confidence, sources, &secret_spans)
    };
    if global {
        // The global phase runs once over the whole scan: spread its rules and the resolution
        // of their hits over the pool (rules only append hits, so concatenating each rule's
        // hits in registry order gives what the sequential loop gives).
        let per_rule: Vec<Vec<finding::Hit>> = enabled
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|rule| {
                let mut hits = Vec::new();
                rule.check(&cx, &mut hits);
                hits
            })
            .collect();
        return per_rule
            .into_par_iter()
            .flatten()
            .filter_map(resolve)
            .collect();
    }
    let mut hits = Vec::new();
    for rule in enabled {
        rule.check(&cx, &mut hits);
    }
    hits.into_iter().filter_map(resolve).collect()
}

/// `[paths] exclude` globs of the configuration, matched against paths relative to the
/// configuration file's directory and as displayed.
fn exclude_set(opts: &ScanOptions) -> discover::Excludes {
    let mut b = globset::GlobSetBuilder::new();
    for g in &opts.config.config.paths.exclude {
        if let Ok(glob) = globset::Glob::new(g) {
            b.add(glob);
        }
    }
    discover::Excludes {
        set: b.build().unwrap_or_else(|_| globset::GlobSet::empty()),
        base: opts.config.dir.clone(),
    }
}

/// Scan one file held in memory, as if found at `name` (for fuzzing and for embedding):
/// the per-file pipeline and the global rules, findings sorted and fingerprinted.
pub fn scan_bytes(name: &str, bytes: &[u8]) -> (Vec<Finding>, Vec<Diagnostic>) {
    let opts = ScanOptions::default();
    let path = std::path::Path::new(name);
    let file = inputs::decode(bytes.to_vec())
        .map(|text| source::SourceFile::new(name.to_owned(), path.to_path_buf(), text))
        .map_err(|e| e.diagnostic(name));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut outputs = vec![match discover::classify(&file_name) {
        Some(Candidate::Terraform | Candidate::TerraformJson | Candidate::TfVars) => {
            let access = FileAccess {
                root: std::path::PathBuf::from("/nonexistent-root-for-in-memory-scans"),
                max_size: opts.max_file_size,
                cwd: None,
            };
            let m = terraform::analyse_files(
                std::path::PathBuf::from("."),
                vec![file],
                Vec::new(),
                &access,
                &[],
            );
            let mut out = UnitOutput {
                diagnostics: m.diagnostics,
                scanned: m.files_scanned,
                failed: m.files_failed,
                skipped: m.files_skipped,
                bytes: m.bytes,
                inline: m.inline,
                ..UnitOutput::default()
            };
            out.finish(m.facts, m.sources, &opts);
            terraform::modules::annotate(&mut out.findings, &m.calls);
            out
        }
        Some(kind) => match file {
            Ok(f) => analyse_source(kind, path, f, &opts),
            Err(d) => UnitOutput {
                failed: 1,
                diagnostics: vec![d],
                ..UnitOutput::default()
            },
        },
        None => UnitOutput::default(),
    }];
    let (mut findings, _) = global_phase(&mut outputs, &opts);
    let out = outputs.pop().unwrap_or_default();
    findings.extend(out.findings);
    finding::finalise(&mut findings);
    (findings, out.diagnostics)
}
