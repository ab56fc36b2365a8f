//! The command line: every clap type lives in this folder, and nowhere else. The doc comments
//! are the `--help` text. Values with a closed set of names come from their domain type
//! ([`Choice`]), so the possible values and their help are declared once; each command's
//! arguments become the domain's requests at one seam (`overrides()`, `flags()`).

pub mod completions;
mod deploy;
mod offboard;
mod usage;

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::api_version::ApiVersion;
use crate::auth::AuthFlags;
use crate::choice::Choice;
use crate::settings::{EntryPoint, Mode, Overrides, Sharing};

pub use deploy::{
    CancelArgs, DeployArgs, DeploySource, JobArgs, OutputArgs, QuickDeployArgs, ReportArgs,
};
pub use offboard::{ContactsArgs, DEFAULT_CHUNK, MAX_CHUNK, PreviewArgs, RunArgs};
pub use usage::{usage_error_line, wants_json};

/// Generate, package and deploy the Apex that disables or deactivates Salesforce Experience
/// Cloud (portal) users linked to Contacts.
#[derive(Debug, Parser)]
#[command(name = "portal-disable", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the Apex classes, their test class and -meta.xml files into the SFDX source folder.
    ///
    /// Without a config file or flags this writes the default class set into
    /// force-app/main/default/ (or the default package directory of sfdx-project.json).
    /// Files are written all or none, and a file portal-disable did not generate, or that was
    /// edited by hand, is never replaced without --force.
    Generate(GenerateArgs),

    /// Build a Metadata API deploy zip (or an unzipped metadata folder) with package.xml.
    ///
    /// Without --source-dir this packages the files `generate` would write for the current
    /// settings, rendered in memory (no need to run `generate` first). With --source-dir it
    /// packages SFDX source folders of the supported types: Apex classes and triggers with
    /// their -meta.xml files, and custom fields (objects/<Object>/fields/*.field-meta.xml).
    /// package.xml's version is the settings' API version (--api-version, api_version,
    /// sourceApiVersion, 68.0). The zip is deterministic (same input, same bytes) and checked
    /// against the Metadata API's limits before it is written: 10,000 files (package.xml
    /// included), 600 MB uncompressed, 39 MB compressed.
    Package(PackageArgs),

    /// Deploy to an org with the Metadata API, follow the job and report components, tests
    /// and coverage.
    ///
    /// Credentials come from an org the sf CLI knows (--target-org, SF_TARGET_ORG, or the sf
    /// CLI's default target-org), from --auth-url-file, or from the environment
    /// (SF_ACCESS_TOKEN + SF_ORG_INSTANCE_URL, SF_AUTH_URL, SF_CLIENT_ID + SF_USERNAME +
    /// SF_JWT_KEY_FILE, or SF_CLIENT_ID + SF_CLIENT_SECRET + SF_ORG_INSTANCE_URL).
    /// Exit codes: 0 succeeded, 1 failed or canceled, 2 bad input, 68 succeeded partially,
    /// 69 still running when --wait ran out (the job id is printed; `report` resumes).
    Deploy(DeployArgs),

    /// Show a deploy job, and with --wait follow it to its end. Needs only the job id and
    /// credentials.
    Report(ReportArgs),

    /// Cancel a running deploy job and wait until it is canceled.
    Cancel(CancelArgs),

    /// Deploy a recent successful validation (`deploy --check-only` with tests) without
    /// running the tests again.
    QuickDeploy(QuickDeployArgs),

    /// Show what `run` would do for a list of Contacts: each one's portal user and outcome.
    /// Changes nothing.
    ///
    /// Reads the Contacts (--contacts FILE, or - for standard input), queries their users
    /// and prints, per Contact, the user (Id, username, user type, active, portal-enabled)
    /// and `will disable` / `will deactivate`, `already inactive`, `no portal user`, `running
    /// user: skipped` or `Contact not found`, then a summary line. The mode comes from the
    /// same settings as `generate`. Exit codes: 0 done, 1 a call failed, 2 bad input.
    Preview(PreviewArgs),

    /// Disable or deactivate the portal users of a list of Contacts through the deployed
    /// Invocable action, in chunks, keeping a record.
    ///
    /// Checks that the action generated for the current settings is deployed, then calls it
    /// with --chunk-size Contacts at a time and prints each Contact's result. With --results
    /// the CSV record is replaced atomically after every chunk; --resume skips the Contacts an
    /// earlier record shows finished. A call whose answer was lost is never sent again blindly:
    /// the users are checked in the org first. Exit codes: 0 every Contact done, 68 some
    /// FAILED, 1 a call failed (the record so far is kept), 2 bad input, 130 interrupted.
    Run(RunArgs),

    /// Print the shell completion script for bash, zsh, fish or PowerShell on stdout.
    ///
    /// Install it once, e.g. `portal-disable completions bash >
    /// ~/.local/share/bash-completion/completions/portal-disable` (README, Shell completions,
    /// has the line for each shell).
    Completions(completions::CompletionsArgs),
}

/// Options of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Render in memory and compare with the files on disk: exit 0 when identical, exit 1 with
    /// a unified diff of each difference (for CI drift checks). Writes nothing.
    #[arg(long, conflicts_with = "force")]
    pub check: bool,

    /// Replace files in the way even when portal-disable did not generate them or they were
    /// edited by hand.
    #[arg(long)]
    pub force: bool,

    /// SFDX source folder to write into [default: `output_dir` of portal-disable.toml, else
    /// <default package directory of sfdx-project.json>/main/default, else
    /// force-app/main/default].
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    #[command(flatten)]
    pub render: RenderArgs,
}

impl GenerateArgs {
    /// The settings the flags override.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            output_dir: self.output_dir.clone(),
            ..self.render.overrides()
        }
    }
}

/// What to render; each flag overrides portal-disable.toml. Shared by `generate` and
/// `package`, whose `--output-dir` means different things.
#[derive(Debug, Args, Default)]
pub struct RenderArgs {
    /// Config file to read [default: ./portal-disable.toml, when there is one].
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Salesforce API version of the generated files, 57.0 to 68.0 [default: `api_version` of
    /// portal-disable.toml, else sourceApiVersion of sfdx-project.json, else 68.0].
    #[arg(long, value_name = "VERSION", value_parser = api_version)]
    pub api_version: Option<ApiVersion>,

    /// Which flag the generated Apex clears [default: `mode` of portal-disable.toml, else
    /// disable].
    #[arg(long, value_name = "MODE", value_parser = choice::<Mode>())]
    pub mode: Option<Mode>,

    /// Sharing keyword of every generated class [default: `sharing` of portal-disable.toml,
    /// else with].
    #[arg(long, value_name = "SHARING", value_parser = choice::<Sharing>())]
    pub sharing: Option<Sharing>,

    /// Prefix of every generated class name [default: `prefix` of [classes] in
    /// portal-disable.toml, else PortalUserDisabler].
    #[arg(long)]
    pub prefix: Option<String>,

    /// Entry points to generate besides the core class and its test, comma-separated; `none`
    /// (or an empty value) for the core class and its test only. Replaces the config's set
    /// [default: [entry_points] of portal-disable.toml, else the ones --help marks on].
    #[arg(
        long,
        value_name = "LIST",
        value_parser = entry_point_list,
        num_args = 0..=1,
        default_missing_value = "none",
        long_help = entry_points_help(),
    )]
    pub entry_points: Option<EntryPointList>,

    /// Contact checkbox (custom field) that fires the trigger entry point [default: `field` of
    /// [trigger] in portal-disable.toml, else Disable_Portal_User__c].
    #[arg(long, value_name = "FIELD")]
    pub trigger_field: Option<String>,
}

impl RenderArgs {
    /// The settings the flags override (no output folder: `generate` adds its own).
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            api_version: self.api_version,
            mode: self.mode,
            sharing: self.sharing,
            output_dir: None,
            prefix: self.prefix.clone(),
            entry_points: self.entry_points.clone().map(|list| list.0),
            trigger_field: self.trigger_field.clone(),
        }
    }
}

/// The value of `--entry-points`: one flag value holding the whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPointList(pub Vec<EntryPoint>);

/// `invocable,rest` -> those entry points; `none` or an empty value -> none.
fn entry_point_list(text: &str) -> Result<EntryPointList, String> {
    if text.trim().is_empty() || text.trim() == "none" {
        return Ok(EntryPointList(Vec::new()));
    }
    text.split(',')
        .map(|word| {
            let word = word.trim();
            EntryPoint::from_key(word).ok_or_else(|| {
                format!(
                    "unknown entry point `{word}`; use {} or none",
                    EntryPoint::keys()
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(EntryPointList)
}

/// The long help of `--entry-points`, listing the table's rows.
fn entry_points_help() -> String {
    let mut help = String::from(
        "Entry points to generate besides the core class and its test, comma-separated; `none` \
         (or an empty value) for the core class and its test only. Replaces the config's set \
         [default: [entry_points] of portal-disable.toml, else the ones marked on below].\n",
    );
    for point in EntryPoint::ALL {
        let spec = point.spec();
        let default = if spec.on_by_default {
            " [default: on]"
        } else {
            ""
        };
        help.push_str(&format!("\n  {:<10} {}{default}", spec.key, spec.summary));
    }
    help
}

/// Options of `package`.
#[derive(Debug, Args)]
pub struct PackageArgs {
    /// SFDX source folder to package instead of the generated files (repeatable). Every file
    /// in it must be of a supported type; hidden files (.forceignore, .DS_Store) and what the
    /// project's .forceignore lists are skipped.
    #[arg(long, value_name = "DIR")]
    pub source_dir: Vec<PathBuf>,

    /// Deploy zip to write; replaced atomically when it exists [default: deploy.zip].
    #[arg(long, value_name = "FILE.zip", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,

    /// Write an unzipped metadata-format folder instead of a zip (for `sf project deploy
    /// start --metadata-dir` or inspection); it must not exist or be empty.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// Put everything under NAME/ inside the zip, for deploys with singlePackage=false (the
    /// sf CLI's --metadata-dir zips) [default: package.xml at the zip root, singlePackage=true].
    #[arg(long, value_name = "NAME", conflicts_with = "output_dir")]
    pub zip_root: Option<String>,

    /// Print one JSON document on stdout instead of the summary (errors too).
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub render: RenderArgs,
}

/// Credential flags shared by every command that talks to an org. Secrets never come from
/// flags: they would show in `ps`.
#[derive(Debug, Args, Clone, Default)]
pub struct AuthArgs {
    /// Org to use, by the alias or username the sf CLI knows it by (`sf org login web --alias
    /// NAME`); the installed sf CLI gives its session. Another credential source given with it
    /// is an error [default: the sf CLI's target-org (.sf/config.json of the project, then of
    /// the home folder) when no other credential source is given].
    #[arg(
        short = 'o',
        long,
        value_name = "ALIAS|USERNAME",
        env = "SF_TARGET_ORG"
    )]
    pub target_org: Option<String>,

    /// File holding an sfdx auth URL (force://...), or the JSON that `sf org auth
    /// show-sfdx-auth-url --json` writes; wins over the SF_* credential variables.
    #[arg(long, value_name = "PATH")]
    pub auth_url_file: Option<PathBuf>,

    /// Log in through https://test.salesforce.com (JWT bearer) unless SF_LOGIN_URL says
    /// otherwise.
    #[arg(long)]
    pub sandbox: bool,
}

impl AuthArgs {
    /// What the flags say about credentials.
    pub fn flags(&self) -> AuthFlags {
        AuthFlags {
            auth_url_file: self.auth_url_file.clone(),
            target_org: self.target_org.clone(),
            sandbox: self.sandbox,
        }
    }
}

/// A parser for a [`Choice`]: clap lists its possible values with their help and refuses
/// anything else.
pub(crate) fn choice<T: Choice + Send + Sync + Clone>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(
        T::ALL
            .iter()
            .map(|v| PossibleValue::new(v.key()).help(v.help())),
    )
    .try_map(|key: String| T::from_key(&key).ok_or("not a possible value"))
}

/// `--api-version`: written `NN.0`.
fn api_version(text: &str) -> Result<ApiVersion, String> {
    text.parse()
        .map_err(|e| format!("API version `{text}` {e}"))
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
