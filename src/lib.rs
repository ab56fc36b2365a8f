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
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod generate;
pub mod http;
pub mod interrupt;
pub mod metadata;
pub mod package;
pub mod report;
pub mod secret;
pub mod settings;
pub mod sfdx_project;
pub mod source;

use std::process::ExitCode;

use cli::{Cli, Command};
use error::{Error, Result};

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
    }
}

/// A usage error as the one JSON document `--json` promises (clap fails before the command
/// that would print it runs).
pub fn print_usage_error_json(line: &str) {
    let doc = serde_json::json!({
        "status": 2,
        "error": { "name": "UsageError", "message": line },
    });
    println!("{doc}");
}
