//! `portal-disable completions SHELL`: each shell's script is produced on stdout and names
//! every subcommand, the bash one really completes (run in bash), and an unknown shell is a
//! usage error listing the four.

use std::process::Command as Process;

use assert_cmd::Command;
use clap::CommandFactory;

const SHELLS: [&str; 4] = ["bash", "zsh", "fish", "powershell"];

fn script(shell: &str) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin!("portal-disable"))
        .args(["completions", shell])
        .output()
        .expect("the command runs");
    assert_eq!(out.status.code(), Some(0), "{shell}: {out:?}");
    assert!(out.stderr.is_empty(), "{shell}: {out:?}");
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{shell}: {e}"))
}

/// The subcommands as the command line declares them.
fn subcommands() -> Vec<String> {
    portal_disable::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn each_shell_gets_its_script_naming_every_subcommand_and_flag() {
    let names = subcommands();
    assert!(names.len() >= 7, "{names:?}");
    // What makes each file that shell's completion script.
    let markers = [
        ("bash", "complete -F"),
        ("zsh", "#compdef portal-disable"),
        ("fish", "complete -c portal-disable"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'portal-disable'",
        ),
    ];
    for (shell, marker) in markers {
        let text = script(shell);
        // Printed as generated: the output path's cleaning (control characters, `::` lines)
        // must leave a script alone.
        let generated = portal_disable::cli::completions::CompletionsArgs {
            shell: portal_disable::choice::Choice::from_key(shell)
                .unwrap_or_else(|| panic!("{shell}")),
        }
        .script();
        assert!(
            text == generated,
            "{shell}: the printed script differs from the generated one"
        );
        assert!(text.contains(marker), "{shell} script lacks {marker:?}");
        for name in &names {
            assert!(
                text.contains(name.as_str()),
                "{shell} script lacks `{name}`"
            );
        }
        for flag in ["target-org", "auth-url-file", "test-level"] {
            assert!(text.contains(flag), "{shell} script lacks `{flag}`");
        }
        // PowerShell's script completes subcommands and flags only, not values.
        if shell != "powershell" {
            assert!(
                text.contains("RunLocalTests"),
                "{shell} script lacks values"
            );
        }
    }
}

/// What bash completes for `words` (the last one being completed), with the script loaded.
fn bash_completes(script_path: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        r#"source '{}'
function_name=$(complete -p portal-disable | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
COMP_WORDS=({})
COMP_CWORD={}
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
"$function_name" portal-disable "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}"
"#,
        script_path.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = Process::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap_or_else(|e| panic!("bash: {e}"));
    assert!(
        out.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_bash_script_completes_subcommands_flags_and_values() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("portal-disable.bash");
    std::fs::write(&path, script("bash")).expect("writing a test file");
    let syntax = Process::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("bash: {e}"));
    assert!(syntax.status.success(), "{syntax:?}");

    assert_eq!(
        bash_completes(&path, &["portal-disable", "dep"]),
        ["deploy"]
    );
    assert_eq!(
        bash_completes(&path, &["portal-disable", "quick"]),
        ["quick-deploy"]
    );
    // After a subcommand: its own flags (clap-rs/clap#6421 broke these for hyphenated names).
    assert_eq!(
        bash_completes(&path, &["portal-disable", "deploy", "--target-o"]),
        ["--target-org"]
    );
    assert_eq!(
        bash_completes(&path, &["portal-disable", "quick-deploy", "--canc"]),
        ["--cancel-on-interrupt"]
    );
    let shells: Vec<String> = bash_completes(&path, &["portal-disable", "completions", ""])
        .into_iter()
        .filter(|word| !word.starts_with('-'))
        .collect();
    assert_eq!(shells, SHELLS);
    assert_eq!(
        bash_completes(&path, &["portal-disable", "deploy", "--test-level", "Run"]),
        ["RunSpecifiedTests", "RunLocalTests", "RunAllTestsInOrg"]
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_four() {
    let out = Command::new(assert_cmd::cargo::cargo_bin!("portal-disable"))
        .args(["completions", "tcsh"])
        .output()
        .expect("the command runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "portal-disable: error: invalid value 'tcsh' for 'SHELL'; possible values: bash, zsh, fish, powershell; see `portal-disable --help`"
    );
}
