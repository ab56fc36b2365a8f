//! The Metadata API over SOAP: one method per call, each returning a typed result.
//!
//! Blocking reqwest with rustls: a deploy command does one thing at a time, so there is
//! nothing for an async runtime to overlap. This layer does not retry: `deploy()` must never
//! be repeated (the first request may have reached the org), and whether a failed status poll
//! is worth repeating is the poll loop's decision (`watch.rs`), made from [`CallError`].

use std::io::{Cursor, Read};
use std::time::Duration;

use reqwest::blocking::{Body, Client as Http};
use url::Url;

use super::archive::{Base64Reader, ZipSource, base64_len};
use super::envelope::{self, DeployOptions};
use super::fault::Fault;
use super::model::{AsyncResult, CancelDeployResult, DeployResult};
use super::parse::{self, Response};
use super::schedule::Schedule;
use crate::auth::Session;
use crate::error::Error;

/// Why one call failed, in enough detail to decide whether to try again.
#[derive(Debug)]
pub enum CallError {
    /// The org answered with a SOAP fault.
    Fault(Fault),
    /// No connection: DNS, connection refused, TLS handshake. Nothing of the request left this
    /// machine, so even `deploy()` may be tried again.
    NotSent(String),
    /// No (complete) answer after the request may have been sent: reset, timeout, a body cut
    /// short.
    Transport(String),
    /// An HTTP error status without a SOAP fault (an HTML error page from a proxy, a 503), with
    /// the `Retry-After` seconds a 429/503 may carry.
    Status {
        status: u16,
        excerpt: String,
        retry_after: Option<Duration>,
    },
    /// A 200 answer we cannot read.
    Unreadable(String),
}

impl CallError {
    /// Worth polling through (DESIGN.md): transport failures, 5xx, 420/429, HTML error
    /// pages, unparsable bodies and the faults Salesforce uses for hiccups.
    pub fn is_transient(&self) -> bool {
        match self {
            CallError::Fault(fault) => fault.is_transient(),
            CallError::NotSent(_) | CallError::Transport(_) | CallError::Unreadable(_) => true,
            CallError::Status { status, .. } => *status >= 500 || matches!(status, 420 | 429),
        }
    }

    /// The user-facing error for a failed `operation`.
    pub fn into_error(self, operation: &'static str) -> Error {
        match self {
            CallError::Fault(fault) => Error::Fault {
                operation,
                code: fault.code,
                message: fault.message,
            },
            CallError::NotSent(message) | CallError::Transport(message) => {
                Error::Remote { operation, message }
            }
            CallError::Status {
                status, excerpt, ..
            } => Error::Remote {
                operation,
                message: format!("HTTP {status}: {excerpt}"),
            },
            CallError::Unreadable(message) => Error::Remote {
                operation,
                message: format!("unreadable answer: {message}"),
            },
        }
    }
}

impl CallError {
    /// The wait the server asked for (`Retry-After` on a 429 or 503).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            CallError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Fault(fault) => write!(f, "{fault}"),
            CallError::NotSent(m) | CallError::Transport(m) | CallError::Unreadable(m) => {
                f.write_str(m)
            }
            CallError::Status {
                status, excerpt, ..
            } => write!(f, "HTTP {status}: {excerpt}"),
        }
    }
}

/// The largest answer read: a DeployResult with details of thousands of components and tests
/// is a few MiB. Reading stops beyond this and the answer counts as unreadable (transient).
pub const MAX_BODY: u64 = 64 * 1024 * 1024;

/// `deploy()` bodies up to this size (the base64 zip in its envelope) are built in memory;
/// bigger ones are streamed from the zip.
pub const BUFFERED_UPLOAD: u64 = 16 * 1024 * 1024;

/// Connecting (TCP and TLS) may take this long.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Every call but `deploy()` gets its whole answer within this time, or counts as failed.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(120);
/// `deploy()` uploads the zip: Salesforce cuts API requests at 10 minutes.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// A Metadata API connection to one org at one API version.
pub struct Client {
    http: Http,
    /// [`CALL_TIMEOUT`], scaled by the test clock.
    call_timeout: Duration,
    /// [`UPLOAD_TIMEOUT`], or the test-only `PORTAL_DISABLE_UPLOAD_TIMEOUT_SECS` (not scaled:
    /// big test deploys must not time out on a loaded machine).
    upload_timeout: Duration,
    session: Session,
    endpoint: Url,
}

impl Client {
    /// A client for `session` speaking API `version` (`NN.0`).
    pub fn new(session: Session, version: &str) -> Result<Self, Error> {
        // The test suite shrinks time: a stalled answer then times out in seconds.
        let schedule = Schedule::from_env();
        let http = crate::http::client_builder()
            .user_agent(envelope::CLIENT)
            .connect_timeout(schedule.scaled(CONNECT_TIMEOUT))
            // The session travels in the body: never let a redirect resend it elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            // The client-wide bound is the upload's; other calls set a shorter one.
            .timeout(UPLOAD_TIMEOUT)
            .build()
            .map_err(|e| Error::Remote {
                operation: "starting the HTTP client",
                message: e.to_string(),
            })?;
        let endpoint = endpoint(&session.instance_url, version)?;
        Ok(Client {
            http,
            call_timeout: schedule.scaled(CALL_TIMEOUT),
            upload_timeout: std::env::var("PORTAL_DISABLE_UPLOAD_TIMEOUT_SECS")
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|s| *s > 0)
                .map_or(UPLOAD_TIMEOUT, Duration::from_secs),
            session,
            endpoint,
        })
    }

    /// Replaces the session after a re-login; the endpoint host stays the instance's.
    pub fn set_session(&mut self, session: Session) -> Result<(), Error> {
        let version = self
            .endpoint
            .path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or_default()
            .to_string();
        self.endpoint = endpoint(&session.instance_url, &version)?;
        self.session = session;
        Ok(())
    }

    /// `deploy()`: uploads the zip (streamed, base64-encoded on the way). Never retried.
    pub fn deploy(
        &self,
        zip: &ZipSource,
        options: &DeployOptions,
    ) -> Result<AsyncResult, CallError> {
        let (before, after) = envelope::deploy(&self.session.access_token, options);
        let zip_len = zip.len().map_err(|e| CallError::Transport(e.to_string()))?;
        let reader = zip
            .open()
            .map_err(|e| CallError::Transport(e.to_string()))?;
        let length = before.len() as u64 + base64_len(zip_len) + after.len() as u64;
        let mut stream = Cursor::new(before.into_bytes())
            .chain(Base64Reader::new(reader))
            .chain(Cursor::new(after.into_bytes()));
        // A streamed body hides why a connection failed (reqwest reports the body channel
        // closing, not the refused connect), so whether anything reached the org is unknown.
        // Up to BUFFERED_UPLOAD the body is built in memory and a refused connection is
        // recognised, and may be retried.
        let body = if length <= BUFFERED_UPLOAD {
            let mut bytes = Vec::with_capacity(length as usize);
            stream
                .read_to_end(&mut bytes)
                .map_err(|e| CallError::NotSent(e.to_string()))?;
            Body::from(bytes)
        } else {
            Body::sized(stream, length)
        };
        let body = self.post("deploy", body, self.upload_timeout)?;
        let result = parse::result_of(&body, "deployResponse").map_err(CallError::Unreadable)?;
        parse::async_result(result).map_err(CallError::Unreadable)
    }

    /// `checkDeployStatus()`.
    pub fn check_status(&self, id: &str, include_details: bool) -> Result<DeployResult, CallError> {
        let text = envelope::check_deploy_status(&self.session.access_token, id, include_details);
        let body = self.post("checkDeployStatus", Body::from(text), self.call_timeout)?;
        let result =
            parse::result_of(&body, "checkDeployStatusResponse").map_err(CallError::Unreadable)?;
        parse::deploy_result(result).map_err(CallError::Unreadable)
    }

    /// `cancelDeploy()`.
    pub fn cancel(&self, id: &str) -> Result<CancelDeployResult, CallError> {
        let text = envelope::cancel_deploy(&self.session.access_token, id);
        let body = self.post("cancelDeploy", Body::from(text), self.call_timeout)?;
        let result =
            parse::result_of(&body, "cancelDeployResponse").map_err(CallError::Unreadable)?;
        parse::cancel_result(result).map_err(CallError::Unreadable)
    }

    /// `deployRecentValidation()`: the new deploy job's id.
    pub fn deploy_recent_validation(&self, validation_id: &str) -> Result<String, CallError> {
        let text = envelope::deploy_recent_validation(&self.session.access_token, validation_id);
        let body = self.post(
            "deployRecentValidation",
            Body::from(text),
            self.call_timeout,
        )?;
        let result = parse::result_of(&body, "deployRecentValidationResponse")
            .map_err(CallError::Unreadable)?;
        let id = result.text.trim();
        if id.is_empty() {
            return Err(CallError::Unreadable("no deploy id in the answer".into()));
        }
        Ok(id.to_string())
    }

    /// The newest API version the org supports (`GET /services/data/`), e.g. `66.0`.
    pub fn newest_version(&self) -> Result<String, CallError> {
        let url = self
            .session
            .instance_url
            .join("/services/data/")
            .map_err(|e| CallError::Transport(e.to_string()))?;
        let response = self
            .http
            .get(url)
            .header("Accept", "application/json")
            .timeout(self.call_timeout)
            .send()
            .map_err(transport)?;
        let status = response.status().as_u16();
        let retry_after = retry_after(&response);
        let text = read_body(response)?;
        if status != 200 {
            return Err(CallError::Status {
                status,
                excerpt: excerpt(&text),
                retry_after,
            });
        }
        #[derive(serde::Deserialize)]
        struct Version {
            version: String,
        }
        let versions: Vec<Version> =
            serde_json::from_str(&text).map_err(|e| CallError::Unreadable(e.to_string()))?;
        versions
            .into_iter()
            .map(|v| v.version)
            .max_by(|a, b| version_number(a).total_cmp(&version_number(b)))
            .ok_or_else(|| CallError::Unreadable("the org lists no API versions".into()))
    }

    fn post(
        &self,
        operation: &str,
        body: Body,
        timeout: Duration,
    ) -> Result<parse::Element, CallError> {
        let response = self
            .http
            .post(self.endpoint.clone())
            .header("Content-Type", "text/xml; charset=UTF-8")
            .header("SOAPAction", format!("\"{operation}\""))
            .timeout(timeout)
            .body(body)
            .send()
            .map_err(transport)?;
        let status = response.status().as_u16();
        let retry_after = retry_after(&response);
        let text = read_body(response)?;
        match (status, parse::envelope(&text)) {
            (_, Ok(Response::Fault(fault))) => Err(CallError::Fault(fault)),
            (200, Ok(Response::Body(body))) => Ok(body),
            (200, Err(e)) => Err(CallError::Unreadable(e)),
            (status, _) => Err(CallError::Status {
                status,
                excerpt: excerpt(&text),
                retry_after,
            }),
        }
    }
}

/// `{instance}/services/Soap/m/{version}`.
fn endpoint(instance: &Url, version: &str) -> Result<Url, Error> {
    instance
        .join(&format!("/services/Soap/m/{version}"))
        .map_err(|e| Error::Input(format!("cannot build the Metadata API address: {e}")))
}

/// `Retry-After` in seconds (the HTTP-date form is rare from Salesforce and its proxies, and
/// is ignored: the backoff applies).
fn retry_after(response: &reqwest::blocking::Response) -> Option<Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    let seconds: u64 = value.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

/// The answer's body, at most [`MAX_BODY`] bytes. A body cut short (reset, a Content-Length
/// never reached, a read timeout) is a transport failure; one too big unreadable.
fn read_body(response: reqwest::blocking::Response) -> Result<String, CallError> {
    let mut bytes = Vec::new();
    response
        .take(MAX_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CallError::Transport(format!("the answer was cut short: {e}")))?;
    if bytes.len() as u64 > MAX_BODY {
        return Err(CallError::Unreadable(format!(
            "the answer is larger than {} MiB",
            MAX_BODY / (1024 * 1024)
        )));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn transport(e: reqwest::Error) -> CallError {
    let not_sent = e.is_connect();
    // Without the URL (the instance's, already known), with the causes reqwest's own message
    // leaves out ("error sending request" says nothing of a refused connection).
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    if not_sent {
        CallError::NotSent(message)
    } else {
        CallError::Transport(message)
    }
}

/// The first line of a body, for error messages about HTML error pages.
fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(160).collect()
}

fn version_number(v: &str) -> f64 {
    v.parse().unwrap_or(0.0)
}
