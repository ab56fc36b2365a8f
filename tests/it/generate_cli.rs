//! The `generate` command as a user runs it: the built binary in a scratch folder.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const CLASSES: &str = "force-app/main/default/classes";

fn bin() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("portal-disable");
    cmd.env_remove("CI");
    cmd
}

/// Runs `portal-disable generate ARGS` in `dir`.
fn generate(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    bin().arg("generate").args(args).current_dir(dir).assert()
}

fn scratch() -> TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap_or_else(|e| panic!("{current:?}: {e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

#[test]
fn defaults_in_an_empty_folder() {
    let dir = scratch();
    generate(dir.path(), &[])
        .success()
        .stdout(predicate::str::contains(
            "created  force-app/main/default/classes/PortalUserDisabler.cls\n",
        ));
    let names: Vec<String> = tree(dir.path())
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "force-app/main/default/classes/PortalUserDisabler.cls",
            "force-app/main/default/classes/PortalUserDisabler.cls-meta.xml",
            "force-app/main/default/classes/PortalUserDisablerInvocable.cls",
            "force-app/main/default/classes/PortalUserDisablerInvocable.cls-meta.xml",
            "force-app/main/default/classes/PortalUserDisablerQueueable.cls",
            "force-app/main/default/classes/PortalUserDisablerQueueable.cls-meta.xml",
            "force-app/main/default/classes/PortalUserDisablerTest.cls",
            "force-app/main/default/classes/PortalUserDisablerTest.cls-meta.xml",
            "force-app/main/default/customPermissions/PortalUserDisablerAccess.customPermission-meta.xml",
            "force-app/main/default/permissionsets/PortalUserDisabler.permissionset-meta.xml",
        ]
    );
    let meta = read(
        &dir.path()
            .join(CLASSES)
            .join("PortalUserDisabler.cls-meta.xml"),
    );
    assert!(meta.contains("<apiVersion>68.0</apiVersion>"), "{meta}");

    // A second run changes nothing and says so.
    generate(dir.path(), &[])
        .success()
        .stdout(predicate::str::contains(
            "identical  force-app/main/default/classes/PortalUserDisabler.cls\n",
        ))
        .stdout(predicate::str::contains("created").not());
}

#[test]
fn follows_sfdx_project_json() {
    let dir = scratch();
    fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"app","default":true}],"sourceApiVersion":"62.0"}"#,
    )
    .expect("writing a test file");
    generate(dir.path(), &[]).success();
    let meta = read(
        &dir.path()
            .join("app/main/default/classes/PortalUserDisabler.cls-meta.xml"),
    );
    assert!(meta.contains("<apiVersion>62.0</apiVersion>"), "{meta}");
}

#[test]
fn config_file_and_flags_choose_what_is_generated() {
    let dir = scratch();
    fs::write(
        dir.path().join("portal-disable.toml"),
        "mode = \"deactivate\"\n\n[classes]\nprefix = \"Offboard\"\n\n[entry_points]\nrest = true\nbatch = true\n",
    ).expect("writing a test file");
    generate(dir.path(), &["--sharing", "inherited"]).success();
    let core = read(&dir.path().join(CLASSES).join("Offboard.cls"));
    assert!(
        core.contains("public inherited sharing class Offboard {"),
        "{core}"
    );
    assert!(core.contains("IsActive = false"), "{core}");
    for name in [
        "OffboardRest.cls",
        "OffboardBatch.cls",
        "OffboardInvocable.cls",
        "OffboardQueueable.cls",
    ] {
        assert!(dir.path().join(CLASSES).join(name).exists(), "{name}");
    }
}

#[test]
fn check_is_clean_then_reports_drift() {
    let dir = scratch();
    generate(dir.path(), &[]).success();
    generate(dir.path(), &["--check"])
        .success()
        .stdout("10 files up to date\n");

    // Settings change: the files on disk no longer match.
    generate(dir.path(), &["--check", "--mode", "deactivate"])
        .code(1)
        .stdout(predicate::str::contains(
            "--- a/force-app/main/default/classes/PortalUserDisabler.cls",
        ))
        .stdout(predicate::str::contains("\n+        DEACTIVATED,\n"))
        .stdout(predicate::str::contains(
            "differ from what `portal-disable generate` writes",
        ));

    // A missing file is drift too, and --check never writes.
    let core = dir.path().join(CLASSES).join("PortalUserDisabler.cls");
    fs::remove_file(&core).expect("removing a test file");
    generate(dir.path(), &["--check"])
        .code(1)
        .stdout(predicate::str::contains("--- /dev/null"));
    assert!(!core.exists());
}

#[test]
fn hand_edited_and_foreign_files_are_not_overwritten_without_force() {
    let dir = scratch();
    generate(dir.path(), &[]).success();
    let core = dir.path().join(CLASSES).join("PortalUserDisabler.cls");
    let edited = read(&core).replace("MAX_CONTACTS = 10000", "MAX_CONTACTS = 500");
    fs::write(&core, &edited).expect("writing a test file");
    let invocable = dir
        .path()
        .join(CLASSES)
        .join("PortalUserDisablerInvocable.cls");
    fs::write(&invocable, "public class PortalUserDisablerInvocable {}\n")
        .expect("writing a test file");
    let queueable = dir
        .path()
        .join(CLASSES)
        .join("PortalUserDisablerQueueable.cls");
    let queueable_before = read(&queueable);
    fs::remove_file(&queueable).expect("removing a test file");

    generate(dir.path(), &[])
        .code(2)
        .stdout("")
        .stderr(
            "portal-disable: error: refusing to overwrite `force-app/main/default/classes/PortalUserDisabler.cls` (edited by hand), `force-app/main/default/classes/PortalUserDisablerInvocable.cls` (not generated by portal-disable); move them away, or pass --force to replace them\n",
        );
    // Nothing was written: not even the missing file.
    assert_eq!(read(&core), edited);
    assert!(!queueable.exists());

    generate(dir.path(), &["--force"])
        .success()
        .stdout(predicate::str::contains(
            "changed  force-app/main/default/classes/PortalUserDisabler.cls",
        ));
    assert!(read(&core).contains("MAX_CONTACTS = 10000"));
    assert_eq!(read(&queueable), queueable_before);
}

#[test]
fn files_no_longer_generated_are_reported_stale() {
    let dir = scratch();
    generate(dir.path(), &["--entry-points", "invocable,queueable,rest"]).success();
    // A file of the project's own in the same folder is never called stale.
    fs::write(
        dir.path().join(CLASSES).join("Mine.cls"),
        "public class Mine {}\n",
    )
    .expect("writing a test file");
    let rest = dir.path().join(CLASSES).join("PortalUserDisablerRest.cls");
    generate(dir.path(), &["--check"])
        .code(1)
        .stdout(predicate::str::contains(
            "--- a/force-app/main/default/classes/PortalUserDisablerRest.cls\n+++ /dev/null",
        ))
        .stdout(predicate::str::contains("Mine.cls").not());
    generate(dir.path(), &[])
        .success()
        .stdout(predicate::str::contains(
            "    stale  force-app/main/default/classes/PortalUserDisablerRest.cls (no longer generated with these settings: delete it)\n",
        ))
        .stdout(predicate::str::contains("Mine.cls").not());
    assert!(rest.exists(), "stale files are reported, never deleted");
}

#[test]
fn check_and_force_conflict() {
    bin()
        .args(["generate", "--check", "--force"])
        .current_dir(scratch().path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

/// Each bad input: exit 2, one line on stderr naming the problem and the fix, nothing written.
#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let cases: &[(&str, &[&str], Option<&str>, &str)] = &[
        (
            "bad prefix",
            &["--prefix", "1Bad"],
            None,
            "core class name `1Bad` must start with a letter",
        ),
        (
            "reserved prefix",
            &["--prefix", "Trigger", "--entry-points"],
            None,
            "core class name `Trigger` is a reserved Apex keyword",
        ),
        (
            "double underscore",
            &["--prefix", "Bad__Name"],
            None,
            "must not contain `__`",
        ),
        (
            "trailing underscore",
            &["--prefix", "Bad_"],
            None,
            "must not end with `_`",
        ),
        (
            "too long",
            &["--prefix", "Abcdefghijabcdefghijabcdefghijabcdefghij"],
            None,
            "test class name `AbcdefghijabcdefghijabcdefghijabcdefghijTest` is 44 characters long; the limit is 40",
        ),
        (
            "api version format",
            &["--api-version", "68"],
            None,
            "invalid value '68' for '--api-version': API version `68` must look like `68.0`",
        ),
        (
            "api version too old",
            &["--api-version", "50.0"],
            None,
            "is older than 57.0",
        ),
        (
            "api version too new",
            &["--api-version", "70.0"],
            None,
            "is newer than 68.0",
        ),
        (
            "unknown key",
            &[],
            Some("mode = \"disable\"\nclases = 1\n"),
            "portal-disable.toml:2:1: unknown field `clases`",
        ),
        (
            "bad mode value",
            &[],
            Some("mode = \"remove\"\n"),
            "portal-disable.toml:1:8: unknown variant `remove`",
        ),
        (
            "wrong type",
            &[],
            Some("[entry_points]\nrest = \"yes\"\n"),
            "portal-disable.toml:2:8: invalid type",
        ),
        (
            "invalid toml",
            &[],
            Some("mode = \n"),
            "portal-disable.toml:1:",
        ),
        (
            "trigger without queueable",
            &["--entry-points", "trigger"],
            None,
            "entry point `trigger` needs `queueable`",
        ),
        (
            "bad trigger field",
            &[
                "--entry-points",
                "queueable,trigger",
                "--trigger-field",
                "Flag",
            ],
            None,
            "trigger field `Flag` must be a custom field API name ending in `__c`",
        ),
        (
            "duplicate names",
            &[],
            Some("[classes]\ninvocable = \"PortalUserDisabler\"\n"),
            "invocable and core would both be named `PortalUserDisabler`",
        ),
        (
            "unknown entry point flag",
            &["--entry-points", "soap"],
            None,
            "invalid value 'soap' for '--entry-points': unknown entry point `soap`; use invocable, queueable, rest, batch, trigger or none",
        ),
        (
            "missing config",
            &["--config", "nope.toml"],
            None,
            "config file `nope.toml` does not exist",
        ),
    ];
    for (label, args, config, message) in cases {
        let dir = scratch();
        if let Some(text) = config {
            fs::write(dir.path().join("portal-disable.toml"), text).expect("writing a test file");
        }
        let before = tree(dir.path());
        let output = bin()
            .arg("generate")
            .args(*args)
            .current_dir(dir.path())
            .output()
            .expect("the command runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{label}: {stderr}");
        assert!(stderr.contains(message), "{label}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{label}: stdout {:?}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(stderr.lines().count(), 1, "{label}: {stderr}");
        assert_eq!(tree(dir.path()), before, "{label}: files were written");
    }
}

#[test]
fn bad_sfdx_project_json_is_bad_input() {
    let dir = scratch();
    fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"sourceApiVersion": "48.0"}"#,
    )
    .expect("writing a test file");
    generate(dir.path(), &[])
        .code(2)
        .stderr(predicate::str::contains(
            "API version `48.0` (sourceApiVersion in sfdx-project.json) is older than 57.0",
        ));
    assert!(!dir.path().join("force-app").exists());
}

#[test]
fn a_file_that_cannot_be_written_leaves_nothing_behind() {
    let dir = scratch();
    // A folder where a generated file must go: writing fails before any rename.
    let blocked = dir.path().join(CLASSES).join("PortalUserDisablerTest.cls");
    fs::create_dir_all(&blocked).expect("creating a test folder");
    generate(dir.path(), &[]).code(1);
    let left: Vec<PathBuf> = tree(dir.path());
    assert!(left.is_empty(), "left behind: {left:?}");
}
