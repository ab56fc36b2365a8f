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

mod refusals;

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
