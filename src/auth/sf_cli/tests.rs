//! The sf CLI's answers as captured from a real CLI (`tests/fixtures/sf-cli/`), read here.

use super::answer::{Answer, Refusal, interpret};
use super::process::Output;
use super::*;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sf-cli")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn output(code: i32, stdout: &str, stderr: &str) -> Output {
    Output {
        code: Some(code),
        stdout: stdout.as_bytes().to_vec(),
        stderr: stderr.as_bytes().to_vec(),
    }
}

fn answer(code: i32, file: &str) -> std::result::Result<Answer, Refusal> {
    interpret("`sf test`", &output(code, &fixture(file), ""))
}

fn uat(origin: Origin) -> SfOrg {
    SfOrg {
        target: "uat".into(),
        origin,
    }
}

#[test]
fn a_new_cli_redacts_display_and_show_access_token_gives_the_token() {
    let Ok(display) = answer(0, "org-display.json") else {
        panic!("org display refused")
    };
    assert_eq!(
        display.result["instanceUrl"].as_str(),
        Some("http://127.0.0.1:8765/")
    );
    assert!(
        usable_token(&display.result).is_none(),
        "the placeholder is no token"
    );
    assert!(!display.refresh_failed());
    assert!(!connection_expired(&display.result));
    let Ok(token) = answer(0, "org-auth-show-access-token.json") else {
        panic!("show-access-token refused")
    };
    assert!(
        !token.refresh_failed(),
        "its own warning is not a refresh failure"
    );
    assert_eq!(
        usable_token(&token.result).map(|t| t.expose().to_string()),
        Some("00D000000000001!AQ.good".to_string())
    );
}

#[test]
fn an_old_cli_shows_the_token_in_display() {
    let Ok(display) = answer(0, "org-display-unredacted.json") else {
        panic!("org display refused")
    };
    assert_eq!(
        usable_token(&display.result).map(|t| t.expose().to_string()),
        Some("00D000000000001!AQ.good".to_string())
    );
    let stderr = fixture("not-a-command.stderr");
    assert!(matches!(
        interpret("`sf test`", &output(127, "", &stderr)),
        Err(Refusal::NotACommand)
    ));
}

#[test]
fn a_failed_refresh_exits_0_with_a_warning_and_is_seen() {
    let Ok(display) = answer(0, "org-display-refresh-failed.json") else {
        panic!("org display refused")
    };
    assert!(display.refresh_failed());
    assert!(connection_expired(&display.result));
    let Ok(token) = answer(0, "org-auth-show-access-token-refresh-failed.json") else {
        panic!("show-access-token refused")
    };
    assert!(token.refresh_failed(), "the stale token must not be used");
    let url = Url::parse("https://127.0.0.1:8766").unwrap_or_else(|e| panic!("{e}"));
    let message =
        refresh_failed(&uat(Origin::Flag), Some("refr"), &url, &display.result).to_string();
    assert!(
        message.contains("org `uat` (from --target-org)")
            && message.contains("expired access/refresh token")
            && message
                .contains("`sf org login web --alias refr --instance-url https://127.0.0.1:8766`"),
        "{message}"
    );
}

#[test]
fn refusals_by_name() {
    match answer(2, "org-display-named-org-not-found.json") {
        Err(Refusal::UnknownOrg(Some(suggestion))) => {
            assert!(suggestion.contains("Did you mean \"uat\"?"), "{suggestion}")
        }
        _ => panic!("not an unknown org"),
    }
    assert!(matches!(
        answer(1, "org-display-no-default-env.json"),
        Err(Refusal::UnknownOrg(None))
    ));
    let expired = r#"{"name":"RefreshTokenAuthError","message":"Error authenticating with the refresh token due to: expired access/refresh token","exitCode":1,"status":1}"#;
    assert!(matches!(
        interpret("`sf test`", &output(1, expired, "")),
        Err(Refusal::Expired)
    ));
    let other = "{\"name\":\"GenericError\",\"message\":\"it broke\\n\\tbadly\",\"status\":1}";
    match interpret("`sf test`", &output(1, other, "")) {
        Err(Refusal::Failed(message)) => assert_eq!(
            message,
            "`sf test` failed (exit 1, status 1): GenericError: it broke badly"
        ),
        _ => panic!("not a failure"),
    }
    // status 0 with a failing exit code, or the reverse, is no answer.
    let mixed = r#"{"status":1,"result":{"accessToken":"00D!x"}}"#;
    assert!(matches!(
        interpret("`sf test`", &output(0, mixed, "")),
        Err(Refusal::Failed(_))
    ));
}

#[test]
fn a_crash_without_json_names_the_first_line_of_stderr() {
    let stderr = "\n<sf>/node_modules/undici/lib/interceptor/decompress.js:17\nTypeError: Cannot read properties of undefined (reading 'bind')\n";
    match interpret(
        "`sf org display --target-org uat --json`",
        &output(1, "", stderr),
    ) {
        Err(Refusal::Failed(message)) => assert_eq!(
            message,
            "`sf org display --target-org uat --json` failed (exit 1) without a JSON answer: <sf>/node_modules/undici/lib/interceptor/decompress.js:17"
        ),
        _ => panic!("not a failure"),
    }
}

#[test]
fn a_line_before_the_document_is_skipped() {
    let text = format!("Warning: something noisy\n{}", fixture("org-display.json"));
    assert!(interpret("`sf test`", &output(0, &text, "")).is_ok());
}

#[test]
fn tokens_must_look_like_tokens() {
    for bad in [
        serde_json::json!({}),
        serde_json::json!({"accessToken": ""}),
        serde_json::json!({"accessToken": 12}),
        serde_json::json!({"accessToken": "[REDACTED] Use 'sf org auth show-access-token' to view"}),
        serde_json::json!({"accessToken": "00D!a b"}),
        serde_json::json!({"accessToken": "00D!a\nb"}),
    ] {
        assert!(usable_token(&bad).is_none(), "{bad}");
    }
}

#[test]
fn messages_name_the_org_its_origin_and_the_login_command() {
    assert_eq!(
        uat(Origin::Flag).to_string(),
        "org `uat` (from --target-org)"
    );
    assert_eq!(
        uat(Origin::Env).to_string(),
        "org `uat` (from SF_TARGET_ORG)"
    );
    assert_eq!(
        uat(Origin::Config(PathBuf::from("home/.sf/config.json"))).to_string(),
        "org `uat` (the sf CLI's default: target-org in `home/.sf/config.json`)"
    );
    assert_eq!(
        uat(Origin::Flag).login_command(None, None),
        "sf org login web --alias uat"
    );
    let user = SfOrg {
        target: "dev@acme.example".into(),
        origin: Origin::Flag,
    };
    let url = Url::parse("https://acme.my.salesforce.com/").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        user.login_command(None, Some(&url)),
        "sf org login web --instance-url https://acme.my.salesforce.com"
    );
    assert_eq!(
        user.login_command(Some("prod"), Some(&url)),
        "sf org login web --alias prod --instance-url https://acme.my.salesforce.com"
    );
    let missing = Refusal::NotInstalled.into_error(&uat(Origin::Flag));
    assert_eq!(missing.exit_code(), crate::exit::BAD_INPUT);
    assert!(
        missing
            .to_string()
            .contains("npm install -g @salesforce/cli"),
        "{missing}"
    );
    let unknown = Refusal::UnknownOrg(None).into_error(&uat(Origin::Env));
    assert_eq!(unknown.exit_code(), crate::exit::BAD_INPUT);
    assert!(
        unknown
            .to_string()
            .contains("`sf org login web --alias uat`"),
        "{unknown}"
    );
}
