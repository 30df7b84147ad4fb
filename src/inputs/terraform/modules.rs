//! Local module calls (`module "x" { source = "./modules/role" ... }`): the called module's
//! files are read (through the scan's bounded file access: inside the scan root, size-limited,
//! symlinks only to files inside the root, nothing executed) and evaluated with the values the
//! call gives its variables, its blocks addressed `module.x.<address>`. Registry and git
//! sources are never fetched.
//!
//! Calls are followed breadth first from the root, at most [`MAX_DEPTH`] deep and
//! [`MAX_CALLS`] per unit; a module that calls itself (directly or through others) is followed
//! no further.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::body::{BlockRef, Parsed, address};
use super::eval::{Evaluator, FileAccess};
use crate::finding::{Finding, Location, Related};
use crate::parse::doc::Node;
use crate::report::{Diagnostic, Level};
use crate::source::{FileId, Span};

/// How deep calls are followed (a root calling a module calling a module is depth 2).
pub const MAX_DEPTH: usize = 8;
/// Module instances one unit evaluates (`for_each` on module blocks multiplies calls).
pub const MAX_CALLS: usize = 64;
/// `.tf` files read from one module directory.
const MAX_FILES: usize = 256;

/// Arguments of a module block that are not inputs of the module.
const META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// One module instance to evaluate.
pub struct Call {
    /// `module.x.` (nested: `module.x.module.y.`).
    pub prefix: String,
    /// The called directory as the scan shows it (`modules/role`).
    pub dir: PathBuf,
    /// Its canonical form, inside the scan root.
    pub canon: PathBuf,
    /// The inputs, evaluated in the caller.
    pub inputs: HashMap<String, Node>,
    /// Where the call sets each input (the attribute, in the caller).
    pub input_spans: Vec<(String, Span)>,
    /// The module block's header in the caller.
    pub header: Span,
    /// Canonical directories from the root to the caller (cycle guard).
    pub chain: Vec<PathBuf>,
}

/// The local module calls among a module's (expanded) blocks.
pub fn calls(
    ev: &Evaluator,
    blocks: &[BlockRef],
    access: &FileAccess,
    chain: &[PathBuf],
    notes: &mut Vec<Diagnostic>,
) -> Vec<Call> {
    let mut out = Vec::new();
    for b in blocks.iter().filter(|b| b.ident == "module") {
        let Some(a) = b.body.attr("source") else {
            continue;
        };
        // Repeated over a collection that could not be resolved: nothing is known of the
        // instances, and the module's own files are scanned with their defaults anyway.
        if b.key.is_empty() && (b.body.attr("for_each").is_some() || b.body.attr("count").is_some())
        {
            note(
                ev,
                b.header,
                notes,
                format!(
                    "`{}` is repeated by a `count` / `for_each` whose instances are not known (unresolved, or empty only through variable defaults); the call is not evaluated",
                    address(b)
                ),
            );
            continue;
        }
        let Some(source) = ev.eval(a.expr).as_str().map(str::to_owned) else {
            continue;
        };
        // Terraform reads only `./` and `../` sources as local paths.
        if !(source.starts_with("./") || source.starts_with("../")) {
            continue;
        }
        let dir = normalise(&ev.dir.join(&source));
        let Some(canon) = inside(&dir, access) else {
            // A directory that is not there (not checked out, a partial scan) is not news; one
            // outside the scanned tree is: say why its call is not evaluated.
            if !dir.is_dir() {
                continue;
            }
            note(
                ev,
                b.header,
                notes,
                format!(
                    "module source `{source}` is outside the scanned tree; its call is not evaluated"
                ),
            );
            continue;
        };
        if chain.contains(&canon) {
            note(
                ev,
                b.header,
                notes,
                format!(
                    "module source `{source}` calls a module that is already being evaluated (a cycle); not followed"
                ),
            );
            continue;
        }
        if chain.len() > MAX_DEPTH {
            note(
                ev,
                b.header,
                notes,
                format!("module calls nested deeper than {MAX_DEPTH}; `{source}` not followed"),
            );
            continue;
        }
        let mut inputs = HashMap::new();
        let mut input_spans = Vec::new();
        for (name, attr) in b.body.attrs() {
            if META.contains(&name.as_str()) {
                continue;
            }
            let v = ev.eval(attr.expr);
            input_spans.push((name.clone(), attr.key.cover(v.span)));
            inputs.insert(name, v);
        }
        let mut chain = chain.to_vec();
        chain.push(canon.clone());
        out.push(Call {
            prefix: format!("{}.", address(b)),
            dir,
            canon,
            inputs,
            input_spans,
            header: b.header,
            chain,
        });
    }
    out
}

/// A module directory's Terraform files, read and parsed once per unit.
pub struct Loaded {
    pub dir: PathBuf,
    pub parsed: Vec<(FileId, Parsed)>,
}

/// The `.tf` / `.tf.json` files of a called directory, sorted by name: regular files, or
/// symlinks to files inside the scan root.
pub fn files_of(canon: &Path, shown: &Path, access: &FileAccess) -> Vec<(PathBuf, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(canon) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let name_s = name.to_string_lossy();
        if !matches!(
            crate::discover::classify(&name_s),
            Some(crate::discover::Candidate::Terraform | crate::discover::Candidate::TerraformJson)
        ) {
            continue;
        }
        let Ok(ft) = e.file_type() else { continue };
        let path = e.path();
        let real = if ft.is_symlink() {
            match path.canonicalize() {
                Ok(t) if t.starts_with(&access.root) && t.is_file() => t,
                _ => continue,
            }
        } else if ft.is_file() {
            path
        } else {
            continue;
        };
        out.push((real, shown.join(&name)));
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.truncate(MAX_FILES);
    out
}

/// The canonical directory, when it is one inside the scan root.
fn inside(dir: &Path, access: &FileAccess) -> Option<PathBuf> {
    let canon = dir.canonicalize().ok()?;
    (canon.starts_with(&access.root) && canon.is_dir()).then_some(canon)
}

/// `a/b/../c` -> `a/c` without touching the file system (for display only: what is read is
/// checked on the canonical path).
pub fn normalise(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

fn note(ev: &Evaluator, at: Span, notes: &mut Vec<Diagnostic>, message: String) {
    let src = ev.sources.borrow();
    let Some(file) = src.get(at.file) else {
        return;
    };
    let lc = file.line_col(at.start);
    notes.push(
        Diagnostic::error(file.display.clone(), message)
            .at(Some(lc.line), Some(lc.col))
            .level(Level::Note),
    );
}

/// A module call as findings show it.
pub struct CallSite {
    /// `module.x.`
    pub prefix: String,
    /// The module block's header.
    pub header: Location,
    /// Where the call sets each input.
    pub inputs: Vec<(String, Location)>,
}

/// Give the findings of called modules their call sites as related locations, outermost call
/// first; a finding on a `var.x` the call sets also gets the line that sets it.
pub fn annotate(findings: &mut [Finding], calls: &[CallSite]) {
    if calls.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        if !f.address.starts_with("module.") {
            continue;
        }
        let mut matching: Vec<&CallSite> = calls
            .iter()
            .filter(|c| f.address.starts_with(c.prefix.as_str()))
            .collect();
        matching.sort_by_key(|c| c.prefix.len());
        for c in &matching {
            let call = c.prefix.trim_end_matches('.');
            if f.related.iter().any(|r| r.location == c.header) {
                continue;
            }
            f.related.push(Related {
                location: c.header.clone(),
                message: format!("evaluated with the inputs of `{call}`"),
            });
        }
        // The node is a variable the innermost call sets: show where.
        let Some(inner) = matching.last() else {
            continue;
        };
        let Some(name) = var_name(&f.location) else {
            continue;
        };
        if let Some((_, at)) = inner.inputs.iter().find(|(n, _)| *n == name) {
            f.related.push(Related {
                location: at.clone(),
                message: format!("`{name}` given by `{}`", inner.prefix.trim_end_matches('.')),
            });
        }
    }
}

/// `x` when a location's text is `var.x` (or `var.x.y`, `var.x[0]`): what a call's input
/// becomes where the module uses it.
fn var_name(l: &Location) -> Option<String> {
    if l.start.line != l.end.line {
        return None;
    }
    let line = l.snippet.first()?;
    let from = usize::try_from(l.start.col.checked_sub(1)?).ok()?;
    let text: String = line.text.chars().skip(from).collect();
    let rest = text.strip_prefix("var.")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!name.is_empty()).then_some(name)
}
