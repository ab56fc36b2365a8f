//! The deploy options a command line and `[deploy]` give.

use super::*;
use crate::cli::{Cli, Command};
use clap::Parser;

fn options(flags: &[&str], default_tests: &[&str]) -> Result<DeployOptions> {
    let args = ["portal-disable", "deploy", "--zip", "x.zip"]
        .iter()
        .chain(flags.iter());
    let Ok(Cli {
        command: Command::Deploy(args),
    }) = Cli::try_parse_from(args)
    else {
        panic!("{flags:?} did not parse")
    };
    let defaults: Vec<String> = default_tests.iter().map(|t| t.to_string()).collect();
    deploy_options(&args, &DeployDefaults::default(), true, &defaults)
}

#[test]
fn config_defaults_apply_under_the_flags() {
    let Ok(Cli {
        command: Command::Deploy(args),
    }) = Cli::try_parse_from(["portal-disable", "deploy", "--zip", "x.zip"])
    else {
        panic!("did not parse")
    };
    let from_config = DeployDefaults {
        test_level: Some(TestLevel::RunSpecifiedTests),
        tests: vec!["ConfiguredTest".into()],
        wait: Some(5),
    };
    let o = deploy_options(&args, &from_config, true, &["GenTest".into()])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.run_tests, ["ConfiguredTest"]);
    let local = DeployDefaults {
        test_level: Some(TestLevel::RunLocalTests),
        ..DeployDefaults::default()
    };
    let o =
        deploy_options(&args, &local, true, &["GenTest".into()]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (o.test_level, o.run_tests.len()),
        (Some(TestLevel::RunLocalTests), 0)
    );
    // A flag wins over the file.
    let Ok(Cli {
        command: Command::Deploy(flagged),
    }) = Cli::try_parse_from([
        "portal-disable",
        "deploy",
        "--zip",
        "x.zip",
        "--test-level",
        "NoTestRun",
    ])
    else {
        panic!("did not parse")
    };
    let o = deploy_options(&flagged, &local, true, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.test_level, Some(TestLevel::NoTestRun));
}

#[test]
fn test_levels() {
    let o = options(&[], &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((o.test_level, o.run_tests.len()), (None, 0));
    let o = options(&[], &["GenTest"]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.test_level, Some(TestLevel::RunSpecifiedTests));
    assert_eq!(o.run_tests, ["GenTest"]);
    let o =
        options(&["--tests", "A", "--tests", "B"], &["GenTest"]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.run_tests, ["A", "B"]);
    let o =
        options(&["--test-level", "RunLocalTests"], &["GenTest"]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.test_level, Some(TestLevel::RunLocalTests));
    assert!(o.run_tests.is_empty());
    let o = options(&["--dry-run", "--ignore-errors", "--ignore-warnings"], &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.check_only && !o.rollback_on_error && o.ignore_warnings);
    let o = options(&["--test-level", "RunSpecifiedTests"], &["GenTest"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.run_tests, ["GenTest"]);
    assert!(options(&["--test-level", "RunSpecifiedTests"], &[]).is_err());
    for bad in [
        &["--tests", "A,B"][..],
        &["--tests", "A", "--test-level", "NoTestRun"][..],
    ] {
        assert!(
            matches!(options(bad, &["GenTest"]), Err(Error::Input { .. })),
            "{bad:?}"
        );
    }
}
