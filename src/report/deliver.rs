//! Delivering a deploy command's outcome the ways the user asked: the human report or the
//! `--json` document on stdout, and the `--junit` file; and turning an error into the JSON
//! error document (naming the job when one exists) or the one stderr line.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::{human, json, junit};
use crate::error::{Error, Result};
use crate::exit;
use crate::fs::atomic;
use crate::metadata::model::DeployResult;
use crate::output;
use crate::wait;

/// How a deploy command reports (from `--json`, `--junit`, `--verbose`).
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    pub json: bool,
    pub junit: Option<PathBuf>,
    pub verbose: bool,
}

/// Writes results the way the options ask for.
pub(crate) struct Reporter {
    pub options: ReportOptions,
}

impl Reporter {
    /// Checks, before anything is sent, that the `--junit` file can be written: a folder
    /// there would otherwise turn a finished deploy into an I/O error.
    pub(crate) fn check(&self) -> Result<()> {
        match &self.options.junit {
            Some(path) => atomic::check_file_destination(
                path,
                path,
                "--junit",
                "give a file path such as results/junit.xml",
            ),
            None => Ok(()),
        }
    }

    /// Runs a command body; with `--json`, an error becomes the error document (the one line
    /// on stderr stays, for people reading CI logs). `created` holds the id of a job this
    /// command created once the org accepted it: an error after that names the job, which may
    /// still run. `given` is a job id from the command line, only echoed in the JSON error.
    pub(crate) fn guard(
        &self,
        created: &RefCell<Option<String>>,
        given: Option<&str>,
        body: impl FnOnce() -> Result<ExitCode>,
    ) -> Result<ExitCode> {
        let error = match self.check().and_then(|()| body()) {
            Ok(code) => return Ok(code),
            Err(error) => error,
        };
        let job = created.borrow().clone();
        let cause = error.to_string();
        let error = match &job {
            Some(id) => Error::Job {
                job_id: id.clone(),
                source: Box::new(error),
            },
            None => error,
        };
        if !self.options.json {
            return Err(error);
        }
        output::json(&output::error_document(
            error.exit_code(),
            error.name(),
            &cause,
            job.as_deref().or(given),
        ))?;
        output::error_line(&error);
        Ok(ExitCode::from(error.exit_code()))
    }

    /// The end of a followed job: report, JSON, JUnit; returns the exit code.
    pub(crate) fn finish(
        &self,
        result: &DeployResult,
        code: u8,
        elapsed: Option<Duration>,
        validation_id: Option<&str>,
    ) -> Result<ExitCode> {
        if let Some(path) = &self.options.junit {
            if result.done {
                let text = junit::render(result);
                atomic::write_file(path, path, crate::secret::scrub(&text).as_bytes())?;
            } else {
                output::stderr_line(&format!(
                    "portal-disable: the job is still running; no JUnit file written to `{}`",
                    path.display()
                ));
            }
        }
        if self.options.json {
            output::json_text(&json::result(
                code,
                result,
                elapsed.map(|e| e.as_secs_f64()),
                validation_id,
            ))?;
        } else {
            output::stdout(&human::render(result, elapsed, self.options.verbose))?;
        }
        Ok(ExitCode::from(code))
    }

    /// A job accepted without waiting (`--async`).
    pub(crate) fn accepted(
        &self,
        id: &str,
        state: &str,
        validation_id: Option<&str>,
    ) -> Result<ExitCode> {
        if self.options.json {
            output::json_text(&json::accepted(id, state, validation_id))?;
        } else {
            output::stdout(&format!(
                "Deploy job {id} accepted ({state}).\nJob id: {id}\nFollow it with: {}\n",
                wait::resume_command(id)
            ))?;
        }
        Ok(ExitCode::from(exit::SUCCESS))
    }
}
