//! What every call to an org shares, whatever its API (SOAP Metadata API, REST, OAuth): how an
//! HTTP client is built, how a failed call is classified ([`CallError`]), and how an answer is
//! read (bounded, with `Retry-After`).
//!
//! The classification is the one place that decides what is worth trying again: transport
//! failures, 5xx, 420/429, unreadable answers and the faults Salesforce uses for hiccups are
//! transient; whether a failed call may be repeated at all is its caller's decision
//! (`deploy()` never is, once it may have reached the org).

use std::io::Read;
use std::time::Duration;

use url::Url;

use crate::auth::endpoint::is_loopback;
use crate::error::Error;

/// Connecting (TCP and TLS) may take this long.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why one call failed, in enough detail to decide whether to try again.
#[derive(Debug)]
pub enum CallError {
    /// The org answered with a fault: a SOAP fault, or a REST error body.
    Fault(Fault),
    /// No connection: DNS, connection refused, TLS handshake. Nothing of the request left this
    /// machine, so even `deploy()` may be tried again.
    NotSent(String),
    /// No (complete) answer after the request may have been sent: reset, timeout, a body cut
    /// short.
    Transport(String),
    /// An HTTP error status without a fault (an HTML error page from a proxy, a 503), with the
    /// `Retry-After` a 429/503 may carry.
    Status {
        status: u16,
        excerpt: String,
        retry_after: Option<Duration>,
    },
    /// A 200 answer we cannot read.
    Unreadable(String),
    /// A failure already described, on this side: the zip cannot be read, a re-login was
    /// refused. Never sent, never transient.
    Failed(Box<Error>),
}

/// A fault: its code without prefix and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: String,
    pub message: String,
}

impl Fault {
    /// The org refused the session (expired, revoked, or a token SOAP won't take).
    pub fn is_invalid_session(&self) -> bool {
        self.code == "INVALID_SESSION_ID"
    }

    /// A fault worth trying again: server hiccups, the request limit, and the short window
    /// after Pending in which a deploy's id is not yet visible.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.code.as_str(),
            "UNKNOWN_EXCEPTION" | "INVALID_CROSS_REFERENCE_KEY" | "REQUEST_LIMIT_EXCEEDED"
        )
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl CallError {
    /// Worth trying again (DESIGN.md): transport failures, 5xx, 420/429, HTML error pages,
    /// unparsable bodies and the faults Salesforce uses for hiccups.
    pub fn is_transient(&self) -> bool {
        match self {
            CallError::Fault(fault) => fault.is_transient(),
            CallError::NotSent(_) | CallError::Transport(_) | CallError::Unreadable(_) => true,
            CallError::Status { status, .. } => *status >= 500 || matches!(status, 420 | 429),
            CallError::Failed(_) => false,
        }
    }

    /// The org refused the session.
    pub fn is_invalid_session(&self) -> bool {
        matches!(self, CallError::Fault(fault) if fault.is_invalid_session())
    }

    /// The wait the server asked for (`Retry-After` on a 429 or 503).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            CallError::Status { retry_after, .. } => *retry_after,
            _ => None,
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
            CallError::Failed(error) => *error,
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
            CallError::Failed(error) => write!(f, "{error}"),
        }
    }
}

/// Makes ring rustls's crypto provider, as the binary's only crypto library (the JWT
/// assertion is signed with it too). reqwest takes the process-wide provider, so it must be
/// there before the first client is built; installing it again is refused harmlessly.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A blocking HTTP client for requests to `target`: redirects are never followed (a session
/// or a secret must not be resent elsewhere), and a loopback target never goes through a proxy
/// (plain http is allowed only to loopback, and a proxy would carry it in clear text).
pub fn client(target: &Url, timeout: Duration) -> Result<reqwest::blocking::Client, Error> {
    install_tls_provider();
    let mut builder = reqwest::blocking::Client::builder()
        .user_agent(concat!("portal-disable/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(crate::schedule::Schedule::from_env().scaled(CONNECT_TIMEOUT))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout);
    if is_loopback(target) {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| Error::Remote {
        operation: "starting the HTTP client",
        message: e.to_string(),
    })
}

/// The longest `Retry-After` honoured: a day. Larger values (up to `u64::MAX` seconds from a
/// broken proxy) are taken as a day; the caller's wait bounds the pause anyway.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// `Retry-After` in seconds (the HTTP-date form is rare from Salesforce and its proxies, and
/// is ignored: the backoff applies).
pub fn retry_after(response: &reqwest::blocking::Response) -> Option<Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    let seconds: u64 = value.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

/// The answer's body, at most `max` bytes. A body cut short (reset, a Content-Length never
/// reached, a read timeout) is a transport failure; one too big unreadable.
pub fn read_body(response: reqwest::blocking::Response, max: u64) -> Result<String, CallError> {
    let mut bytes = Vec::new();
    response
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CallError::Transport(format!("the answer was cut short: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(CallError::Unreadable(format!(
            "the answer is larger than {} MiB",
            max / (1024 * 1024)
        )));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A failed send: not sent at all (no connection), or lost on the way.
pub fn transport(e: reqwest::Error) -> CallError {
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

/// The first 160 characters of a body, flattened, for messages about HTML error pages.
pub fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_built_with_ring_as_rustls_provider() {
        let target = Url::parse("https://login.salesforce.com").unwrap_or_else(|e| panic!("{e}"));
        assert!(client(&target, Duration::from_secs(5)).is_ok());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        // A second client: the second install is refused, the client still builds.
        assert!(client(&target, Duration::from_secs(5)).is_ok());
    }
}
