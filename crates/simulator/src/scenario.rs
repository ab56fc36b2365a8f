//! What the simulated org does in one test: how deploys end, how long they take, and the
//! failures it injects.

use std::time::Duration;

/// How a deploy ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every component deploys, every test passes, coverage is good.
    Success,
    /// The first non-test class fails to compile at 4:5.
    CompileFailure,
    /// The first test method fails.
    TestFailure,
    /// Tests pass but the org-wide coverage is 68 %: only `codeCoverageWarnings`.
    CoverageFailure,
    /// One class fails to compile, the rest deploy (needs rollbackOnError=false).
    Partial,
}

/// A failure the simulator injects into the next status polls, in order.
#[derive(Debug, Clone)]
pub enum Injected {
    /// An HTML error page with this status (a proxy's 502/503).
    Html(u16),
    /// This status with an empty body and, when given, `Retry-After: seconds` (429, 503).
    Http(u16, Option<u64>),
    /// A SOAP fault with this code.
    Fault(&'static str),
    /// The head and half the real answer, then the connection closes (a reset mid-body).
    Reset,
    /// A 200 whose body is the first half of the real answer (a truncated, unparsable body).
    Truncated,
    /// The connection closes without an answer (a dropped connection, a TLS disconnect).
    Refuse,
    /// The real answer, after this pause (past the client's scaled read timeout).
    Slow(Duration),
    /// The real answer, then the server stops listening for this long: every connection in
    /// between is refused (the org unreachable, as a DNS or load-balancer outage).
    Down(Duration),
    /// A 200 with this body instead of the real answer (a hostile or broken org or proxy: XML
    /// nested thousands deep, a flood of elements).
    Body(String),
}

/// A fault for a number of calls of one SOAP operation.
#[derive(Debug, Clone)]
pub struct Injection {
    /// `checkDeployStatus`, `deploy`, `cancelDeploy`..., `versions` for the
    /// `GET /services/data/` the client makes before `deploy()`, or `DETAILED_POLL` for the
    /// status calls with details only.
    pub operation: &'static str,
    pub kind: Injected,
    /// How many calls in a row meet it (from the first call of `operation`).
    pub count: u32,
}

impl Injection {
    pub fn polls(kind: Injected, count: u32) -> Self {
        Injection {
            operation: "checkDeployStatus",
            kind,
            count,
        }
    }
}

/// What the org does in one test.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub ending: Ending,
    pub pending: Duration,
    pub running: Duration,
    /// A `Finalizing` status between InProgress and the end.
    pub finalizing: Duration,
    /// How long Canceling lasts.
    pub canceling: Duration,
    /// `deploy()` answers this fault instead of a job.
    pub deploy_fault: Option<(&'static str, &'static str)>,
    /// `deploy()` creates the job but answers an HTML error page with this status (a proxy
    /// timing out after the org took the zip).
    pub deploy_lost: Option<u16>,
    pub poll_failures: Vec<Injected>,
    /// Faults by operation and count, met after `poll_failures`. On `deploy()` the job is
    /// created first: the answer is lost after the org took the zip.
    pub injections: Vec<Injection>,
    /// The newest API version the org reports.
    pub org_version: &'static str,
    /// What the OAuth token endpoint accepts, and when sessions expire.
    pub auth: AuthConfig,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            ending: Ending::Success,
            pending: Duration::from_millis(60),
            running: Duration::from_millis(240),
            finalizing: Duration::ZERO,
            canceling: Duration::from_millis(100),
            deploy_fault: None,
            deploy_lost: None,
            poll_failures: Vec::new(),
            injections: Vec::new(),
            org_version: "68.0",
            auth: AuthConfig::default(),
        }
    }
}

/// The org's connected app, user and JWT key, as the token endpoint (`oauth.rs`) checks them.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// The connected app's consumer key: `client_id` of every grant, `iss` of a JWT.
    pub client_id: &'static str,
    /// The consumer secret: required by client_credentials, checked by refresh_token when sent.
    pub client_secret: &'static str,
    /// The refresh token the refresh_token grant accepts (the one in an sfdx auth URL).
    pub refresh_token: &'static str,
    /// The user a JWT's `sub` must name.
    pub username: &'static str,
    /// PEM public key that verifies JWT assertions (RS256); default: the test key pair in
    /// `tests/fixtures/auth/`, whose private halves are `test-key-pkcs8.pem`/`test-key-pkcs1.pem`.
    pub jwt_public_key_pem: String,
    /// The only JWT `aud` accepted; None accepts the simulator's base URL (with or without a
    /// trailing slash), `https://login.salesforce.com` and `https://test.salesforce.com`.
    pub jwt_audience: Option<String>,
    /// Some(n): once a session has been used for n answered checkDeployStatus calls, it is
    /// revoked and its next SOAP call gets `INVALID_SESSION_ID` (the static `TOKEN` as well as
    /// issued tokens). Happens once per simulator: tokens issued later stay valid. Some(0)
    /// acts as Some(1).
    pub expire_after_polls: Option<u32>,
}

/// Where the default JWT verification key lives.
const JWT_PUBLIC_KEY_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/auth/test-key-public.pem"
);

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            client_id: "3MVG9simulated.client.id",
            client_secret: "simulated-client-secret",
            refresh_token: "5Aep-simulated-refresh",
            username: "ci@acme.example",
            jwt_public_key_pem: std::fs::read_to_string(JWT_PUBLIC_KEY_PATH)
                .unwrap_or_else(|e| panic!("{JWT_PUBLIC_KEY_PATH}: {e}")),
            jwt_audience: None,
            expire_after_polls: None,
        }
    }
}
