//! The arguments of `preview` and `run`: offboarding a list of Contacts through the deployed
//! Invocable action.

use std::path::PathBuf;

use clap::Args;

use super::AuthArgs;
use crate::settings::Overrides;

/// The default number of Contacts per action call: what peers that call actions in bulk use
/// (Mass Action Scheduler caps its batch at 200). Salesforce documents no maximum of inputs
/// per call (UNCONFIRMED); all inputs of one call share one transaction's limits.
pub const DEFAULT_CHUNK: usize = 200;
/// The largest chunk: the generated Apex refuses more than 10,000 Contacts in one
/// transaction (DML rows per transaction).
pub const MAX_CHUNK: usize = 10_000;

/// What both commands read: the list and the settings that name the deployed classes.
#[derive(Debug, Args, Clone)]
pub struct ContactsArgs {
    /// The Contacts: a CSV file with a header (the Id column is found by name: ContactId,
    /// Contact Id or Id, any case), or one Id per line; `-` reads standard input. 15- and
    /// 18-character Ids are accepted.
    #[arg(long, value_name = "FILE")]
    pub contacts: PathBuf,

    /// The CSV column holding the Contact Ids, when it has another name.
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,

    /// Config file to read instead of ./portal-disable.toml (the mode and class names).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print one JSON document on stdout: {"status": <exit code>, "result" | "error": ...}.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub auth: AuthArgs,
}

impl ContactsArgs {
    /// The settings overrides: only the config file; the mode and names come from it, as
    /// `generate` wrote them.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            ..Overrides::default()
        }
    }
}

/// Options of `preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    #[command(flatten)]
    pub list: ContactsArgs,
}

/// Options of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub list: ContactsArgs,

    /// Write each Contact's result to this CSV file, replaced atomically after every chunk.
    #[arg(long, value_name = "FILE.csv")]
    pub results: Option<PathBuf>,

    /// Skip the Contacts this results file (of an earlier run) shows as finished; Contacts it
    /// shows as sent without an answer are checked in the org first.
    #[arg(long, value_name = "FILE.csv")]
    pub resume: Option<PathBuf>,

    /// Contacts per call of the action, 1 to 10,000.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CHUNK, value_parser = chunk_size)]
    pub chunk_size: usize,
}

/// `--chunk-size`: 1 to [`MAX_CHUNK`].
fn chunk_size(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_CHUNK).contains(&n) => Ok(n),
        _ => Err(format!("`{text}` is not a number from 1 to {MAX_CHUNK}")),
    }
}
