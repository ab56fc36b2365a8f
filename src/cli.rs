//! Command-line interface. The doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::metadata::envelope::TestLevel;
use crate::settings::{EntryPoint, Mode, Sharing};

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
    /// Credentials come from the environment (SF_ACCESS_TOKEN + SF_ORG_INSTANCE_URL, SF_AUTH_URL,
    /// SF_CLIENT_ID + SF_USERNAME + SF_JWT_KEY_FILE, or SF_CLIENT_ID + SF_CLIENT_SECRET +
    /// SF_ORG_INSTANCE_URL) or from --auth-url-file.
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

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// What to generate and where; each flag overrides portal-disable.toml.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// SFDX source folder to write into [default: <default package directory>/main/default].
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    #[command(flatten)]
    pub render: RenderArgs,
}

/// What to render; each flag overrides portal-disable.toml. Shared by `generate` and
/// `package`, whose `--output-dir` means different things.
#[derive(Debug, Args, Default)]
pub struct RenderArgs {
    /// Config file to read instead of ./portal-disable.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Salesforce API version of the generated files, 57.0 to 68.0 [default: sourceApiVersion
    /// of sfdx-project.json, else 68.0].
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,

    /// disable: IsPortalEnabled = false (irreversible); deactivate: IsActive = false
    /// (reversible) [default: disable].
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,

    /// Sharing keyword of every generated class [default: with].
    #[arg(long, value_enum)]
    pub sharing: Option<Sharing>,

    /// Prefix of every generated class name [default: PortalUserDisabler].
    #[arg(long)]
    pub prefix: Option<String>,

    /// Entry points to generate besides the core class and its test, comma-separated:
    /// invocable, queueable, rest, batch, trigger; `none` (or an empty value) for the core class
    /// and its test only. Replaces the config's set [default: invocable,queueable].
    #[arg(long, value_name = "LIST", value_parser = parse_entry_points, num_args = 0..=1, default_missing_value = "none")]
    pub entry_points: Option<EntryPointList>,

    /// Contact checkbox (custom field) that fires the trigger entry point [default:
    /// Disable_Portal_User__c].
    #[arg(long, value_name = "FIELD")]
    pub trigger_field: Option<String>,
}

/// The value of `--entry-points`: one flag value holding the whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPointList(pub Vec<EntryPoint>);

/// `invocable,rest` -> those entry points; `none` or an empty value -> none.
fn parse_entry_points(text: &str) -> Result<EntryPointList, String> {
    if text.trim().is_empty() || text.trim() == "none" {
        return Ok(EntryPointList(Vec::new()));
    }
    text.split(',')
        .map(|word| {
            let word = word.trim();
            EntryPoint::ALL
                .into_iter()
                .find(|point| point.key() == word)
                .ok_or_else(|| {
                    let known: Vec<&str> = EntryPoint::ALL.iter().map(|p| p.key()).collect();
                    format!(
                        "unknown entry point `{word}`; use {} or none",
                        known.join(", ")
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(EntryPointList)
}

/// Options of `package`.
#[derive(Debug, Args)]
pub struct PackageArgs {
    /// SFDX source folder to package instead of the generated files (repeatable). Every file
    /// in it must be of a supported type; hidden files (.forceignore, .DS_Store) are skipped.
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

/// Whether the raw command line asks for JSON output: a usage error happens before clap has
/// parsed `--json`, and must still be one JSON document then.
pub fn wants_json<I, S>(args: I) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    args.into_iter()
        .take_while(|a| a.as_ref() != "--")
        .any(|a| a.as_ref() == "--json")
}

/// A clap usage error as one line: clap's message, the possible values when it lists them,
/// and where to read more. CI logs grep well on one line per error.
pub fn usage_error_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let mut parts: Vec<String> = Vec::new();
    for line in rendered.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("For more information") || line.starts_with("Usage:")
        {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        // clap prints `[possible values: a, b]` on a line of its own.
        let line = match line.strip_prefix("[possible values: ") {
            Some(values) => format!("possible values: {}", values.trim_end_matches(']')),
            None => line.to_string(),
        };
        parts.push(line);
    }
    parts.push("see `portal-disable --help`".to_string());
    strip_value_names(&parts.join("; "))
}

/// `'--entry-points [<ENTRY_POINTS>...]'` -> `'--entry-points'`: the flag is what to look up.
fn strip_value_names(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("'--") {
        out.push_str(&rest[..start]);
        let quoted = &rest[start + 1..];
        let Some(end) = quoted.find('\'') else {
            rest = &rest[start..];
            break;
        };
        let flag = &quoted[..end];
        out.push('\'');
        out.push_str(flag.split(' ').next().unwrap_or(flag));
        out.push('\'');
        rest = &quoted[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What to deploy: one of these, or the generated sources when none is given.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct DeploySource {
    /// SFDX source folder to package and deploy, repeatable [default: the generated sources].
    #[arg(long, value_name = "DIR")]
    pub source_dir: Vec<PathBuf>,

    /// Folder in Metadata API format (package.xml at its root) to zip and deploy.
    #[arg(long, value_name = "DIR")]
    pub metadata_dir: Option<PathBuf>,

    /// Deploy zip to send as it is (package.xml at its root, or in one top-level folder).
    #[arg(long, value_name = "FILE")]
    pub zip: Option<PathBuf>,
}

/// Options of `deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub source: DeploySource,

    /// Which Apex tests the org runs [default: RunSpecifiedTests with the generated test
    /// class for the generated sources; RunSpecifiedTests when --tests is given; else the
    /// org's default].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub test_level: Option<TestLevel>,

    /// Test class to run with RunSpecifiedTests; repeat the flag for several.
    #[arg(long = "tests", value_name = "CLASS")]
    pub tests: Vec<String>,

    /// Validate only: run the deploy and its tests, save nothing. Quick-deploy it later.
    #[arg(long, visible_alias = "dry-run")]
    pub check_only: bool,

    /// Warnings do not fail the deploy.
    #[arg(long)]
    pub ignore_warnings: bool,

    /// Keep the components that deployed when others fail (rollbackOnError=false, which can
    /// end SucceededPartial). Production orgs refuse it.
    #[arg(long)]
    pub ignore_errors: bool,

    /// Print the job id and exit 0 without waiting; follow it with `report JOB_ID --wait`.
    #[arg(long = "async", conflicts_with = "wait")]
    pub run_async: bool,

    /// Minutes to follow the job before exiting 69 with its id (it keeps running) [default:
    /// `wait` of [deploy] in portal-disable.toml, else 33].
    #[arg(long, value_name = "MINUTES", value_parser = wait_minutes())]
    pub wait: Option<u64>,

    /// On Ctrl-C (or SIGTERM) cancel the deploy before exiting 130 [default: leave it running
    /// and print its id].
    #[arg(long)]
    pub cancel_on_interrupt: bool,

    /// Metadata API version to call [default: the zip's package.xml version, else the org's
    /// newest].
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,

    #[command(flatten)]
    pub auth: crate::auth::AuthFlags,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// How a deploy command reports.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Print one JSON document on stdout: {"status": <exit code>, "result" | "error": ...}.
    #[arg(long)]
    pub json: bool,

    /// Write the Apex test results as JUnit XML to this file.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,

    /// Show test failures as they appear and every deployed component in the report.
    #[arg(long)]
    pub verbose: bool,
}

/// Options of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The deploy job id (0Af..., 15 or 18 characters).
    pub job_id: String,

    /// Minutes to follow the job until it is done [default: 0, report its state now].
    #[arg(long, value_name = "MINUTES", default_value_t = 0, value_parser = wait_minutes())]
    pub wait: u64,

    /// Metadata API version to call [default: the org's newest].
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,

    #[command(flatten)]
    pub auth: crate::auth::AuthFlags,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The deploy job id (0Af..., 15 or 18 characters).
    pub job_id: String,

    /// Minutes to wait for the job to be canceled.
    #[arg(long, value_name = "MINUTES", default_value_t = 33, value_parser = wait_minutes())]
    pub wait: u64,

    /// Metadata API version to call [default: the org's newest].
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,

    #[command(flatten)]
    pub auth: crate::auth::AuthFlags,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `quick-deploy`.
#[derive(Debug, Args)]
pub struct QuickDeployArgs {
    /// The id of a successful validation (`deploy --check-only`) from the last 10 days.
    pub validation_id: String,

    /// Print the new job id and exit 0 without waiting.
    #[arg(long = "async", conflicts_with = "wait")]
    pub run_async: bool,

    /// On Ctrl-C (or SIGTERM) cancel the new deploy before exiting 130.
    #[arg(long)]
    pub cancel_on_interrupt: bool,

    /// Minutes to follow the new job before exiting 69 with its id.
    #[arg(long, value_name = "MINUTES", default_value_t = 33, value_parser = wait_minutes())]
    pub wait: u64,

    /// Metadata API version to call [default: the org's newest].
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,

    #[command(flatten)]
    pub auth: crate::auth::AuthFlags,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--wait`: whole minutes up to a week (job ids outlive that only by days, and the deadline
/// must stay a representable instant).
fn wait_minutes() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(0..=7 * 24 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn error_line(args: &[&str]) -> String {
        match Cli::try_parse_from(args) {
            Ok(_) => panic!("{args:?} parsed"),
            Err(err) => usage_error_line(&err),
        }
    }

    #[test]
    fn usage_errors_are_one_line_naming_the_flag_and_the_choices() {
        assert_eq!(
            error_line(&["portal-disable", "generate", "--mode", "remove"]),
            "invalid value 'remove' for '--mode'; possible values: disable, deactivate; see `portal-disable --help`"
        );
        assert_eq!(
            error_line(&["portal-disable", "generate", "--check", "--force"]),
            "the argument '--check' cannot be used with '--force'; see `portal-disable --help`"
        );
    }
}
