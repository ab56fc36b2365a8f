//! `deploy` as a CI job runs it: the built binary against the local Metadata API simulator,
//! one simulator per test, for every way a deploy ends and every input it refuses.
//!
//! Every test asserts the exit code and what a reader looks for (the human report's key lines,
//! the JSON document, the JUnit file) and that the simulator saw exactly one `deploy()` with
//! the WSDL order and a zip matching its package.xml. `job_cli.rs` covers following jobs.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::cli::{Project, assert_one_clean_deploy, bin, deploy, option, run};
use support::simulator::{Ending, Injected, Scenario, Simulator};

#[test]
fn success_with_tests_and_coverage() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let junit = project.junit();
    let out = run(
        bin(&sim).current_dir(project.root()),
        &[
            "deploy",
            "--metadata-dir",
            "mdapi",
            "--tests",
            "PortalUserDisablerTest",
            "--junit",
            "results/junit.xml",
        ],
    );
    out.code(0)
        .has("Deploy 0Af")
        .has(": Succeeded in ")
        .has("Components: 2/2 deployed, 0 failed")
        .has("Tests: 2/2 passed, 0 failed")
        .has("Code coverage\n  PortalUserDisabler  95.0 %  (38/40 lines)  uncovered lines: 12, 30")
        .has("Job id: 0Af");
    assert_one_clean_deploy(&sim);
    assert_eq!(option(&sim, "testLevel"), ["RunSpecifiedTests"]);
    assert_eq!(option(&sim, "runTests"), ["PortalUserDisablerTest"]);
    assert_eq!(option(&sim, "singlePackage"), ["true"]);
    assert_eq!(option(&sim, "rollbackOnError"), ["true"]);
    assert_eq!(option(&sim, "checkOnly"), ["false"]);
    // One plain line per state change in CI, never one per poll.
    let status_lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| {
            l.starts_with("Pending") || l.starts_with("InProgress") || l.starts_with("Succeeded")
        })
        .collect();
    assert!(status_lines.len() <= 3, "{}", out.stderr);
    // Details were fetched once, when done.
    let polls = sim.calls("checkDeployStatus");
    let detailed: Vec<_> = polls.iter().filter(|r| r.body_len > 0).collect();
    assert!(!detailed.is_empty());
    let xml = std::fs::read_to_string(&junit).expect("reading a test file");
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
    assert!(
        xml.contains(r#"classname="PortalUserDisablerTest""#),
        "{xml}"
    );
    assert!(!xml.contains("<failure"), "{xml}");
}

#[test]
fn the_generated_sources_deploy_with_their_test_class() {
    let sim = Simulator::start(Scenario::default());
    let project = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        project.path().join("portal-disable.toml"),
        "mode = \"deactivate\"\n[entry_points]\nrest = true\n",
    )
    .expect("writing a test file");
    let out = run(bin(&sim).current_dir(project.path()), &["deploy"]);
    out.code(0)
        .has(": Succeeded in ")
        .has("Components: 5/5 deployed, 0 failed");
    assert_one_clean_deploy(&sim);
    // The generated test class runs by default, and nothing was written to the project.
    assert_eq!(option(&sim, "testLevel"), ["RunSpecifiedTests"]);
    assert_eq!(option(&sim, "runTests"), ["PortalUserDisablerTest"]);
    assert_eq!(option(&sim, "singlePackage"), ["true"]);
    let left: Vec<_> = std::fs::read_dir(project.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("portal-disable.toml")]);

    // A source folder deploys as it is, with the org's default test level.
    let sim = Simulator::start(Scenario::default());
    let generated = run(bin(&sim).current_dir(project.path()), &["generate"]);
    generated.code(0);
    let out = run(
        bin(&sim).current_dir(project.path()),
        &["deploy", "--source-dir", "force-app"],
    );
    out.code(0).has("Components: 5/5 deployed, 0 failed");
    assert_one_clean_deploy(&sim);
    assert!(option(&sim, "runTests").is_empty());
}

#[test]
fn deploy_defaults_come_from_the_config_file() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    std::fs::write(
        project.root().join("portal-disable.toml"),
        "[deploy]\ntests = [\"PortalUserDisablerTest\"]\nwait = 5\n",
    )
    .expect("writing a test file");
    let out = deploy(&sim, &project).run();
    out.code(0);
    assert_one_clean_deploy(&sim);
    assert_eq!(option(&sim, "testLevel"), ["RunSpecifiedTests"]);
    assert_eq!(option(&sim, "runTests"), ["PortalUserDisablerTest"]);

    // A bad value is bad input, before any request.
    let sim = Simulator::start(Scenario::default());
    std::fs::write(
        project.root().join("portal-disable.toml"),
        "[deploy]\ntest_level = \"Everything\"\n",
    )
    .expect("writing a test file");
    let out = deploy(&sim, &project).run();
    out.code(2);
    assert!(
        out.stderr
            .contains("[deploy] test_level `Everything` is not a test level"),
        "{}",
        out.stderr
    );
    assert!(sim.requests().is_empty());
}

#[test]
fn success_as_json() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let out = deploy(&sim, &project)
        .args(&["--test-level", "RunLocalTests", "--json"])
        .run();
    out.code(0);
    assert!(
        out.stdout
            .starts_with("{\n  \"status\": 0,\n  \"result\": {\n    \"jobId\""),
        "{}",
        out.stdout
    );
    let doc = out.json();
    assert_eq!(doc["status"], 0);
    let result = &doc["result"];
    assert_eq!(result["status"], "Succeeded");
    assert_eq!(result["success"], true);
    assert_eq!(result["done"], true);
    assert!(
        result["jobId"]
            .as_str()
            .is_some_and(|id| id.starts_with("0Af"))
    );
    assert_eq!(result["jobId"], result["id"]);
    assert_eq!(result["numberComponentsTotal"], 2);
    assert!(result["elapsedSeconds"].is_number());
    // Lists are arrays even with zero or one element; numbers are numbers.
    assert!(
        result["details"]["componentFailures"]
            .as_array()
            .is_some_and(|a| a.is_empty())
    );
    assert_eq!(
        result["details"]["componentSuccesses"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let tests = &result["details"]["runTestResult"];
    assert_eq!(tests["numTestsRun"], 2);
    assert!(tests["totalTime"].is_f64());
    assert_eq!(
        tests["codeCoverage"][0]["locationsNotCovered"][0]["line"],
        12
    );
    assert_eq!(tests["codeCoverage"][0]["namespace"], Value::Null);
    assert_eq!(option(&sim, "testLevel"), ["RunLocalTests"]);
    assert!(option(&sim, "runTests").is_empty());
    assert_one_clean_deploy(&sim);
}

#[test]
fn compile_failure_names_file_line_and_column() {
    let sim = Simulator::start(Scenario {
        ending: Ending::CompileFailure,
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project)
        .args(&[
            "--tests",
            "PortalUserDisablerTest",
            "--junit",
            "results/junit.xml",
        ])
        .run();
    out.code(1)
        .has(": Failed in ")
        .has("Component failures [1]\n  ApexClass PortalUserDisabler  classes/PortalUserDisabler.cls:4:5\n    Error: Missing ';' at '}'")
        .has("Tests: none run");
    assert_one_clean_deploy(&sim);
    // The JUnit file is written even when no test ran.
    let xml = std::fs::read_to_string(project.junit()).expect("reading a test file");
    assert!(xml.contains("force.apex"), "{xml}");

    let sim = Simulator::start(Scenario {
        ending: Ending::CompileFailure,
        ..Scenario::default()
    });
    let out = deploy(&sim, &project).args(&["--json"]).run();
    out.code(1);
    let doc = out.json();
    assert_eq!(doc["status"], 1);
    let failure = &doc["result"]["details"]["componentFailures"][0];
    assert_eq!(failure["lineNumber"], 4);
    assert_eq!(failure["columnNumber"], 5);
    assert_eq!(failure["componentType"], "ApexClass");
    assert_eq!(failure["success"], false);
}

#[test]
fn test_failure_with_message_stack_trace_and_junit() {
    // Long enough that a poll sees the failure while the other test still runs (--verbose).
    let sim = Simulator::start(Scenario {
        ending: Ending::TestFailure,
        running: Duration::from_millis(1200),
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project)
        .args(&[
            "--tests",
            "PortalUserDisablerTest",
            "--junit",
            "results/junit.xml",
            "--verbose",
        ])
        .run();
    out.code(1)
        .has("Tests: 1/2 passed, 1 failed")
        .has("Test failures [1]\n  • PortalUserDisablerTest.testDisablePositive\n    message: System.AssertException: Assertion Failed")
        .has("    stack trace:\n      Class.PortalUserDisablerTest.testDisablePositive: line 7, column 1");
    assert!(
        out.stderr
            .contains("test failed: PortalUserDisablerTest.testDisablePositive"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);
    let xml = std::fs::read_to_string(project.junit()).expect("reading a test file");
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
    assert!(
        xml.contains("<failure message=\"System.AssertException: Assertion Failed"),
        "{xml}"
    );
    assert!(
        xml.contains("Class.PortalUserDisablerTest.testDisablePositive: line 7, column 1"),
        "{xml}"
    );
}

#[test]
fn coverage_failure_shows_the_warning() {
    let sim = Simulator::start(Scenario {
        ending: Ending::CoverageFailure,
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project)
        .args(&["--tests", "PortalUserDisablerTest"])
        .run();
    out.code(1)
        .has(": Failed")
        .has("Error: code coverage too low: Average test coverage across all Apex Classes and Triggers is 68%")
        .has("Components: 2/2 deployed, 0 failed")
        .has("Tests: 2/2 passed, 0 failed")
        .has("Code coverage warnings [1]\n  Average test coverage across all Apex Classes and Triggers is 68%, at least 75% test coverage is required.")
        .has("PortalUserDisabler  67.5 %");
    assert_one_clean_deploy(&sim);
}

#[test]
fn succeeded_partial_exits_68() {
    let project = Project::new(
        &["PortalUserDisabler", "PortalUserDisablerQueueable"],
        "62.0",
    );
    let sim = Simulator::start(Scenario {
        ending: Ending::Partial,
        ..Scenario::default()
    });
    let out = deploy(&sim, &project)
        .args(&["--ignore-errors", "--json"])
        .run();
    out.code(68);
    let doc = out.json();
    assert_eq!(doc["status"], 68);
    assert_eq!(doc["result"]["status"], "SucceededPartial");
    assert_eq!(doc["result"]["numberComponentErrors"], 1);
    assert_eq!(option(&sim, "rollbackOnError"), ["false"]);
    assert_one_clean_deploy(&sim);
}

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
fn a_folder_zip_uses_single_package_false() {
    // A zip with its package.xml under one top-level folder, as `sf project convert` zips.
    let project = Project::default();
    let file =
        std::fs::File::create(project.root().join("nested.zip")).unwrap_or_else(|e| panic!("{e}"));
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    for name in [
        "package.xml",
        "classes/PortalUserDisabler.cls",
        "classes/PortalUserDisabler.cls-meta.xml",
        "classes/PortalUserDisablerTest.cls",
        "classes/PortalUserDisablerTest.cls-meta.xml",
    ] {
        let bytes = std::fs::read(project.root().join("mdapi").join(name))
            .unwrap_or_else(|e| panic!("{e}"));
        zip.start_file(format!("mdapiOut/{name}"), options)
            .unwrap_or_else(|e| panic!("{e}"));
        std::io::Write::write_all(&mut zip, &bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulator::start(Scenario::default());
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "nested.zip", "--verbose"],
    );
    out.code(0).has("mdapiOut/classes/PortalUserDisabler.cls");
    assert_eq!(option(&sim, "singlePackage"), ["false"]);
    assert_one_clean_deploy(&sim);
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
