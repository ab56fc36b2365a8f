//! What goes wrong around a deploy: faults, expired tokens, transient polls, old orgs, bad input, lost answers.

use super::*;

#[test]
fn faults_are_errors_with_their_code() {
    let sim = Simulator::start(Scenario {
        deploy_fault: Some((
            "INSUFFICIENT_ACCESS",
            "use of the Metadata API requires a user with the ModifyAllData permission",
        )),
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).run();
    out.code(1);
    assert!(
        out.stderr.contains("deploy failed: INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData permission"),
        "{}",
        out.stderr
    );
    assert_eq!(sim.calls("deploy").len(), 1, "never retried");

    let out = deploy(&sim, &project).args(&["--json"]).run();
    out.code(1);
    let doc = out.json();
    assert_eq!(doc["status"], 1);
    assert_eq!(doc["error"]["name"], "INSUFFICIENT_ACCESS");
    assert!(doc.get("result").is_none());
}

#[test]
fn an_expired_token_is_reported_without_showing_it() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let out = run(
        bin(&sim)
            .current_dir(project.root())
            .env("SF_ACCESS_TOKEN", "00Dexpired!simulated-session-token-old"),
        &["deploy", "--zip", "deploy.zip"],
    );
    out.code(1);
    assert!(
        out.stderr.contains(
            "deploy failed: INVALID_SESSION_ID: Invalid Session ID found in SessionHeader"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("SF_ACCESS_TOKEN is expired or revoked"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("00Dexpired"), "{}", out.stderr);
    assert_eq!(sim.calls("deploy").len(), 1);
}

#[test]
fn transient_poll_failures_are_polled_through() {
    let sim = Simulator::start(Scenario {
        poll_failures: vec![
            Injected::Html(503),
            Injected::Fault("UNKNOWN_EXCEPTION"),
            Injected::Fault("INVALID_CROSS_REFERENCE_KEY"),
            Injected::Html(502),
        ],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).run();
    out.code(0).has(": Succeeded");
    // One notice for the streak of four, not one per retry.
    assert_eq!(out.stderr.matches("warning:").count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("after 4 failed polls"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);
}

#[test]
fn an_org_older_than_the_zip_is_refused_before_deploying() {
    let sim = Simulator::start(Scenario {
        org_version: "61.0",
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).run();
    out.code(2);
    assert!(
        out.stderr
            .contains("package.xml is for API 62.0, but the org supports at most 61.0"),
        "{}",
        out.stderr
    );
    assert!(sim.calls("deploy").is_empty());

    // The endpoint follows the zip's version.
    let sim = Simulator::start(Scenario::default());
    deploy(&sim, &project).run().code(0);
    assert!(
        sim.calls("deploy")[0]
            .path
            .ends_with("/services/Soap/m/62.0")
    );
}

#[test]
fn bad_input_exits_2_before_any_request() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    // (environment changes, arguments, expected text of the error line)
    type Case<'a> = (Vec<(&'a str, Option<&'a str>)>, Vec<&'a str>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![("SF_ACCESS_TOKEN", None)],
            vec!["deploy", "--zip", "deploy.zip"],
            "SF_ACCESS_TOKEN",
        ),
        (
            vec![("SF_ORG_INSTANCE_URL", None)],
            vec!["deploy", "--zip", "deploy.zip"],
            "SF_ORG_INSTANCE_URL",
        ),
        (
            vec![("SF_ORG_INSTANCE_URL", Some("http://acme.my.salesforce.com"))],
            vec!["deploy", "--zip", "deploy.zip"],
            "plain http",
        ),
        (
            vec![],
            vec!["deploy", "--source-dir", "force-app"],
            "source folder `force-app` does not exist",
        ),
        (
            vec![],
            vec!["deploy", "--prefix", "1Bad"],
            "unexpected argument '--prefix'",
        ),
        (
            vec![],
            vec!["deploy", "--zip", "missing.zip"],
            "missing.zip",
        ),
        (
            vec![],
            vec!["deploy", "--metadata-dir", "."],
            "has no package.xml",
        ),
        (
            vec![],
            vec![
                "deploy",
                "--zip",
                "deploy.zip",
                "--test-level",
                "RunSpecifiedTests",
            ],
            "needs at least one --tests",
        ),
        (
            vec![],
            vec![
                "deploy",
                "--zip",
                "deploy.zip",
                "--test-level",
                "RunLocalTests",
                "--tests",
                "X",
            ],
            "--tests only applies",
        ),
        (
            vec![],
            vec!["deploy", "--zip", "deploy.zip", "--api-version", "62"],
            "API version `62`",
        ),
        (
            vec![],
            vec!["deploy", "--zip", "deploy.zip", "--async", "--wait", "3"],
            "cannot be used with",
        ),
        (vec![], vec!["report", "12345"], "not a deploy job id"),
        (vec![], vec!["cancel", "0Af_bad"], "not a deploy job id"),
        (
            vec![],
            vec!["quick-deploy", "001000000000001AAA"],
            "not a deploy job id",
        ),
        (
            vec![],
            vec![
                "deploy",
                "--zip",
                "deploy.zip",
                "--test-level",
                "Everything",
            ],
            "possible values",
        ),
    ];
    for (env, args, expected) in cases {
        let mut cmd = bin(&sim);
        cmd.current_dir(project.root());
        for (name, value) in env {
            match value {
                Some(v) => cmd.env(name, v),
                None => cmd.env_remove(name),
            };
        }
        let out = run(&mut cmd, &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());

    // With --json the error is the document.
    let out = run(
        bin(&sim)
            .current_dir(project.root())
            .env_remove("SF_ACCESS_TOKEN"),
        &["deploy", "--zip", "deploy.zip", "--json"],
    );
    out.code(2);
    let doc = out.json();
    assert_eq!(doc["status"], 2);
    assert_eq!(doc["error"]["name"], "MissingCredentials");
}

#[test]
fn a_failure_after_the_job_started_names_the_job() {
    let sim = Simulator::start(Scenario {
        poll_failures: vec![Injected::Fault("INSUFFICIENT_ACCESS")],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).args(&["--json"]).run();
    out.code(1);
    let doc = out.json();
    let id = sim.calls("checkDeployStatus").len();
    assert_eq!(id, 1, "a non-transient fault is not polled through");
    assert_eq!(doc["error"]["name"], "INSUFFICIENT_ACCESS");
    assert!(
        doc["error"]["jobId"]
            .as_str()
            .is_some_and(|j| j.starts_with("0Af")),
        "{doc}"
    );
    assert!(
        out.stderr
            .contains("may still be running: `portal-disable report 0Af"),
        "{}",
        out.stderr
    );
    assert_eq!(sim.calls("deploy").len(), 1, "never deployed twice");
}

#[test]
fn an_unreachable_org_fails_before_deploying() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let out = run(
        bin(&sim)
            .current_dir(project.root())
            .env("SF_ORG_INSTANCE_URL", format!("http://127.0.0.1:{port}")),
        &["deploy", "--zip", "deploy.zip"],
    );
    out.code(1);
    assert!(
        out.stderr.contains("connecting to the org failed"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did not answer"), "{}", out.stderr);
}

#[test]
fn a_lost_deploy_answer_is_never_retried() {
    let sim = Simulator::start(Scenario {
        deploy_lost: Some(504),
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).run();
    out.code(1);
    assert!(out.stderr.contains("HTTP 504"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the org may have started the deploy anyway"),
        "{}",
        out.stderr
    );
    assert_eq!(sim.calls("deploy").len(), 1, "never deployed twice");
    assert!(sim.calls("checkDeployStatus").is_empty());
}
