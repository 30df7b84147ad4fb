//! Finding the files to scan: walk directories (respecting `.gitignore`, skipping `.git`,
//! `.terraform` and `node_modules`, never following a symlink out of the scanned root), take
//! explicitly named files as given, classify each path by name, and group Terraform files
//! into modules. Classification by content happens later, when the file is read anyway.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::inputs::terraform::ModuleFiles;
use crate::report::{Diagnostic, Level};

/// What a path's name says it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Candidate {
    Terraform,
    TerraformJson,
    TfVars,
    /// Any `.json`: an IAM policy, a Kubernetes manifest, or nothing of ours.
    Json,
    /// Any `.yml` / `.yaml`: Kubernetes, a workflow, GitLab CI, or nothing of ours.
    Yaml,
}

#[derive(Clone, Debug)]
pub struct Discovered {
    pub path: PathBuf,
    /// Path as reported: relative to the current directory when possible, forward slashes.
    pub display: String,
    pub kind: Candidate,
    /// Canonical root it was found under (nothing outside it is read on its behalf).
    pub root: PathBuf,
}

/// One unit of parallel work.
#[derive(Clone, Debug)]
pub enum Unit {
    Terraform { module: ModuleFiles, root: PathBuf },
    File(Discovered),
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub units: Vec<Unit>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files seen that nhiaudit does not read.
    pub skipped: usize,
    /// Display forms of the roots scanned.
    pub roots: Vec<String>,
    /// The canonical current directory the scan's paths are shown relative to.
    pub cwd: Option<PathBuf>,
}

const SKIP_DIRS: &[&str] = &[".git", ".terraform", "node_modules", ".terragrunt-cache"];

pub fn classify(name: &str) -> Option<Candidate> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf") {
        Some(Candidate::Terraform)
    } else if lower.ends_with(".tf.json") {
        Some(Candidate::TerraformJson)
    } else if lower == "terraform.tfvars"
        || lower.ends_with(".auto.tfvars")
        || lower == "terraform.tfvars.json"
        || lower.ends_with(".auto.tfvars.json")
    {
        Some(Candidate::TfVars)
    } else if lower.ends_with(".json") {
        Some(Candidate::Json)
    } else if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        Some(Candidate::Yaml)
    } else {
        None
    }
}

/// Paths the configuration excludes from every scan.
#[derive(Debug, Default)]
pub struct Excludes {
    pub set: globset::GlobSet,
    /// Globs are relative to this directory (the configuration file's).
    pub base: Option<PathBuf>,
}

impl Excludes {
    fn excluded(&self, path: &Path, display: &str) -> bool {
        if self.set.is_empty() {
            return false;
        }
        if self.set.is_match(display) {
            return true;
        }
        let Some(base) = &self.base else { return false };
        let abs = path.canonicalize().ok();
        abs.as_deref()
            .and_then(|a| a.strip_prefix(base).ok())
            .is_some_and(|rel| self.set.is_match(rel))
    }
}

/// Walk the given paths. Files over `max_size` are reported and skipped without being read
/// (symlink targets and named files here, walked files when `inputs::read_text` opens them).
pub fn discover(paths: &[PathBuf], max_size: u64, excludes: &Excludes) -> Discovery {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| c.canonicalize().ok());
    let mut found: Vec<Discovered> = Vec::new();
    let mut out = Discovery {
        cwd: cwd.clone(),
        ..Discovery::default()
    };
    for p in paths {
        let Ok(canon) = p.canonicalize() else {
            out.diagnostics.push(Diagnostic::error(
                display_of(p, cwd.as_deref()),
                "path does not exist or cannot be read",
            ));
            continue;
        };
        out.roots.push(display_of(p, cwd.as_deref()));
        let meta = match std::fs::metadata(&canon) {
            Ok(m) => m,
            Err(e) => {
                out.diagnostics.push(Diagnostic::error(
                    display_of(p, cwd.as_deref()),
                    format!("cannot read: {}", e.kind()),
                ));
                continue;
            }
        };
        if meta.is_file() {
            // Named explicitly (a pre-commit hook passes files): taken as given. What it may
            // read on its behalf (`file()`, local modules in `../modules`) is bounded by the
            // current directory (the repository, for a hook) when the file is under it, else
            // by its own directory.
            let root = cwd
                .as_ref()
                .filter(|c| canon.starts_with(c))
                .cloned()
                .unwrap_or_else(|| {
                    canon
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| canon.clone())
                });
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match classify(&name) {
                Some(kind) => {
                    if meta.len() > max_size {
                        out.diagnostics
                            .push(too_large(display_of(p, cwd.as_deref()), max_size));
                    } else {
                        found.push(Discovered {
                            path: p.clone(),
                            display: display_of(p, cwd.as_deref()),
                            kind,
                            root,
                        });
                    }
                }
                None => out.skipped += 1,
            }
            continue;
        }
        walk(p, &canon, cwd.as_deref(), max_size, &mut found, &mut out);
    }
    found.retain(|d| !excludes.excluded(&d.path, &d.display));
    found.sort_by(|a, b| (&a.display, &a.path).cmp(&(&b.display, &b.path)));
    // A file named twice (by itself and inside a named directory) is scanned once; files whose
    // names only read the same once made lossy (non-UTF-8 bytes) are distinct.
    found.dedup_by(|a, b| {
        a.display == b.display && (!a.display.contains('\u{FFFD}') || a.path == b.path)
    });
    out.units = group(found, &mut out.skipped);
    // The walk reports in no particular order: sorted whole, so that it does not matter.
    out.diagnostics
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    out
}

fn too_large(display: String, max: u64) -> Diagnostic {
    Diagnostic::error(
        display,
        format!("file is larger than the {max}-byte limit (--max-file-size); skipped"),
    )
    .level(Level::Warning)
}

/// What one walked entry turned out to be.
enum Step {
    Skip,
    Report(Diagnostic),
    Found(Discovered),
}

fn walk(
    p: &Path,
    canon_root: &Path,
    cwd: Option<&Path>,
    max_size: u64,
    found: &mut Vec<Discovered>,
    out: &mut Discovery,
) {
    let mut wb = WalkBuilder::new(p);
    wb.hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .ignore(true)
        .parents(true)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir()) && SKIP_DIRS.contains(&name.as_ref()))
        });
    // Directories are read on the scan's threads; what each entry turns out to be (a
    // symlink's target costs system calls) is decided there too. The steps come back in no
    // particular order: discovery sorts what it found and reports, so the result is the same
    // whatever the thread count.
    wb.threads(rayon::current_num_threads().max(1));
    let steps: std::sync::Mutex<Vec<Step>> = std::sync::Mutex::new(Vec::new());
    wb.build_parallel().run(|| {
        let steps = &steps;
        Box::new(move |entry| {
            if let Some(step) = step_of(entry, canon_root, cwd, max_size) {
                // A poisoned lock only means another walker thread panicked: keep its steps.
                steps
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(step);
            }
            ignore::WalkState::Continue
        })
    });
    let steps = steps
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for s in steps {
        match s {
            Step::Found(d) => found.push(d),
            Step::Report(d) => out.diagnostics.push(d),
            Step::Skip => out.skipped += 1,
        }
    }
}

/// What one walked entry contributes: nothing (a directory), a skipped file, a file to scan
/// or a diagnostic.
fn step_of(
    entry: Result<ignore::DirEntry, ignore::Error>,
    canon_root: &Path,
    cwd: Option<&Path>,
    max_size: u64,
) -> Option<Step> {
    let entry = match entry {
        Ok(e) => e,
        Err(err) => {
            let (path, msg) = walk_error(&err);
            return Some(Step::Report(
                Diagnostic::error(path.map(|p| display_of(&p, cwd)).unwrap_or_default(), msg)
                    .level(Level::Warning),
            ));
        }
    };
    let ft = entry.file_type()?;
    if ft.is_dir() {
        return None;
    }
    let Some(kind) = classify(&entry.file_name().to_string_lossy()) else {
        return Some(Step::Skip);
    };
    Some(check(
        entry.into_path(),
        kind,
        ft.is_symlink(),
        ft.is_file(),
        canon_root,
        cwd,
        max_size,
    ))
}

/// What a walked file turns out to be: to scan, skipped, or reported.
fn check(
    path: PathBuf,
    kind: Candidate,
    symlink: bool,
    regular: bool,
    canon_root: &Path,
    cwd: Option<&Path>,
    max_size: u64,
) -> Step {
    let display = display_of(&path, cwd);
    if symlink {
        // Follow a link to a file only when its target stays inside the scanned root.
        match path.canonicalize() {
            Ok(target) if target.starts_with(canon_root) => match std::fs::metadata(&target) {
                Ok(m) if m.is_file() && m.len() > max_size => {
                    return Step::Report(too_large(display, max_size));
                }
                Ok(m) if m.is_file() => {}
                Ok(_) => return Step::Skip,
                Err(e) => {
                    return Step::Report(
                        Diagnostic::error(
                            display,
                            format!("cannot read symlink target: {}", e.kind()),
                        )
                        .level(Level::Warning),
                    );
                }
            },
            Ok(_) => {
                return Step::Report(
                    Diagnostic::error(display, "symlink points outside the scanned tree; skipped")
                        .level(Level::Note),
                );
            }
            Err(e) => {
                return Step::Report(
                    Diagnostic::error(
                        display,
                        format!("broken or looping symlink ({}); skipped", e.kind()),
                    )
                    .level(Level::Warning),
                );
            }
        }
    } else if !regular {
        return Step::Report(
            Diagnostic::error(
                display,
                "not a regular file (FIFO, socket or device); skipped",
            )
            .level(Level::Note),
        );
    }
    // A regular file's size is checked when it is opened (`inputs::read_text` measures the
    // file it opened): one system call fewer per file than measuring it here too.
    Step::Found(Discovered {
        path,
        display,
        kind,
        root: canon_root.to_path_buf(),
    })
}

fn walk_error(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), walk_error(err).1),
        ignore::Error::Loop { child, .. } => (Some(child.clone()), "symlink loop; skipped".into()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::Io(e) => (None, format!("cannot read: {}", e.kind())),
        other => (None, other.to_string()),
    }
}

/// The path as users want to see it: relative to the current directory when under it.
pub fn display_of(p: &Path, cwd: Option<&Path>) -> String {
    let rel: PathBuf = if p.is_absolute() {
        match cwd.and_then(|c| p.strip_prefix(c).ok()) {
            Some(r) => r.to_path_buf(),
            None => p.to_path_buf(),
        }
    } else {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    let s = rel.to_string_lossy();
    let s = if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    if s.is_empty() { ".".into() } else { s }
}

/// Terraform files of one directory form a module; everything else is a unit on its own.
fn group(found: Vec<Discovered>, skipped: &mut usize) -> Vec<Unit> {
    // Modules in the order their first file was found, indexed by directory (a map ordered
    // by path compares paths component by component: slow for thousands of modules).
    let mut modules: Vec<(ModuleFiles, PathBuf)> = Vec::new();
    let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
    let mut units = Vec::new();
    let mut tfvars: Vec<Discovered> = Vec::new();
    for d in found {
        match d.kind {
            Candidate::Terraform | Candidate::TerraformJson => {
                let dir = d.path.parent().map(Path::to_path_buf).unwrap_or_default();
                let i = *by_dir.entry(dir.clone()).or_insert_with(|| {
                    modules.push((
                        ModuleFiles {
                            dir,
                            files: Vec::new(),
                            tfvars: Vec::new(),
                        },
                        d.root.clone(),
                    ));
                    modules.len() - 1
                });
                if let Some(m) = modules.get_mut(i) {
                    m.0.files.push((d.path, d.display));
                }
            }
            Candidate::TfVars => tfvars.push(d),
            Candidate::Json | Candidate::Yaml => units.push(Unit::File(d)),
        }
    }
    for v in tfvars {
        let dir = v.path.parent().map(Path::to_path_buf).unwrap_or_default();
        match by_dir.get(&dir).and_then(|&i| modules.get_mut(i)) {
            Some(m) => m.0.tfvars.push((v.path, v.display)),
            None => *skipped += 1,
        }
    }
    let mut all: Vec<Unit> = modules
        .into_iter()
        .map(|(module, root)| Unit::Terraform { module, root })
        .collect();
    all.extend(units);
    all.sort_by(|a, b| unit_key(a).cmp(unit_key(b)));
    all
}

fn unit_key(u: &Unit) -> &str {
    match u {
        Unit::Terraform { module, .. } => module.files.first().map(|f| f.1.as_str()).unwrap_or(""),
        Unit::File(d) => &d.display,
    }
}
