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

/// Every argument of `command` and its subcommands, with the rendered `--help` it is in.
fn every_argument(command: clap::Command) -> Vec<(String, clap::Arg, String)> {
    fn walk(command: &mut clap::Command, path: &str, out: &mut Vec<(String, clap::Arg, String)>) {
        command.build();
        let help = command.render_long_help().to_string();
        for arg in command.get_arguments() {
            out.push((path.to_string(), arg.clone(), help.clone()));
        }
        for sub in command.get_subcommands_mut() {
            let path = format!("{path} {}", sub.get_name());
            walk(sub, &path, out);
        }
    }
    let mut command = command;
    let path = command.get_name().to_string();
    let mut out = Vec::new();
    walk(&mut command, &path, &mut out);
    out
}

/// The help text of one argument as written (doc comment or long help).
fn own_help(arg: &clap::Arg) -> String {
    arg.get_long_help()
        .or(arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// What is wrong with the help of `command`'s arguments: a default clap fills in that the help
/// does not show, an environment variable it does not name, a default written in words.
fn help_problems(command: clap::Command) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, arg, help) in every_argument(command) {
        let name = arg
            .get_long()
            .map_or(arg.get_id().to_string(), |l| format!("--{l}"));
        let own = own_help(&arg);
        // Flags taking no value have an implicit `false` default: nothing to show.
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if arg.get_action().takes_values() && !defaults.is_empty() {
            let shown = format!("[default: {}", defaults.join(", "));
            let by_clap = !arg.is_hide_default_value_set() && help.contains(&format!("{shown}]"));
            if !by_clap && !own.contains(&shown) {
                problems.push(format!(
                    "{path} {name}: default {defaults:?} not in its help"
                ));
            }
        }
        if let Some(var) = arg.get_env() {
            let var = var.to_string_lossy();
            let by_clap = !arg.is_hide_env_set() && help.contains(&format!("[env: {var}="));
            if !by_clap && !own.contains(var.as_ref()) {
                problems.push(format!("{path} {name}: variable {var} not in its help"));
            }
        }
        let lower = own.to_ascii_lowercase();
        for informal in ["defaults to", "(default", "default is", "by default"] {
            if lower.contains(informal) {
                problems.push(format!(
                    "{path} {name}: write its default as [default: ...], not `{informal}`"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_default_and_environment_variable_shows_in_the_help() {
    use clap::CommandFactory;
    let arguments = every_argument(Cli::command());
    let commands_with = |id: &str| -> Vec<String> {
        arguments
            .iter()
            .filter(|(_, arg, _)| arg.get_id() == id)
            .map(|(path, _, _)| path.clone())
            .collect()
    };
    // Every command that talks to an org takes --target-org, with its variable.
    let org_commands = commands_with("auth_url_file");
    for command in ["deploy", "report", "cancel", "quick-deploy"] {
        let path = format!("portal-disable {command}");
        assert!(org_commands.contains(&path), "{path}: {org_commands:?}");
    }
    assert_eq!(commands_with("target_org"), org_commands);
    for (path, arg, _) in &arguments {
        if arg.get_id() == "target_org" {
            assert_eq!(
                arg.get_env().and_then(|v| v.to_str()),
                Some("SF_TARGET_ORG"),
                "{path}"
            );
            assert_eq!(arg.get_short(), Some('o'), "{path}");
        }
    }
    assert_eq!(help_problems(Cli::command()), Vec::<String>::new());
}

#[test]
fn the_help_check_finds_a_hidden_default_a_hidden_variable_and_a_default_in_words() {
    let command = clap::Command::new("t").subcommand(
        clap::Command::new("sub")
            .arg(
                clap::Arg::new("wait")
                    .long("wait")
                    .default_value("5")
                    .hide_default_value(true)
                    .help("Minutes to wait"),
            )
            .arg(
                clap::Arg::new("org")
                    .long("org")
                    .env("PD_TEST_ORG")
                    .hide_env(true)
                    .help("The org"),
            )
            .arg(
                clap::Arg::new("out")
                    .long("out")
                    .help("File to write; defaults to out.zip"),
            ),
    );
    let problems = help_problems(command);
    assert_eq!(
        problems,
        [
            "t sub --wait: default [\"5\"] not in its help",
            "t sub --org: variable PD_TEST_ORG not in its help",
            "t sub --out: write its default as [default: ...], not `defaults to`",
        ]
    );
}

#[test]
fn target_org_comes_from_its_flag_or_its_short_flag() {
    for args in [
        &["portal-disable", "deploy", "--target-org", "uat"][..],
        &["portal-disable", "deploy", "-o", "uat"][..],
        &["portal-disable", "deploy", "--target-org=uat"][..],
    ] {
        let Ok(Cli {
            command: Command::Deploy(deploy),
        }) = Cli::try_parse_from(args)
        else {
            panic!("{args:?} did not parse")
        };
        assert_eq!(deploy.org.auth.flags().target_org.as_deref(), Some("uat"));
    }
    for command in ["report", "cancel", "quick-deploy"] {
        let parsed =
            Cli::try_parse_from(["portal-disable", command, "0Af000000000001AAA", "-o", "uat"]);
        assert!(parsed.is_ok(), "{command}: {:?}", parsed.err());
    }
}
