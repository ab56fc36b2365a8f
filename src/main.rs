//! Entry point: parse the command line, run, print any error as one line, exit with the
//! code DESIGN.md assigns (0 ok, 1 runtime failure, 2 bad input).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = portal_disable::cli::Cli::parse();
    match portal_disable::run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("portal-disable: error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
