//! The simulator's OAuth token endpoint (metadata-api.md §9): every grant with the right
//! inputs, each wrong input's error, the issued tokens on the SOAP side, and session expiry.

use crate::support;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::{Value, json};
use support::simulator::{AuthConfig, Scenario, Simulator, TOKEN};

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

#[test]
fn the_refresh_grant_issues_fresh_tokens_with_or_without_the_secret() {
    let sim = Simulator::start(Scenario::default());
    let first = assert_success(
        &sim,
        token(
            &sim,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", CLIENT_ID),
                ("refresh_token", REFRESH),
            ],
        ),
    );
    let second = assert_success(
        &sim,
        token(
            &sim,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("refresh_token", REFRESH),
            ],
        ),
    );
    assert_ne!(first, second);
    assert_ne!(first, TOKEN);
    assert_eq!(sim.issued_tokens(), vec![first, second]);
}

#[test]
fn the_refresh_grant_refuses_each_wrong_input() {
    let sim = Simulator::start(Scenario::default());
    let refresh = |client_id: &str, secret: Option<&str>, refresh: &str| {
        let mut fields = vec![
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh),
        ];
        if let Some(secret) = secret {
            fields.push(("client_secret", secret));
        }
        token(&sim, &fields)
    };
    assert_error(
        refresh("PlatformCLI", None, REFRESH),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        token(
            &sim,
            &[("grant_type", "refresh_token"), ("refresh_token", REFRESH)],
        ),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        refresh(CLIENT_ID, None, "5Aep-revoked"),
        "invalid_grant",
        "expired access/refresh token",
    );
    assert_error(
        token(
            &sim,
            &[("grant_type", "refresh_token"), ("client_id", CLIENT_ID)],
        ),
        "invalid_grant",
        "expired access/refresh token",
    );
    assert_error(
        refresh(CLIENT_ID, Some("wrong-secret"), REFRESH),
        "invalid_client",
        "invalid client credentials",
    );
    // Sent empty is sent: clients leave an empty secret out.
    assert_error(
        refresh(CLIENT_ID, Some(""), REFRESH),
        "invalid_client",
        "invalid client credentials",
    );
    assert!(sim.issued_tokens().is_empty());
}

#[test]
fn form_fields_are_percent_decoded_and_plus_is_a_space() {
    let sim = Simulator::start(Scenario::default());
    // Every character encoded, the grant type's colons included.
    let hex = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let body = format!(
        "grant_type={}&client_id={}&client_secret={}&refresh_token={}",
        hex("refresh_token"),
        hex(CLIENT_ID),
        hex(CLIENT_SECRET),
        hex(REFRESH)
    );
    assert_success(&sim, post_token(&sim, &body, None));
    let body = format!(
        "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}+"
    );
    assert_error(
        post_token(&sim, &body, None),
        "invalid_client",
        "invalid client credentials",
    );
    let body = format!(
        "grant_type=client_credentials&client_id=3MVG9simulated+client.id&client_secret={CLIENT_SECRET}"
    );
    assert_error(
        post_token(&sim, &body, None),
        "invalid_client_id",
        "client identifier invalid",
    );
    let body = form(&[
        ("grant_type", JWT_BEARER),
        (
            "assertion",
            &jwt_with("test-key-pkcs8.pem", &claims(&sim.url())),
        ),
    ]);
    assert!(body.contains("urn%3Aietf%3Aparams"), "{body}");
    assert_success(&sim, post_token(&sim, &body, None));
}

#[test]
fn a_jwt_signed_with_the_test_key_passes_in_either_pem_form() {
    let sim = Simulator::start(Scenario::default());
    let mut tokens = Vec::new();
    for key in ["test-key-pkcs8.pem", "test-key-pkcs1.pem"] {
        for aud in [
            sim.url(),
            format!("{}/", sim.url()),
            "https://login.salesforce.com".into(),
            "https://test.salesforce.com".into(),
        ] {
            let jwt = jwt_with(key, &claims(&aud));
            tokens.push(assert_success(&sim, jwt_grant(&sim, &jwt)));
        }
    }
    // sfdx-core's `exp` in milliseconds is far ahead, and passes.
    let mut millis = claims("https://login.salesforce.com");
    millis["exp"] = json!(now() * 1000 + 300);
    tokens.push(assert_success(
        &sim,
        jwt_grant(&sim, &jwt_with("test-key-pkcs8.pem", &millis)),
    ));
    let mut distinct = tokens.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), tokens.len(), "{tokens:?}");
}

#[test]
fn a_jwt_is_refused_for_each_wrong_claim_in_order() {
    let sim = Simulator::start(Scenario::default());
    let login = "https://login.salesforce.com";
    let valid = jwt_with("test-key-pkcs8.pem", &claims(login));

    // A flipped signature character, a mangled token, no assertion.
    let (head, signature) = valid.rsplit_once('.').unwrap_or_default();
    let mut chars: Vec<char> = signature.chars().collect();
    chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
    let forged = format!("{head}.{}", chars.into_iter().collect::<String>());
    assert_error(
        jwt_grant(&sim, &forged),
        "invalid_grant",
        "invalid assertion",
    );
    assert_error(
        jwt_grant(&sim, "not.a.jwt"),
        "invalid_grant",
        "invalid assertion",
    );
    assert_error(
        jwt_grant(&sim, "garbage"),
        "invalid_grant",
        "invalid assertion",
    );
    assert_error(
        token(&sim, &[("grant_type", JWT_BEARER)]),
        "invalid_grant",
        "invalid assertion",
    );
    // HS256 with the public key's text as the secret (the classic confusion) is refused.
    let confused =
        support::jwt::sign_hs256(fixture("test-key-public.pem").as_bytes(), &claims(login));
    assert_error(
        jwt_grant(&sim, &confused),
        "invalid_grant",
        "invalid assertion",
    );

    let with = |change: &dyn Fn(&mut Value)| {
        let mut c = claims(login);
        change(&mut c);
        jwt_grant(&sim, &jwt_with("test-key-pkcs1.pem", &c))
    };
    assert_error(
        with(&|c| c["iss"] = json!("PlatformCLI")),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        with(&|c| {
            c.as_object_mut().map(|o| o.remove("iss"));
        }),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        with(&|c| c["sub"] = json!("someone@acme.example")),
        "invalid_grant",
        "user hasn't approved this consumer",
    );
    assert_error(
        with(&|c| c["aud"] = json!("https://evil.example")),
        "invalid_grant",
        "audience is invalid",
    );
    assert_error(
        with(&|c| c["aud"] = json!("https://login.salesforce.com/")),
        "invalid_grant",
        "audience is invalid",
    );
    assert_error(
        with(&|c| {
            c.as_object_mut().map(|o| o.remove("aud"));
        }),
        "invalid_grant",
        "audience is invalid",
    );
    assert_error(
        with(&|c| c["exp"] = json!(now() - 1)),
        "invalid_grant",
        "expired authorization code",
    );
    assert_error(
        with(&|c| {
            c.as_object_mut().map(|o| o.remove("exp"));
        }),
        "invalid_grant",
        "expired authorization code",
    );
    // The order: iss before sub before aud before exp.
    assert_error(
        with(&|c| {
            c["iss"] = json!("PlatformCLI");
            c["sub"] = json!("x");
            c["aud"] = json!("x");
            c["exp"] = json!(1);
        }),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        with(&|c| {
            c["sub"] = json!("x");
            c["aud"] = json!("x");
            c["exp"] = json!(1);
        }),
        "invalid_grant",
        "user hasn't approved this consumer",
    );
    assert_error(
        with(&|c| {
            c["aud"] = json!("x");
            c["exp"] = json!(1);
        }),
        "invalid_grant",
        "audience is invalid",
    );
    assert!(sim.issued_tokens().is_empty());
}

#[test]
fn a_configured_audience_is_the_only_one_accepted() {
    let sim = Simulator::start(Scenario {
        auth: AuthConfig {
            jwt_audience: Some("https://acme.my.salesforce.com".into()),
            ..AuthConfig::default()
        },
        ..Scenario::default()
    });
    let jwt = |aud: &str| jwt_with("test-key-pkcs8.pem", &claims(aud));
    assert_success(
        &sim,
        jwt_grant(&sim, &jwt("https://acme.my.salesforce.com")),
    );
    for aud in [
        sim.url(),
        "https://login.salesforce.com".into(),
        "https://acme.my.salesforce.com/".into(),
    ] {
        assert_error(
            jwt_grant(&sim, &jwt(&aud)),
            "invalid_grant",
            "audience is invalid",
        );
    }
}

#[test]
fn client_credentials_come_from_the_form_or_http_basic() {
    let sim = Simulator::start(Scenario::default());
    let basic = |id: &str, secret: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
        )
    };
    let from_form = assert_success(
        &sim,
        token(
            &sim,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
            ],
        ),
    );
    let from_basic = assert_success(
        &sim,
        post_token(
            &sim,
            "grant_type=client_credentials",
            Some(&basic(CLIENT_ID, CLIENT_SECRET)),
        ),
    );
    assert_ne!(from_form, from_basic);

    let cc = |id: &str, secret: &str| {
        token(
            &sim,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
            ],
        )
    };
    assert_error(
        cc("PlatformCLI", CLIENT_SECRET),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        cc(CLIENT_ID, "wrong"),
        "invalid_client",
        "invalid client credentials",
    );
    assert_error(
        token(
            &sim,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
            ],
        ),
        "invalid_client",
        "invalid client credentials",
    );
    assert_error(
        post_token(&sim, "grant_type=client_credentials", None),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        post_token(
            &sim,
            "grant_type=client_credentials",
            Some(&basic("PlatformCLI", CLIENT_SECRET)),
        ),
        "invalid_client_id",
        "client identifier invalid",
    );
    assert_error(
        post_token(
            &sim,
            "grant_type=client_credentials",
            Some(&basic(CLIENT_ID, "wrong")),
        ),
        "invalid_client",
        "invalid client credentials",
    );
    assert_eq!(sim.issued_tokens(), vec![from_form, from_basic]);
}

#[test]
fn a_missing_or_unknown_grant_type_is_refused() {
    let sim = Simulator::start(Scenario::default());
    assert_error(
        token(
            &sim,
            &[("client_id", CLIENT_ID), ("refresh_token", REFRESH)],
        ),
        "invalid_request",
        "grant type is missing",
    );
    assert_error(
        post_token(&sim, "", None),
        "invalid_request",
        "grant type is missing",
    );
    assert_error(
        token(
            &sim,
            &[
                ("grant_type", "password"),
                ("username", USERNAME),
                ("password", "hunter2"),
            ],
        ),
        "unsupported_grant_type",
        "grant type not supported",
    );
}

#[test]
fn logins_are_recorded_with_their_grant_and_no_secret() {
    let sim = Simulator::start(Scenario::default());
    let jwt = jwt_with("test-key-pkcs8.pem", &claims("https://test.salesforce.com"));
    token(
        &sim,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("refresh_token", REFRESH),
        ],
    );
    jwt_grant(&sim, &jwt);
    token(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "wrong"),
        ],
    );
    token(&sim, &[("client_id", CLIENT_ID)]);
    check_status(&sim, TOKEN, UNKNOWN_JOB);

    let logins = sim.logins();
    let grants: Vec<(Option<&str>, u16)> = logins
        .iter()
        .map(|r| (r.grant.as_deref(), r.status))
        .collect();
    assert_eq!(
        grants,
        vec![
            (Some("refresh_token"), 200),
            (Some(JWT_BEARER), 200),
            (Some("client_credentials"), 400),
            (None, 400),
        ]
    );
    assert!(logins.iter().all(|r| r.operation == "token"
        && r.path == "/services/oauth2/token"
        && r.session.is_none()
        && r.violations.is_empty()));
    assert_eq!(sim.requests().len(), 5);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    let printed = format!("{:?}", sim.requests());
    for secret in [CLIENT_SECRET, REFRESH, jwt.as_str()] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    for issued in sim.issued_tokens() {
        assert!(!printed.contains(&issued), "{issued} in {printed}");
    }
}

#[test]
fn a_token_request_that_is_not_a_form_is_a_violation() {
    let sim = Simulator::start(Scenario::default());
    let response = support::http()
        .post(format!("{}/services/oauth2/token", sim.url()))
        .header("Content-Type", "application/json")
        .body(format!(
            "grant_type=refresh_token&client_id={CLIENT_ID}&refresh_token={REFRESH}"
        ))
        .send()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status().as_u16(), 200);
    let violations = sim.violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0].contains("application/x-www-form-urlencoded"),
        "{violations:?}"
    );
}

#[test]
fn issued_tokens_open_soap_sessions_and_made_up_ones_do_not() {
    let sim = Simulator::start(Scenario::default());
    let issued = assert_success(
        &sim,
        token(
            &sim,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", CLIENT_ID),
                ("refresh_token", REFRESH),
            ],
        ),
    );
    assert_session_accepted(check_status(&sim, &issued, UNKNOWN_JOB));
    assert_session_accepted(check_status(&sim, TOKEN, UNKNOWN_JOB));
    assert_invalid_session(check_status(
        &sim,
        "00D000000000001!AQ.issued-0123456789abcdef0123456789abcdef",
        UNKNOWN_JOB,
    ));
    assert_invalid_session(check_status(&sim, "", UNKNOWN_JOB));
    assert!(sim.session_valid(&issued) && sim.session_valid(TOKEN));
    assert!(!sim.session_valid("made-up"));
    let calls = sim.calls("checkDeployStatus");
    assert_eq!(calls.len(), 4);
    assert_eq!(calls[0].session.as_deref(), Some(issued.as_str()));
    assert!(calls.iter().all(|c| c.status == 500 && c.grant.is_none()));
}

fn expiring(polls: u32) -> Simulator {
    Simulator::start(Scenario {
        auth: AuthConfig {
            expire_after_polls: Some(polls),
            ..AuthConfig::default()
        },
        ..Scenario::default()
    })
}

#[test]
fn expire_after_polls_revokes_an_issued_session_once() {
    let sim = expiring(3);
    let refresh = || {
        assert_success(
            &sim,
            token(
                &sim,
                &[
                    ("grant_type", "refresh_token"),
                    ("client_id", CLIENT_ID),
                    ("refresh_token", REFRESH),
                ],
            ),
        )
    };
    let first = refresh();
    for _ in 0..3 {
        assert_session_accepted(check_status(&sim, &first, UNKNOWN_JOB));
    }
    assert!(!sim.session_valid(&first));
    assert_invalid_session(check_status(&sim, &first, UNKNOWN_JOB));
    assert_invalid_session(check_status(&sim, &first, UNKNOWN_JOB));
    // Only that session: the static token and the re-login's token live on.
    let second = refresh();
    for _ in 0..10 {
        assert_session_accepted(check_status(&sim, &second, UNKNOWN_JOB));
    }
    assert_session_accepted(check_status(&sim, TOKEN, UNKNOWN_JOB));
    assert_eq!(sim.logins().len(), 2);
}

#[test]
fn expire_after_polls_revokes_the_static_token_too() {
    let sim = expiring(2);
    assert_session_accepted(check_status(&sim, TOKEN, UNKNOWN_JOB));
    assert_session_accepted(check_status(&sim, TOKEN, UNKNOWN_JOB));
    assert_invalid_session(check_status(&sim, TOKEN, UNKNOWN_JOB));
    let jwt = jwt_with(
        "test-key-pkcs8.pem",
        &claims("https://login.salesforce.com"),
    );
    let fresh = assert_success(&sim, jwt_grant(&sim, &jwt));
    for _ in 0..5 {
        assert_session_accepted(check_status(&sim, &fresh, UNKNOWN_JOB));
    }
    assert_invalid_session(check_status(&sim, TOKEN, UNKNOWN_JOB));
}

#[test]
fn without_expire_after_polls_sessions_never_expire() {
    let sim = Simulator::start(Scenario::default());
    for _ in 0..20 {
        assert_session_accepted(check_status(&sim, TOKEN, UNKNOWN_JOB));
    }
}
