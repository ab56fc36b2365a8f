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
use super::model::{AsyncResult, CancelDeployResult, DeployResult};
use super::parse::{self, Response};
use crate::api_version::ApiVersion;
use crate::auth::Session;
use crate::error::{Bad, Error};
pub use crate::http::CallError;
use crate::http::{excerpt, read_body, retry_after, transport};
use crate::schedule::Schedule;

/// The largest answer read: a DeployResult with details of thousands of components and tests
/// is a few MiB. Reading stops beyond this and the answer counts as unreadable (transient).
pub const MAX_BODY: u64 = 64 * 1024 * 1024;

/// `deploy()` bodies up to this size (the base64 zip in its envelope) are built in memory;
/// bigger ones are streamed from the zip.
pub const BUFFERED_UPLOAD: u64 = 16 * 1024 * 1024;

/// Every call but `deploy()` gets its whole answer within this time, or counts as failed.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(120);
/// `deploy()` uploads the zip: Salesforce cuts API requests at 10 minutes.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// A Metadata API connection to one org at one API version.
pub struct Client {
    http: Http,
    /// [`CALL_TIMEOUT`], scaled by the test clock.
    call_timeout: Duration,
    /// [`UPLOAD_TIMEOUT`], or the tests' own (`knobs.rs`; not scaled: big test deploys must
    /// not time out on a loaded machine).
    upload_timeout: Duration,
    session: Session,
    endpoint: Url,
    version: ApiVersion,
}

impl Client {
    /// A client for `session` speaking API `version`.
    pub fn new(session: Session, version: ApiVersion) -> Result<Self, Error> {
        // The test suite shrinks time: a stalled answer then times out in seconds.
        let schedule = Schedule::from_env();
        // The client-wide bound is the upload's; other calls set a shorter one.
        let http = crate::http::client(&session.instance_url, UPLOAD_TIMEOUT)?;
        let endpoint = endpoint(&session.instance_url, version)?;
        Ok(Client {
            http,
            call_timeout: schedule.scaled(CALL_TIMEOUT),
            upload_timeout: crate::knobs::get().upload_timeout.unwrap_or(UPLOAD_TIMEOUT),
            session,
            endpoint,
            version,
        })
    }

    /// Replaces the session after a re-login; the endpoint host stays the instance's.
    pub fn set_session(&mut self, session: Session) -> Result<(), Error> {
        self.endpoint = endpoint(&session.instance_url, self.version)?;
        self.http = crate::http::client(&session.instance_url, UPLOAD_TIMEOUT)?;
        self.session = session;
        Ok(())
    }

    /// The session in use (a REST client of the same org shares it).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The API version this client calls.
    pub fn version(&self) -> ApiVersion {
        self.version
    }

    /// `deploy()`: uploads the zip (streamed, base64-encoded on the way). Never retried.
    pub fn deploy(
        &self,
        zip: &ZipSource,
        options: &DeployOptions,
    ) -> Result<AsyncResult, CallError> {
        let (before, after) = envelope::deploy(&self.session.access_token, options);
        // The zip is read here, before anything is sent: a local failure is a local error,
        // never "the org may have started the deploy".
        let reader = zip.open().map_err(|e| CallError::Failed(Box::new(e)))?;
        let zip_len = reader
            .metadata()
            .map(|m| m.len())
            .map_err(|e| CallError::Failed(Box::new(Error::io("read", zip.path(), e))))?;
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
                .map_err(|e| CallError::Failed(Box::new(Error::io("read", zip.path(), e))))?;
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
    pub fn newest_version(&self) -> Result<ApiVersion, CallError> {
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
        let text = read_body(response, MAX_BODY)?;
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
        // Compared as versions; an entry we cannot read is skipped, not taken for zero.
        versions
            .into_iter()
            .filter_map(|v| v.version.parse::<ApiVersion>().ok())
            .max()
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
        let text = read_body(response, MAX_BODY)?;
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
fn endpoint(instance: &Url, version: ApiVersion) -> Result<Url, Error> {
    instance
        .join(&format!("/services/Soap/m/{version}"))
        .map_err(|e| {
            Error::input(
                Bad::InvalidCredentials,
                format!("cannot build the Metadata API address: {e}"),
            )
        })
}
