//! The token endpoint's refresh-token and client-credentials grants, and how it reads forms.

use super::*;

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
