//! The JWT bearer grant: signature, claims, audience.

use super::*;

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
