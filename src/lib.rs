//! portal-disable: generate, package and deploy the Apex that disables or deactivates
//! Salesforce Experience Cloud users linked to Contacts.
//!
//! Data flows one way: settings (`config`, `settings`) -> rendered files (`apex`) -> files on
//! disk (`generate`). Leaves (`apex_names`, `api_version`, `error`) import nothing of ours.

pub mod apex;
pub mod apex_names;
pub mod api_version;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod generate;
pub mod secret;
pub mod settings;
pub mod sfdx_project;

use std::process::ExitCode;

use cli::{Cli, Command};
use error::{Error, Result};

/// Runs one parsed command in the current folder.
pub fn run(cli: &Cli) -> Result<ExitCode> {
    let root = std::env::current_dir().map_err(|e| Error::io("read", "current folder", e))?;
    match &cli.command {
        Command::Generate(args) => commands::generate::run(&root, args),
    }
}
