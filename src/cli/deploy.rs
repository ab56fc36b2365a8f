//! The arguments of the commands that talk to an org about deploys: `deploy`, `report`,
//! `cancel` and `quick-deploy`.

use std::path::PathBuf;

use clap::Args;

use super::{AuthArgs, api_version, choice};
use crate::api_version::ApiVersion;
use crate::report::deliver::ReportOptions;
use crate::test_level::TestLevel;
use crate::wait;

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

    /// Which Apex tests the org runs [default: `test_level` of [deploy] in portal-disable.toml;
    /// else RunSpecifiedTests when --tests is given, or with the generated test class for the
    /// generated sources; else the org's default].
    #[arg(long, value_name = "LEVEL", value_parser = choice::<TestLevel>())]
    pub test_level: Option<TestLevel>,

    /// Test class to run with RunSpecifiedTests; repeat the flag for several [default: `tests`
    /// of [deploy] in portal-disable.toml; for the generated sources, their test class].
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

    #[command(flatten)]
    pub org: JobArgs,
}

/// What every command about a deploy job takes: the API version to call, the credentials and
/// how to report.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// Metadata API version to call [default: the package.xml version of the zip being
    /// deployed, else the org's newest].
    #[arg(long, value_name = "VERSION", value_parser = api_version)]
    pub api_version: Option<ApiVersion>,

    #[command(flatten)]
    pub auth: AuthArgs,

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

impl OutputArgs {
    /// How the command reports.
    pub fn options(&self) -> ReportOptions {
        ReportOptions {
            json: self.json,
            junit: self.junit.clone(),
            verbose: self.verbose,
        }
    }
}

/// Options of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The deploy job id (0Af..., 15 or 18 characters).
    pub job_id: String,

    /// Minutes to follow the job until it is done [default: 0, report its state now].
    #[arg(long, value_name = "MINUTES", default_value_t = 0, hide_default_value = true, value_parser = wait_minutes())]
    pub wait: u64,

    #[command(flatten)]
    pub org: JobArgs,
}

/// Options of `cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The deploy job id (0Af..., 15 or 18 characters).
    pub job_id: String,

    /// Minutes to wait for the job to be canceled.
    #[arg(long, value_name = "MINUTES", default_value_t = wait::DEFAULT_MINUTES, value_parser = wait_minutes())]
    pub wait: u64,

    #[command(flatten)]
    pub org: JobArgs,
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
    #[arg(long, value_name = "MINUTES", default_value_t = wait::DEFAULT_MINUTES, value_parser = wait_minutes())]
    pub wait: u64,

    #[command(flatten)]
    pub org: JobArgs,
}

/// `--wait`: whole minutes up to a week.
fn wait_minutes() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(0..=wait::MAX_MINUTES)
}
