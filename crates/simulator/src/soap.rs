//! The SOAP Metadata API endpoint: reads an envelope leniently, checks what it received
//! (session, DeployOptions in WSDL order), meets the scenario's injected faults, and answers
//! `deploy`, `checkDeployStatus`, `cancelDeploy` and `deployRecentValidation` strictly.

use std::time::Instant;

use super::http::{Request, Response, Wire};
use super::job::{self, Job};
use super::xml::{self, Element};
use super::{DETAILED_POLL, Injected, Recorded, Scenario, State, deploy, new_id, respond};

pub(super) fn soap(
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
    let session = record.session.clone().unwrap_or_default();
    if !state.sessions.is_valid(&session) {
        return Response::xml(
            500,
            respond::fault(
                "INVALID_SESSION_ID",
                "Invalid Session ID found in SessionHeader: Illegal Session",
            ),
        );
    }
    check_wsdl_children(operation, &mut record.violations);
    if operation.name == "checkDeployStatus" {
        state.sessions.polled(&session, &scenario.auth);
    }
    let detailed = operation.name == "checkDeployStatus"
        && operation
            .text_of("includeDetails")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let injected = detailed
        .then(|| take_injection(scenario, DETAILED_POLL))
        .flatten()
        .or_else(|| take_injection(scenario, &operation.name));
    let real = operate(state, scenario, operation, record);
    match injected {
        Some(kind) => inject(kind, real),
        None => real,
    }
}

/// The next fault for a call of `operation`: the scenario's `poll_failures` first (status
/// polls), then its `injections`.
pub(super) fn take_injection(scenario: &mut Scenario, operation: &str) -> Option<Injected> {
    if operation.starts_with("checkDeployStatus") && !scenario.poll_failures.is_empty() {
        return Some(scenario.poll_failures.remove(0));
    }
    let injection = scenario
        .injections
        .iter_mut()
        .find(|i| i.operation == operation && i.count > 0)?;
    injection.count -= 1;
    Some(injection.kind.clone())
}

/// The answer `real` as the injected fault turns it.
pub(super) fn inject(kind: Injected, real: Response) -> Response {
    match kind {
        Injected::Html(status) => Response::html(
            status,
            "<html><body><h1>Bad Message 503</h1><pre>reason: Service Unavailable</pre></body></html>",
        ),
        Injected::Http(status, retry_after) => {
            let response = Response::html(status, "");
            match retry_after {
                Some(seconds) => response.with_header("Retry-After", seconds.to_string()),
                None => response,
            }
        }
        Injected::Fault(code) => {
            Response::xml(500, respond::fault(code, "injected by the simulator"))
        }
        Injected::Reset => {
            let half = real.body.len() / 2;
            real.on_wire(Wire::CutAfter(half))
        }
        Injected::Truncated => {
            let mut response = real;
            response.body.truncate(response.body.len() / 2);
            response.status = 200;
            response
        }
        Injected::Refuse => real.on_wire(Wire::Close),
        Injected::Slow(pause) => real.on_wire(Wire::Delay(pause)),
        Injected::Down(pause) => Response {
            then_down: Some(pause),
            ..real
        },
        Injected::Body(body) => Response::xml(200, body),
    }
}

/// What the org does for one SOAP call.
fn operate(
    state: &mut State,
    scenario: &mut Scenario,
    operation: &Element,
    record: &mut Recorded,
) -> Response {
    let now = Instant::now();
    match operation.name.as_str() {
        "deploy" => deploy::deploy(state, scenario, operation, record, now),
        "checkDeployStatus" => {
            let id = operation
                .text_of("asyncProcessId")
                .unwrap_or("")
                .trim()
                .to_string();
            let details = operation
                .text_of("includeDetails")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
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
