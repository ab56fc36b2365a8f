//! `portal-disable deploy`: a checked zip -> one `deploy()` -> follow -> report.
//!
//! Everything that can be wrong with the input (credentials, zip, options, API version) is
//! checked before the single `deploy()` request; after it, nothing is ever sent twice: a
//! failure is reported with the job id, and `report` picks the job up again.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::auth::Credentials;
use crate::cli::DeployArgs;
use crate::commands::org::{self, Output};
use crate::error::{Error, Result};
use crate::metadata::archive::ZipSource;
use crate::metadata::client::CallError;
use crate::metadata::envelope::{DeployOptions, TestLevel};
use crate::metadata::schedule::Schedule;
use crate::metadata::watch::Watch;
use crate::metadata::zip_dir::zip_dir;
use crate::report::progress::Progress;

/// Runs `deploy` in folder `root`.
pub fn run(root: &Path, args: &DeployArgs) -> Result<ExitCode> {
    let output = Output {
        args: args.output.clone(),
    };
    let job_id = RefCell::new(None);
    output.guard(&job_id, None, || deploy(root, args, &output, &job_id))
}

fn deploy(
    root: &Path,
    args: &DeployArgs,
    output: &Output,
    job_id: &RefCell<Option<String>>,
) -> Result<ExitCode> {
    let credentials = Credentials::from_process_env()?;
    let (zip, generated) = match (&args.source.zip, &args.source.metadata_dir) {
        (Some(path), _) => {
            if !root.join(path).is_file() {
                return Err(Error::Input(format!(
                    "--zip `{}` is not a file; pass the path of a deploy zip",
                    path.display()
                )));
            }
            (ZipSource::File(root.join(path)), false)
        }
        (None, Some(dir)) => {
            if !root.join(dir).is_dir() {
                return Err(Error::Input(format!(
                    "--metadata-dir `{}` is not a folder; pass a folder in Metadata API format",
                    dir.display()
                )));
            }
            (ZipSource::Memory(zip_dir(&root.join(dir))?.into()), false)
        }
        (None, None) => (
            package_generated_sources(root, &args.source.source_dir)?,
            args.source.source_dir.is_empty(),
        ),
    };
    let summary = zip.inspect()?;
    let options = deploy_options(args, summary.single_package, generated)?;

    let mut progress = Progress::new(false);
    let mut client = org::connect(
        &credentials,
        args.api_version.as_deref(),
        summary.api_version.as_deref(),
        &|line| progress.line(line),
    )?;

    let started = Instant::now();
    let accepted = client
        .deploy(&zip, &options)
        .map_err(|e| match e {
            // A fault is the org refusing the call: no job exists.
            CallError::Fault(_) => org::call_error(e, "deploy", &credentials),
            // Anything else may have happened after the org took the zip: never deploy again
            // blindly, and say where to look.
            other => {
                let error = other.into_error("deploy");
                Error::Remote {
                    operation: "deploy",
                    message: format!(
                        "{}; the org may have started the deploy anyway: check Setup > Deployment Status before deploying again",
                        match &error {
                            Error::Remote { message, .. } => message.clone(),
                            other => other.to_string(),
                        }
                    ),
                }
            }
        })?;
    *job_id.borrow_mut() = Some(accepted.id.clone());
    let state = accepted.state.as_deref().unwrap_or("Queued");
    if args.run_async {
        progress.finish();
        return output.accepted(&accepted.id, state, None);
    }
    progress.line(&format!(
        "{} job {} ({} files, {} bytes): {state}",
        if options.check_only {
            "Validation"
        } else {
            "Deploy"
        },
        accepted.id,
        summary.files,
        summary.bytes
    ));

    let schedule = Schedule::from_env();
    let result = Watch {
        client: &mut client,
        credentials: &credentials,
        schedule,
        started,
        wait: schedule.scaled(Duration::from_secs(args.wait * 60)),
        verbose: args.output.verbose,
        poll_first: false,
    }
    .follow(&accepted.id, &mut progress)?;
    progress.finish();
    let code = result.outcome().exit_code();
    output.finish(&result, code, Some(started.elapsed()), None)
}

/// The seam for deploying SFDX sources: packaging them (the generated sources by default, or
/// `--source-dir`) into a deploy zip is the `package` command's work, which lands separately.
/// Wire it here: return `ZipSource::Memory(zip.into())` (or `File`) of the package it builds.
pub fn package_generated_sources(_root: &Path, source_dirs: &[PathBuf]) -> Result<ZipSource> {
    let what = match source_dirs.first() {
        Some(dir) => format!("--source-dir `{}`", dir.display()),
        None => "the generated sources (the default)".to_string(),
    };
    Err(Error::Input(format!(
        "deploying {what} needs packaging of SFDX sources, which lands with the `package` command; for now deploy a metadata folder with --metadata-dir DIR or a zip with --zip FILE"
    )))
}

/// DeployOptions from the flags, checked. `generated` is true when deploying the generated
/// sources, whose test class is then the default test to run.
pub fn deploy_options(
    args: &DeployArgs,
    single_package: bool,
    generated: bool,
) -> Result<DeployOptions> {
    for test in &args.tests {
        if test.is_empty() || test.contains(',') || test.contains(char::is_whitespace) {
            return Err(Error::Input(format!(
                "--tests `{test}` is not a class name; give one class per --tests flag"
            )));
        }
    }
    let level = match (args.test_level, args.tests.is_empty()) {
        (None, false) => Some(TestLevel::RunSpecifiedTests),
        (None, true) if generated => Some(TestLevel::RunSpecifiedTests),
        (None, true) => None,
        (Some(TestLevel::RunSpecifiedTests), true) if !generated => {
            return Err(Error::Input(
                "--test-level RunSpecifiedTests needs at least one --tests CLASS".into(),
            ));
        }
        (Some(level), false) if level != TestLevel::RunSpecifiedTests => {
            return Err(Error::Input(format!(
                "--tests only applies to --test-level RunSpecifiedTests, not {}",
                level.as_str()
            )));
        }
        (Some(level), _) => Some(level),
    };
    Ok(DeployOptions {
        check_only: args.check_only,
        ignore_warnings: args.ignore_warnings,
        rollback_on_error: !args.ignore_errors,
        run_tests: if level == Some(TestLevel::RunSpecifiedTests) {
            args.tests.clone()
        } else {
            Vec::new()
        },
        single_package,
        test_level: level,
    })
}
