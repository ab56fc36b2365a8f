//! Sessions the token endpoint issues, and their expiry.

use super::*;

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
