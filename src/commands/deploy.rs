//! `portal-disable deploy`: a checked zip -> one `deploy()` -> follow -> report.
//!
//! Everything that can be wrong with the input (credentials, zip, options, API version) is
//! checked before the single `deploy()` request; after it, nothing is ever sent twice: a
//! failure is reported with the job id, and `report` picks the job up again.

use std::cell::RefCell;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::api_version::ApiVersion;
use crate::auth::Credentials;
use crate::cli::DeployArgs;
use crate::error::{Bad, Error, Result};
use crate::http::CallError;
use crate::interrupt;
use crate::metadata::archive::ZipSource;
use crate::metadata::envelope::{DeployOptions, TestLevel};
use crate::metadata::model::AsyncResult;
use crate::metadata::watch::Watch;
use crate::org::{self, Org, cancel};
use crate::package::{self, Input, Output};
use crate::report::deliver::Reporter;
use crate::report::progress::Progress;
use crate::schedule::{Schedule, backoff, jitter};
use crate::settings::DeployDefaults;
use crate::settings::config::ConfigFile;
use crate::{output, wait};

/// Runs `deploy` in folder `root`.
pub(crate) fn run(root: &Path, args: &DeployArgs) -> Result<ExitCode> {
    let reporter = Reporter {
        options: args.org.output.options(),
    };
    let job_id = RefCell::new(None);
    reporter.guard(&job_id, None, || deploy(root, args, &reporter, &job_id))
}

fn deploy(
    root: &Path,
    args: &DeployArgs,
    reporter: &Reporter,
    job_id: &RefCell<Option<String>>,
) -> Result<ExitCode> {
    // First: an interrupt during login or the version check must stop the command with
    // nothing sent.
    interrupt::install();
    let credentials = Credentials::from_process_env(&args.org.auth.flags())?;
    let config = ConfigFile::read(root, None)?;
    let defaults = config.deploy_defaults()?;
    let prepared = prepare(root, args, &config)?;
    let options = deploy_options(
        args,
        &defaults,
        prepared.single_package,
        &prepared.default_tests,
    )?;

    let mut progress = Progress::new(false);
    let mut org = Org::connect(
        credentials,
        args.org.api_version,
        prepared.api_version,
        &|line| progress.line(line),
    )?;
    org::check_interrupt()?;

    let started = Instant::now();
    let accepted = deploy_once(&org, &prepared.zip, &options, &|l| progress.line(l))
        .map_err(|e| deploy_error(&org, e))?;
    *job_id.borrow_mut() = Some(accepted.id.clone());
    interrupt::set_job(&accepted.id);
    let state = accepted.state.as_deref().unwrap_or("Queued");
    if args.run_async {
        progress.finish();
        return reporter.accepted(&accepted.id, state, None);
    }
    progress.line(&format!(
        "{} job {} ({} files, {} bytes): {state}",
        if options.check_only {
            "Validation"
        } else {
            "Deploy"
        },
        accepted.id,
        prepared.files,
        prepared.bytes
    ));

    if interrupt::interrupted() {
        return Err(cancel::interrupted(
            &mut org,
            &accepted.id,
            args.cancel_on_interrupt,
            &|l| progress.line(l),
        ));
    }
    let minutes = args.wait.or(defaults.wait).unwrap_or(wait::DEFAULT_MINUTES);
    let followed = Watch::for_minutes(&mut org, started, minutes, args.org.output.verbose, false)
        .follow(&accepted.id, &mut progress);
    progress.finish();
    let result = match followed {
        Err(Error::Interrupted { .. }) => {
            return Err(cancel::interrupted(
                &mut org,
                &accepted.id,
                args.cancel_on_interrupt,
                &|l| output::stderr_line(l),
            ));
        }
        other => other?,
    };
    let code = result.outcome().exit_code();
    reporter.finish(&result, code, Some(started.elapsed()), None)
}

/// What a failed `deploy()` means for the user.
fn deploy_error(org: &Org, error: CallError) -> Error {
    match error {
        // A fault is the org refusing the call: no job exists. Neither when no connection was
        // ever made, nor when the zip could not be read here.
        CallError::Fault(_) => org.error(error, "deploy"),
        CallError::NotSent(_) | CallError::Failed(_) => error.into_error("deploy"),
        // Anything else may have happened after the org took the zip: never deploy again
        // blindly, and say where to look.
        other => {
            let message = match other.into_error("deploy") {
                Error::Remote { message, .. } => message,
                error => error.to_string(),
            };
            Error::Remote {
                operation: "deploy",
                message: format!(
                    "{message}; the org may have started the deploy anyway: check Setup > Deployment Status before deploying again"
                ),
            }
        }
    }
}

/// Connection attempts for `deploy()` when no connection could be made at all.
pub(crate) const DEPLOY_CONNECT_ATTEMPTS: u32 = 3;

/// `deploy()`, sent at most once: only a failure to connect (DNS, refused, TLS handshake),
/// after which nothing of the request has left this machine, is tried again, with backoff.
/// A timeout, reset or unreadable answer after sending may hide an accepted job: never retried.
fn deploy_once(
    org: &Org,
    zip: &ZipSource,
    options: &DeployOptions,
    progress: &dyn Fn(&str),
) -> std::result::Result<AsyncResult, CallError> {
    let schedule = Schedule::from_env();
    let mut attempt = 1;
    loop {
        match org.client().deploy(zip, options) {
            Err(CallError::NotSent(message)) if attempt < DEPLOY_CONNECT_ATTEMPTS => {
                progress(&format!(
                    "warning: cannot connect to send deploy() ({message}); nothing was sent, trying again"
                ));
                let pause = schedule.scaled(backoff(attempt, jitter()));
                if !interrupt::sleep(pause) {
                    return Err(CallError::Failed(Box::new(Error::Interrupted {
                        canceled: false,
                    })));
                }
                attempt += 1;
            }
            Err(CallError::NotSent(message)) => {
                return Err(CallError::NotSent(format!(
                    "{message} ({attempt} attempts; nothing was sent)"
                )));
            }
            other => return other,
        }
    }
}

/// A zip ready to send, with the facts the deploy needs about it.
struct Prepared {
    zip: ZipSource,
    /// Files (package.xml included) and bytes, for the progress line.
    files: usize,
    bytes: u64,
    single_package: bool,
    /// `package.xml`'s version, checked against the org's.
    api_version: Option<ApiVersion>,
    /// For the generated sources: their test class, run with RunSpecifiedTests by default.
    default_tests: Vec<String>,
    /// Holds the folder of a zip built for this deploy; removed when dropped.
    _scratch: Option<tempfile::TempDir>,
}

/// The zip to deploy: `--zip` as it is (checked), or `--metadata-dir`, `--source-dir` or the
/// generated sources packaged into a scratch folder removed when the deploy is done.
fn prepare(root: &Path, args: &DeployArgs, config: &ConfigFile) -> Result<Prepared> {
    if let Some(path) = &args.source.zip {
        let zip = ZipSource::new(root.join(path), path.display().to_string());
        if !root.join(path).is_file() {
            return Err(Error::input(
                Bad::MissingPath,
                format!(
                    "--zip `{}` is not a file; pass the path of a deploy zip",
                    path.display()
                ),
            ));
        }
        let summary = zip.inspect()?;
        return Ok(Prepared {
            zip,
            files: summary.files,
            bytes: summary.bytes,
            single_package: summary.single_package,
            api_version: summary.api_version,
            default_tests: Vec::new(),
            _scratch: None,
        });
    }
    let settings;
    let (input, default_tests) = match &args.source.metadata_dir {
        Some(dir) => (Input::MetadataDir(dir), Vec::new()),
        None => {
            settings = config.settings(root, &Default::default())?;
            if args.source.source_dir.is_empty() {
                (
                    Input::Generated(&settings),
                    vec![settings.names.test.clone()],
                )
            } else {
                (
                    Input::SourceDirs(&args.source.source_dir, settings.api_version),
                    Vec::new(),
                )
            }
        }
    };
    let scratch = tempfile::Builder::new()
        .prefix("portal-disable-deploy")
        .tempdir()
        .map_err(|e| Error::io("create", std::env::temp_dir(), e))?;
    let zip_path = scratch.path().join("deploy.zip");
    let packed = package::pack(
        root,
        input,
        Output::Zip {
            dest: &zip_path,
            shown: Path::new("deploy.zip"),
            root: None,
        },
    )?;
    for warning in &packed.warnings {
        output::warning(warning);
    }
    Ok(Prepared {
        zip: ZipSource::new(zip_path, "the deploy zip"),
        files: packed.files,
        bytes: packed.compressed.unwrap_or(packed.bytes),
        single_package: true,
        api_version: packed.api_version,
        default_tests,
        _scratch: Some(scratch),
    })
}

/// DeployOptions from the flags, checked. `default_tests` (the generated test class) run with
/// RunSpecifiedTests when no --tests is given and the level is RunSpecifiedTests or unset.
pub(crate) fn deploy_options(
    args: &DeployArgs,
    defaults: &DeployDefaults,
    single_package: bool,
    default_tests: &[String],
) -> Result<DeployOptions> {
    // Flags first, then [deploy] of portal-disable.toml (already checked), then the
    // generated test class.
    let given_tests = if args.tests.is_empty() {
        &defaults.tests
    } else {
        &args.tests
    };
    let test_level = args.test_level.or(defaults.test_level);
    for test in given_tests {
        if test.is_empty() || test.contains(',') || test.contains(char::is_whitespace) {
            return Err(Error::input(
                Bad::Usage,
                format!("--tests `{test}` is not a class name; give one class per --tests flag"),
            ));
        }
    }
    let tests: Vec<String> = if !given_tests.is_empty() {
        given_tests.clone()
    } else if matches!(test_level, None | Some(TestLevel::RunSpecifiedTests)) {
        default_tests.to_vec()
    } else {
        Vec::new()
    };
    let level = match (test_level, tests.is_empty()) {
        (None, false) => Some(TestLevel::RunSpecifiedTests),
        (None, true) => None,
        (Some(TestLevel::RunSpecifiedTests), true) => {
            return Err(Error::input(
                Bad::Usage,
                "--test-level RunSpecifiedTests needs at least one --tests CLASS",
            ));
        }
        (Some(level), false) if level != TestLevel::RunSpecifiedTests => {
            return Err(Error::input(
                Bad::Usage,
                format!(
                    "--tests only applies to --test-level RunSpecifiedTests, not {}",
                    level.as_str()
                ),
            ));
        }
        (Some(level), _) => Some(level),
    };
    Ok(DeployOptions {
        check_only: args.check_only,
        ignore_warnings: args.ignore_warnings,
        rollback_on_error: !args.ignore_errors,
        run_tests: if level == Some(TestLevel::RunSpecifiedTests) {
            tests
        } else {
            Vec::new()
        },
        single_package,
        test_level: level,
    })
}

#[cfg(test)]
#[path = "deploy_tests.rs"]
mod tests;
