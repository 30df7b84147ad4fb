//! The command line: every flag is documented once, here. `run` turns a parsed command into an
//! exit code (0 clean, 1 findings at or above `--fail-on`, 2 usage or fatal error).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::output::{self, Format, TextOptions};
use crate::rules;
use crate::{DEFAULT_MAX_FILE_SIZE, ScanOptions, config, suppress};

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
    Scan(Box<ScanArgs>),
    /// List every rule: id, severity, OWASP NHI category, title.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Inventory every non-human identity of the scanned files: what it can do, how far that
    /// reaches, who can obtain it, how long its credential lives, and the findings against it.
    Inventory(Box<InventoryArgs>),
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `iam-admin-wildcard`.
        rule: String,
    },
    /// Write a commented default `.nhiaudit.toml` in the current directory.
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    /// The rules documentation (`docs/rules.md`).
    Markdown,
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

    /// Exit with status 1 when a finding is at or above this severity [default: low, or the
    /// configuration's `fail-on`].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,

    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Skip files larger than this many bytes (reported as a diagnostic) [default: 10 MiB,
    /// or the configuration's `max-file-size`].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,

    /// Configuration file [default: the first .nhiaudit.toml in the scanned directory or a
    /// parent, up to the repository root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Audit mode: ignore every inline `nhiaudit: ignore[...]` comment.
    #[arg(long)]
    pub no_inline_ignores: bool,

    /// Report only findings that are not in this baseline file (the others are marked
    /// suppressed).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE as the accepted baseline, then exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

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

    /// Print the wall time of each phase of the scan to standard error.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    /// A summary table and a section per identity, for a pull request or a review document.
    Markdown,
    /// A stable JSON document (see docs/inventory.md).
    Json,
}

#[derive(Args, Debug)]
pub struct InventoryArgs {
    /// Files and directories to read (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Markdown)]
    pub format: InventoryFormat,

    /// Write the inventory to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file [default: the first .nhiaudit.toml in the scanned directory or a
    /// parent, up to the repository root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Skip files larger than this many bytes [default: 10 MiB, or the configuration's
    /// `max-file-size`].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,

    /// AWS account ids that are yours.
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub own_accounts: Vec<String>,
}

/// Check the thread count, default the paths to `.`, and load the configuration: `explicit`,
/// or the one found beside the first path. Errors are reported; the exit code is returned.
fn prepare(
    threads: Option<usize>,
    paths: &[PathBuf],
    explicit: Option<&PathBuf>,
) -> Result<(Vec<PathBuf>, config::Loaded), u8> {
    if threads == Some(0) {
        eprintln!("nhiaudit: --threads must be at least 1");
        return Err(2);
    }
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let cfg_path = explicit.cloned().or_else(|| config::discover(&paths[0]));
    let loaded = match &cfg_path {
        Some(p) => config::load(p, &p.display().to_string()).map_err(|e| {
            eprintln!("nhiaudit: configuration error: {e}");
            2
        })?,
        None => config::Loaded::default(),
    };
    Ok((paths, loaded))
}

/// Write `bytes` to `path`, or to standard output.
fn emit(path: Option<&PathBuf>, bytes: &[u8]) -> u8 {
    let written = match path {
        Some(p) => std::fs::write(p, bytes),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush())
        }
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("nhiaudit: cannot write the report: {e}");
            2
        }
        _ => 0,
    }
}

fn inventory(args: InventoryArgs) -> u8 {
    let (paths, loaded) = match prepare(args.threads, &args.paths, args.config.as_ref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let cfg = &loaded.config;
    let mut own_accounts = cfg.own_accounts.clone();
    own_accounts.extend(args.own_accounts.iter().cloned());
    let opts = ScanOptions {
        paths,
        max_file_size: args
            .max_file_size
            .or(cfg.max_file_size)
            .unwrap_or(DEFAULT_MAX_FILE_SIZE),
        threads: args.threads,
        select: cfg.rules.select.clone(),
        ignore: cfg.rules.ignore.clone(),
        own_accounts,
        config: loaded,
        inventory: true,
        exit_after: true,
        ..ScanOptions::default()
    };
    let report = match crate::scan(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("nhiaudit: {e}");
            return 2;
        }
    };
    for d in &report.diagnostics {
        eprintln!("nhiaudit: {}: {}", d.path, d.message);
    }
    let text = match args.format {
        InventoryFormat::Markdown => output::inventory::markdown(&report),
        InventoryFormat::Json => output::inventory::json(&report),
    };
    emit(args.output.as_ref(), text.as_bytes())
}

/// Run a parsed command; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Scan(args) => scan(*args),
        Command::Inventory(args) => inventory(*args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
        Command::Init { force } => init(force),
    }
}

fn init(force: bool) -> u8 {
    let path = std::path::Path::new(config::FILE_NAME);
    if path.exists() && !force {
        eprintln!(
            "nhiaudit: {} already exists (use --force to overwrite)",
            config::FILE_NAME
        );
        return 2;
    }
    match std::fs::write(path, config::DEFAULT_CONFIG) {
        Ok(()) => {
            eprintln!("nhiaudit: wrote {}", config::FILE_NAME);
            0
        }
        Err(e) => {
            eprintln!("nhiaudit: cannot write {}: {e}", config::FILE_NAME);
            2
        }
    }
}

fn scan(args: ScanArgs) -> u8 {
    let (paths, loaded) = match prepare(args.threads, &args.paths, args.config.as_ref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let baseline = match &args.baseline {
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<suppress::Baseline>(&t).map_err(|e| e.to_string()))
        {
            Ok(b) => Some((b, p.display().to_string())),
            Err(e) => {
                eprintln!("nhiaudit: cannot read baseline {}: {e}", p.display());
                return 2;
            }
        },
        None => None,
    };
    let cfg = &loaded.config;
    let fail_on = args.fail_on.or_else(|| {
        cfg.fail_on
            .as_deref()
            .and_then(|f| FailOn::from_str(f, true).ok())
    });
    // The command line's selection wins over the configuration's; ignores add up.
    let select = if args.select.is_empty() {
        cfg.rules.select.clone()
    } else {
        args.select.clone()
    };
    let mut ignore = cfg.rules.ignore.clone();
    ignore.extend(args.ignore.iter().cloned());
    let mut own_accounts = cfg.own_accounts.clone();
    own_accounts.extend(args.own_accounts.iter().cloned());
    let opts = ScanOptions {
        inventory: false,
        exit_after: true,
        paths,
        max_file_size: args
            .max_file_size
            .or(cfg.max_file_size)
            .unwrap_or(DEFAULT_MAX_FILE_SIZE),
        threads: args.threads,
        select,
        ignore,
        own_accounts,
        config: loaded,
        no_inline_ignores: args.no_inline_ignores,
        baseline,
    };
    let report = match crate::scan(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("nhiaudit: {e}");
            return 2;
        }
    };
    let started_output = std::time::Instant::now();
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = TextOptions {
        color: to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none(),
        quiet: args.quiet,
    };
    let write = || match &args.output {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            // Straight to the file: a report of many findings is tens of megabytes, which a
            // buffer growing in memory would copy several times over.
            let mut out = std::io::BufWriter::with_capacity(1 << 20, f);
            output::write(&report, args.format, text, &mut out).and_then(|()| out.flush())
        }),
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            output::write(&report, args.format, text, &mut out).and_then(|()| out.flush())
        }
    };
    // Writers that render many findings in parallel use the scan's thread count (a few are
    // written on this thread: starting threads would cost a pre-commit run more).
    let pool = (report.findings.len() > output::PARALLEL_FROM)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(args.threads.unwrap_or(0))
                .build()
                .ok()
        })
        .flatten();
    let written = match pool {
        Some(pool) => pool.install(write),
        None => write(),
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("nhiaudit: cannot write the report: {e}");
        return 2;
    }
    if args.timings {
        let mut timings = report.timings.clone();
        timings.push(("output", started_output.elapsed()));
        for (phase, t) in timings {
            eprintln!(
                "nhiaudit: timing: {:>9.1} ms  {phase}",
                t.as_secs_f64() * 1000.0
            );
        }
    }
    if let Some(path) = &args.write_baseline {
        let b = suppress::Baseline::from_findings(&report.findings);
        let text = serde_json::to_string_pretty(&b).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("nhiaudit: cannot write baseline {}: {e}", path.display());
            return 2;
        }
        eprintln!(
            "nhiaudit: wrote {} findings to baseline {}",
            b.findings.len(),
            path.display()
        );
        return 0;
    }
    let failing = fail_on
        .unwrap_or(FailOn::Low)
        .threshold()
        .is_some_and(|t| report.max_severity().is_some_and(|s| s >= t));
    let strict_fail = args.strict && report.counts.files_failed > 0;
    // Freeing every finding one by one only delays the exit: a thread does it while the
    // process ends.
    std::thread::spawn(move || drop(report));
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
        RulesFormat::Markdown => out = output::markdown::rules_markdown(),
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
