//! How a deploy ends, reported as people and CI read it: success, compile, test and coverage failures, partial success.

use super::*;

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
