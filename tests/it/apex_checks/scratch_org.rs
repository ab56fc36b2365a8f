//! `scripts/scratch-org-check.sh` without an org: a stand-in `sf` first on the PATH answers
//! what the Salesforce CLI answers (JSON envelopes as `--json` prints them) and records every
//! call, and `portal-disable deploy` (the built binary) deploys to the Metadata API simulator.
//! Proves the order of the steps, the validation before the real deploy, what the script
//! prints for passed, skipped and failed tests, the credential fallback, and that no secret
//! is printed and the scratch org is deleted whatever happens.

use std::path::Path;

use crate::apex_checks::scratch_org_harness::{SKIP_LOG, Setup, deploys};
use crate::support::simulator::{Ending, Scenario, Simulator};

#[test]
fn validates_deploys_runs_and_reports_passed_and_skipped_tests() {
    let sim = Simulator::start(Scenario::default());
    let setup = Setup::new();
    setup.results(&[
        ("testBulk", "Pass", Some(SKIP_LOG), ""),
        (
            "testNullInput",
            "Pass",
            Some("12:00:00.1 (1)|USER_DEBUG|[40]|DEBUG|nothing skipped\n"),
            "",
        ),
        ("testRest", "Pass", None, ""),
    ]);
    let out = setup.run(&sim, true, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    for line in [
        "SKIPPED  testBulk: No Experience Cloud profile: the org has no portal licence.",
        "PASSED   testNullInput",
        "PASSED   testRest\n         (no debug log: a skip would not show)",
        "PortalUserDisablerTest: 2 passed, 1 skipped, 0 failed",
    ] {
        assert!(
            out.stdout.contains(line),
            "stdout lacks {line:?}:\n{}",
            out.stdout
        );
    }
    assert_eq!(
        out.commands(),
        [
            "org create scratch",
            "org auth show-sfdx-auth-url",
            "org display user",
            "data create record",
            "data create record",
            "apex run test",
            "data query",
            "apex get log",
            "apex get log",
            "org delete scratch"
        ]
    );
    let create = out.call("org create scratch");
    let definition = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/project-scratch-def.json");
    assert!(
        create
            .windows(2)
            .any(|w| w[0] == "--definition-file" && Path::new(&w[1]) == definition),
        "{create:?}"
    );
    assert!(
        create
            .windows(2)
            .any(|w| w == ["--alias", "portal-disable-check"]),
        "{create:?}"
    );
    let trace = &out.calls[4];
    assert!(
        trace
            .iter()
            .any(|a| a.contains("TracedEntityId=005000000000001AAA")
                && a.contains("LogType=USER_DEBUG")),
        "{trace:?}"
    );
    assert!(
        out.call("apex run test")
            .windows(2)
            .any(|w| w == ["--class-names", "PortalUserDisablerTest"])
    );
    assert!(
        out.call("data query")
            .iter()
            .any(|a| a.contains("AsyncApexJobId = '707000000000001AAA'"))
    );
    assert_eq!(
        deploys(&sim),
        [
            (
                "true".into(),
                "RunSpecifiedTests".into(),
                "PortalUserDisablerTest".into()
            ),
            ("false".into(), "NoTestRun".into(), String::new()),
        ],
        "the validation first, then the deploy into the scratch org"
    );
}

#[test]
fn a_failing_test_fails_the_check_and_the_org_is_still_deleted() {
    let sim = Simulator::start(Scenario::default());
    let setup = Setup::new();
    setup.results(&[
        ("testA", "Pass", None, ""),
        (
            "testB",
            "Fail",
            None,
            "System.AssertException: Assertion Failed: One query\nfor any number",
        ),
    ]);
    let out = setup.run(&sim, true, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "FAILED   testB: System.AssertException: Assertion Failed: One query for any number"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("FAILED: 1 test(s) failed"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.commands().last().map(String::as_str),
        Some("org delete scratch")
    );
}

#[test]
fn with_no_skips_a_skipped_portal_test_fails() {
    let sim = Simulator::start(Scenario::default());
    let setup = Setup::new();
    setup.results(&[("testBulk", "Pass", Some(SKIP_LOG), "")]);
    let out = setup.run(&sim, true, &["--no-skips"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("1 portal test(s) skipped (--no-skips)"),
        "{}",
        out.stderr
    );
}

#[test]
fn without_an_auth_url_the_access_token_is_used_and_an_existing_org_is_kept() {
    let sim = Simulator::start(Scenario::default());
    let setup = Setup::new();
    setup.results(&[("testA", "Pass", None, "")]);
    let out = setup.run(&sim, false, &["--use-org", "my-scratch"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let commands = out.commands();
    assert_eq!(
        commands.first().map(String::as_str),
        Some("org auth show-sfdx-auth-url"),
        "no org is created: {commands:?}"
    );
    assert!(
        commands.contains(&"org display".to_string()),
        "{commands:?}"
    );
    assert!(
        !commands.iter().any(|c| c.starts_with("org delete")),
        "an org the caller named is never deleted: {commands:?}"
    );
    assert!(
        out.calls
            .iter()
            .all(|c| !c.contains(&"--target-org".to_string())
                || c.contains(&"my-scratch".to_string()))
    );
    assert_eq!(deploys(&sim).len(), 2);
}

#[test]
fn a_failed_validation_stops_before_the_deploy_and_the_tests() {
    let sim = Simulator::start(Scenario {
        ending: Ending::CompileFailure,
        ..Scenario::default()
    });
    let setup = Setup::new();
    setup.results(&[]);
    let out = setup.run(&sim, true, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("the validation did not succeed"),
        "{}",
        out.stderr
    );
    assert_eq!(deploys(&sim).len(), 1, "only the check-only deploy");
    assert_eq!(
        out.commands(),
        [
            "org create scratch",
            "org auth show-sfdx-auth-url",
            "org delete scratch"
        ]
    );
}
