//! A local Metadata API + OAuth simulator, started by the tests on a free loopback port.
//!
//! Lenient in what it reads (any prefix or default namespace, DeployOptions in any order,
//! missing booleans, `True`/`False`, unknown elements, `cancelDeploy`'s child under any name)
//! and strict in what it writes (see `respond.rs`). It checks what it receives and records
//! every request with what it found, so tests can assert that our client sends the WSDL order,
//! the session, and a zip whose files match its package.xml, and that exactly one `deploy()`
//! was made. Jobs run on real time, scaled down by the scenario's durations.

mod deploy;
pub mod http;
pub mod job;
pub mod jwt;
pub mod oauth;
pub mod org;
mod query;
pub mod respond;
mod rest;
mod scenario;
mod soap;
mod soql;
pub mod xml;
mod zipcheck;

#[allow(unused_imports)] // each test binary uses its own subset
pub use scenario::{AuthConfig, Ending, Injected, Injection, Scenario};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use http::{Request, Response, Server};
use job::Job;
use soap::{inject, soap, take_injection};

/// The static access token the simulator always accepts (unless `expire_after_polls` revoked
/// it), besides the tokens its OAuth endpoint issues.
pub const TOKEN: &str = "00D000000000001!AQ.simulated-session-token";

/// DeployOptions elements in WSDL sequence order.
pub const WSDL_ORDER: [&str; 10] = [
    "allowMissingFiles",
    "autoUpdatePackage",
    "checkOnly",
    "ignoreWarnings",
    "performRetrieve",
    "purgeOnDelete",
    "rollbackOnError",
    "runTests",
    "singlePackage",
    "testLevel",
];

/// One request the simulator received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The SOAP operation (first Body child's local name), `"token"` (`oauth::OPERATION`) for
    /// OAuth token requests, or "" for other requests.
    pub operation: String,
    /// Token requests: the form's `grant_type` as sent (`refresh_token`,
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`, `client_credentials`, ...), None when
    /// missing. None for every other request.
    pub grant: Option<String>,
    /// The HTTP status the simulator answered.
    pub status: u16,
    /// When the request arrived, on the simulator's clock.
    pub at: std::time::Instant,
    pub session: Option<String>,
    /// What was wrong with it: options out of WSDL order, zip/package.xml mismatches...
    pub violations: Vec<String>,
    /// DeployOptions children in the order received (deploy only).
    pub options: Vec<(String, String)>,
    pub body_len: usize,
}

#[derive(Default)]
struct State {
    jobs: HashMap<String, Job>,
    requests: Vec<Recorded>,
    next_id: u32,
    sessions: oauth::Sessions,
    /// `http://127.0.0.1:PORT`, the token endpoint's `instance_url`.
    base_url: String,
    /// The data and faults of the REST endpoints (`org.rs`, `rest.rs`).
    org: org::OrgData,
}

/// A running simulator.
pub struct Simulator {
    server: Server,
    state: Arc<Mutex<State>>,
    scenario: Arc<Mutex<Scenario>>,
}

impl Simulator {
    pub fn start(scenario: Scenario) -> Simulator {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let scenario = Arc::new(Mutex::new(scenario));
        let faults = Arc::clone(&scenario);
        let server = Server::start(Arc::new(move |request| handle(&shared, &faults, request)));
        let simulator = Simulator {
            server,
            state,
            scenario,
        };
        simulator.lock().base_url = simulator.url();
        simulator
    }

    /// Injects failures into the next status polls, from now on (after a job was created).
    pub fn inject_poll_failures(&self, failures: Vec<Injected>) {
        if let Ok(mut scenario) = self.scenario.lock() {
            scenario.poll_failures.extend(failures);
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.port)
    }

    /// Ends every injected fault still pending: the network is healthy again.
    pub fn heal(&self) {
        let mut scenario = self.scenario.lock().unwrap_or_else(|e| e.into_inner());
        scenario.poll_failures.clear();
        scenario.injections.clear();
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// Requests for one SOAP operation.
    pub fn calls(&self, operation: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation == operation)
            .collect()
    }

    /// The OAuth token requests, successful or not, in order (operation `"token"`, the grant
    /// type in `grant`, the answer's status in `status`).
    pub fn logins(&self) -> Vec<Recorded> {
        self.calls(oauth::OPERATION)
    }

    /// The access tokens the token endpoint issued, oldest first (revoked ones included).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.lock().sessions.issued()
    }

    /// Whether a SOAP call with this session would pass the session check now.
    pub fn session_valid(&self, token: &str) -> bool {
        self.lock().sessions.is_valid(token)
    }

    /// Every violation recorded, with its operation.
    pub fn violations(&self) -> Vec<String> {
        self.requests()
            .iter()
            .flat_map(|r| {
                r.violations
                    .iter()
                    .map(move |v| format!("{}: {v}", r.operation))
            })
            .collect()
    }

    pub fn job(&self, id: &str) -> Option<Job> {
        self.lock().jobs.get(id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn handle(state: &Mutex<State>, scenario: &Mutex<Scenario>, request: Request) -> Response {
    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
    let mut scenario = scenario.lock().unwrap_or_else(|e| e.into_inner());
    let mut record = Recorded {
        method: request.method.clone(),
        path: request.path.clone(),
        operation: String::new(),
        grant: None,
        status: 0,
        at: std::time::Instant::now(),
        session: None,
        violations: Vec::new(),
        options: Vec::new(),
        body_len: request.body.len(),
    };
    let response = route(&mut state, &mut scenario, &request, &mut record);
    record.status = response.status;
    state.requests.push(record);
    response
}

fn route(
    state: &mut State,
    scenario: &mut Scenario,
    request: &Request,
    record: &mut Recorded,
) -> Response {
    let path = request.path.split('?').next().unwrap_or("");
    match (request.method.as_str(), path) {
        ("GET", "/services/data" | "/services/data/") => {
            let real = versions(scenario.org_version);
            match take_injection(scenario, "versions") {
                Some(kind) => inject(kind, real),
                None => real,
            }
        }
        ("POST", "/services/oauth2/token") => {
            let State {
                sessions, base_url, ..
            } = state;
            oauth::token(sessions, &scenario.auth, base_url, request, record)
        }
        ("POST", p) if p.starts_with("/services/Soap/m/") => soap(state, scenario, request, record),
        (_, p) if p.starts_with("/services/data/v") => rest::route(state, request, record),
        _ => Response::json(
            404,
            r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#
                .into(),
        ),
    }
}

fn versions(newest: &str) -> Response {
    let newest: u32 = newest.trim_end_matches(".0").parse().unwrap_or(68);
    let list: Vec<String> = (newest.saturating_sub(5)..=newest)
        .map(|v| {
            format!(r#"{{"label":"Release {v}","url":"/services/data/v{v}.0","version":"{v}.0"}}"#)
        })
        .collect();
    Response::json(200, format!("[{}]", list.join(",")))
}

/// The injection target for `checkDeployStatus` calls with `includeDetails` only.
pub const DETAILED_POLL: &str = "checkDeployStatus details";

fn new_id(state: &mut State) -> String {
    state.next_id += 1;
    format!("0Af3D00001S{:07}", state.next_id)
}
