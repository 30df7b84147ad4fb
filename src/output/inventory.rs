//! `nhiaudit inventory` writers: Markdown for a pull request or a review document, JSON for
//! tools (shape documented in `docs/inventory.md`). Both are deterministic and carry no
//! secret value (entries are built from names, addresses and masked snippets).

use serde::Serialize;

use crate::inventory::{Entry, Identity, Inventory, SCHEMA_VERSION};
use crate::report::{Diagnostic, Report};

#[derive(Serialize)]
struct JsonInventory<'a> {
    schema_version: u32,
    tool: &'static str,
    version: &'static str,
    files_scanned: usize,
    files_failed: usize,
    identities: &'a [Identity],
    diagnostics: &'a [Diagnostic],
}

pub fn json(report: &Report) -> String {
    let empty = Inventory::default();
    let inv = report.inventory.as_ref().unwrap_or(&empty);
    let doc = JsonInventory {
        schema_version: SCHEMA_VERSION,
        tool: "nhiaudit",
        version: env!("CARGO_PKG_VERSION"),
        files_scanned: report.counts.files_scanned,
        files_failed: report.counts.files_failed,
        identities: &inv.identities,
        diagnostics: &report.diagnostics,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Text safe in a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Text safe inline in Markdown prose (no accidental emphasis or HTML).
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for ch in s.chars() {
        match ch {
            '`' => {
                in_code = !in_code;
                out.push(ch);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '*' | '_' | '[' | ']' if !in_code => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    if in_code {
        out.push('`');
    }
    out
}

fn anchor(i: usize) -> String {
    format!("nhi-{}", i + 1)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn entry_line(e: &Entry) -> String {
    let mut s = String::from("- ");
    if let Some(c) = e.class {
        s.push_str(&format!("**{}** ", c.as_str()));
    }
    s.push_str(&inline(&e.text));
    if let Some(at) = &e.at {
        s.push_str(&format!(" (`{}:{}`)", at.path, at.line));
    }
    s.push('\n');
    s
}

fn section(out: &mut String, title: &str, entries: &[Entry], none: &str) {
    out.push_str(&format!("**{title}**\n\n"));
    if entries.is_empty() {
        out.push_str(&format!("- {none}\n"));
    }
    for e in entries {
        out.push_str(&entry_line(e));
    }
    out.push('\n');
}

pub fn markdown(report: &Report) -> String {
    let empty = Inventory::default();
    let inv = report.inventory.as_ref().unwrap_or(&empty);
    let ids = &inv.identities;
    let mut out = String::from("# Non-human identity inventory\n\n");
    let roots = report.roots.join("`, `");
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for id in ids {
        match kinds.iter_mut().find(|(k, _)| *k == id.kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((id.kind.clone(), 1)),
        }
    }
    kinds.sort();
    let attributed: usize = ids.iter().map(|i| i.findings.len()).sum();
    out.push_str(&format!(
        "Scan of `{roots}`: {} ({}) in {}; {} against them.\n\n",
        plural(ids.len(), "non-human identity", "non-human identities"),
        if kinds.is_empty() {
            "none".to_owned()
        } else {
            kinds
                .iter()
                .map(|(k, n)| format!("{n} {k}{}", if *n == 1 { "" } else { "s" }))
                .collect::<Vec<_>>()
                .join(", ")
        },
        plural(report.counts.files_scanned, "file", "files"),
        plural(attributed, "finding", "findings"),
    ));
    if report.counts.files_failed > 0 {
        out.push_str(&format!(
            "**{} could not be read**, so identities they define are missing:\n\n",
            plural(report.counts.files_failed, "file", "files")
        ));
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.level == crate::report::Level::Error)
        {
            out.push_str(&format!("- `{}`: {}\n", d.path, inline(&d.message)));
        }
        out.push('\n');
    }
    if ids.is_empty() {
        return out;
    }
    out.push_str(
        "Blast radius = class weight × scope × trust breadth × credential lifetime × reuse \
         (catalog §4.5); tiers are the AIOps action tiers T0 observe … T6 destroy.\n\n",
    );
    out.push_str(
        "| # | identity | kind | defined in | credential lifetime | highest class | tier | scope | who can obtain it | blast radius | findings |\n",
    );
    out.push_str("| --: | --- | --- | --- | --- | --- | --- | --- | --- | --: | --: |\n");
    for (i, id) in ids.iter().enumerate() {
        let class = id.classes.first().map(|c| c.as_str()).unwrap_or("none");
        let defined = id
            .defined_at
            .as_ref()
            .map(|l| format!("`{}:{}`", cell(&l.path), l.line))
            .unwrap_or_else(|| "not in the scan".into());
        out.push_str(&format!(
            "| {} | [{}](#{}) | {} | {} | {} | {} | {:?} | {} | {} | {:.2} | {} |\n",
            i + 1,
            cell(&id.name),
            anchor(i),
            cell(&id.kind),
            defined,
            id.lifetime.describe(),
            class,
            id.tier,
            id.scope.describe(),
            cell(&id.trust),
            id.blast_radius.score,
            id.findings.len(),
        ));
    }
    out.push('\n');
    for (i, id) in ids.iter().enumerate() {
        out.push_str(&format!(
            "<a id=\"{}\"></a>\n## {}. {} ({})\n\n",
            anchor(i),
            i + 1,
            inline(&id.name),
            id.kind
        ));
        out.push_str(&format!("- **Id**: `{}`\n", id.id));
        if let Some(l) = &id.defined_at {
            out.push_str(&format!("- **Defined in**: `{}:{}`\n", l.path, l.line));
        }
        out.push_str(&format!(
            "- **Credential**: {}; lifetime {}\n",
            inline(&id.credential),
            id.lifetime.describe()
        ));
        let classes: Vec<&str> = id.classes.iter().map(|c| c.as_str()).collect();
        out.push_str(&format!(
            "- **Can**: {}; tier {}; scope {}\n",
            if classes.is_empty() {
                "nothing recognised".to_owned()
            } else {
                classes.join(", ")
            },
            id.tier_name,
            id.scope.describe()
        ));
        if let Some(f) = &id.function {
            out.push_str(&format!("- **Declared function**: {}\n", inline(f)));
        }
        let b = &id.blast_radius;
        out.push_str(&format!(
            "- **Blast radius**: {:.2} = class {} × scope {} × trust breadth {} ({}) × lifetime {} × reuse {}\n",
            b.score,
            b.class_weight,
            b.scope,
            b.reach,
            inline(&id.trust),
            b.lifetime,
            b.reuse
        ));
        if !id.links.is_empty() {
            let links: Vec<String> = id.links.iter().map(|l| format!("`{l}`")).collect();
            out.push_str(&format!("- **Linked identities**: {}\n", links.join(", ")));
        }
        out.push('\n');
        section(&mut out, "Grants", &id.grants, "none found in the scan");
        section(
            &mut out,
            "Who or what can obtain it",
            &id.obtained_by,
            "nothing in the scan",
        );
        section(
            &mut out,
            "What runs as it",
            &id.runs_as,
            "nothing in the scan",
        );
        out.push_str("**Findings**\n\n");
        if id.findings.is_empty() {
            out.push_str("- none\n");
        }
        for f in &id.findings {
            out.push_str(&format!(
                "- {} `{}` at `{}:{}`: {}\n",
                f.severity.as_str(),
                f.rule,
                f.at.path,
                f.at.line,
                inline(&f.message)
            ));
        }
        out.push('\n');
    }
    out
}
