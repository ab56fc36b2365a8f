//! Entry point: parse the command line, run, print any error as one line, exit with the
//! code DESIGN.md assigns (0 ok, 1 runtime failure, 2 bad input).

use std::process::ExitCode;

use clap::Parser;
use portal_disable::cli::{Cli, usage_error_line};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            eprintln!("portal-disable: error: {}", usage_error_line(&err));
            return ExitCode::from(2);
        }
        // --help and --version
        Err(err) => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
    };
    match portal_disable::run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("portal-disable: error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
