//! Usage errors as one line, and the values the command line derives from the domain.

use clap::Parser;

use super::*;

fn error_line(args: &[&str]) -> String {
    match Cli::try_parse_from(args) {
        Ok(_) => panic!("{args:?} parsed"),
        Err(err) => usage_error_line(&err),
    }
}

#[test]
fn usage_errors_are_one_line_naming_the_flag_and_the_choices() {
    assert_eq!(
        error_line(&["portal-disable", "generate", "--mode", "remove"]),
        "invalid value 'remove' for '--mode'; possible values: disable, deactivate; see `portal-disable --help`"
    );
    assert_eq!(
        error_line(&["portal-disable", "generate", "--check", "--force"]),
        "the argument '--check' cannot be used with '--force'; see `portal-disable --help`"
    );
}

#[test]
fn every_usage_error_kind_is_one_line() {
    for args in [
        &["portal-disable", "generate", "--colour"][..],
        &["portal-disable", "deploy", "--wait", "20000"][..],
        &[
            "portal-disable",
            "deploy",
            "--zip",
            "a.zip",
            "--metadata-dir",
            "m",
        ][..],
        &["portal-disable", "explode"][..],
        &["portal-disable"][..],
        &["portal-disable", "report"][..],
        &[
            "portal-disable",
            "generate",
            "--entry-points",
            "invocable,soap",
        ][..],
        &["portal-disable", "deploy", "--api-version", "62"][..],
    ] {
        let line = error_line(args);
        assert!(!line.contains('\n'), "{args:?}: {line}");
        assert!(
            line.ends_with("see `portal-disable --help`"),
            "{args:?}: {line}"
        );
        assert!(!line.contains("<"), "value names are left out: {line}");
    }
    assert_eq!(
        error_line(&["portal-disable", "deploy", "--wait", "20000"]),
        "invalid value '20000' for '--wait': 20000 is not in 0..=10080; see `portal-disable --help`"
    );
    assert_eq!(
        error_line(&["portal-disable", "deploy", "--api-version", "62"]),
        "invalid value '62' for '--api-version': API version `62` must look like `68.0`; see `portal-disable --help`"
    );
    assert!(
        error_line(&["portal-disable", "generate", "--entry-points", "soap"]).contains(
            "unknown entry point `soap`; use invocable, queueable, rest, batch, trigger or none"
        )
    );
}

#[test]
fn choices_come_from_their_types() {
    let Ok(Cli {
        command: Command::Deploy(args),
    }) = Cli::try_parse_from(["portal-disable", "deploy", "--test-level", "RunLocalTests"])
    else {
        panic!("did not parse")
    };
    assert_eq!(
        args.test_level,
        Some(crate::test_level::TestLevel::RunLocalTests)
    );
    let line = error_line(&["portal-disable", "deploy", "--test-level", "All"]);
    assert!(
        line.contains(
            "possible values: NoTestRun, RunSpecifiedTests, RunLocalTests, RunAllTestsInOrg"
        ),
        "{line}"
    );
}
