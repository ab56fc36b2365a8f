//! `report`, `cancel` and `quick-deploy`: commands on an existing job, stateless (the job id
//! and credentials are all they need, so they work from any CI step or machine).

use std::cell::RefCell;
use std::process::ExitCode;
use std::time::Instant;

use crate::auth::{AuthFlags, Credentials};
use crate::cli::{CancelArgs, QuickDeployArgs, ReportArgs};
use crate::commands::org::{self, Output};
use crate::error::{Error, Result};
use crate::interrupt;
use crate::metadata::client::Client;
use crate::metadata::model::Outcome;
use crate::metadata::watch::Watch;
use crate::report::progress::Progress;

/// What `report` and `cancel` start with: the job id checked, the session, interrupts
/// handled (naming the job), the progress line and a client at the right version.
fn join(
    job_id: &str,
    auth: &AuthFlags,
    api_version: Option<&str>,
) -> Result<(Credentials, Progress, Client)> {
    org::check_job_id(job_id, "job id")?;
    let credentials = Credentials::from_process_env(auth)?;
    interrupt::install();
    interrupt::set_job(job_id);
    let progress = Progress::new(false);
    let client = org::connect(&credentials, api_version, None, &|l| progress.line(l))?;
    Ok((credentials, progress, client))
}

/// `report JOB_ID [--wait M]`.
pub fn report(args: &ReportArgs) -> Result<ExitCode> {
    let output = Output {
        args: args.output.clone(),
    };
    let job_id = RefCell::new(None);
    output.guard(&job_id, Some(&args.job_id), || {
        let (credentials, mut progress, mut client) =
            join(&args.job_id, &args.auth, args.api_version.as_deref())?;
        let result = if args.wait == 0 {
            org::relogging(&mut client, &credentials, &mut |l| progress.line(l), |c| {
                c.check_status(&args.job_id, true)
            })?
            .map_err(|e| org::call_error(e, "checkDeployStatus", &credentials))?
        } else {
            Watch::for_minutes(
                &mut client,
                &credentials,
                Instant::now(),
                args.wait,
                args.output.verbose,
                true,
            )
            .follow(&args.job_id, &mut progress)?
        };
        progress.finish();
        output.finish(&result, result.outcome().exit_code(), None, None)
    })
}

/// `cancel JOB_ID`: exit 0 once the job is Canceled, 1 when it ended otherwise (too late to
/// cancel), 69 while still Canceling when --wait runs out.
pub fn cancel(args: &CancelArgs) -> Result<ExitCode> {
    let output = Output {
        args: args.output.clone(),
    };
    let job_id = RefCell::new(None);
    output.guard(&job_id, Some(&args.job_id), || {
        let (credentials, mut progress, mut client) =
            join(&args.job_id, &args.auth, args.api_version.as_deref())?;
        let answer = org::relogging(&mut client, &credentials, &mut |l| progress.line(l), |c| {
            c.cancel(&args.job_id)
        })?
        .map_err(|e| {
            org::call_error_explaining_invalid_id(
                e,
                "cancelDeploy",
                "the job is already finished, or no deploy has this id",
                &credentials,
            )
        })?;
        progress.line(&format!(
            "Cancel requested for {}{}",
            answer.id,
            if answer.done {
                ": canceled"
            } else {
                ": canceling"
            }
        ));
        let result = Watch::for_minutes(
            &mut client,
            &credentials,
            Instant::now(),
            args.wait,
            false,
            true,
        )
        .follow(&answer.id, &mut progress)?;
        progress.finish();
        let code = match result.outcome() {
            Outcome::Running => 69,
            _ if result.status == "Canceled" => 0,
            _ => 1,
        };
        output.finish(&result, code, None, None)
    })
}

/// What an id refused by `deployRecentValidation` must be.
const QUICK_DEPLOY_NEEDS: &str =
    "quick deploy needs a successful validation with tests from the last 10 days in this org";

/// `quick-deploy VALIDATION_ID`.
pub fn quick_deploy(args: &QuickDeployArgs) -> Result<ExitCode> {
    let output = Output {
        args: args.output.clone(),
    };
    let job_id = RefCell::new(None);
    output.guard(&job_id, None, || {
        org::check_job_id(&args.validation_id, "validation id")?;
        let credentials = Credentials::from_process_env(&args.auth)?;
        interrupt::install();
        let mut progress = Progress::new(false);
        let mut client = org::connect(&credentials, args.api_version.as_deref(), None, &|l| {
            progress.line(l)
        })?;
        let started = Instant::now();
        let id = org::relogging(&mut client, &credentials, &mut |l| progress.line(l), |c| {
            c.deploy_recent_validation(&args.validation_id)
        })?
        .map_err(|e| {
            org::call_error_explaining_invalid_id(
                e,
                "deployRecentValidation",
                QUICK_DEPLOY_NEEDS,
                &credentials,
            )
        })?;
        *job_id.borrow_mut() = Some(id.clone());
        interrupt::set_job(&id);
        if args.run_async {
            progress.finish();
            return output.accepted(&id, "Queued", Some(&args.validation_id));
        }
        progress.line(&format!(
            "Quick deploy job {id} of validation {}",
            args.validation_id
        ));
        let followed = Watch::for_minutes(
            &mut client,
            &credentials,
            started,
            args.wait,
            args.output.verbose,
            false,
        )
        .follow(&id, &mut progress);
        progress.finish();
        let result = match followed {
            Err(Error::Interrupted { .. }) => {
                return Err(org::interrupted(
                    &client,
                    &id,
                    args.cancel_on_interrupt,
                    &|l| eprintln!("{l}"),
                ));
            }
            other => other?,
        };
        output.finish(
            &result,
            result.outcome().exit_code(),
            Some(started.elapsed()),
            Some(&args.validation_id),
        )
    })
}
