//! Terraform: every `.tf` / `.tf.json` file of one directory is one module, read together so
//! that references between files (a policy attached in another file, a `locals` block, a
//! variable default) resolve. Provider-specific extraction lives in one file per provider.

pub mod aws;
pub mod azure;
pub mod body;
pub mod ci_providers;
pub mod eval;
pub mod gcp;
pub mod kubernetes;

use std::path::PathBuf;

use body::{Parsed, top_blocks};
use eval::{Evaluator, FileAccess};

use crate::inputs::read_text;
use crate::model::Facts;
use crate::parse::yaml::{self, Budget};
use crate::parse::{ParseError, hcl};
use crate::report::Diagnostic;
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
    pub bytes: u64,
    /// `nhiaudit: ignore[...]` comments of the module's files.
    pub inline: Vec<crate::suppress::InlineIgnore>,
}

/// Read, parse and extract one module.
pub fn analyse(m: &ModuleFiles, access: &FileAccess, own_accounts: &[String]) -> ModuleOutput {
    let read = |list: &[(PathBuf, String)]| -> Vec<Result<SourceFile, Diagnostic>> {
        list.iter()
            .map(|(path, display)| {
                read_text(path, display.clone(), access.max_size)
                    .map_err(|e| Diagnostic::error(display, e.to_string()))
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
    let mut bytes = 0u64;
    for (list, out) in [(files, &mut parsed), (tfvar_files, &mut tfvars)] {
        for f in list {
            let file = match f {
                Ok(file) => file,
                Err(d) => {
                    files_failed += 1;
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
        let Some(file) = sources.get(*id) else {
            continue;
        };
        if file.text.contains("nhiaudit:") {
            let blocks = match p {
                Parsed::Hcl(body) => crate::suppress::hcl_blocks(body),
                Parsed::Json(_) => Vec::new(),
            };
            inline.extend(crate::suppress::scan(file, &blocks));
        }
    }
    let mut facts = Facts {
        own_accounts: own_accounts.to_vec(),
        ..Facts::default()
    };
    let ev = Evaluator::new(dir, sources, &parsed, &tfvars, access.clone());
    let blocks = {
        let src = ev.sources.borrow();
        parsed
            .iter()
            .flat_map(|(id, p)| top_blocks(p, *id, &src))
            .collect::<Vec<_>>()
    };
    aws::extract(&ev, &blocks, &mut facts);
    gcp::extract(&ev, &blocks, &mut facts);
    azure::extract(&ev, &blocks, &mut facts);
    ci_providers::extract(&ev, &blocks, &mut facts);
    kubernetes::extract(&ev, &blocks, &mut facts);
    drop(blocks);
    let sources = ev.into_sources();
    ModuleOutput {
        facts,
        sources,
        diagnostics,
        files_scanned,
        files_failed,
        bytes,
        inline,
    }
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
