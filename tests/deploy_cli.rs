//! `deploy`, `report`, `cancel` and `quick-deploy` as a CI job runs them: the built binary
//! against the local Metadata API simulator, one simulator per test.
//!
//! Every test asserts the exit code and what a reader looks for (the human report's key lines,
//! the JSON document, the JUnit file) and that the simulator saw exactly one `deploy()` with
//! the WSDL order and a zip matching its package.xml. Time runs 50x faster
//! (`PORTAL_DISABLE_TIME_SCALE`), so "minutes" of polling take a second or two.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use support::simulator::{Ending, Injected, Scenario, Simulator, TOKEN, WSDL_ORDER};
use tempfile::TempDir;

const SCALE: &str = "0.02";

/// The binary with the simulator's credentials, in CI mode (plain progress lines).
fn bin(sim: &Simulator) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("portal-disable");
    cmd.env("SF_ACCESS_TOKEN", TOKEN)
        .env("SF_ORG_INSTANCE_URL", sim.url())
        .env("PORTAL_DISABLE_TIME_SCALE", SCALE)
        .env("CI", "true")
        .timeout(Duration::from_secs(30));
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command, args: &[&str]) -> Run {
    let output = cmd.args(args).output().unwrap_or_else(|e| panic!("{e}"));
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    // The token never shows, whatever happened.
    assert!(
        !run.stdout.contains("simulated-session-token")
            && !run.stderr.contains("simulated-session-token"),
        "token leaked:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    run
}

impl Run {
    fn has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}\n--- stderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
    fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }
    /// The job id from the `Job id: ...` line.
    fn job_id(&self) -> String {
        self.stdout
            .lines()
            .find_map(|l| l.strip_prefix("Job id: "))
            .unwrap_or_else(|| panic!("no job id in:\n{}", self.stdout))
            .trim()
            .to_string()
    }
}

/// A metadata-format folder with these classes (tests end in `Test`) and its zip.
struct Project {
    dir: TempDir,
}

impl Project {
    fn new(classes: &[&str], version: &str) -> Project {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mdapi = dir.path().join("mdapi");
        std::fs::create_dir_all(mdapi.join("classes")).unwrap_or_else(|e| panic!("{e}"));
        let members: String = classes
            .iter()
            .map(|c| format!("        <members>{c}</members>\n"))
            .collect();
        std::fs::write(
            mdapi.join("package.xml"),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <types>\n{members}        <name>ApexClass</name>\n    </types>\n    <version>{version}</version>\n</Package>\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for class in classes {
            std::fs::write(
                mdapi.join(format!("classes/{class}.cls")),
                format!("public with sharing class {class} {{}}\n"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(
                mdapi.join(format!("classes/{class}.cls-meta.xml")),
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>{version}</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let zip =
            portal_disable::metadata::zip_dir::zip_dir(&mdapi).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("deploy.zip"), zip).unwrap_or_else(|e| panic!("{e}"));
        Project { dir }
    }

    fn default() -> Project {
        Project::new(&["PortalUserDisabler", "PortalUserDisablerTest"], "62.0")
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn junit(&self) -> PathBuf {
        self.dir.path().join("results/junit.xml")
    }
}

/// The simulator saw exactly one deploy(), in WSDL order, with a clean zip.
fn assert_one_clean_deploy(sim: &Simulator) {
    let deploys = sim.calls("deploy");
    assert_eq!(deploys.len(), 1, "deploy() calls: {:?}", sim.requests());
    let names: Vec<&str> = deploys[0].options.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected: Vec<&str> = Vec::new();
    for name in WSDL_ORDER {
        let count = names.iter().filter(|n| **n == name).count();
        expected.extend(std::iter::repeat_n(name, count));
    }
    assert_eq!(names, expected, "not WSDL order");
    assert_eq!(sim.violations(), Vec::<String>::new());
}

fn option(sim: &Simulator, name: &str) -> Vec<String> {
    sim.calls("deploy")[0]
        .options
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .collect()
}

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
    let xml = std::fs::read_to_string(&junit).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
    assert!(
        xml.contains(r#"classname="PortalUserDisablerTest""#),
        "{xml}"
    );
    assert!(!xml.contains("<failure"), "{xml}");
}

#[test]
fn success_as_json() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let out = run(
        bin(&sim).current_dir(project.root()),
        &[
            "deploy",
            "--zip",
            "deploy.zip",
            "--test-level",
            "RunLocalTests",
            "--json",
        ],
    );
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &[
            "deploy",
            "--zip",
            "deploy.zip",
            "--tests",
            "PortalUserDisablerTest",
            "--junit",
            "results/junit.xml",
        ],
    );
    out.code(1)
        .has(": Failed in ")
        .has("Component failures [1]\n  ApexClass PortalUserDisabler  classes/PortalUserDisabler.cls:4:5\n    Error: Missing ';' at '}'")
        .has("Tests: none run");
    assert_one_clean_deploy(&sim);
    // The JUnit file is written even when no test ran.
    let xml = std::fs::read_to_string(project.junit()).unwrap_or_else(|e| panic!("{e}"));
    assert!(xml.contains("force.apex"), "{xml}");

    let sim = Simulator::start(Scenario {
        ending: Ending::CompileFailure,
        ..Scenario::default()
    });
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip", "--json"],
    );
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &[
            "deploy",
            "--zip",
            "deploy.zip",
            "--tests",
            "PortalUserDisablerTest",
            "--junit",
            "results/junit.xml",
            "--verbose",
        ],
    );
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
    let xml = std::fs::read_to_string(project.junit()).unwrap_or_else(|e| panic!("{e}"));
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &[
            "deploy",
            "--zip",
            "deploy.zip",
            "--tests",
            "PortalUserDisablerTest",
        ],
    );
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip", "--ignore-errors", "--json"],
    );
    out.code(68);
    let doc = out.json();
    assert_eq!(doc["status"], 68);
    assert_eq!(doc["result"]["status"], "SucceededPartial");
    assert_eq!(doc["result"]["numberComponentErrors"], 1);
    assert_eq!(option(&sim, "rollbackOnError"), ["false"]);
    assert_one_clean_deploy(&sim);
}

#[test]
fn slow_deploy_past_wait_exits_69_and_report_resumes() {
    let sim = Simulator::start(Scenario {
        pending: Duration::from_millis(300),
        running: Duration::from_millis(2500),
        finalizing: Duration::from_millis(700),
        ..Scenario::default()
    });
    let project = Project::default();
    // --wait 1 is 60 simulated seconds = 1.2 s at this scale.
    let out = run(
        bin(&sim).current_dir(project.root()),
        &[
            "deploy",
            "--zip",
            "deploy.zip",
            "--tests",
            "PortalUserDisablerTest",
            "--wait",
            "1",
        ],
    );
    out.code(69)
        .has("(still running)")
        .has("portal-disable report 0Af");
    let id = out.job_id();
    assert_one_clean_deploy(&sim);
    let polls_while_deploying = sim.calls("checkDeployStatus").len();
    // A fifth of the elapsed time, at least 1 s: about 15 polls in the first simulated minute.
    assert!(
        (8..=25).contains(&polls_while_deploying),
        "{polls_while_deploying} polls"
    );

    let out = run(&mut bin(&sim), &["report", &id, "--wait", "5", "--json"]);
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["result"]["id"], id.as_str());
    assert_eq!(doc["result"]["status"], "Succeeded");
    // The report went through Finalizing, a status not in the WSDL, and trusted `done`.
    assert!(out.stderr.contains("Finalizing"), "{}", out.stderr);
    assert_eq!(sim.calls("deploy").len(), 1);
}

#[test]
fn async_prints_the_job_id_and_report_without_wait_shows_the_state() {
    let sim = Simulator::start(Scenario {
        pending: Duration::from_secs(5),
        ..Scenario::default()
    });
    let project = Project::default();
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip", "--async"],
    );
    out.code(0)
        .has("accepted (Queued)")
        .has("portal-disable report 0Af");
    let id = out.job_id();
    assert_one_clean_deploy(&sim);
    assert!(sim.calls("checkDeployStatus").is_empty());

    let out = run(&mut bin(&sim), &["report", &id]);
    out.code(69)
        .has("Pending (still running)")
        .has(&format!("Job id: {id}"));

    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip", "--async", "--json"],
    );
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["result"]["status"], "Queued");
    assert_eq!(doc["result"]["done"], false);
}

#[test]
fn cancel_a_running_deploy() {
    let sim = Simulator::start(Scenario {
        pending: Duration::from_millis(50),
        running: Duration::from_secs(20),
        canceling: Duration::from_millis(1000),
        ..Scenario::default()
    });
    let project = Project::default();
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip", "--async"],
    );
    let id = out.job_id();
    std::thread::sleep(Duration::from_millis(150));
    let out = run(&mut bin(&sim), &["cancel", &id]);
    out.code(0).has(": Canceled").has(&format!("Job id: {id}"));
    assert!(out.stderr.contains("Canceling"), "{}", out.stderr);
    assert_eq!(sim.calls("cancelDeploy").len(), 1);

    // A finished job cannot be canceled.
    let out = run(&mut bin(&sim), &["cancel", &id, "--json"]);
    out.code(1);
    let doc = out.json();
    assert_eq!(doc["error"]["name"], "INVALID_ID_FIELD");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already finished"))
    );
}

#[test]
fn validation_then_quick_deploy() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let out = run(
        bin(&sim).current_dir(project.root()),
        &[
            "deploy",
            "--zip",
            "deploy.zip",
            "--dry-run",
            "--tests",
            "PortalUserDisablerTest",
        ],
    );
    out.code(0)
        .has("Validation 0Af")
        .has("portal-disable quick-deploy 0Af");
    assert_eq!(option(&sim, "checkOnly"), ["true"]);
    let validation = out.job_id();

    let out = run(&mut bin(&sim), &["quick-deploy", &validation, "--json"]);
    out.code(0);
    let doc = out.json();
    let new_id = doc["result"]["id"].as_str().unwrap_or_default().to_string();
    assert!(
        new_id.starts_with("0Af") && new_id != validation,
        "{new_id}"
    );
    assert_eq!(doc["result"]["validationId"], validation.as_str());
    assert_eq!(doc["result"]["checkOnly"], false);
    assert_eq!(sim.calls("deploy").len(), 1);
    assert_eq!(sim.calls("deployRecentValidation").len(), 1);

    // The quick deploy itself is no validation: it cannot be quick-deployed.
    let out = run(&mut bin(&sim), &["quick-deploy", &new_id]);
    out.code(1);
    assert!(out.stderr.contains("INVALID_ID_FIELD"), "{}", out.stderr);
    assert!(out.stderr.contains("last 10 days"), "{}", out.stderr);
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip"],
    );
    out.code(1);
    assert!(
        out.stderr.contains("deploy failed: INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData permission"),
        "{}",
        out.stderr
    );
    assert_eq!(sim.calls("deploy").len(), 1, "never retried");

    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip", "--json"],
    );
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip"],
    );
    out.code(0).has(": Succeeded");
    assert_eq!(out.stderr.matches("warning:").count(), 4, "{}", out.stderr);
    assert_one_clean_deploy(&sim);
}

#[test]
fn an_org_older_than_the_zip_is_refused_before_deploying() {
    let sim = Simulator::start(Scenario {
        org_version: "61.0",
        ..Scenario::default()
    });
    let project = Project::default();
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip"],
    );
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
    run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip"],
    )
    .code(0);
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
        (vec![], vec!["deploy"], "lands with the `package` command"),
        (
            vec![],
            vec!["deploy", "--source-dir", "force-app"],
            "--source-dir `force-app`",
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
    assert_eq!(doc["error"]["name"], "InputError");
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip", "--json"],
    );
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
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "deploy.zip"],
    );
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

/// Runs `deploy` on a long job, sends SIGINT once it polls, and returns (exit code, stderr).
fn interrupt_deploy(sim: &Simulator, project: &Project, extra: &[&str]) -> (i32, String) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_portal-disable"))
        .current_dir(project.root())
        .env("SF_ACCESS_TOKEN", TOKEN)
        .env("SF_ORG_INSTANCE_URL", sim.url())
        .env("PORTAL_DISABLE_TIME_SCALE", SCALE)
        .env("CI", "true")
        .args(["deploy", "--zip", "deploy.zip"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let started = std::time::Instant::now();
    while sim.calls("checkDeployStatus").is_empty() {
        assert!(started.elapsed() < Duration::from_secs(20), "never polled");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn ctrl_c_prints_the_job_id_and_exits_130() {
    let sim = Simulator::start(Scenario {
        running: Duration::from_secs(60),
        ..Scenario::default()
    });
    let project = Project::default();
    let (code, stderr) = interrupt_deploy(&sim, &project, &[]);
    assert_eq!(code, 130, "{stderr}");
    let id = sim.calls("deploy").len();
    assert_eq!(id, 1);
    assert!(stderr.contains("interrupted (job 0Af"), "{stderr}");
    assert!(stderr.contains("`portal-disable report 0Af"), "{stderr}");
    assert!(sim.calls("cancelDeploy").is_empty(), "left running");

    let sim = Simulator::start(Scenario {
        running: Duration::from_secs(60),
        ..Scenario::default()
    });
    let (code, stderr) = interrupt_deploy(&sim, &project, &["--cancel-on-interrupt"]);
    assert_eq!(code, 130, "{stderr}");
    assert!(
        stderr.contains("interrupted; cancel requested (job 0Af"),
        "{stderr}"
    );
    assert_eq!(sim.calls("cancelDeploy").len(), 1);
}
