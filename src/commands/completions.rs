//! `portal-disable completions SHELL`: the shell completion script on stdout.

use std::process::ExitCode;

use crate::cli::completions::CompletionsArgs;
use crate::error::Result;
use crate::output;

/// Prints the script for the chosen shell.
pub(crate) fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    output::stdout(&args.script())?;
    Ok(ExitCode::SUCCESS)
}
