//! `docs/rules.md`, generated from the rule metadata in `rules/`: one section per rule with
//! its severity, OWASP NHI category, CWE and help. SARIF `helpUri`s point at these sections.

use crate::rules;

/// Where the rules documentation is published.
pub fn rule_doc_uri(id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{id}",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// The whole `docs/rules.md`.
pub fn rules_markdown() -> String {
    let metas = rules::metas();
    let mut out = String::from(
        "# nhiaudit rules\n\n<!-- Generated from rules/*.md by `nhiaudit rules --format markdown`; do not edit. -->\n\n",
    );
    out.push_str("| rule | severity | OWASP NHI | title |\n| --- | --- | --- | --- |\n");
    for m in metas {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            m.id,
            m.id,
            m.severity.as_str(),
            m.owasp.join(", "),
            m.title
        ));
    }
    for m in metas {
        let cwe: Vec<String> = m.cwe.iter().map(|c| format!("CWE-{c}")).collect();
        out.push_str(&format!("\n## {}\n\n**{}**\n\n", m.id, m.title));
        out.push_str(&format!(
            "- severity: {} (confidence {})\n- OWASP: {}\n- CWE: {}\n",
            m.severity.as_str(),
            m.confidence.as_str(),
            m.owasp.join(", "),
            cwe.join(", ")
        ));
        if !m.peers.is_empty() {
            out.push_str(&format!("- equivalent checks: {}\n", m.peers.join(", ")));
        }
        out.push('\n');
        // Demote the help's headings one level under the rule's own.
        for line in m.help.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                out.push_str("### ");
                out.push_str(h);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out
}
