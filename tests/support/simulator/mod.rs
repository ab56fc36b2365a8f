//! A local Metadata API + OAuth simulator, started by the tests on a free loopback port.
//!
//! Lenient in what it reads (any prefix or default namespace, DeployOptions in any order,
//! missing booleans, `True`/`False`, unknown elements, `cancelDeploy`'s child under any name)
//! and strict in what it writes (see `respond.rs`). It checks what it receives and records
//! every request with what it found, so tests can assert that our client sends the WSDL order,
//! the session, and a zip whose files match its package.xml, and that exactly one `deploy()`
//! was made. Jobs run on real time, scaled down by the scenario's durations.

pub mod http;
pub mod job;
pub mod respond;

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use portal_disable::metadata::xml::{self, Element};

use http::{Request, Response, Server};
use job::{Component, Coverage, Job, TestMethod};

/// The access token the simulator accepts.
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

/// One request the simulator received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The SOAP operation (first Body child's local name), or "" for non-SOAP requests.
    pub operation: String,
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
}

/// A running simulator.
pub struct Simulator {
    server: Server,
    state: Arc<Mutex<State>>,
}

impl Simulator {
    pub fn start(scenario: Scenario) -> Simulator {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let scenario = Arc::new(Mutex::new(scenario));
        let server = Server::start(Arc::new(move |request| handle(&shared, &scenario, request)));
        Simulator { server, state }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.port)
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
        session: None,
        violations: Vec::new(),
        options: Vec::new(),
        body_len: request.body.len(),
    };
    let response = route(&mut state, &mut scenario, &request, &mut record);
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
        ("GET", "/services/data" | "/services/data/") => versions(scenario.org_version),
        ("POST", "/services/oauth2/token") => oauth(scenario, request),
        ("POST", p) if p.starts_with("/services/Soap/m/") => soap(state, scenario, request, record),
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

/// The refresh-token grant, for the credential sources that come with the auth issue.
fn oauth(scenario: &Scenario, request: &Request) -> Response {
    let form = String::from_utf8_lossy(&request.body).to_string();
    let field = |name: &str| {
        form.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    match (field("grant_type").as_deref(), field("refresh_token")) {
        (Some("refresh_token"), Some(token)) if token == scenario.refresh_token => Response::json(
            200,
            format!(
                r#"{{"access_token":"{TOKEN}","instance_url":"http://127.0.0.1","id":"https://login.salesforce.com/id/00D000000000001/{}","token_type":"Bearer","issued_at":"1700000000000","signature":"c2ln"}}"#,
                respond::USER_ID
            ),
        ),
        (None, _) => Response::json(
            400,
            r#"{"error":"invalid_request","error_description":"grant type is missing"}"#.into(),
        ),
        _ => Response::json(
            400,
            r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#
                .into(),
        ),
    }
}

fn soap(
    state: &mut State,
    scenario: &mut Scenario,
    request: &Request,
    record: &mut Recorded,
) -> Response {
    let text = String::from_utf8_lossy(&request.body);
    let Ok(envelope) = xml::parse(&text) else {
        record.violations.push("the body is not XML".into());
        return Response::xml(
            500,
            respond::fault("INVALID_XML", "the request is not well-formed XML"),
        );
    };
    let Some(operation) = envelope.child("Body").and_then(|b| b.children.first()) else {
        record.violations.push("no SOAP Body child".into());
        return Response::xml(500, respond::fault("INVALID_XML", "no SOAP Body"));
    };
    record.operation = operation.name.clone();
    record.session = envelope
        .path(&["Header", "SessionHeader", "sessionId"])
        .map(|s| s.text.trim().to_string());
    if record.session.as_deref() != Some(TOKEN) {
        return Response::xml(
            500,
            respond::fault(
                "INVALID_SESSION_ID",
                "Invalid Session ID found in SessionHeader: Illegal Session",
            ),
        );
    }
    check_wsdl_children(operation, &mut record.violations);
    let now = Instant::now();
    match operation.name.as_str() {
        "deploy" => deploy(state, scenario, operation, record, now),
        "checkDeployStatus" => {
            let id = operation
                .text_of("asyncProcessId")
                .unwrap_or("")
                .trim()
                .to_string();
            let details = operation
                .text_of("includeDetails")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
            if !scenario.poll_failures.is_empty() {
                match scenario.poll_failures.remove(0) {
                    Injected::Html(status) => {
                        return Response::html(
                            status,
                            "<html><body><h1>Bad Message 503</h1><pre>reason: Service Unavailable</pre></body></html>",
                        );
                    }
                    Injected::Fault(code) => {
                        return Response::xml(
                            500,
                            respond::fault(code, "injected by the simulator"),
                        );
                    }
                }
            }
            match state.jobs.get(&id) {
                Some(job) => Response::xml(200, respond::status_response(job, now, details)),
                None => Response::xml(500, respond::fault("INVALID_ID_FIELD", "Invalid deploy ID")),
            }
        }
        "cancelDeploy" => {
            // Salesforce takes the child under any name: `String` (WSDL), `id` (jsforce), ...
            let id = operation
                .children
                .first()
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default();
            match state.jobs.get_mut(&id) {
                Some(job) if !job.is_finished(now) && job.cancel_requested.is_none() => {
                    job.cancel_requested = Some(now);
                    let done = job.is_finished(now);
                    Response::xml(200, respond::cancel_response(&id, done))
                }
                Some(_) => Response::xml(
                    500,
                    respond::fault("INVALID_ID_FIELD", "Deployment already completed"),
                ),
                None => Response::xml(500, respond::fault("INVALID_ID_FIELD", "Invalid deploy ID")),
            }
        }
        "deployRecentValidation" => {
            let id = operation
                .text_of("validationId")
                .unwrap_or("")
                .trim()
                .to_string();
            let eligible = state.jobs.get(&id).filter(|j| {
                j.check_only
                    && j.is_finished(now)
                    && j.cancel_requested.is_none()
                    && j.final_status == "Succeeded"
                    && j.run_tests
                    && !j.tests.is_empty()
            });
            match eligible.cloned() {
                Some(validation) => {
                    let new_id = new_id(state);
                    let job = Job {
                        id: new_id.clone(),
                        check_only: false,
                        created: now,
                        created_date: job::date_of(now),
                        run_tests: false,
                        cancel_requested: None,
                        ..validation
                    };
                    state.jobs.insert(new_id.clone(), job);
                    Response::xml(200, respond::quick_deploy_response(&new_id))
                }
                None => Response::xml(
                    500,
                    respond::fault(
                        "INVALID_ID_FIELD",
                        "This deployment can't be quick deployed because it isn't a successful validation with tests from the last 10 days",
                    ),
                ),
            }
        }
        other => {
            record
                .violations
                .push(format!("unknown operation `{other}`"));
            Response::xml(
                500,
                respond::fault("INVALID_OPERATION", "unknown operation"),
            )
        }
    }
}

/// Notes (never refuses) an operation whose children are not the WSDL's, in the WSDL's order.
fn check_wsdl_children(operation: &Element, violations: &mut Vec<String>) {
    let expected: &[&str] = match operation.name.as_str() {
        "deploy" => &["ZipFile", "DeployOptions"],
        "checkDeployStatus" => &["asyncProcessId", "includeDetails"],
        "cancelDeploy" => &["String"],
        "deployRecentValidation" => &["validationId"],
        _ => return,
    };
    let got: Vec<&str> = operation.children.iter().map(|c| c.name.as_str()).collect();
    if got != expected {
        violations.push(format!(
            "<{}> children {got:?}, the WSDL says {expected:?}",
            operation.name
        ));
    }
}

fn new_id(state: &mut State) -> String {
    state.next_id += 1;
    format!("0Af3D00001S{:07}", state.next_id)
}

fn boolean(value: Option<&str>) -> bool {
    value.is_some_and(|v| matches!(v.trim(), "true" | "True" | "TRUE" | "1"))
}

fn deploy(
    state: &mut State,
    scenario: &Scenario,
    operation: &Element,
    record: &mut Recorded,
    now: Instant,
) -> Response {
    let options = operation
        .child("DeployOptions")
        .cloned()
        .unwrap_or_default();
    record.options = options
        .children
        .iter()
        .map(|c| (c.name.clone(), c.text.trim().to_string()))
        .collect();
    // Accept any order, but note when the known elements are out of WSDL order.
    let ranks: Vec<usize> = options
        .children
        .iter()
        .filter_map(|c| WSDL_ORDER.iter().position(|n| *n == c.name))
        .collect();
    if ranks.windows(2).any(|w| w[0] > w[1]) {
        record.violations.push(format!(
            "DeployOptions not in WSDL order: {:?}",
            options
                .children
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
        ));
    }
    if let Some((code, message)) = scenario.deploy_fault {
        return Response::xml(500, respond::fault(code, message));
    }
    let get = |name: &str| options.text_of(name);
    let single_package = boolean(get("singlePackage"));
    let run_tests: Vec<String> = options
        .all("runTests")
        .map(|t| t.text.trim().to_string())
        .collect();
    let test_level = get("testLevel")
        .map(str::trim)
        .unwrap_or("NoTestRun")
        .to_string();

    let zip_text: String = operation
        .text_of("ZipFile")
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let zip = match base64::engine::general_purpose::STANDARD.decode(zip_text.as_bytes()) {
        Ok(bytes) => bytes,
        Err(e) => {
            record
                .violations
                .push(format!("ZipFile is not base64: {e}"));
            Vec::new()
        }
    };
    let contents = read_zip(&zip, single_package, &mut record.violations);

    let id = new_id(state);
    let mut job = Job {
        id: id.clone(),
        check_only: boolean(get("checkOnly")),
        ignore_warnings: boolean(get("ignoreWarnings")),
        // Missing booleans are false, except rollbackOnError, which production forces.
        rollback_on_error: get("rollbackOnError").is_none_or(|v| boolean(Some(v))),
        created: now,
        created_date: job::timestamp(SystemTime::now()),
        folder: contents.folder.clone(),
        no_package_xml: !contents.has_package_xml,
        components: Vec::new(),
        tests: Vec::new(),
        run_tests: test_level != "NoTestRun",
        coverage: Vec::new(),
        coverage_warnings: Vec::new(),
        final_status: "Succeeded",
        pending: scenario.pending,
        running: scenario.running,
        finalizing: scenario.finalizing,
        cancel_requested: None,
        canceling: scenario.canceling,
    };
    if job.no_package_xml {
        job.final_status = "Failed";
        state.jobs.insert(id.clone(), job);
        return Response::xml(200, respond::deploy_response(&id));
    }
    for class in &contents.classes {
        let mut failure = None;
        if !contents.files.contains(&format!("classes/{class}.cls")) {
            failure = Some((
                0,
                0,
                format!(
                    "An object '{class}' of type ApexClass was named in package.xml, but was not found in zipped directory"
                ),
            ));
        } else if !contents
            .files
            .contains(&format!("classes/{class}.cls-meta.xml"))
        {
            failure = Some((
                0,
                0,
                format!("Apex class '{class}' has no meta file classes/{class}.cls-meta.xml"),
            ));
        }
        job.components.push(Component {
            kind: "ApexClass".into(),
            name: class.clone(),
            file: format!("classes/{class}.cls"),
            failure,
        });
    }
    let is_test = |name: &str| name.ends_with("Test") || name.ends_with("Tests");
    let test_classes: Vec<String> = match test_level.as_str() {
        "RunSpecifiedTests" => run_tests.clone(),
        "RunLocalTests" | "RunAllTestsInOrg" => contents
            .classes
            .iter()
            .filter(|c| is_test(c))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    for class in &test_classes {
        for method in ["testDisablePositive", "testDisableNegativeSelf"] {
            job.tests.push(TestMethod {
                class: class.clone(),
                method: method.into(),
                failure: None,
                time: 42.0,
            });
        }
    }
    for class in contents.classes.iter().filter(|c| !is_test(c)) {
        job.coverage.push(Coverage {
            name: class.clone(),
            kind: "Class",
            locations: 40,
            uncovered: vec![12, 30],
        });
    }
    let first_class = contents.classes.iter().position(|c| !is_test(c));
    match scenario.ending {
        Ending::Success => {}
        Ending::CompileFailure | Ending::Partial => {
            if let Some(i) = first_class {
                job.components[i].failure = Some((4, 5, "Missing ';' at '}'".into()));
            }
        }
        Ending::TestFailure => {
            if let Some(t) = job.tests.first_mut() {
                t.failure = Some((
                    "System.AssertException: Assertion Failed: Expected: DISABLED, Actual: FAILED"
                        .into(),
                    format!("Class.{}.{}: line 7, column 1", t.class, t.method),
                ));
            }
        }
        Ending::CoverageFailure => {
            for c in &mut job.coverage {
                c.uncovered = (1..=13).map(|l| l * 3).collect();
            }
            job.coverage_warnings.push("Average test coverage across all Apex Classes and Triggers is 68%, at least 75% test coverage is required.".into());
        }
    }
    let component_failed = job.components.iter().any(|c| c.failure.is_some());
    let test_failed = job.tests.iter().any(|t| t.failure.is_some()) && job.run_tests;
    let coverage_failed =
        !job.coverage_warnings.is_empty() && job.run_tests && !job.tests.is_empty();
    job.final_status = if component_failed
        && !job.rollback_on_error
        && job.components.iter().any(|c| c.failure.is_none())
    {
        "SucceededPartial"
    } else if component_failed || test_failed || coverage_failed {
        "Failed"
    } else {
        "Succeeded"
    };
    state.jobs.insert(id.clone(), job);
    if let Some(status) = scenario.deploy_lost {
        return Response::html(
            status,
            "<html><body><h1>504 Gateway Time-out</h1></body></html>",
        );
    }
    Response::xml(200, respond::deploy_response(&id))
}

/// What a deploy zip held.
#[derive(Debug, Default)]
struct ZipContents {
    has_package_xml: bool,
    /// "" for singlePackage, else "folder/".
    folder: String,
    /// Files relative to the package root.
    files: Vec<String>,
    /// ApexClass members of package.xml.
    classes: Vec<String>,
}

/// Reads the zip and checks it against its package.xml: every listed member present, every
/// class with its meta file, nothing unlisted.
fn read_zip(bytes: &[u8], single_package: bool, violations: &mut Vec<String>) -> ZipContents {
    let mut contents = ZipContents::default();
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        violations.push("ZipFile is not a zip".into());
        return contents;
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let manifest = if single_package {
        names.iter().find(|n| *n == "package.xml").cloned()
    } else {
        names
            .iter()
            .find(|n| n.matches('/').count() == 1 && n.ends_with("/package.xml"))
            .cloned()
    };
    let Some(manifest) = manifest else {
        violations.push(format!(
            "no package.xml where singlePackage={single_package} expects it: {names:?}"
        ));
        return contents;
    };
    contents.has_package_xml = true;
    contents.folder = manifest.trim_end_matches("package.xml").to_string();
    let mut text = String::new();
    if let Ok(mut file) = archive.by_name(&manifest) {
        let _ = file.read_to_string(&mut text);
    }
    let package = xml::parse(&text).unwrap_or_default();
    let mut listed: Vec<String> = Vec::new();
    for types in package.all("types") {
        let kind = types.text_of("name").unwrap_or("").trim().to_string();
        for member in types.all("members") {
            let member = member.text.trim().to_string();
            if kind == "ApexClass" {
                contents.classes.push(member.clone());
                listed.push(format!("classes/{member}.cls"));
                listed.push(format!("classes/{member}.cls-meta.xml"));
            } else if kind == "ApexTrigger" {
                listed.push(format!("triggers/{member}.trigger"));
                listed.push(format!("triggers/{member}.trigger-meta.xml"));
            } else {
                violations.push(format!("the simulator does not model type `{kind}`"));
            }
        }
    }
    contents.files = names
        .iter()
        .filter(|n| !n.ends_with('/'))
        .filter_map(|n| n.strip_prefix(contents.folder.as_str()).map(str::to_string))
        .filter(|n| n != "package.xml")
        .collect();
    for file in &listed {
        if !contents.files.contains(file) {
            violations.push(format!("package.xml lists `{file}` but the zip lacks it"));
        }
    }
    for file in &contents.files {
        if !listed.contains(file) {
            violations.push(format!(
                "the zip holds `{file}`, which package.xml does not list"
            ));
        }
    }
    contents
}
