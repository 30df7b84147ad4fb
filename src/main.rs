//! The `nhiaudit` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

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
