//! Following a deploy job to its end (or to the end of `--wait`).
//!
//! Polls `checkDeployStatus` without details on the [`Schedule`], reports every answer to an
//! observer (the progress display), and fetches the details once, when `done` is true. `done`
//! decides, never the status name: Salesforce adds statuses (Finalizing...) over time.
//! Transient failures are polled through for as long as the wait lasts, with exponential
//! backoff and jitter ([`backoff`]) or the server's `Retry-After`, one notice per streak of
//! failures; every poll goes through `Org::call`, which logs in again once when the org refuses
//! the session and the credential source can.

use std::time::{Duration, Instant, SystemTime};

use super::client::CallError;
use super::model::{DeployResult, RunTestFailure};
use crate::error::{Error, Result};
use crate::interrupt;
use crate::org::Org;
use crate::schedule::{Schedule, age, backoff, jitter};

/// Fetching a finished job's details polls through failures this long even when the wait has
/// run out (nominal time): the job is done, only its report is missing.
pub(crate) const DETAILS_GRACE: Duration = Duration::from_secs(60);

/// What the poll loop tells the display.
pub(crate) trait Observer {
    /// A status answer (without details, except the last one).
    fn status(&mut self, result: &DeployResult);
    /// Test failures that appeared since the last call (with `--verbose` only).
    fn new_test_failures(&mut self, failures: &[RunTestFailure]);
    /// A poll failed and will be retried.
    fn retrying(&mut self, problem: &str);
    /// Polls answer again after `failures` failed ones in a row.
    fn recovered(&mut self, failures: u32) {
        let _ = failures;
    }
}

/// Failed polls in a row.
#[derive(Default)]
struct Streak {
    failures: u32,
}

/// How to follow a job.
pub(crate) struct Watch<'a> {
    pub org: &'a mut Org,
    pub schedule: Schedule,
    /// The moment the deploy started (for the poll interval).
    pub started: Instant,
    /// How long to wait at most; zero checks once.
    pub wait: Duration,
    /// Fetch details while tests run to show failures as they appear.
    pub verbose: bool,
    /// Poll once at once instead of after the first interval, and take the job's own age
    /// (from its createdDate) as the elapsed time: for `report` and `cancel`, which join a
    /// job that may have run for a while.
    pub poll_first: bool,
}

impl<'a> Watch<'a> {
    /// A watch on the environment's clock (`PORTAL_DISABLE_TIME_SCALE` in tests) that gives up
    /// after `wait_minutes` (the `--wait` flag).
    pub(crate) fn for_minutes(
        org: &'a mut Org,
        started: Instant,
        wait_minutes: u64,
        verbose: bool,
        poll_first: bool,
    ) -> Self {
        let schedule = Schedule::from_env();
        Watch {
            org,
            schedule,
            started,
            wait: schedule.scaled(Duration::from_secs(wait_minutes * 60)),
            verbose,
            poll_first,
        }
    }

    /// Polls until `done` (then returns the result with details) or until the wait runs out
    /// (then returns the last result, not done).
    pub(crate) fn follow(&mut self, id: &str, observer: &mut dyn Observer) -> Result<DeployResult> {
        let deadline = Instant::now() + self.wait;
        let mut first = true;
        let mut streak = Streak::default();
        // After a failed poll: the backoff (or Retry-After) instead of the poll interval.
        let mut retry_in: Option<Duration> = None;
        let mut failures_seen = 0usize;
        loop {
            if !(first && self.poll_first) {
                let pause = retry_in
                    .take()
                    .unwrap_or_else(|| self.schedule.interval(self.started.elapsed()));
                let now = Instant::now();
                if !first && now >= deadline {
                    return self.last(id, observer);
                }
                // Never sleep past the deadline: the last poll happens at it.
                let slept = interrupt::sleep(
                    pause
                        .min(deadline.saturating_duration_since(now))
                        .max(Duration::from_millis(1)),
                );
                if !slept {
                    return Err(Error::Interrupted { canceled: false });
                }
            }
            first = false;
            match self.poll(id, false, observer) {
                Ok(result) => {
                    if streak.failures > 0 {
                        observer.recovered(streak.failures);
                        streak.failures = 0;
                    }
                    if self.poll_first {
                        self.anchor(&result);
                    }
                    observer.status(&result);
                    if result.done {
                        return self.details(id, result, observer);
                    }
                    if self.verbose
                        && result.number_test_errors as usize > failures_seen
                        && let Ok(detailed) = self.poll(id, true, observer)
                    {
                        let failures = detailed
                            .test_result()
                            .map(|t| t.failures.as_slice())
                            .unwrap_or_default();
                        if failures.len() > failures_seen {
                            observer.new_test_failures(&failures[failures_seen..]);
                            failures_seen = failures.len();
                        }
                    }
                    if Instant::now() >= deadline {
                        return Ok(result);
                    }
                }
                Err(e) => {
                    retry_in = Some(self.handle(e, &mut streak, deadline, observer)?);
                    if Instant::now() >= deadline {
                        return self.last(id, observer);
                    }
                }
            }
        }
    }

    /// Moves the start of the schedule back to the job's creation. Both are real time (the
    /// org's clock against ours: a skew of seconds only shifts an interval clamped to 1-10 s).
    fn anchor(&mut self, result: &DeployResult) {
        let age = result
            .created_date
            .as_deref()
            .and_then(|date| age(date, SystemTime::now()));
        if let Some(started) = age.and_then(|age| Instant::now().checked_sub(age)) {
            self.started = self.started.min(started);
        }
    }

    /// One more status check when the wait ran out between polls. A transient failure then
    /// leaves the job's state unknown: [`Error::WaitExpired`] (exit 69, like a job still
    /// running), never a failure of the deploy.
    fn last(&mut self, id: &str, observer: &mut dyn Observer) -> Result<DeployResult> {
        let result = match self.poll(id, false, observer) {
            Ok(result) => result,
            Err(e) if e.is_transient() => return Err(Error::WaitExpired(e.to_string())),
            Err(e) => return Err(self.org.error(e, "checkDeployStatus")),
        };
        if result.done {
            return self.details(id, result, observer);
        }
        Ok(result)
    }

    /// Fetches the finished job's details, polling through transient failures for
    /// [`DETAILS_GRACE`]. When they cannot be had, the job's `summary` (done, without
    /// details) is the result: the deploy's outcome and exit code stand, and a failure to
    /// read its report never turns a finished deploy into an error.
    fn details(
        &mut self,
        id: &str,
        summary: DeployResult,
        observer: &mut dyn Observer,
    ) -> Result<DeployResult> {
        let mut streak = Streak::default();
        let deadline = Instant::now() + self.schedule.scaled(DETAILS_GRACE);
        loop {
            let problem = match self.poll(id, true, &mut NoObserver) {
                Ok(result) => return Ok(result),
                Err(e) if Instant::now() >= deadline => e.to_string(),
                Err(e) => {
                    let text = e.to_string();
                    match self.handle(e, &mut streak, deadline, &mut NoObserver) {
                        Ok(pause) => {
                            if !interrupt::sleep(pause) {
                                return Err(Error::Interrupted { canceled: false });
                            }
                            continue;
                        }
                        Err(Error::Fault { code, message, .. }) => format!("{code}: {message}"),
                        Err(_) => text,
                    }
                }
            };
            observer.retrying(&format!(
                "cannot fetch the job's details ({problem}); reporting its status only"
            ));
            return Ok(summary);
        }
    }

    /// One status check through the org's call rules (one re-login on a refused session).
    fn poll(
        &mut self,
        id: &str,
        details: bool,
        observer: &mut dyn Observer,
    ) -> std::result::Result<DeployResult, CallError> {
        self.org.call(&mut |notice| observer.retrying(notice), |c| {
            c.check_status(id, details)
        })
    }

    /// Decides what a failed poll means: retry after the returned pause (Ok) or stop (Err).
    /// The pause never reaches past `deadline`.
    fn handle(
        &mut self,
        error: CallError,
        streak: &mut Streak,
        deadline: Instant,
        observer: &mut dyn Observer,
    ) -> Result<Duration> {
        if !error.is_transient() {
            return Err(self.org.error(error, "checkDeployStatus"));
        }
        streak.failures += 1;
        if streak.failures == 1 {
            observer.retrying(&format!(
                "{error}; polling again with backoff until the wait runs out"
            ));
        }
        let pause = match error.retry_after() {
            Some(asked) => self.schedule.scaled(asked),
            None => self.schedule.scaled(backoff(streak.failures, jitter())),
        };
        Ok(pause.min(deadline.saturating_duration_since(Instant::now())))
    }
}

/// Discards everything.
pub(crate) struct NoObserver;

impl Observer for NoObserver {
    fn status(&mut self, _: &DeployResult) {}
    fn new_test_failures(&mut self, _: &[RunTestFailure]) {}
    fn retrying(&mut self, _: &str) {}
}
