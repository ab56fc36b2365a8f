//! `report`, `cancel` and `quick-deploy`: commands on an existing job, stateless (the job id
//! and credentials are all they need, so they work from any CI step or machine).

use std::cell::RefCell;
use std::process::ExitCode;
use std::time::Instant;

use crate::api_version::ApiVersion;
use crate::auth::{AuthFlags, Credentials};
use crate::cli::{CancelArgs, QuickDeployArgs, ReportArgs};
use crate::error::{Bad, Error, Result};
use crate::exit;
use crate::interrupt;
use crate::metadata::model::Outcome;
use crate::metadata::watch::Watch;
use crate::org::{Org, cancel};
use crate::output;
use crate::report::deliver::Reporter;
use crate::report::progress::Progress;

/// A deploy job id: `0Af` and 15 or 18 letters and digits.
pub(crate) fn check_job_id(id: &str, what: &str) -> Result<()> {
    let ok = id.starts_with("0Af")
        && matches!(id.len(), 15 | 18)
        && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            Bad::InvalidId,
            format!(
                "{what} `{id}` is not a deploy job id; it starts with 0Af and has 15 or 18 letters and digits"
            ),
        ))
    }
}

/// What `report` and `cancel` start with: the job id checked, the session, interrupts
/// handled (naming the job), the progress line and a connection at the right version.
fn join(
    job_id: &str,
    auth: &AuthFlags,
    api_version: Option<ApiVersion>,
) -> Result<(Progress, Org)> {
    check_job_id(job_id, "job id")?;
    interrupt::install();
    interrupt::set_job(job_id);
    let credentials = Credentials::from_process_env(auth)?;
    let progress = Progress::new(false);
    let org = Org::connect(credentials, api_version, None, &|l| progress.line(l))?;
    Ok((progress, org))
}

/// `report JOB_ID [--wait M]`.
pub(crate) fn report(args: &ReportArgs) -> Result<ExitCode> {
    let reporter = Reporter {
        options: args.org.output.options(),
    };
    let job_id = RefCell::new(None);
    reporter.guard(&job_id, Some(&args.job_id), || {
        let (mut progress, mut org) =
            join(&args.job_id, &args.org.auth.flags(), args.org.api_version)?;
        let result = if args.wait == 0 {
            org.call(&mut |l| progress.line(l), |c| {
                c.check_status(&args.job_id, true)
            })
            .map_err(|e| org.error(e, "checkDeployStatus"))?
        } else {
            Watch::for_minutes(
                &mut org,
                Instant::now(),
                args.wait,
                args.org.output.verbose,
                true,
            )
            .follow(&args.job_id, &mut progress)?
        };
        progress.finish();
        reporter.finish(&result, result.outcome().exit_code(), None, None)
    })
}

/// `cancel JOB_ID`: exit 0 once the job is Canceled, 1 when it ended otherwise (too late to
/// cancel), 69 while still Canceling when --wait runs out.
pub(crate) fn cancel(args: &CancelArgs) -> Result<ExitCode> {
    let reporter = Reporter {
        options: args.org.output.options(),
    };
    let job_id = RefCell::new(None);
    reporter.guard(&job_id, Some(&args.job_id), || {
        let (mut progress, mut org) =
            join(&args.job_id, &args.org.auth.flags(), args.org.api_version)?;
        let answer = org
            .call(&mut |l| progress.line(l), |c| c.cancel(&args.job_id))
            .map_err(|e| {
                org.error_explaining_invalid_id(
                    e,
                    "cancelDeploy",
                    "the job is already finished, or no deploy has this id",
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
        let result = Watch::for_minutes(&mut org, Instant::now(), args.wait, false, true)
            .follow(&answer.id, &mut progress)?;
        progress.finish();
        let code = match result.outcome() {
            Outcome::Running => exit::STILL_RUNNING,
            _ if result.status == "Canceled" => exit::SUCCESS,
            _ => exit::FAILURE,
        };
        reporter.finish(&result, code, None, None)
    })
}

/// What an id refused by `deployRecentValidation` must be.
const QUICK_DEPLOY_NEEDS: &str =
    "quick deploy needs a successful validation with tests from the last 10 days in this org";

/// `quick-deploy VALIDATION_ID`.
pub(crate) fn quick_deploy(args: &QuickDeployArgs) -> Result<ExitCode> {
    let reporter = Reporter {
        options: args.org.output.options(),
    };
    let job_id = RefCell::new(None);
    reporter.guard(&job_id, None, || {
        check_job_id(&args.validation_id, "validation id")?;
        interrupt::install();
        let credentials = Credentials::from_process_env(&args.org.auth.flags())?;
        let mut progress = Progress::new(false);
        let mut org = Org::connect(credentials, args.org.api_version, None, &|l| {
            progress.line(l)
        })?;
        crate::org::check_interrupt()?;
        let started = Instant::now();
        let id = org
            .call(&mut |l| progress.line(l), |c| {
                c.deploy_recent_validation(&args.validation_id)
            })
            .map_err(|e| {
                org.error_explaining_invalid_id(e, "deployRecentValidation", QUICK_DEPLOY_NEEDS)
            })?;
        *job_id.borrow_mut() = Some(id.clone());
        interrupt::set_job(&id);
        if args.run_async {
            progress.finish();
            return reporter.accepted(&id, "Queued", Some(&args.validation_id));
        }
        progress.line(&format!(
            "Quick deploy job {id} of validation {}",
            args.validation_id
        ));
        let followed =
            Watch::for_minutes(&mut org, started, args.wait, args.org.output.verbose, false)
                .follow(&id, &mut progress);
        progress.finish();
        let result = match followed {
            Err(Error::Interrupted { .. }) => {
                return Err(cancel::interrupted(
                    &mut org,
                    &id,
                    args.cancel_on_interrupt,
                    &|l| output::stderr_line(l),
                ));
            }
            other => other?,
        };
        reporter.finish(
            &result,
            result.outcome().exit_code(),
            Some(started.elapsed()),
            Some(&args.validation_id),
        )
    })
}
