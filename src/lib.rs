//! portal-disable: generate, package and deploy the Apex that disables or deactivates
//! Salesforce Experience Cloud users linked to Contacts, and offboard Contacts through it.
//!
//! Data flows one way: `settings` -> rendered files (`apex`) -> files on disk (`generate`),
//! or -> components (`source`) -> a deploy zip (`package`) -> the org (`org`, with `auth` for
//! the session, `metadata` for SOAP and `rest` for REST) -> `report`; `commands` is where a
//! subcommand's arguments meet that flow. `docs/ARCHITECTURE.md` maps it in full.
//!
//! This is a binary's library. Its public surface is what the integration tests and the
//! benchmarks reach, and nothing else: `cli` (parsing a command line), `settings` (the
//! settings a command line gives), `apex` (rendering), `package` (packing), `metadata` (the
//! SOAP client, its parser and its envelopes, checked against captured answers), `report`
//! (what a result looks like), `auth` (credential sources and the session), `http` (the TLS
//! provider), `secret` and `choice`. Every other module is `pub(crate)`, and the
//! `unreachable_pub` lint keeps items at that.

pub mod apex;
pub(crate) mod apex_names;
pub(crate) mod api_version;
pub mod auth;
pub mod choice;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod error;
pub(crate) mod exit;
pub(crate) mod fs;
pub(crate) mod generate;
pub mod http;
pub(crate) mod ids;
pub(crate) mod interrupt;
pub(crate) mod knobs;
pub(crate) mod limits;
pub mod metadata;
pub(crate) mod org;
pub(crate) mod output;
pub mod package;
pub mod report;
pub(crate) mod rest;
pub(crate) mod schedule;
pub mod secret;
pub mod settings;
pub(crate) mod source;
pub(crate) mod test_level;
pub(crate) mod wait;

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
