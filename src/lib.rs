//! portal-disable: generate, package and deploy the Apex that disables or deactivates
//! Salesforce Experience Cloud users linked to Contacts.
//!
//! Data flows one way: settings (`config`, `settings`) -> rendered files (`apex`) -> files on
//! disk (`generate`), or -> components (`source`) -> a deploy zip (`package`) -> `metadata`
//! (the Metadata API client, with `auth` for the session) -> `report`. Leaves (`apex_names`,
//! `api_version`, `error`, `interrupt`, `secret`) import nothing of ours.

pub mod apex;
pub mod apex_names;
pub mod api_version;
pub mod auth;
pub mod choice;
pub mod cli;
pub mod commands;
pub mod error;
pub mod exit;
pub mod fs;
pub mod generate;
pub mod http;
pub mod ids;
pub mod interrupt;
pub mod knobs;
pub mod limits;
pub mod metadata;
pub mod org;
pub mod output;
pub mod package;
pub mod report;
pub mod rest;
pub mod schedule;
pub mod secret;
pub mod settings;
pub mod source;
pub mod test_level;
pub mod wait;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, usage_error_line, wants_json};
use error::{Bad, Error, Result};

/// The whole program: parses `args`, runs the command in the current folder, prints any error
/// as one line (or as the JSON error document with `--json`), and gives the exit code.
pub fn main(args: impl IntoIterator<Item = OsString> + Clone) -> ExitCode {
    // The tests' switches are read once, before anything else.
    let _ = knobs::get();
    let cli = match Cli::try_parse_from(args.clone()) {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            let line = usage_error_line(&err);
            let error = Error::input(Bad::Usage, line);
            if wants_json(args) {
                let _ = output::json_error(&error, None);
            } else {
                output::error_line(&error);
            }
            return ExitCode::from(exit::BAD_INPUT);
        }
        // --help and --version
        Err(err) => {
            let _ = output::stdout(&err.render().to_string());
            return ExitCode::from(exit::SUCCESS);
        }
    };
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            output::error_line(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

/// Runs one parsed command in the current folder.
pub fn run(cli: &Cli) -> Result<ExitCode> {
    let root = std::env::current_dir().map_err(|e| Error::io("read", "current folder", e))?;
    match &cli.command {
        Command::Generate(args) => commands::generate::run(&root, args),
        Command::Package(args) => commands::package::run(&root, args),
        Command::Deploy(args) => commands::deploy::run(&root, args),
        Command::Report(args) => commands::job::report(args),
        Command::Cancel(args) => commands::job::cancel(args),
        Command::QuickDeploy(args) => commands::job::quick_deploy(args),
        Command::Preview(args) => commands::offboard::preview::run(&root, args),
        Command::Run(args) => commands::offboard::run::run(&root, args),
        Command::Completions(args) => commands::completions::run(args),
    }
}
