//! The simulator's OAuth token endpoint (metadata-api.md §9): every grant with the right
//! inputs, each wrong input's error, the issued tokens on the SOAP side, and session expiry.

use crate::support;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::{Value, json};
use support::simulator::{AuthConfig, Scenario, Simulator, TOKEN};

mod grants;
mod jwt;
mod sessions;

const CLIENT_ID: &str = "3MVG9simulated.client.id";
const CLIENT_SECRET: &str = "simulated-client-secret";
const REFRESH: &str = "5Aep-simulated-refresh";
const USERNAME: &str = "ci@acme.example";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/auth/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// `key=value&...`, percent-encoded.
fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs a raw form body (and optional Authorization header): (status, JSON body).
fn post_token(sim: &Simulator, body: &str, authorization: Option<&str>) -> (u16, Value) {
    let client = support::http();
    let mut request = client
        .post(format!("{}/services/oauth2/token", sim.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.to_string());
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    let text = response.text().unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, json)
}

fn token(sim: &Simulator, fields: &[(&str, &str)]) -> (u16, Value) {
    post_token(sim, &form(fields), None)
}

/// Asserts a 400 with this error pair.
fn assert_error(answer: (u16, Value), error: &str, description: &str) {
    let (status, body) = answer;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_description"], description, "{body}");
}

/// Asserts a success shaped like Salesforce's and returns the access token.
fn assert_success(sim: &Simulator, answer: (u16, Value)) -> String {
    let (status, body) = answer;
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        token.starts_with("00D000000000001!AQ.issued-") && token.len() >= 26 + 16,
        "{token}"
    );
    assert_eq!(body["instance_url"], sim.url());
    assert_eq!(
        body["id"],
        "https://login.salesforce.com/id/00D000000000001/0053D0000052Xaq"
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["signature"], "c2ln");
    assert_eq!(body["scope"], "api");
    let issued_at: u128 = body["issued_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("issued_at: {body}"));
    assert!(issued_at > u128::from(now() - 60) * 1000, "{issued_at}");
    assert!(body.get("refresh_token").is_none(), "{body}");
    token
}

fn jwt_with(key_file: &str, claims: &Value) -> String {
    support::jwt::sign_rs256(&fixture(key_file), claims)
}

fn claims(aud: &str) -> Value {
    json!({"iss": CLIENT_ID, "sub": USERNAME, "aud": aud, "exp": now() + 180})
}

fn jwt_grant(sim: &Simulator, assertion: &str) -> (u16, Value) {
    token(sim, &[("grant_type", JWT_BEARER), ("assertion", assertion)])
}

/// A checkDeployStatus call with this session: (status, body).
fn check_status(sim: &Simulator, session: &str, id: &str) -> (u16, String) {
    let envelope = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader><met:sessionId>{session}</met:sessionId></met:SessionHeader></soapenv:Header><soapenv:Body><met:checkDeployStatus><met:asyncProcessId>{id}</met:asyncProcessId><met:includeDetails>false</met:includeDetails></met:checkDeployStatus></soapenv:Body></soapenv:Envelope>"#
    );
    let response = support::http()
        .post(format!("{}/services/Soap/m/68.0", sim.url()))
        .header("Content-Type", "text/xml; charset=UTF-8")
        .header("SOAPAction", "\"\"")
        .body(envelope)
        .send()
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    (status, response.text().unwrap_or_else(|e| panic!("{e}")))
}

const UNKNOWN_JOB: &str = "0Af3D00001S9999999";

fn assert_invalid_session(answer: (u16, String)) {
    let (status, body) = answer;
    assert_eq!(status, 500, "{body}");
    assert!(
        body.contains("<faultcode>sf:INVALID_SESSION_ID</faultcode>")
            && body.contains(
                "<faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring>"
            ),
        "{body}"
    );
}

/// The session passed: an unknown job id gets its own fault.
fn assert_session_accepted(answer: (u16, String)) {
    let (status, body) = answer;
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("sf:INVALID_ID_FIELD"), "{body}");
    assert!(!body.contains("INVALID_SESSION_ID"), "{body}");
}
