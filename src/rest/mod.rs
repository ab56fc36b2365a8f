//! The REST API of one org at one API version: the calls behind `preview` and `run`.
//!
//! One [`Client`] per org, sharing the Metadata API client's session (the two are swapped
//! together when [`crate::org::Org`] logs in again). This layer sends one request per method and
//! classifies its failure ([`errors`]); it never retries: whether a call may be repeated is the
//! caller's decision (a query may; an action call only after finding out what the lost one
//! did). Every request is a path on the instance's host: a `nextRecordsUrl` naming another host
//! is refused, so the session never leaves the org.
//!
//! - [`query`]: SOQL through `GET …/query?q=`, `nextRecordsUrl` paging, Id lists split so no
//!   request passes the URI limit.
//! - [`actions`]: describe and invoke the deployed Invocable action.
//! - [`Client::running_user`]: who the session belongs to, from the `identity` URL of the
//!   Resources by Version answer.

pub(crate) mod actions;
pub(crate) mod errors;
pub(crate) mod query;

use std::cell::Cell;
use std::time::Duration;

use reqwest::blocking::Client as Http;
use url::Url;

use crate::api_version::ApiVersion;
use crate::auth::Session;
use crate::error::Error;
use crate::http::{CallError, read_body, retry_after, transport};
use crate::ids::Id;
use crate::schedule::Schedule;

/// The largest REST answer read: a query page of 2,000 Users is well under 2 MiB, an action
/// answer for 10,000 inputs about 3 MiB.
pub(crate) const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Each call gets its whole answer within this time. Salesforce ends API calls at 10 minutes
/// (rest-api reference §1.4); a chunk of the Invocable action runs in seconds.
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_secs(600);

/// What the org says about the day's API requests (`Sforce-Limit-Info: api-usage=n/m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ApiUsage {
    pub used: u64,
    pub max: u64,
}

/// A REST connection to one org at one API version.
pub(crate) struct Client {
    http: Http,
    session: Session,
    version: ApiVersion,
    timeout: Duration,
    usage: Cell<Option<ApiUsage>>,
}

impl Client {
    /// A client for `session` speaking API `version`.
    pub(crate) fn new(session: Session, version: ApiVersion) -> Result<Self, Error> {
        let timeout = Schedule::from_env().scaled(CALL_TIMEOUT);
        let http = crate::http::client(&session.instance_url, timeout)?;
        Ok(Client {
            http,
            session,
            version,
            timeout,
            usage: Cell::new(None),
        })
    }

    /// Replaces the session after a re-login.
    pub(crate) fn set_session(&mut self, session: Session) -> Result<(), Error> {
        self.http = crate::http::client(&session.instance_url, self.timeout)?;
        self.session = session;
        Ok(())
    }

    /// `/services/data/vNN.0/` + `rest`.
    pub(crate) fn data_path(&self, rest: &str) -> String {
        format!("/services/data/v{}/{rest}", self.version)
    }

    /// The last `Sforce-Limit-Info` figures seen.
    pub(crate) fn api_usage(&self) -> Option<ApiUsage> {
        self.usage.get()
    }

    /// The full URL of a path (with its query) on the instance's host.
    pub(crate) fn url(&self, path_and_query: &str) -> Result<Url, CallError> {
        if !path_and_query.starts_with("/services/") {
            return Err(CallError::Unreadable(format!(
                "refusing to follow `{}`: not a path of this org's REST API",
                crate::http::excerpt(path_and_query)
            )));
        }
        self.session
            .instance_url
            .join(path_and_query)
            .map_err(|e| CallError::Unreadable(format!("bad REST path: {e}")))
    }

    /// `GET path`: the body of a 200 answer, or the classified failure.
    pub(crate) fn get(&self, path_and_query: &str) -> Result<String, CallError> {
        let request = self.http.get(self.url(path_and_query)?);
        let (status, text) = self.send(request)?;
        match status {
            200 => Ok(text),
            _ => Err(errors::classify(status, &text, None)),
        }
    }

    /// `POST path` with a JSON body: the status and body of any answer the caller reads
    /// (200, and 400 which may carry per-input results); other statuses are classified.
    pub(crate) fn post_json(&self, path: &str, body: String) -> Result<(u16, String), CallError> {
        let request = self
            .http
            .post(self.url(path)?)
            .header("Content-Type", "application/json")
            .body(body);
        self.send(request)
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder) -> Result<(u16, String), CallError> {
        let response = request
            .bearer_auth(self.session.access_token.expose())
            .header("Accept", "application/json")
            .header("Sforce-Call-Options", "client=portal-disable")
            .send()
            .map_err(transport)?;
        let status = response.status().as_u16();
        if let Some(usage) = usage_of(&response) {
            self.usage.set(Some(usage));
        }
        let wait = retry_after(&response);
        let text = read_body(response, MAX_BODY)?;
        if status == 200 || status == 400 {
            return Ok((status, text));
        }
        Err(errors::classify(status, &text, wait))
    }

    /// The running user's Id: the last segment of the `identity` URL
    /// (`https://…/id/<orgId>/<userId>`) that `GET /services/data/vNN.0/` lists (REST API
    /// Developer Guide, "List Available REST Resources"; the identity URL's form is in
    /// Salesforce Help, "Identity URLs"). `None` when the answer names none.
    pub(crate) fn running_user(&self) -> Result<Option<Id>, CallError> {
        let text = self.get(&self.data_path(""))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| CallError::Unreadable(e.to_string()))?;
        let identity = value.get("identity").and_then(|v| v.as_str()).unwrap_or("");
        let last = identity
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        Ok(Id::parse(last).ok().filter(Id::is_user))
    }
}

/// `api-usage=25/15000` of a `Sforce-Limit-Info` header.
fn usage_of(response: &reqwest::blocking::Response) -> Option<ApiUsage> {
    let value = response.headers().get("Sforce-Limit-Info")?.to_str().ok()?;
    parse_usage(value)
}

/// Reads `api-usage=25/15000` (other `;`-separated items ignored).
pub(crate) fn parse_usage(value: &str) -> Option<ApiUsage> {
    let item = value
        .split([';', ','])
        .map(str::trim)
        .find_map(|item| item.strip_prefix("api-usage="))?;
    let (used, max) = item.split_once('/')?;
    Some(ApiUsage {
        used: used.trim().parse().ok()?,
        max: max.trim().parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_usage_is_read_from_the_limit_header() {
        assert_eq!(
            parse_usage("api-usage=25/15000"),
            Some(ApiUsage {
                used: 25,
                max: 15000
            })
        );
        assert_eq!(
            parse_usage("api-usage=18/5000; api-bursts=1/750"),
            Some(ApiUsage {
                used: 18,
                max: 5000
            })
        );
        assert_eq!(parse_usage("per-app-api-usage=1/2"), None);
        assert_eq!(parse_usage("api-usage=x/2"), None);
    }
}
