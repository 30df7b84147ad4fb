//! The command line: every flag is documented once, here. `run` turns a parsed command into an
//! exit code (0 clean, 1 findings at or above `--fail-on`, 2 usage or fatal error).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::output::{self, Format, TextOptions};
use crate::rules;
use crate::{DEFAULT_MAX_FILE_SIZE, ScanOptions};

#[derive(Parser, Debug)]
#[command(
    name = "nhiaudit",
    version,
    about = "Audit Terraform, IAM policies, Kubernetes and CI configuration for over-privileged and long-lived non-human identities (OWASP NHI Top 10)",
    after_help = "Examples:\n  nhiaudit scan                       scan the current directory\n  nhiaudit scan infra/ policies/      scan two directories\n  nhiaudit scan --format sarif -o nhiaudit.sarif .\n  nhiaudit scan --fail-on high main.tf\n  nhiaudit rules                      list every rule\n  nhiaudit explain iam-admin-wildcard show a rule's documentation"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and directories (default: the current directory).
    Scan(ScanArgs),
    /// List every rule: id, severity, OWASP NHI category, title.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `iam-admin-wildcard`.
        rule: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    None,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::None => None,
        }
    }
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files and directories to scan. Directories are walked (respecting .gitignore); files
    /// are scanned as given, as a pre-commit hook passes them.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Low, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,

    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Skip files larger than this many bytes (reported as a diagnostic).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,

    /// AWS account ids that are yours; trust to any other account needs sts:ExternalId.
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub own_accounts: Vec<String>,

    /// Also exit with status 1 when a file could not be read or parsed.
    #[arg(long)]
    pub strict: bool,

    /// Print findings only: no diagnostics, no summary.
    #[arg(short, long)]
    pub quiet: bool,

    /// Never colour the text output (colour is used only on a terminal anyway).
    #[arg(long)]
    pub no_color: bool,
}

/// Run a parsed command; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
    }
}

fn scan(args: ScanArgs) -> u8 {
    if args.threads == Some(0) {
        eprintln!("nhiaudit: --threads must be at least 1");
        return 2;
    }
    let opts = ScanOptions {
        paths: if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        },
        max_file_size: args.max_file_size,
        threads: args.threads,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        own_accounts: args.own_accounts.clone(),
    };
    let report = match crate::scan(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("nhiaudit: {e}");
            return 2;
        }
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = TextOptions {
        color: to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none(),
        quiet: args.quiet,
    };
    let written = match &args.output {
        Some(path) => {
            let mut buf = Vec::new();
            output::write(&report, args.format, text, &mut buf)
                .and_then(|()| std::fs::write(path, &buf))
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            output::write(&report, args.format, text, &mut out).and_then(|()| out.flush())
        }
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("nhiaudit: cannot write the report: {e}");
        return 2;
    }
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| report.max_severity().is_some_and(|s| s >= t));
    let strict_fail = args.strict && report.counts.files_failed > 0;
    u8::from(failing || strict_fail)
}

fn list_rules(format: RulesFormat) -> u8 {
    let metas = rules::metas();
    let mut out = String::new();
    match format {
        RulesFormat::Text => {
            let w = metas.iter().map(|m| m.id.len()).max().unwrap_or(10);
            for m in metas {
                out.push_str(&format!(
                    "{:<w$}  {:<8}  {:<10}  {}\n",
                    m.id,
                    m.severity.as_str(),
                    m.owasp.join(","),
                    m.title
                ));
            }
        }
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "title": m.title,
                        "severity": m.severity.as_str(),
                        "confidence": m.confidence.as_str(),
                        "owasp": m.owasp,
                        "cwe": m.cwe,
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
        }
    }
    print_stdout(&out)
}

fn explain(id: &str) -> u8 {
    let Some(m) = rules::meta(id) else {
        eprintln!("nhiaudit: unknown rule id '{id}' (see `nhiaudit rules`)");
        return 2;
    };
    let cwe: Vec<String> = m.cwe.iter().map(|c| format!("CWE-{c}")).collect();
    let text = format!(
        "{} — {}\nseverity: {}   confidence: {}   OWASP: {}   {}\n\n{}\n",
        m.id,
        m.title,
        m.severity.as_str(),
        m.confidence.as_str(),
        m.owasp.join(", "),
        cwe.join(", "),
        m.help
    );
    print_stdout(&text)
}

fn print_stdout(s: &str) -> u8 {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(s.as_bytes()).and_then(|()| lock.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(_) => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
