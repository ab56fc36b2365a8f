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
    /// A SOAP fault with this code.
    Fault(&'static str),
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
    /// The newest API version the org reports.
    pub org_version: &'static str,
    /// Refresh token accepted by the OAuth endpoint.
    pub refresh_token: &'static str,
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
            org_version: "68.0",
            refresh_token: "5Aep-simulated-refresh",
        }
    }
}
