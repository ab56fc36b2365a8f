//! Entry point: parse the command line, run, print any error as one line, exit with the
//! code DESIGN.md assigns (0 ok, 1 runtime failure, 2 bad input).

use std::process::ExitCode;

use clap::Parser;
use portal_disable::cli::{Cli, usage_error_line, wants_json};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            let line = usage_error_line(&err);
            if wants_json(std::env::args_os()) {
                portal_disable::print_usage_error_json(&line);
            } else {
                eprintln!("portal-disable: error: {line}");
            }
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
