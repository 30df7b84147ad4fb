//! The `nhiaudit` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// A scan builds and drops millions of small tree nodes and strings on every worker thread:
/// with mimalloc the whole scan takes about a quarter less CPU than with the system allocator
/// (measured with bench/run.sh; see README "Performance"). The library itself does not choose.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match nhiaudit::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version print and succeed; real usage errors exit 2.
            let code = u8::from(e.use_stderr()) * 2;
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(nhiaudit::cli::run(cli))
}
