//! Every REST read of `preview` and `run`, made the same way: through [`Org::rest_call`] (one
//! re-login on `INVALID_SESSION_ID`), and tried again on transient failures (transport errors,
//! 5xx, 420/429, unreadable answers, `REQUEST_LIMIT_EXCEEDED`) with the poller's backoff, or the
//! server's `Retry-After`. Reads change nothing in the org, so repeating them is always safe;
//! the action call is not a read and has its own rules (`chunk.rs`).

use std::time::Duration;

use serde_json::Value;

use super::call_error;
use crate::error::{Error, Result};
use crate::http::CallError;
use crate::interrupt;
use crate::org::Org;
use crate::rest::{self, query};
use crate::schedule::{Schedule, backoff, jitter};
use crate::settings::Settings;

/// Attempts of one read before it fails: pauses of about 1, 2, 4, 8 and 10 s in between.
pub(crate) const ATTEMPTS: u32 = 6;
/// The longest pause honoured from a `Retry-After`.
pub(crate) const MAX_PAUSE: Duration = Duration::from_secs(120);

/// Where the commands' notices go (a progress line).
pub(crate) type Say<'a> = &'a dyn Fn(&str);

/// The pause before attempt `attempt + 1` after `error`, scaled by the test clock.
pub(crate) fn pause(error: &CallError, attempt: u32) -> Duration {
    let nominal = error
        .retry_after()
        .map_or_else(|| backoff(attempt, jitter()), |wait| wait.min(MAX_PAUSE));
    Schedule::from_env().scaled(nominal)
}

/// Sleeps `pause`; an interrupt ends the command.
pub(crate) fn sleep(pause: Duration) -> Result<()> {
    if interrupt::sleep(pause) {
        Ok(())
    } else {
        Err(Error::Interrupted { canceled: false })
    }
}

/// One read, tried until it succeeds, fails for good, or [`ATTEMPTS`] are spent.
pub(crate) fn read<T>(
    org: &mut Org,
    settings: &Settings,
    say: Say,
    operation: &'static str,
    call: impl Fn(&rest::Client) -> std::result::Result<T, CallError>,
) -> Result<T> {
    crate::org::check_interrupt()?;
    let mut attempt = 1;
    loop {
        match org.rest_call(&mut |l| say(l), &call) {
            Ok(value) => {
                if attempt > 1 {
                    say(&format!("{operation}: the org answers again"));
                }
                return Ok(value);
            }
            Err(e) if e.is_transient() && attempt < ATTEMPTS => {
                say(&format!(
                    "warning: {operation} failed ({}); trying again",
                    super::clean(&e.to_string())
                ));
                sleep(pause(&e, attempt))?;
                attempt += 1;
            }
            Err(e) => return Err(call_error(org, settings, e, operation)),
        }
    }
}

/// Every record of each query in `soqls`, following `nextRecordsUrl` page by page.
pub(crate) fn records(
    org: &mut Org,
    settings: &Settings,
    say: Say,
    soqls: &[String],
) -> Result<Vec<Value>> {
    let mut all = Vec::new();
    for soql in soqls {
        let mut path = query::path(org.rest(), soql);
        loop {
            let page = read(org, settings, say, "query", |c| query::page(c, &path))?;
            let next = page.next().map(str::to_string);
            all.extend(page.records);
            match next {
                Some(next) => path = next,
                None => break,
            }
        }
    }
    Ok(all)
}
