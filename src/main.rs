//! Entry point: parse the command line, run, print any error as one line, exit with the
//! code of `exit.rs`.

use std::process::ExitCode;

fn main() -> ExitCode {
    portal_disable::main(std::env::args_os().collect::<Vec<_>>())
}
