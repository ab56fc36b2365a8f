//! Every way CI logs in, against the simulator's token endpoint, which really checks each
//! grant: the refresh token of an sfdx auth URL (from the environment or a file), an RS256
//! JWT assertion, client credentials, a plain access token, and an org of the sf CLI
//! (`--target-org`, through a stand-in `sf`). Also: a session that expires mid-deploy is
//! renewed once without a second `deploy()`, malformed inputs fail before any request, and no
//! secret ever reaches stdout or stderr.

use crate::support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use support::cli::{Project, Run, assert_one_clean_deploy, bin, run};
use support::sf_cli::{StandIn, Version};
use support::simulator::{AuthConfig, Injected, Scenario, Simulator};

const PRIVATE_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/auth/test-key-pkcs8.pem"
);
const PRIVATE_KEY_PKCS1: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/auth/test-key-pkcs1.pem"
);

/// The four sources, as environment (and flags) for one simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    AccessToken,
    AuthUrl,
    AuthUrlFile,
    Jwt,
    ClientCredentials,
    /// `--target-org uat`, answered by a stand-in `sf` (new CLI: display, then
    /// show-access-token) that gives the simulator's static token.
    TargetOrg,
}

const ALL: [Source; 6] = [
    Source::AccessToken,
    Source::AuthUrl,
    Source::AuthUrlFile,
    Source::Jwt,
    Source::ClientCredentials,
    Source::TargetOrg,
];

fn auth() -> AuthConfig {
    AuthConfig::default()
}

/// The simulator's `127.0.0.1:PORT`: an auth URL's host carries no scheme (loopback: http).
fn host_of(sim: &Simulator) -> String {
    sim.url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// `force://id:secret:refresh@127.0.0.1:PORT`.
fn auth_url(sim: &Simulator) -> String {
    let a = auth();
    let host = host_of(sim);
    format!(
        "force://{}:{}:{}@{host}",
        a.client_id, a.client_secret, a.refresh_token
    )
}

/// A private copy of the test key, owner-only (no permission warning).
fn key_file(dir: &Path, fixture: &str) -> PathBuf {
    let path = dir.join("server.key");
    std::fs::copy(fixture, &path).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .expect("setting a file\'s mode");
    }
    path
}

/// The `PATH` of a [`Source::TargetOrg`] run: a stand-in `sf` in the project folder (it lives
/// as long as the project), first.
fn stand_in(sim: &Simulator, project: &Project) -> std::ffi::OsString {
    let sf = StandIn::new_in(&project.root().join("sf-stand-in"), &sim.url());
    sf.org("uat", Version::New);
    sf.path()
}

/// The binary logged in through `source`; its flags are returned, to go after the command's own.
fn login_as(sim: &Simulator, source: Source, project: &Project) -> (Command, Vec<String>) {
    let mut cmd = bin(sim);
    cmd.current_dir(project.root());
    let mut flags = Vec::new();
    if source != Source::AccessToken {
        cmd.env_remove("SF_ACCESS_TOKEN")
            .env_remove("SF_ORG_INSTANCE_URL");
    }
    let a = auth();
    match source {
        Source::AccessToken => {}
        Source::AuthUrl => {
            cmd.env("SF_AUTH_URL", auth_url(sim));
        }
        Source::AuthUrlFile => {
            let file = project.root().join("auth.json");
            std::fs::write(
                &file,
                format!(
                    r#"{{"status":0,"result":{{"sfdxAuthUrl":"{}","username":"{}"}}}}"#,
                    auth_url(sim),
                    a.username
                ),
            )
            .expect("writing a test file");
            // As a CI step writes a secret file; a readable one gets a warning (tested apart).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                    .expect("setting a file\'s mode");
            }
            flags = vec!["--auth-url-file".to_string(), file.display().to_string()];
        }
        Source::Jwt => {
            cmd.env("SF_CLIENT_ID", a.client_id)
                .env("SF_USERNAME", a.username)
                .env("SF_JWT_KEY_FILE", key_file(project.root(), PRIVATE_KEY))
                .env("SF_LOGIN_URL", sim.url());
        }
        Source::ClientCredentials => {
            cmd.env("SF_CLIENT_ID", a.client_id)
                .env("SF_CLIENT_SECRET", a.client_secret)
                .env("SF_ORG_INSTANCE_URL", sim.url());
        }
        Source::TargetOrg => {
            cmd.env("PATH", stand_in(sim, project));
            flags = vec!["--target-org".to_string(), "uat".to_string()];
        }
    }
    (cmd, flags)
}

/// Runs `args` (the command first) with the source's flags appended.
fn run_as(sim: &Simulator, source: Source, project: &Project, args: &[&str]) -> Run {
    let (mut cmd, flags) = login_as(sim, source, project);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(flags.iter().map(String::as_str));
    let out = run(&mut cmd, &all);
    assert_no_secret(&out);
    out
}

/// No secret of any source in the output, nor any line of the private key.
fn assert_no_secret(out: &Run) {
    let a = auth();
    let key = std::fs::read_to_string(PRIVATE_KEY).unwrap_or_default()
        + &std::fs::read_to_string(PRIVATE_KEY_PKCS1).unwrap_or_default();
    let mut secrets: Vec<String> = vec![
        a.client_secret.to_string(),
        a.refresh_token.to_string(),
        "AQ.issued-".to_string(),
        "simulated-session-token".to_string(),
    ];
    secrets.extend(
        key.lines()
            .filter(|l| !l.starts_with("-----") && !l.is_empty())
            .map(str::to_string),
    );
    for secret in &secrets {
        assert!(
            !out.stdout.contains(secret.as_str()) && !out.stderr.contains(secret.as_str()),
            "secret {secret:?} leaked:\n{}\n{}",
            out.stdout,
            out.stderr
        );
    }
}

#[test]
fn each_source_deploys() {
    for source in ALL {
        let sim = Simulator::start(Scenario::default());
        let project = Project::default();
        let out = run_as(&sim, source, &project, &["deploy", "--zip", "deploy.zip"]);
        out.code(0).has(": Succeeded in ");
        assert_one_clean_deploy(&sim);
        let logins = sim.logins().len();
        // The access token and the sf CLI's session need no token request.
        let expected = usize::from(!matches!(source, Source::AccessToken | Source::TargetOrg));
        assert_eq!(logins, expected, "{source:?}: {:?}", sim.requests());
        assert!(
            !out.stderr.contains("warning"),
            "{source:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_pkcs1_key_works_too() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let (mut cmd, _) = login_as(&sim, Source::Jwt, &project);
    cmd.env(
        "SF_JWT_KEY_FILE",
        key_file(project.root(), PRIVATE_KEY_PKCS1),
    );
    let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
    out.code(0);
    assert_one_clean_deploy(&sim);
}

#[test]
fn an_expired_session_is_renewed_once_without_a_second_deploy() {
    for source in [Source::AuthUrl, Source::Jwt, Source::ClientCredentials] {
        let mut scenario = Scenario::default();
        scenario.auth.expire_after_polls = Some(1);
        let sim = Simulator::start(scenario);
        let project = Project::default();
        let out = run_as(&sim, source, &project, &["deploy", "--zip", "deploy.zip"]);
        out.code(0).has(": Succeeded in ");
        assert!(
            out.stderr.contains("logged in again"),
            "{source:?}: {}",
            out.stderr
        );
        assert_one_clean_deploy(&sim);
        assert_eq!(sim.logins().len(), 2, "{source:?}");
    }
    // A static token cannot be renewed: the job id and how to resume, exit 1.
    let mut scenario = Scenario::default();
    scenario.auth.expire_after_polls = Some(1);
    let sim = Simulator::start(scenario);
    let project = Project::default();
    let out = run_as(
        &sim,
        Source::AccessToken,
        &project,
        &["deploy", "--zip", "deploy.zip"],
    );
    out.code(1);
    assert!(out.stderr.contains("INVALID_SESSION_ID"), "{}", out.stderr);
    assert!(
        out.stderr.contains("portal-disable report 0Af"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);
}

#[test]
fn report_logs_in_again_once_and_quick_deploy_logs_in() {
    // A validation to quick-deploy, and a job to report and cancel.
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let validation = run_as(
        &sim,
        Source::AuthUrl,
        &project,
        &[
            "deploy",
            "--zip",
            "deploy.zip",
            "--check-only",
            "--tests",
            "PortalUserDisablerTest",
        ],
    );
    validation.code(0);
    let validation_id = validation.job_id();
    // The org refuses the session on the report's one status call: it logs in again once and
    // repeats the same call.
    sim.inject_poll_failures(vec![Injected::Fault("INVALID_SESSION_ID")]);
    let report = run_as(&sim, Source::AuthUrl, &project, &["report", &validation_id]);
    report.code(0).has("Succeeded");
    assert!(
        report.stderr.contains("logged in again"),
        "{}",
        report.stderr
    );
    let quick = run_as(
        &sim,
        Source::AuthUrl,
        &project,
        &["quick-deploy", &validation_id],
    );
    quick.code(0).has("Succeeded");
}

#[test]
fn refused_logins_name_the_flow_and_the_fix() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let a = auth();
    let host = host_of(&sim);
    // (source to start from, variable to override, value, expected text)
    let cases: Vec<(Source, &str, String, &str)> = vec![
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            format!("force://{}::5Aep-revoked@{host}", a.client_id),
            "sfdx auth URL (refresh token) login refused: invalid_grant",
        ),
        (
            Source::Jwt,
            "SF_USERNAME",
            "someone.else@acme.example".into(),
            "pre-authorize the user",
        ),
        (
            Source::Jwt,
            "SF_AUDIENCE_URL",
            "https://acme.my.site.com".into(),
            "https://test.salesforce.com for sandboxes",
        ),
        (
            Source::Jwt,
            "SF_CLIENT_ID",
            "3MVG9unknown".into(),
            "SF_CLIENT_ID",
        ),
        (
            Source::ClientCredentials,
            "SF_CLIENT_SECRET",
            "wrong-secret".into(),
            "client credentials login refused: invalid_client",
        ),
    ];
    for (source, name, value, expected) in cases {
        let (mut cmd, _) = login_as(&sim, source, &project);
        cmd.env(name, &value);
        let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
        assert_no_secret(&out);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
    }
    assert!(
        sim.calls("deploy").is_empty(),
        "no deploy after a refused login"
    );
}

#[test]
fn malformed_credentials_exit_2_before_any_request() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let not_a_key = project.root().join("not-a-key.pem");
    std::fs::write(
        &not_a_key,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .expect("writing a test file");
    let cases: Vec<(Source, &str, String, &str)> = vec![
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "https://x:y:z@host".into(),
            "does not start with `force://`",
        ),
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "force://id:secret@host".into(),
            "needs a client id, a client secret",
        ),
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "force://id::token@".into(),
            "its host is empty",
        ),
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "force://id::to ken@host".into(),
            "refresh token",
        ),
        (
            Source::Jwt,
            "SF_JWT_KEY_FILE",
            "missing.pem".into(),
            "SF_JWT_KEY_FILE names a file that cannot be read (no such file)",
        ),
        (
            Source::Jwt,
            "SF_JWT_KEY_FILE",
            not_a_key.display().to_string(),
            "is not an RSA private key",
        ),
        (
            Source::Jwt,
            "SF_LOGIN_URL",
            "http://login.salesforce.com".into(),
            "plain http",
        ),
        (
            Source::ClientCredentials,
            "SF_ORG_INSTANCE_URL",
            "http://acme.my.salesforce.com".into(),
            "plain http",
        ),
        (
            Source::Jwt,
            "SF_USERNAME",
            String::new(),
            "JWT bearer needs SF_USERNAME",
        ),
    ];
    for (source, name, value, expected) in cases {
        let (mut cmd, _) = login_as(&sim, source, &project);
        if value.is_empty() {
            cmd.env_remove(name);
        } else {
            cmd.env(name, &value);
        }
        let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
        assert_no_secret(&out);
        assert_eq!(out.code, 2, "{name}={value}: {}", out.stderr);
        assert!(
            out.stderr.contains(expected),
            "{name}={value}: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains(&value) || value.len() < 12 || name != "SF_AUTH_URL",
            "{}",
            out.stderr
        );
    }
    // Two complete sources at once.
    let (mut cmd, _) = login_as(&sim, Source::AuthUrl, &project);
    cmd.env("SF_ACCESS_TOKEN", "00D!AQ.x")
        .env("SF_ORG_INSTANCE_URL", sim.url());
    let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
    out.code(2);
    assert!(
        out.stderr.contains("several org credential sources"),
        "{}",
        out.stderr
    );
    // A key others may read: a warning, and the deploy still runs.
    let (mut cmd, _) = login_as(&sim, Source::Jwt, &project);
    let loose = project.root().join("loose.pem");
    std::fs::copy(PRIVATE_KEY, &loose).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644))
            .expect("setting a file\'s mode");
    }
    cmd.env("SF_JWT_KEY_FILE", &loose);
    let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
    assert_no_secret(&out);
    out.code(0);
    assert!(out.stderr.contains("chmod 600"), "{}", out.stderr);
    assert_eq!(sim.calls("deploy").len(), 1, "only the last case deploys");
}

/// Every command, every output mode, success and failure, with every source: no secret in any
/// output (`run_as` checks each run).
#[test]
fn no_secret_in_any_output() {
    for source in ALL {
        let sim = Simulator::start(Scenario::default());
        let project = Project::default();
        for mode in [&[][..], &["--json"][..], &["--verbose"][..]] {
            let mut args = vec!["deploy", "--zip", "deploy.zip", "--junit", "junit.xml"];
            args.extend_from_slice(mode);
            let deploy = run_as(&sim, source, &project, &args);
            deploy.code(0);
            let junit =
                std::fs::read_to_string(project.root().join("junit.xml")).unwrap_or_default();
            assert!(!junit.contains("AQ."), "{junit}");
            let id = if mode == ["--json"] {
                deploy.json()["result"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            } else {
                deploy.job_id()
            };
            for command in [
                vec!["report", id.as_str()],
                vec!["cancel", id.as_str()],
                vec!["quick-deploy", id.as_str()],
            ] {
                let mut args = command.clone();
                args.extend_from_slice(mode);
                // Cancel of a finished job and quick deploy of a non-validation fail: the
                // failing paths print errors, which must be clean too.
                let out = run_as(&sim, source, &project, &args);
                assert!(matches!(out.code, 0 | 1), "{args:?}: {}", out.stderr);
            }
            let refused = run_as(&sim, source, &project, &["report", "0Af000000000000AAA"]);
            assert_eq!(refused.code, 1, "{}", refused.stderr);
        }
    }
}
