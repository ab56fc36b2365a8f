//! `preview` and `run`: offboarding a list of Contacts through the deployed Invocable action.
//!
//! Both start the same way ([`start`]): the settings `generate` uses (the mode and the class
//! names), the Contacts list checked whole, credentials, then the org. Everything that can be
//! wrong with the input fails here with exit 2, before anything is sent.
//!
//! - [`contacts`]: the list file. [`lookup`]: the users of Contacts, as the generated Apex
//!   finds them, and what it will do with each. [`calls`]: every REST GET, with the re-login
//!   rule of [`Org`] and backoff on transient failures. [`preview`]: the dry run.
//! - [`run`]: the chunks; [`chunk`]: one action call and what a lost answer leaves to do;
//!   [`results`]: the CSV record; [`resume`]: what an earlier record leaves to do;
//!   [`report`]: what the user reads.

pub(crate) mod calls;
pub(crate) mod chunk;
pub(crate) mod contacts;
pub(crate) mod lookup;
pub(crate) mod preview;
pub(crate) mod report;
pub(crate) mod results;
pub(crate) mod resume;
pub(crate) mod run;

use std::path::Path;

use crate::auth::Credentials;
use crate::cli::ContactsArgs;
use crate::error::{Error, Result};
use crate::http::CallError;
use crate::interrupt;
use crate::org::{self, Org};
use crate::settings::{Settings, config};

use contacts::ContactList;

/// What both commands work with once the input is checked.
pub(crate) struct Start {
    pub settings: Settings,
    pub list: ContactList,
    pub credentials: Credentials,
}

/// Settings, the list and credentials: all checked, nothing sent.
pub(crate) fn start(root: &Path, args: &ContactsArgs) -> Result<Start> {
    interrupt::install();
    let settings = config::load(root, &args.overrides())?;
    let list = contacts::read_list(root, &args.contacts, args.id_column.as_deref())?;
    let credentials = Credentials::from_process_env(&args.auth.flags())?;
    Ok(Start {
        settings,
        list,
        credentials,
    })
}

/// Logs in and picks the org's newest API version; stops on an interrupt with nothing sent.
pub(crate) fn connect(credentials: Credentials, say: &dyn Fn(&str)) -> Result<Org> {
    let org = Org::connect(credentials, None, None, say)?;
    org::check_interrupt()?;
    Ok(org)
}

/// The user-facing error of a failed REST call of `operation`: a refused session says how to
/// get a new one, a missing permission names the permission set to assign.
pub(crate) fn call_error(
    org: &Org,
    settings: &Settings,
    error: CallError,
    operation: &'static str,
) -> Error {
    let grant = || {
        format!(
            "assign the permission set `{}` to the user the tool logs in as: it grants API Enabled and access to the Apex class `{}`",
            settings.names.permission_set(),
            settings.names.invocable
        )
    };
    match error {
        CallError::Fault(fault) if fault.is_invalid_session() => match org.credentials() {
            Credentials::AccessToken { .. } => org.error(CallError::Fault(fault), operation),
            _ => Error::Fault {
                operation,
                code: fault.code,
                message: format!(
                    "{} (the org refused the session even after logging in again; {})",
                    fault.message,
                    grant()
                ),
            },
        },
        CallError::Fault(fault) if is_access_fault(&fault.code) => Error::Fault {
            operation,
            code: fault.code,
            message: format!("{}; {}", fault.message, grant()),
        },
        other => other.into_error(operation),
    }
}

/// The codes of a user lacking a permission (REST API Developer Guide, status codes 403), and
/// `NOT_FOUND`, which an action the user may not see is thought to answer (unconfirmed).
fn is_access_fault(code: &str) -> bool {
    matches!(
        code,
        "NOT_FOUND"
            | "INSUFFICIENT_ACCESS"
            | "INSUFFICIENT_ACCESS_OR_READONLY"
            | "API_DISABLED_FOR_ORG"
            | "API_CURRENTLY_DISABLED"
            | "FUNCTIONALITY_NOT_ENABLED"
    )
}

/// Text from the org (a username, an error message) as one cell of one output line:
/// [`crate::output::clean`] (secrets scrubbed, control characters escaped), with line breaks
/// escaped too, so a value cannot start a line of its own (or a CI workflow command).
pub(crate) fn clean(text: &str) -> String {
    crate::output::clean(&text.replace('\r', "\\r").replace('\n', "\\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_text_cannot_break_lines_or_start_workflow_commands() {
        assert_eq!(clean("a\nb\u{1b}[2J"), "a\\nb\\u{1b}[2J");
        assert_eq!(clean("x\n::error::y"), "x\\n::error::y");
        assert_eq!(clean("plain"), "plain");
    }
}
