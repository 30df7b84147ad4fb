//! Terraform: every `.tf` / `.tf.json` file of one directory is one module, read together so
//! that references between files (a policy attached in another file, a `locals` block, a
//! variable default) resolve. Repeated blocks are read once per instance (`instances`), local
//! module calls are evaluated with their inputs (`modules`), and `terraform show -json` plans
//! are read as what they are (`plan`). Provider-specific extraction lives in one file per
//! provider.

pub mod aws;
pub mod azure;
pub mod body;
pub mod ci_providers;
pub mod eval;
pub mod gcp;
pub mod instances;
pub mod kubernetes;
pub mod modules;
pub mod plan;
pub mod secrets;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;

use body::{BlockRef, Parsed, top_blocks};
use eval::{Evaluator, FileAccess};

use crate::inputs::read_text;
use crate::model::Facts;
use crate::parse::yaml::{self, Budget};
use crate::parse::{ParseError, hcl};
use crate::report::{Diagnostic, Level};
use crate::source::{FileId, SourceFile, Sources};

/// The files of one Terraform module directory.
#[derive(Debug, Clone)]
pub struct ModuleFiles {
    pub dir: PathBuf,
    /// `.tf` and `.tf.json` files, with their display paths.
    pub files: Vec<(PathBuf, String)>,
    /// `terraform.tfvars` and `*.auto.tfvars` (and their `.json` forms).
    pub tfvars: Vec<(PathBuf, String)>,
}

pub struct ModuleOutput {
    pub facts: Facts,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub files_scanned: usize,
    pub files_failed: usize,
    /// Files skipped on purpose (over the size limit).
    pub files_skipped: usize,
    pub bytes: u64,
    /// `nhiaudit: ignore[...]` comments of the module's files (and of the modules it calls).
    pub inline: Vec<crate::suppress::InlineIgnore>,
    /// The module calls evaluated, for [`modules::annotate`].
    pub calls: Vec<modules::CallSite>,
}

/// Read, parse and extract one module.
pub fn analyse(m: &ModuleFiles, access: &FileAccess, own_accounts: &[String]) -> ModuleOutput {
    let read = |list: &[(PathBuf, String)]| -> Vec<Result<SourceFile, Diagnostic>> {
        list.iter()
            .map(|(path, display)| {
                read_text(path, display.clone(), access.max_size).map_err(|e| e.diagnostic(display))
            })
            .collect()
    };
    analyse_files(
        m.dir.clone(),
        read(&m.files),
        read(&m.tfvars),
        access,
        own_accounts,
    )
}

/// Parse and extract a module whose files are already read (or failed to be).
pub fn analyse_files(
    dir: PathBuf,
    files: Vec<Result<SourceFile, Diagnostic>>,
    tfvar_files: Vec<Result<SourceFile, Diagnostic>>,
    access: &FileAccess,
    own_accounts: &[String],
) -> ModuleOutput {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let mut parsed: Vec<(FileId, Parsed)> = Vec::new();
    let mut tfvars: Vec<(FileId, Parsed)> = Vec::new();
    let mut files_failed = 0;
    let mut files_skipped = 0;
    let mut bytes = 0u64;
    for (list, out) in [(files, &mut parsed), (tfvar_files, &mut tfvars)] {
        for f in list {
            let file = match f {
                Ok(file) => file,
                Err(d) => {
                    // A file over the size limit is skipped, not failed.
                    if d.level == Level::Error {
                        files_failed += 1;
                    } else {
                        files_skipped += 1;
                    }
                    diagnostics.push(d);
                    continue;
                }
            };
            bytes += file.text.len() as u64;
            let display = file.display.clone();
            let json = display.ends_with(".json");
            let id = sources.add(file);
            let result = if json {
                parse_json_file(&sources, id)
            } else {
                parse_hcl_file(&sources, id)
            };
            match result {
                Ok(p) => out.push((id, p)),
                Err(e) => {
                    files_failed += 1;
                    diagnostics.push(parse_diagnostic(&display, &e));
                }
            }
        }
    }
    let files_scanned = parsed.len() + tfvars.len();
    let mut inline = Vec::new();
    for (id, p) in &parsed {
        inline.extend(inline_ignores(&sources, *id, p));
    }
    let mut facts = Facts {
        own_accounts: own_accounts.to_vec(),
        ..Facts::default()
    };
    let sources = RefCell::new(sources);
    let root_chain = vec![dir.canonicalize().unwrap_or_else(|_| dir.clone())];
    let mut queue: VecDeque<modules::Call> = {
        let ev = Evaluator::new(dir, &sources, &parsed, &tfvars, access.clone());
        let blocks = evaluate(&ev, &parsed, "", &mut facts, &mut diagnostics);
        modules::calls(&ev, &blocks, access, &root_chain, &mut diagnostics).into()
    };
    // Called modules, breadth first; each directory read and parsed once.
    let mut loaded: Vec<modules::Loaded> = Vec::new();
    let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
    let mut calls = Vec::new();
    let mut evaluated = 0;
    while let Some(call) = queue.pop_front() {
        if evaluated == modules::MAX_CALLS {
            let src = sources.borrow();
            let (path, at) = src.get(call.header.file).map_or_else(
                || (String::new(), None),
                |f| (f.display.clone(), Some(f.line_col(call.header.start))),
            );
            diagnostics.push(
                Diagnostic::error(
                    path,
                    format!(
                        "more than {} module calls in one configuration: `{}` and later calls not evaluated",
                        modules::MAX_CALLS,
                        call.prefix.trim_end_matches('.')
                    ),
                )
                .at(at.map(|a| a.line), at.map(|a| a.col))
                .level(crate::report::Level::Note),
            );
            break;
        }
        evaluated += 1;
        let idx = match by_dir.get(&call.canon) {
            Some(&i) => i,
            None => {
                let m = load_module(&call, access, &sources, &mut diagnostics, &mut inline);
                loaded.push(m);
                by_dir.insert(call.canon.clone(), loaded.len() - 1);
                loaded.len() - 1
            }
        };
        let Some(m) = loaded.get(idx) else { continue };
        if m.parsed.is_empty() {
            continue;
        }
        calls.push((call.prefix.clone(), call.header, call.input_spans.clone()));
        let ev = Evaluator::new(m.dir.clone(), &sources, &m.parsed, &[], access.clone())
            .called(call.prefix.clone(), call.inputs);
        let blocks = evaluate(&ev, &m.parsed, &call.prefix, &mut facts, &mut diagnostics);
        queue.extend(modules::calls(
            &ev,
            &blocks,
            access,
            &call.chain,
            &mut diagnostics,
        ));
    }
    let sources = sources.into_inner();
    // Call sites are resolved now, while the caller's files are at hand. An input's value may
    // be a secret handed to the module: its location keeps no snippet.
    let calls = calls
        .into_iter()
        .filter_map(|(prefix, header, inputs)| {
            Some(modules::CallSite {
                prefix,
                header: crate::finding::locate(&sources, header, &[])?,
                inputs: inputs
                    .into_iter()
                    .filter_map(|(n, s)| {
                        let mut at = crate::finding::locate(&sources, s, &[])?;
                        at.snippet.clear();
                        Some((n, at))
                    })
                    .collect(),
            })
        })
        .collect();
    ModuleOutput {
        facts,
        sources,
        diagnostics,
        files_scanned,
        files_failed,
        files_skipped,
        bytes,
        inline,
        calls,
    }
}

/// Expand and extract one module evaluation (the root, or one module call); returns its blocks
/// for the module calls among them.
fn evaluate<'m>(
    ev: &Evaluator<'m>,
    parsed: &'m [(FileId, Parsed)],
    prefix: &str,
    facts: &mut Facts,
    notes: &mut Vec<Diagnostic>,
) -> Vec<BlockRef<'m>> {
    let raw = {
        let src = ev.sources.borrow();
        parsed
            .iter()
            .flat_map(|(id, p)| top_blocks(p, *id, &src))
            .collect::<Vec<_>>()
    };
    let blocks = instances::expand(ev, raw, prefix, notes);
    aws::extract(ev, &blocks, facts);
    gcp::extract(ev, &blocks, facts);
    azure::extract(ev, &blocks, facts);
    ci_providers::extract(ev, &blocks, facts);
    kubernetes::extract(ev, &blocks, facts);
    secrets::extract(ev, &blocks, facts);
    notes.extend(instances::unexpanded_note(ev));
    blocks
}

/// Read and parse a called module's files into the unit's sources. Parse failures are
/// reported (a scan of the caller alone would not otherwise see them).
fn load_module(
    call: &modules::Call,
    access: &FileAccess,
    sources: &RefCell<Sources>,
    diagnostics: &mut Vec<Diagnostic>,
    inline: &mut Vec<crate::suppress::InlineIgnore>,
) -> modules::Loaded {
    let mut parsed = Vec::new();
    for (real, shown) in modules::files_of(&call.canon, &call.dir, access) {
        let display = crate::discover::display_of(&shown, access.cwd.as_deref());
        let file = match read_text(&real, display.clone(), access.max_size) {
            Ok(f) => f,
            Err(e) => {
                diagnostics.push(e.diagnostic(&display));
                continue;
            }
        };
        let mut src = sources.borrow_mut();
        let id = src.add(file);
        let result = if display.ends_with(".json") {
            parse_json_file(&src, id)
        } else {
            parse_hcl_file(&src, id)
        };
        match result {
            Ok(p) => {
                inline.extend(inline_ignores(&src, id, &p));
                parsed.push((id, p));
            }
            Err(e) => diagnostics.push(parse_diagnostic(&display, &e)),
        }
    }
    modules::Loaded {
        dir: call.dir.clone(),
        parsed,
    }
}

fn inline_ignores(sources: &Sources, id: FileId, p: &Parsed) -> Vec<crate::suppress::InlineIgnore> {
    let Some(file) = sources.get(id) else {
        return Vec::new();
    };
    if !file.text.contains("nhiaudit:") {
        return Vec::new();
    }
    let blocks = match p {
        Parsed::Hcl(body) => crate::suppress::hcl_blocks(body),
        Parsed::Json(_) => Vec::new(),
    };
    crate::suppress::scan(file, &blocks)
}

fn parse_hcl_file(sources: &Sources, id: FileId) -> Result<Parsed, ParseError> {
    let text = sources.get(id).map(|f| f.text.as_str()).unwrap_or("");
    hcl::parse_body(text).map(Parsed::Hcl)
}

fn parse_json_file(sources: &Sources, id: FileId) -> Result<Parsed, ParseError> {
    let text = sources.get(id).map(|f| f.text.as_str()).unwrap_or("");
    yaml::parse_json(text, id, 0, Budget::default()).map(Parsed::Json)
}

pub fn parse_diagnostic(display: &str, e: &ParseError) -> Diagnostic {
    Diagnostic::error(display, format!("parse error: {}", e.message)).at(e.line, e.col)
}
