//! `portal-disable deploy`: a checked zip -> one `deploy()` -> follow -> report.
//!
//! Everything that can be wrong with the input (credentials, zip, options, API version) is
//! checked before the single `deploy()` request; after it, nothing is ever sent twice: a
//! failure is reported with the job id, and `report` picks the job up again.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::auth::Credentials;
use crate::cli::{DeployArgs, RenderArgs};
use crate::commands::generate::load_render_settings;
use crate::commands::org::{self, Output};
use crate::config::{self, DeployDefaults};
use crate::error::{Error, Result};
use crate::interrupt;
use crate::metadata::archive::ZipSource;
use crate::metadata::client::CallError;
use crate::metadata::envelope::{DeployOptions, TestLevel};
use crate::metadata::schedule::Schedule;
use crate::metadata::watch::Watch;
use crate::metadata::zip_dir::zip_dir;
use crate::package;
use crate::report::progress::Progress;

/// How long `deploy` follows a job when neither `--wait` nor `[deploy] wait` says: the sf
/// CLI's default.
const DEFAULT_WAIT_MINUTES: u64 = 33;

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
    let credentials = Credentials::from_process_env(&args.auth)?;
    let defaults = config::deploy_defaults(root, None)?;
    interrupt::install();
    // `_scratch` keeps a zip built for this deploy on disk until the deploy is done.
    let Packaged {
        zip,
        default_tests,
        _scratch,
    } = match (&args.source.zip, &args.source.metadata_dir) {
        (Some(path), _) => {
            if !root.join(path).is_file() {
                return Err(Error::Input(format!(
                    "--zip `{}` is not a file; pass the path of a deploy zip",
                    path.display()
                )));
            }
            Packaged::without_tests(ZipSource::File(root.join(path)))
        }
        (None, Some(dir)) => {
            if !root.join(dir).is_dir() {
                return Err(Error::Input(format!(
                    "--metadata-dir `{}` is not a folder; pass a folder in Metadata API format",
                    dir.display()
                )));
            }
            Packaged::without_tests(ZipSource::Memory(zip_dir(&root.join(dir))?.into()))
        }
        (None, None) => package_generated_sources(root, &args.source.source_dir)?,
    };
    let summary = zip.inspect()?;
    let options = deploy_options(args, &defaults, summary.single_package, &default_tests)?;

    let mut progress = Progress::new(false);
    let mut client = org::connect(
        &credentials,
        args.api_version.as_deref(),
        summary.api_version.as_deref(),
        &|line| progress.line(line),
    )?;

    let started = Instant::now();
    let accepted = deploy_once(&client, &zip, &options, &|l| progress.line(l))
        .map_err(|e| match e {
            // A fault is the org refusing the call: no job exists. Neither when no connection
            // was ever made.
            CallError::Fault(_) => org::call_error(e, "deploy", &credentials),
            CallError::NotSent(_) => e.into_error("deploy"),
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
    interrupt::set_job(&accepted.id);
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

    if interrupt::interrupted() {
        return Err(org::interrupted(
            &client,
            &accepted.id,
            args.cancel_on_interrupt,
            &|l| progress.line(l),
        ));
    }
    let followed = Watch::for_minutes(
        &mut client,
        &credentials,
        started,
        args.wait.or(defaults.wait).unwrap_or(DEFAULT_WAIT_MINUTES),
        args.output.verbose,
        false,
    )
    .follow(&accepted.id, &mut progress);
    progress.finish();
    let result = match followed {
        Err(Error::Interrupted { .. }) => {
            return Err(org::interrupted(
                &client,
                &accepted.id,
                args.cancel_on_interrupt,
                &|l| eprintln!("{l}"),
            ));
        }
        other => other?,
    };
    let code = result.outcome().exit_code();
    output.finish(&result, code, Some(started.elapsed()), None)
}

/// Connection attempts for `deploy()` when no connection could be made at all.
pub const DEPLOY_CONNECT_ATTEMPTS: u32 = 3;

/// `deploy()`, sent at most once: only a failure to connect (DNS, refused, TLS handshake),
/// after which nothing of the request has left this machine, is tried again, with backoff.
/// A timeout, reset or unreadable answer after sending may hide an accepted job: never retried.
fn deploy_once(
    client: &crate::metadata::client::Client,
    zip: &ZipSource,
    options: &DeployOptions,
    progress: &dyn Fn(&str),
) -> std::result::Result<crate::metadata::model::AsyncResult, CallError> {
    let schedule = Schedule::from_env();
    let mut attempt = 1;
    loop {
        match client.deploy(zip, options) {
            Err(CallError::NotSent(message)) if attempt < DEPLOY_CONNECT_ATTEMPTS => {
                progress(&format!(
                    "warning: cannot connect to send deploy() ({message}); nothing was sent, trying again"
                ));
                let pause = schedule.scaled(crate::metadata::schedule::backoff(
                    attempt,
                    crate::metadata::schedule::jitter(),
                ));
                if !interrupt::sleep(pause) {
                    return Err(CallError::NotSent(message));
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

/// A zip to deploy, and the tests to run when the user names none.
pub struct Packaged {
    pub zip: ZipSource,
    /// For the generated sources: their test class, run with RunSpecifiedTests by default.
    pub default_tests: Vec<String>,
    /// Holds the folder of a zip built for this deploy; removed when dropped.
    _scratch: Option<tempfile::TempDir>,
}

impl Packaged {
    fn without_tests(zip: ZipSource) -> Self {
        Packaged {
            zip,
            default_tests: Vec::new(),
            _scratch: None,
        }
    }
}

/// Packages SFDX sources for a deploy: the files `generate` writes for the current settings
/// (portal-disable.toml, sfdx-project.json), rendered in memory, or every `--source-dir`. The
/// zip goes to a temporary folder removed when the deploy is done. For the generated sources
/// the generated test class is the default test to run.
pub fn package_generated_sources(root: &Path, source_dirs: &[PathBuf]) -> Result<Packaged> {
    let settings = load_render_settings(root, &RenderArgs::default(), None)?;
    let components = package::components(root, &settings, source_dirs)?;
    let scratch = tempfile::Builder::new()
        .prefix("portal-disable-deploy")
        .tempdir()
        .map_err(|e| Error::io("create", std::env::temp_dir(), e))?;
    let zip_path = scratch.path().join("deploy.zip");
    let warnings =
        package::zip_components(&components, &settings, &zip_path, Path::new("deploy.zip"))?;
    for warning in warnings {
        eprintln!("portal-disable: warning: {warning}");
    }
    let default_tests = if source_dirs.is_empty() {
        vec![settings.names.test.clone()]
    } else {
        Vec::new()
    };
    Ok(Packaged {
        zip: ZipSource::File(zip_path),
        default_tests,
        _scratch: Some(scratch),
    })
}

/// DeployOptions from the flags, checked. `default_tests` (the generated test class) run with
/// RunSpecifiedTests when no --tests is given and the level is RunSpecifiedTests or unset.
pub fn deploy_options(
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
    let test_level = match args.test_level {
        Some(level) => Some(level),
        None => defaults
            .test_level
            .as_deref()
            .map(|name| {
                <TestLevel as clap::ValueEnum>::from_str(name, false).map_err(|_| {
                    Error::Input(format!("[deploy] test_level `{name}` is not a test level"))
                })
            })
            .transpose()?,
    };
    for test in given_tests {
        if test.is_empty() || test.contains(',') || test.contains(char::is_whitespace) {
            return Err(Error::Input(format!(
                "--tests `{test}` is not a class name; give one class per --tests flag"
            )));
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
            tests
        } else {
            Vec::new()
        },
        single_package,
        test_level: level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn options(flags: &[&str], default_tests: &[&str]) -> Result<DeployOptions> {
        let args = ["portal-disable", "deploy", "--zip", "x.zip"]
            .iter()
            .chain(flags.iter());
        let Ok(Cli {
            command: Command::Deploy(args),
        }) = Cli::try_parse_from(args)
        else {
            panic!("{flags:?} did not parse")
        };
        let defaults: Vec<String> = default_tests.iter().map(|t| t.to_string()).collect();
        deploy_options(&args, &DeployDefaults::default(), true, &defaults)
    }

    #[test]
    fn config_defaults_apply_under_the_flags() {
        let Ok(Cli {
            command: Command::Deploy(args),
        }) = Cli::try_parse_from(["portal-disable", "deploy", "--zip", "x.zip"])
        else {
            panic!("did not parse")
        };
        let from_config = DeployDefaults {
            test_level: Some("RunSpecifiedTests".into()),
            tests: vec!["ConfiguredTest".into()],
            wait: Some(5),
        };
        let o = deploy_options(&args, &from_config, true, &["GenTest".into()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.run_tests, ["ConfiguredTest"]);
        let local = DeployDefaults {
            test_level: Some("RunLocalTests".into()),
            ..DeployDefaults::default()
        };
        let o = deploy_options(&args, &local, true, &["GenTest".into()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (o.test_level, o.run_tests.len()),
            (Some(TestLevel::RunLocalTests), 0)
        );
        // A flag wins over the file.
        let Ok(Cli {
            command: Command::Deploy(flagged),
        }) = Cli::try_parse_from([
            "portal-disable",
            "deploy",
            "--zip",
            "x.zip",
            "--test-level",
            "NoTestRun",
        ])
        else {
            panic!("did not parse")
        };
        let o = deploy_options(&flagged, &local, true, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.test_level, Some(TestLevel::NoTestRun));
    }

    #[test]
    fn test_levels() {
        let o = options(&[], &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((o.test_level, o.run_tests.len()), (None, 0));
        let o = options(&[], &["GenTest"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.test_level, Some(TestLevel::RunSpecifiedTests));
        assert_eq!(o.run_tests, ["GenTest"]);
        let o = options(&["--tests", "A", "--tests", "B"], &["GenTest"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.run_tests, ["A", "B"]);
        let o = options(&["--test-level", "RunLocalTests"], &["GenTest"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.test_level, Some(TestLevel::RunLocalTests));
        assert!(o.run_tests.is_empty());
        let o = options(&["--dry-run", "--ignore-errors", "--ignore-warnings"], &[])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(o.check_only && !o.rollback_on_error && o.ignore_warnings);
        let o = options(&["--test-level", "RunSpecifiedTests"], &["GenTest"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.run_tests, ["GenTest"]);
        assert!(options(&["--test-level", "RunSpecifiedTests"], &[]).is_err());
        for bad in [
            &["--tests", "A,B"][..],
            &["--tests", "A", "--test-level", "NoTestRun"][..],
        ] {
            assert!(
                matches!(options(bad, &["GenTest"]), Err(Error::Input(_))),
                "{bad:?}"
            );
        }
    }
}
