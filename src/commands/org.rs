//! What the deploy commands share: connecting to the org with the right API version, and
//! turning a finished job into the exit code, the report, the JSON document and the JUnit file.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::auth::{Credentials, Session};
use crate::cli::OutputArgs;
use crate::error::{Error, Result};
use crate::metadata::client::{CallError, Client};
use crate::metadata::model::DeployResult;
use crate::metadata::schedule::Schedule;
use crate::report::{human, json, junit};

/// The API version we call when neither the user, the zip nor the org says (the newest we
/// know).
pub const DEFAULT_API_VERSION: &str = "68.0";

/// A deploy job id: `0Af` and 15 or 18 letters and digits.
pub fn check_job_id(id: &str, what: &str) -> Result<()> {
    let ok = id.starts_with("0Af")
        && matches!(id.len(), 15 | 18)
        && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "{what} `{id}` is not a deploy job id; it starts with 0Af and has 15 or 18 letters and digits"
        )))
    }
}

/// `NN.0`.
pub fn check_api_version(version: &str) -> Result<()> {
    let ok = version.strip_suffix(".0").is_some_and(|major| {
        !major.is_empty() && major.len() <= 3 && major.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "API version `{version}` must look like `{DEFAULT_API_VERSION}`"
        )))
    }
}

fn major(version: &str) -> f64 {
    version.parse().unwrap_or(0.0)
}

/// Connects: the session, then the org's newest version (a warning when it cannot be read),
/// then a client at `wanted` (the flag, else the zip's version) or the org's newest.
/// Refuses a version the org is too old for before any deploy request.
pub fn connect(
    credentials: &Credentials,
    flag: Option<&str>,
    zip_version: Option<&str>,
    progress: &dyn Fn(&str),
) -> Result<Client> {
    if let Some(v) = flag {
        check_api_version(v)?;
    }
    let session: Session = credentials.login()?;
    let probe = Client::new(session.clone(), DEFAULT_API_VERSION)?;
    let newest = match probe.newest_version() {
        Ok(v) => Some(v),
        // No connection at all: say so now rather than fail inside the deploy upload.
        Err(CallError::NotSent(message) | CallError::Transport(message)) => {
            return Err(Error::Remote {
                operation: "connecting to the org",
                message: format!("{} did not answer: {message}", session.instance_url),
            });
        }
        Err(e) => {
            progress(&format!(
                "warning: cannot read the org's API versions ({e}); assuming it supports the version we call"
            ));
            None
        }
    };
    if let (Some(newest), Some(zip)) = (&newest, zip_version)
        && major(zip) > major(newest)
    {
        return Err(Error::Input(format!(
            "the zip's package.xml is for API {zip}, but the org supports at most {newest}; package it for {newest} (e.g. `portal-disable generate --api-version {newest}`) or use an org on a newer release"
        )));
    }
    if let (Some(newest), Some(flag)) = (&newest, flag)
        && major(flag) > major(newest)
    {
        return Err(Error::Input(format!(
            "--api-version {flag} is newer than the org's newest version {newest}; use {newest} or older"
        )));
    }
    let version = flag
        .or(zip_version)
        .map(str::to_string)
        .or(newest)
        .unwrap_or_else(|| DEFAULT_API_VERSION.to_string());
    Client::new(session, &version)
}

/// After an interrupt (Ctrl-C, SIGTERM): cancels job `id` when asked to, best effort, and
/// returns the error that exits 130 (the command's guard adds the job id).
pub fn interrupted(client: &Client, id: &str, cancel: bool, progress: &dyn Fn(&str)) -> Error {
    if !cancel {
        return Error::Interrupted { canceled: false };
    }
    match client.cancel(id) {
        Ok(answer) => {
            if answer.done {
                progress(&format!("job {id}: Canceled"));
            } else {
                await_canceling(client, id, progress);
            }
            Error::Interrupted { canceled: true }
        }
        Err(e) => {
            progress(&format!("warning: cancelDeploy failed: {e}"));
            Error::Interrupted { canceled: false }
        }
    }
}

/// How long an interrupted command waits for the org to show the cancel (nominal time). A
/// second Ctrl-C ends the wait at once (`interrupt.rs`).
pub const CANCEL_GRACE: Duration = Duration::from_secs(10);

/// Polls job `id` for up to [`CANCEL_GRACE`] until the org shows it Canceling or finished,
/// so the user leaves knowing the cancel was taken; prints the state it reached.
fn await_canceling(client: &Client, id: &str, progress: &dyn Fn(&str)) {
    let schedule = Schedule::from_env();
    let end = Instant::now() + schedule.scaled(CANCEL_GRACE);
    while Instant::now() < end {
        if let Ok(result) = client.check_status(id, false)
            && (result.done || result.status == "Canceling")
        {
            progress(&format!("job {id}: {}", result.status));
            return;
        }
        // Not interrupt::sleep: the interrupt already happened; a second one exits.
        std::thread::sleep(
            schedule
                .scaled(Duration::from_secs(1))
                .min(end.saturating_duration_since(Instant::now())),
        );
    }
    progress(&format!(
        "warning: the org does not show job {id} canceling yet; `portal-disable report {id}` shows it"
    ));
}

/// Makes one call; when the org refuses the session and the source can log in again, logs in
/// once and repeats the same call. The outer error is a failed login.
pub fn relogging<T>(
    client: &mut Client,
    credentials: &Credentials,
    progress: &mut dyn FnMut(&str),
    call: impl Fn(&Client) -> Result<T, CallError>,
) -> Result<Result<T, CallError>> {
    match call(client) {
        Err(CallError::Fault(fault)) if fault.is_invalid_session() => match credentials.relogin() {
            Some(session) => {
                client.set_session(session?)?;
                progress("the session expired; logged in again");
                Ok(call(client))
            }
            None => Ok(Err(CallError::Fault(fault))),
        },
        other => Ok(other),
    }
}

/// [`call_error`], where an `INVALID_ID_FIELD` fault (the org's answer for an id it cannot act
/// on) also says what the id must be: `explanation`.
pub fn call_error_explaining_invalid_id(
    error: CallError,
    operation: &'static str,
    explanation: &str,
    credentials: &Credentials,
) -> Error {
    match error {
        CallError::Fault(fault) if fault.code == "INVALID_ID_FIELD" => Error::Fault {
            operation,
            code: fault.code,
            message: format!("{} ({explanation})", fault.message),
        },
        other => call_error(other, operation, credentials),
    }
}

/// The error for a failed call; a refused session says how to get a new one.
pub fn call_error(error: CallError, operation: &'static str, credentials: &Credentials) -> Error {
    match error {
        CallError::Fault(fault) if fault.is_invalid_session() => Error::Fault {
            operation,
            code: fault.code,
            message: format!("{} ({})", fault.message, credentials.expired_hint()),
        },
        other => other.into_error(operation),
    }
}

/// Writes results the way `--json`, `--junit` and the human report ask for.
pub struct Output {
    pub args: OutputArgs,
}

impl Output {
    /// Runs a command body; with `--json`, an error becomes the error document (the one line on
    /// stderr stays, for people reading CI logs). `created` holds the id of a job this command
    /// created once the org accepted it: an error after that names the job, which may still run.
    /// `given` is a job id from the command line, only echoed in the JSON error.
    pub fn guard(
        &self,
        created: &std::cell::RefCell<Option<String>>,
        given: Option<&str>,
        body: impl FnOnce() -> Result<ExitCode>,
    ) -> Result<ExitCode> {
        match body() {
            Ok(code) => Ok(code),
            Err(error) => {
                let job = created.borrow().clone();
                let cause = error.to_string();
                let error = match &job {
                    Some(id) => Error::Job {
                        job_id: id.clone(),
                        source: Box::new(error),
                    },
                    None => error,
                };
                if self.args.json {
                    print(&json::error(
                        error.exit_code(),
                        error.name(),
                        &cause,
                        job.as_deref().or(given),
                    ))?;
                    eprintln!("portal-disable: error: {error}");
                    Ok(ExitCode::from(error.exit_code()))
                } else {
                    Err(error)
                }
            }
        }
    }

    /// The end of a followed job: report, JSON, JUnit; returns the exit code.
    pub fn finish(
        &self,
        result: &DeployResult,
        code: u8,
        elapsed: Option<Duration>,
        validation_id: Option<&str>,
    ) -> Result<ExitCode> {
        if let Some(path) = &self.args.junit {
            if result.done {
                write_file(path, &junit::render(result))?;
            } else {
                eprintln!(
                    "portal-disable: the job is still running; no JUnit file written to `{}`",
                    path.display()
                );
            }
        }
        if self.args.json {
            print(&json::result(
                code,
                result,
                elapsed.map(|e| e.as_secs_f64()),
                validation_id,
            ))?;
        } else {
            print(&human::render(result, elapsed, self.args.verbose))?;
        }
        Ok(ExitCode::from(code))
    }

    /// A job accepted without waiting (`--async`).
    pub fn accepted(&self, id: &str, state: &str, validation_id: Option<&str>) -> Result<ExitCode> {
        if self.args.json {
            print(&json::accepted(id, state, validation_id))?;
        } else {
            print(&format!(
                "Deploy job {id} accepted ({state}).\nJob id: {id}\nFollow it with: portal-disable report {id} --wait 33\n"
            ))?;
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// Writes to stdout in one piece.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Error::io("write to", "standard output", e))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io("write", path, e))
}
