//! After an interrupt (Ctrl-C, SIGTERM) while a job is followed: leave it running (the
//! default) or cancel it (`--cancel-on-interrupt`) and wait briefly until the org shows the
//! cancel, so the user leaves knowing it was taken.

use std::time::{Duration, Instant};

use super::Org;
use crate::error::Error;
use crate::schedule::Schedule;

/// How long an interrupted command waits for the org to show the cancel (nominal time). A
/// second Ctrl-C ends the wait at once (`interrupt.rs`).
pub(crate) const CANCEL_GRACE: Duration = Duration::from_secs(10);

/// Cancels job `id` when asked to, best effort, and returns the error that exits 130 (the
/// command's guard adds the job id).
pub(crate) fn interrupted(org: &mut Org, id: &str, cancel: bool, progress: &dyn Fn(&str)) -> Error {
    if !cancel {
        return Error::Interrupted { canceled: false };
    }
    match org.call(&mut |_| {}, |c| c.cancel(id)) {
        Ok(answer) => {
            if answer.done {
                progress(&format!("job {id}: Canceled"));
            } else {
                await_canceling(org, id, progress);
            }
            Error::Interrupted { canceled: true }
        }
        Err(e) => {
            progress(&format!("warning: cancelDeploy failed: {e}"));
            Error::Interrupted { canceled: false }
        }
    }
}

/// Polls job `id` for up to [`CANCEL_GRACE`] until the org shows it Canceling or finished;
/// prints the state it reached.
fn await_canceling(org: &mut Org, id: &str, progress: &dyn Fn(&str)) {
    let schedule = Schedule::from_env();
    let end = Instant::now() + schedule.scaled(CANCEL_GRACE);
    while Instant::now() < end {
        if let Ok(result) = org.call(&mut |_| {}, |c| c.check_status(id, false))
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
