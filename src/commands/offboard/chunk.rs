//! One call of the Invocable action for a chunk of Contacts, and what happens when its answer
//! is lost.
//!
//! A lost answer (a reset, a timeout, an unreadable body, a 5xx or 429 from the org or a proxy)
//! may hide a committed change. A disable clears the user's `ContactId`, so sending the chunk
//! again would report `NO_PORTAL_USER` for users it had just disabled. So the chunk is never
//! sent again blindly: the users found for its Contacts before the call are read again by Id,
//! those that show the change are recorded as done (with a note saying how it is known), and
//! only the rest is sent again, after the poller's backoff, up to [`calls::ATTEMPTS`] calls in
//! all. A refusal of the whole request (401 after the re-login, 403, 404, a 400 error body)
//! means nothing ran. A failure to connect sent nothing and is tried again as it is.

use std::collections::HashMap;

use super::calls::{self, Say};
use super::lookup::{self, User};
use super::results::{Record, status};
use super::{call_error, clean};
use crate::error::Error;
use crate::http::CallError;
use crate::ids::Id;
use crate::org::Org;
use crate::rest::actions::{self, ActionResult};
use crate::settings::{Mode, Settings};

/// The note of a Contact whose outcome was read from the org after a lost answer.
pub(crate) const NOTE_RECONCILED: &str =
    "the answer to the action call was lost; the org shows the user";
/// The note of a Contact sent again after a lost answer, once the org showed it unchanged.
pub(crate) const NOTE_RESENT: &str =
    "sent again after a lost answer: the org showed this Contact's user unchanged";

/// How a chunk ended.
pub(crate) enum Sent {
    /// Every Contact has its outcome.
    Done(Vec<Record>),
    /// The chunk stopped: the outcomes known, the Contacts whose outcome is unknown (sent,
    /// answer lost, not checked), and why. Contacts in neither were not changed.
    Stopped {
        records: Vec<Record>,
        unknown: Vec<Id>,
        error: Error,
    },
}

/// Calls the action for `contacts`; `before` holds the user the Apex acts on for each Contact
/// that has one, read before the call.
pub(crate) fn send(
    org: &mut Org,
    settings: &Settings,
    say: Say,
    contacts: &[Id],
    before: &HashMap<Id, User>,
) -> Sent {
    let class = settings.names.invocable.as_str();
    let mut pending: Vec<Id> = contacts.to_vec();
    let mut records = Vec::new();
    let mut lost = false;
    let mut attempt = 1;
    loop {
        let answer = org.rest_call(&mut |l| say(l), |c| actions::invoke(c, class, &pending));
        let error = match answer {
            Ok(results) => {
                for (contact, result) in pending.iter().zip(results) {
                    records.push(record(
                        settings.mode,
                        contact,
                        &result,
                        before.get(contact),
                        lost,
                    ));
                }
                return Sent::Done(records);
            }
            Err(e) => e,
        };
        let may_have_run = !matches!(error, CallError::NotSent(_)) && error.is_transient();
        if !error.is_transient() || attempt >= calls::ATTEMPTS && !may_have_run {
            let error = call_error(org, settings, error, "calling the Invocable action");
            return Sent::Stopped {
                records,
                unknown: Vec::new(),
                error,
            };
        }
        say(&format!(
            "warning: the action call for {} Contact{} failed ({}){}",
            pending.len(),
            if pending.len() == 1 { "" } else { "s" },
            clean(&error.to_string()),
            if may_have_run {
                "; it may have run: checking the users in the org before sending again"
            } else {
                "; nothing was sent, trying again"
            }
        ));
        if let Err(stop) = calls::sleep(calls::pause(&error, attempt)) {
            let unknown = if may_have_run { pending } else { Vec::new() };
            return Sent::Stopped {
                records,
                unknown,
                error: stop,
            };
        }
        if may_have_run {
            lost = true;
            let checked: Vec<Id> = pending
                .iter()
                .filter_map(|c| before.get(c).map(|u| u.id.clone()))
                .collect();
            let now = match lookup::users_by_id(org, settings, say, &checked) {
                Ok(now) => now,
                Err(error) => {
                    return Sent::Stopped {
                        records,
                        unknown: pending,
                        error,
                    };
                }
            };
            pending.retain(|contact| {
                let Some(user) = before.get(contact) else {
                    return true;
                };
                // A user no longer found was deleted or is no longer visible: not done by us.
                match now.get(&user.id) {
                    Some(current) if current.is_done(settings.mode) => {
                        records.push(reconciled(settings.mode, contact, user));
                        false
                    }
                    _ => true,
                }
            });
            if pending.is_empty() {
                return Sent::Done(records);
            }
        }
        if attempt >= calls::ATTEMPTS {
            let error = call_error(org, settings, error, "calling the Invocable action");
            return Sent::Stopped {
                records,
                unknown: Vec::new(),
                error,
            };
        }
        attempt += 1;
    }
}

/// The status of the mode's change.
fn done_status(mode: Mode) -> &'static str {
    match mode {
        Mode::Disable => status::DISABLED,
        Mode::Deactivate => status::DEACTIVATED,
    }
}

/// A Contact whose user shows the change after the call's answer was lost.
fn reconciled(mode: Mode, contact: &Id, user: &User) -> Record {
    let mut record = Record::new(contact, done_status(mode));
    record.user_id = Some(user.id.clone());
    record.username = user.username.clone();
    record.note = format!(
        "the answer to the action call was lost; the org shows the user {}, so it was not sent again",
        if mode.is_disable() {
            "disabled"
        } else {
            "inactive"
        }
    );
    record
}

/// One Contact's record from its result in the answer.
fn record(
    mode: Mode,
    contact: &Id,
    result: &ActionResult,
    before: Option<&User>,
    lost: bool,
) -> Record {
    let mut record = Record::new(contact, status::FAILED);
    record.user_id = Id::parse(result.output("userId"))
        .ok()
        .or_else(|| before.map(|u| u.id.clone()));
    record.username = match result.output("username") {
        "" => before.map(|u| u.username.clone()).unwrap_or_default(),
        name => name.to_string(),
    };
    let mut notes = Vec::new();
    if lost {
        notes.push(NOTE_RESENT.to_string());
    }
    if result.is_success {
        match result.output("status") {
            "" => {
                record.error_code = "NO_STATUS".into();
                record.error_message = "the action answered no status for this Contact".into();
            }
            value => record.status = value.to_string(),
        }
        record.error_code = match result.output("errorCode") {
            "" => record.error_code,
            code => code.to_string(),
        };
        record.error_message = match result.output("errorMessage") {
            "" => record.error_message,
            message => message.to_string(),
        };
        if record.status == status::QUEUED {
            notes.push(format!("queued as job {}", result.output("jobId")));
        }
        if record.status == status::NO_PORTAL_USER && mode.is_disable() {
            notes.push(
                "no portal user is linked: a user disabled earlier is unlinked from its Contact, so running again changed nothing"
                    .into(),
            );
        }
    } else {
        let (code, _) = result.errors.first().cloned().unwrap_or_default();
        record.error_code = if code.is_empty() {
            "UNKNOWN_ERROR".into()
        } else {
            code
        };
        record.error_message = result
            .errors
            .iter()
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ");
    }
    record.note = notes.join("; ");
    record
}
