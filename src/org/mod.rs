//! The connection to one org, shared by every command that talks to one: the session, the
//! API version to call, and the rules every call follows, each in one place.
//!
//! - [`Org::connect`] logs in, reads the org's newest API version and refuses a version the
//!   org is too old for, before any other request.
//! - [`Org::call`] makes one Metadata API call, [`Org::rest_call`] one REST call; when the org
//!   answers `INVALID_SESSION_ID` and the credential source can log in again, either logs in
//!   once (for both clients, which share the session) and repeats that same call (a
//!   `deploy()` is never repeated: its caller never passes it here twice; an action call
//!   refused with 401 never ran). A refusal that stands gets the source's hint (how to get a
//!   fresh session) in [`Org::error`].
//! - Which failures are transient is `http::CallError`'s decision; interrupts are checked
//!   before anything is sent ([`Org::check_interrupt`]), and a job being followed is canceled
//!   on request ([`cancel`]).

pub(crate) mod cancel;

use crate::api_version::{self, ApiVersion};
use crate::auth::{Credentials, Session};
use crate::error::{Bad, Error, Result};
use crate::http::CallError;
use crate::interrupt;
use crate::metadata::client::Client;
use crate::rest;

/// A logged-in connection to one org.
pub(crate) struct Org {
    credentials: Credentials,
    client: Client,
    rest: rest::Client,
}

impl Org {
    /// Logs in, then picks the API version: `flag` (`--api-version`), else the package's
    /// (`package_version`), else the org's newest. Refuses a version newer than the org's,
    /// before any deploy request. `notice` receives warnings.
    pub(crate) fn connect(
        credentials: Credentials,
        flag: Option<ApiVersion>,
        package_version: Option<ApiVersion>,
        notice: &dyn Fn(&str),
    ) -> Result<Org> {
        let session: Session = credentials.login()?;
        check_interrupt()?;
        let probe = Client::new(session.clone(), api_version::NEWEST)?;
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
                notice(&format!(
                    "warning: cannot read the org's API versions ({e}); assuming it supports the version we call"
                ));
                None
            }
        };
        check_interrupt()?;
        if let (Some(newest), Some(package)) = (newest, package_version)
            && package > newest
        {
            return Err(Error::input(
                Bad::OrgTooOld,
                format!(
                    "the zip's package.xml is for API {package}, but the org supports at most {newest}; package it for {newest} (e.g. `portal-disable generate --api-version {newest}`) or use an org on a newer release"
                ),
            ));
        }
        if let (Some(newest), Some(flag)) = (newest, flag)
            && flag > newest
        {
            return Err(Error::input(
                Bad::OrgTooOld,
                format!(
                    "--api-version {flag} is newer than the org's newest version {newest}; use {newest} or older"
                ),
            ));
        }
        let version = flag
            .or(package_version)
            .or(newest)
            .unwrap_or(api_version::NEWEST);
        Ok(Org {
            rest: rest::Client::new(session.clone(), version)?,
            client: Client::new(session, version)?,
            credentials,
        })
    }

    /// The Metadata API client (for the one call that must not go through [`Org::call`]:
    /// `deploy()`, which is never repeated).
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// The credentials' source, for messages.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Makes one call; when the org refuses the session and the source can log in again, logs
    /// in once and repeats the same call. `notice` hears of the re-login. A failed re-login is
    /// [`CallError::Failed`].
    pub(crate) fn call<T>(
        &mut self,
        notice: &mut dyn FnMut(&str),
        call: impl Fn(&Client) -> std::result::Result<T, CallError>,
    ) -> std::result::Result<T, CallError> {
        self.relogin_once(notice, |org| call(&org.client))
    }

    /// [`Org::call`] for a REST call.
    pub(crate) fn rest_call<T>(
        &mut self,
        notice: &mut dyn FnMut(&str),
        call: impl Fn(&rest::Client) -> std::result::Result<T, CallError>,
    ) -> std::result::Result<T, CallError> {
        self.relogin_once(notice, |org| call(&org.rest))
    }

    /// The REST client (for reading its version and the API usage it saw).
    pub(crate) fn rest(&self) -> &rest::Client {
        &self.rest
    }

    /// The one re-login rule of every call, whatever its API.
    fn relogin_once<T>(
        &mut self,
        notice: &mut dyn FnMut(&str),
        call: impl Fn(&Org) -> std::result::Result<T, CallError>,
    ) -> std::result::Result<T, CallError> {
        match call(self) {
            Err(e) if e.is_invalid_session() => match self.credentials.relogin() {
                Some(session) => {
                    let session = session.map_err(|e| CallError::Failed(Box::new(e)))?;
                    self.rest
                        .set_session(session.clone())
                        .map_err(|e| CallError::Failed(Box::new(e)))?;
                    self.client
                        .set_session(session)
                        .map_err(|e| CallError::Failed(Box::new(e)))?;
                    notice("the session expired; logged in again");
                    call(self)
                }
                None => Err(e),
            },
            other => other,
        }
    }

    /// The error for a failed call of `operation`; a refused session says how to get a new
    /// one.
    pub(crate) fn error(&self, error: CallError, operation: &'static str) -> Error {
        match error {
            CallError::Fault(fault) if fault.is_invalid_session() => Error::Fault {
                operation,
                code: fault.code,
                message: format!("{} ({})", fault.message, self.credentials.expired_hint()),
            },
            other => other.into_error(operation),
        }
    }

    /// [`Org::error`], where an `INVALID_ID_FIELD` fault (the org's answer for an id it cannot
    /// act on) also says what the id must be: `explanation`.
    pub(crate) fn error_explaining_invalid_id(
        &self,
        error: CallError,
        operation: &'static str,
        explanation: &str,
    ) -> Error {
        match error {
            CallError::Fault(fault) if fault.code == "INVALID_ID_FIELD" => Error::Fault {
                operation,
                code: fault.code,
                message: format!("{} ({explanation})", fault.message),
            },
            other => self.error(other, operation),
        }
    }
}

/// Stops a command that was interrupted before it sent anything that creates work on the org
/// (exit 130, nothing sent).
pub(crate) fn check_interrupt() -> Result<()> {
    if interrupt::interrupted() {
        Err(Error::Interrupted { canceled: false })
    } else {
        Ok(())
    }
}
