//! The `package` command as a user runs it: the built binary in a scratch folder, its zip read
//! back with the zip crate.

use crate::support;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const SOURCE: &str = "force-app/main/default";

fn bin() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("portal-disable");
    cmd.env_remove("CI");
    cmd
}

fn scratch() -> TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{parent:?}: {e}"));
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
}

/// Every file below `dir`: relative path (with `/`) -> bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap_or_else(|e| panic!("{current:?}: {e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap_or_else(|e| panic!("{e}")));
            }
        }
    }
    out
}

/// The source files of an SFDX folder under the names they have in a metadata-format deploy:
/// a custom permission or permission set loses its `-meta.xml` suffix there.
fn as_metadata(files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files
        .into_iter()
        .map(|(name, bytes)| {
            let single = name.ends_with(".customPermission-meta.xml")
                || name.ends_with(".permissionset-meta.xml");
            let name = if single {
                name.trim_end_matches("-meta.xml").to_string()
            } else {
                name
            };
            (name, bytes)
        })
        .collect()
}

/// Every entry of a zip, in archive order: name -> bytes.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut archive = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    (0..archive.len())
        .map(|i| {
            let mut entry = archive
                .by_index(i)
                .unwrap_or_else(|e| panic!("{path:?}: {e}"));
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .unwrap_or_else(|e| panic!("{e}"));
            let name = entry
                .name()
                .unwrap_or_else(|e| panic!("{path:?}: {e}"))
                .to_string();
            (name, bytes)
        })
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("{e}"))
}

/// The (type, member) pairs a package.xml lists.
fn listed(package_xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for block in package_xml.split("<types>").skip(1) {
        let block = block.split("</types>").next().unwrap_or("");
        let name = between(block, "<name>", "</name>")
            .into_iter()
            .next()
            .unwrap_or_default();
        for member in between(block, "<members>", "</members>") {
            out.push((name.clone(), member));
        }
    }
    out
}

fn between(text: &str, open: &str, close: &str) -> Vec<String> {
    text.split(open)
        .skip(1)
        .filter_map(|s| s.split(close).next())
        .map(str::to_string)
        .collect()
}

/// The entry names a package.xml's components must have, package.xml included.
fn expected_entries(package_xml: &str) -> Vec<String> {
    let mut names = vec!["package.xml".to_string()];
    for (kind, member) in listed(package_xml) {
        match kind.as_str() {
            "ApexClass" => {
                names.push(format!("classes/{member}.cls"));
                names.push(format!("classes/{member}.cls-meta.xml"));
            }
            "ApexTrigger" => {
                names.push(format!("triggers/{member}.trigger"));
                names.push(format!("triggers/{member}.trigger-meta.xml"));
            }
            "CustomField" => {
                let object = member.split('.').next().unwrap_or_default();
                names.push(format!("objects/{object}.object"));
            }
            "CustomPermission" => {
                names.push(format!("customPermissions/{member}.customPermission"));
            }
            "PermissionSet" => names.push(format!("permissionsets/{member}.permissionset")),
            other => panic!("unexpected type {other}"),
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Runs `generate FLAGS` in a new folder and returns it.
fn generated(flags: &[String]) -> TempDir {
    let dir = scratch();
    bin()
        .arg("generate")
        .args(flags)
        .current_dir(dir.path())
        .assert()
        .success();
    dir
}

/// The field files of a generated folder, as the .object should hold them: the children of
/// <CustomField> without the marker comment.
fn field_names(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    files
        .keys()
        .filter_map(|k| k.strip_suffix(".field-meta.xml"))
        .filter_map(|k| k.rsplit('/').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn default_zip_holds_exactly_what_generate_writes() {
    let dir = scratch();
    bin()
        .arg("package")
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "wrote deploy.zip (zip, API 68.0): 6 components, 11 files, ",
        ))
        .stdout(predicate::str::contains("  ApexClass         4\n"))
        .stdout(predicate::str::contains("  CustomPermission  1\n"))
        .stdout(predicate::str::contains("  PermissionSet     1\n"));
    let entries = unzip(&dir.path().join("deploy.zip"));
    assert_eq!(entries[0].0, "package.xml", "package.xml comes first");
    let manifest = text(&entries[0].1);
    let mut names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(names, expected_entries(&manifest));
    assert!(manifest.contains("<version>68.0</version>"), "{manifest}");

    // Round trip: every entry but package.xml is byte for byte the file generate writes.
    let source = generated(&[]);
    let files = as_metadata(tree(&source.path().join(SOURCE)));
    let unzipped: BTreeMap<String, Vec<u8>> = entries.into_iter().skip(1).collect();
    assert_eq!(unzipped, files);
}

#[test]
fn every_matrix_combination_round_trips() {
    for (name, flags) in support::combinations() {
        let source = generated(&flags);
        let files = as_metadata(tree(&source.path().join(SOURCE)));

        // From the settings, rendered in memory...
        bin()
            .arg("package")
            .args(&flags)
            .args(["--output-dir", "mdapi"])
            .current_dir(source.path())
            .assert()
            .success();
        // ...and from the generated folder: the same bytes.
        let api_version: Vec<&String> = flags
            .iter()
            .skip_while(|f| *f != "--api-version")
            .take(2)
            .collect();
        bin()
            .args(["package", "--source-dir", SOURCE, "--output-dir", "mdapi2"])
            .args(api_version)
            .current_dir(source.path())
            .assert()
            .success();
        let mdapi = tree(&source.path().join("mdapi"));
        assert_eq!(mdapi, tree(&source.path().join("mdapi2")), "{name}");

        let manifest = text(&mdapi["package.xml"]);
        assert_eq!(
            mdapi.keys().cloned().collect::<Vec<_>>(),
            expected_entries(&manifest),
            "{name}"
        );
        for (path, bytes) in &mdapi {
            if path == "package.xml" || path.starts_with("objects/") {
                continue;
            }
            assert_eq!(Some(bytes), files.get(path), "{name}: {path}");
        }
        // Fields: one .object per object, each field with its own name as fullName.
        for field in field_names(&files) {
            let object = text(&mdapi["objects/Contact.object"]);
            assert!(
                object.contains(&format!(
                    "    <fields>\n        <fullName>{field}</fullName>\n"
                )),
                "{name}: {object}"
            );
            assert!(
                manifest.contains(&format!("<members>Contact.{field}</members>")),
                "{name}: {manifest}"
            );
            assert!(!object.contains("Generated by portal-disable"), "{object}");
        }
    }
}

#[test]
fn hand_written_classes_and_triggers_round_trip() {
    let dir = scratch();
    let meta = |root: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</{root}>\n"
        )
    };
    let files = [
        (
            "app/classes/Alpha.cls",
            "public class Alpha {}\n".to_string(),
        ),
        ("app/classes/Alpha.cls-meta.xml", meta("ApexClass")),
        (
            "app/classes/util/Beta.cls",
            "public with sharing class Beta {\n    // ünïcödé\n}\n".to_string(),
        ),
        ("app/classes/util/Beta.cls-meta.xml", meta("ApexClass")),
        (
            "app/triggers/AccountTrigger.trigger",
            "trigger AccountTrigger on Account (before insert) {}\n".to_string(),
        ),
        (
            "app/triggers/AccountTrigger.trigger-meta.xml",
            meta("ApexTrigger"),
        ),
        ("app/.forceignore", "**/jsconfig.json\n".to_string()),
    ];
    for (path, body) in &files {
        write(&dir.path().join(path), body);
    }
    write(
        &dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"app","default":true}],"sourceApiVersion":"62.0"}"#,
    );
    bin()
        .args(["package", "--source-dir", "app", "--output", "out/app.zip"])
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("out/app.zip"));
    fs::create_dir(dir.path().join("out")).expect("creating a test folder");
    bin()
        .args(["package", "--source-dir", "app", "--output", "out/app.zip"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "(zip, API 62.0): 3 components, 7 files",
        ));
    let entries = unzip(&dir.path().join("out/app.zip"));
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "package.xml",
            "classes/Alpha.cls",
            "classes/Alpha.cls-meta.xml",
            "classes/Beta.cls",
            "classes/Beta.cls-meta.xml",
            "triggers/AccountTrigger.trigger",
            "triggers/AccountTrigger.trigger-meta.xml",
        ]
    );
    let by_name: BTreeMap<&str, &Vec<u8>> = entries.iter().map(|(n, b)| (n.as_str(), b)).collect();
    for (path, body) in &files[..6] {
        let file_name = path.rsplit('/').next().unwrap_or_default();
        let folder = if path.contains("/triggers/") {
            "triggers"
        } else {
            "classes"
        };
        let entry = format!("{folder}/{file_name}");
        assert_eq!(
            by_name[entry.as_str()],
            &body.as_bytes().to_vec(),
            "{entry}"
        );
    }
    assert_eq!(
        text(by_name["package.xml"]),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\
         \x20   <types>\n\
         \x20       <members>Alpha</members>\n\
         \x20       <members>Beta</members>\n\
         \x20       <name>ApexClass</name>\n\
         \x20   </types>\n\
         \x20   <types>\n\
         \x20       <members>AccountTrigger</members>\n\
         \x20       <name>ApexTrigger</name>\n\
         \x20   </types>\n\
         \x20   <version>62.0</version>\n\
         </Package>\n"
    );
    // Nothing but the zip was left in out/.
    assert_eq!(tree(&dir.path().join("out")).len(), 1);
}

#[test]
fn two_runs_give_byte_identical_zips() {
    let a = generated(&["--entry-points".into(), "queueable,trigger".into()]);
    // Another folder, written later: other mtimes, other inode order.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = generated(&["--entry-points".into(), "queueable,trigger".into()]);
    for dir in [&a, &b] {
        for output in ["one.zip", "two.zip"] {
            bin()
                .args(["package", "--source-dir", "force-app", "--output", output])
                .current_dir(dir.path())
                .assert()
                .success();
        }
    }
    let read = |dir: &TempDir, name: &str| {
        fs::read(dir.path().join(name)).unwrap_or_else(|e| panic!("{e}"))
    };
    let reference = read(&a, "one.zip");
    assert_eq!(reference, read(&a, "two.zip"));
    assert_eq!(reference, read(&b, "one.zip"));
    assert_eq!(reference, read(&b, "two.zip"));

    // The default (rendered in memory) gives the same zip as the generated folder.
    bin()
        .args([
            "package",
            "--entry-points",
            "queueable,trigger",
            "--output",
            "rendered.zip",
        ])
        .current_dir(a.path())
        .assert()
        .success();
    assert_eq!(reference, read(&a, "rendered.zip"));
}

#[test]
fn zip_root_puts_everything_under_one_folder() {
    let dir = scratch();
    bin()
        .args(["package", "--zip-root", "unpackaged"])
        .current_dir(dir.path())
        .assert()
        .success();
    let entries = unzip(&dir.path().join("deploy.zip"));
    assert_eq!(entries[0].0, "unpackaged/package.xml");
    assert!(entries.iter().all(|(n, _)| n.starts_with("unpackaged/")));
}

#[test]
fn json_is_one_document_for_success_and_for_errors() {
    let dir = scratch();
    let out = bin()
        .args(["package", "--json", "--entry-points", "queueable,trigger"])
        .current_dir(dir.path())
        .output()
        .expect("the command runs");
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let zip_size = fs::metadata(dir.path().join("deploy.zip"))
        .map(|m| m.len())
        .unwrap_or_default();
    assert_eq!(doc["status"], 0);
    assert_eq!(doc["result"]["output"], "deploy.zip");
    assert_eq!(doc["result"]["apiVersion"], "68.0");
    assert_eq!(
        doc["result"]["components"],
        serde_json::json!({
            "ApexClass": 3,
            "ApexTrigger": 1,
            "CustomField": 1,
            "CustomPermission": 1,
            "PermissionSet": 1
        })
    );
    assert_eq!(doc["result"]["files"], 12);
    assert_eq!(doc["result"]["compressedBytes"], zip_size);
    assert!(
        doc["result"]["bytes"]
            .as_u64()
            .is_some_and(|b| b > zip_size)
    );
    assert_eq!(doc["warnings"], serde_json::json!([]));

    for args in [
        vec!["package", "--json", "--source-dir", "missing"],
        vec!["package", "--json", "--no-such-flag"],
    ] {
        let out = bin()
            .args(&args)
            .current_dir(dir.path())
            .output()
            .expect("the command runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}");
        let doc: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(doc["status"], 2);
        assert!(doc["error"]["name"].is_string(), "{doc}");
        assert!(doc["error"]["message"].is_string(), "{doc}");
    }
}

/// Runs `package --source-dir src` in `dir` and expects exit 2 with `message` on stderr, and
/// no output written.
fn refused(dir: &Path, extra: &[&str], message: &str) {
    bin()
        .args(["package", "--source-dir", "src"])
        .args(extra)
        .current_dir(dir)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(message));
    assert!(!dir.join("deploy.zip").exists(), "{message}");
    let leftovers: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn class(dir: &Path, name: &str) {
    write(
        &dir.join(format!("src/classes/{name}.cls")),
        &format!("public class {name} {{}}\n"),
    );
    write(
        &dir.join(format!("src/classes/{name}.cls-meta.xml")),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>68.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n",
    );
}

#[test]
fn refuses_files_it_cannot_deploy_faithfully() {
    let dir = scratch();
    class(dir.path(), "Good");

    write(&dir.path().join("src/lwc/x/x.js"), "export default {}\n");
    refused(
        dir.path(),
        &[],
        "portal-disable: error: `src/lwc/x/x.js`: unsupported file type; package takes Apex classes (.cls), triggers (.trigger)",
    );
    fs::remove_dir_all(dir.path().join("src/lwc")).unwrap_or_else(|e| panic!("{e}"));

    write(
        &dir.path().join("src/classes/Lonely.cls"),
        "public class Lonely {}\n",
    );
    refused(
        dir.path(),
        &[],
        "`src/classes/Lonely.cls` has no `Lonely.cls-meta.xml` beside it; add the meta file",
    );
    fs::remove_file(dir.path().join("src/classes/Lonely.cls")).expect("removing a test file");

    write(
        &dir.path().join("src/triggers/T.trigger-meta.xml"),
        "<ApexTrigger/>\n",
    );
    refused(
        dir.path(),
        &[],
        "`src/triggers/T.trigger-meta.xml` has no `T.trigger` beside it",
    );
    fs::remove_dir_all(dir.path().join("src/triggers")).unwrap_or_else(|e| panic!("{e}"));

    write(&dir.path().join("src/other/good.cls"), "x\n");
    write(&dir.path().join("src/other/good.cls-meta.xml"), "x\n");
    refused(dir.path(), &[], "ApexClass `good` is defined twice");
    fs::remove_dir_all(dir.path().join("src/other")).unwrap_or_else(|e| panic!("{e}"));

    write(
        &dir.path()
            .join("src/objects/Contact/fields/A__c.field-meta.xml"),
        "<CustomField><fullName>B__c</fullName></CustomField>\n",
    );
    refused(
        dir.path(),
        &[],
        "<fullName>B__c</fullName> does not match the file name `A__c`",
    );
    fs::remove_dir_all(dir.path().join("src/objects")).unwrap_or_else(|e| panic!("{e}"));

    fs::create_dir_all(dir.path().join("sub")).expect("creating a test folder");
    bin()
        .args(["package", "--source-dir", "../src"])
        .current_dir(dir.path().join("sub"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "source folder `../src` contains `..`",
        ));
    refused(
        dir.path(),
        &["--output-dir", "src"],
        "output folder `src` is not empty",
    );

    // What is left packages fine.
    bin()
        .args(["package", "--source-dir", "src"])
        .current_dir(dir.path())
        .assert()
        .success();
}

#[cfg(unix)]
#[test]
fn refuses_symlinks_out_of_the_folder_and_non_utf8_names() {
    use std::os::unix::ffi::OsStrExt;

    let dir = scratch();
    class(dir.path(), "Good");
    let outside = scratch();
    write(
        &outside.path().join("Secret.cls"),
        "public class Secret {}\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("Secret.cls"),
        dir.path().join("src/classes/Secret.cls"),
    )
    .expect("planting a symlink");
    refused(dir.path(), &[], "`src/classes/Secret.cls` is a symlink to");
    refused(dir.path(), &[], "outside the source folder `src`");
    fs::remove_file(dir.path().join("src/classes/Secret.cls")).expect("removing a test file");

    // A link that stays inside the folder is followed.
    std::os::unix::fs::symlink("Good.cls", dir.path().join("src/classes/Alias.cls"))
        .expect("planting a symlink");
    std::os::unix::fs::symlink(
        "Good.cls-meta.xml",
        dir.path().join("src/classes/Alias.cls-meta.xml"),
    )
    .expect("planting a symlink");
    bin()
        .args(["package", "--source-dir", "src"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("2 components"));
    fs::remove_file(dir.path().join("deploy.zip")).expect("removing a test file");

    let bad = std::ffi::OsStr::from_bytes(b"Bad\xff.cls");
    if fs::write(dir.path().join("src/classes").join(bad), "x").is_ok() {
        refused(
            dir.path(),
            &[],
            "the file name is not valid UTF-8; rename it",
        );
    } else {
        eprintln!("skipped: this file system refuses non-UTF-8 names");
    }
}

#[test]
fn refuses_more_files_than_a_deploy_takes_and_warns_near_the_limit() {
    let dir = scratch();
    // 4,000 classes: 8,000 files plus package.xml, 80 % of the limit.
    let classes = dir.path().join("src/classes");
    fs::create_dir_all(&classes).expect("creating a test folder");
    let meta = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\"><apiVersion>68.0</apiVersion><status>Active</status></ApexClass>\n";
    let add = |from: usize, to: usize| {
        for i in from..to {
            fs::write(
                classes.join(format!("C{i}.cls")),
                format!("public class C{i} {{}}\n"),
            )
            .expect("writing a test file");
            fs::write(classes.join(format!("C{i}.cls-meta.xml")), meta)
                .expect("writing a test file");
        }
    };
    add(0, 4_000);
    bin()
        .args(["package", "--source-dir", "src"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "portal-disable: warning: 8,001 files is 80 % of the Metadata API limit of 10,000 per deploy",
        ));
    fs::remove_file(dir.path().join("deploy.zip")).expect("removing a test file");

    add(4_000, 5_000);
    refused(
        dir.path(),
        &[],
        "the deploy would hold 10,001 files, over the Metadata API limit of 10,000 per deploy; split the components into several deploys",
    );
}

#[test]
fn refuses_more_bytes_than_a_deploy_takes() {
    let dir = scratch();
    class(dir.path(), "Good");
    // 700 MB that take no disk: the size comes from the file's metadata, before any read.
    let big =
        fs::File::create(dir.path().join("src/classes/Huge.cls")).unwrap_or_else(|e| panic!("{e}"));
    big.set_len(700 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    fs::copy(
        dir.path().join("src/classes/Good.cls-meta.xml"),
        dir.path().join("src/classes/Huge.cls-meta.xml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    refused(
        dir.path(),
        &[],
        "bytes uncompressed, over the Metadata API limit of 629,145,600 (600 MB)",
    );
    big.set_len(0).unwrap_or_else(|e| panic!("{e}"));

    // 40 MB that do not compress: caught while writing, and no zip is left behind.
    let mut noise = Vec::with_capacity(40_000_000);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    while noise.len() < 40_000_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        noise.extend_from_slice(&state.to_le_bytes());
    }
    fs::write(dir.path().join("src/classes/Huge.cls"), &noise).expect("writing a test file");
    refused(
        dir.path(),
        &[],
        "bytes compressed at file 4 of 5 (`classes/Huge.cls`), over the Metadata API limit of 39,000,000 (39 MB, as the sf CLI counts it); nothing was written",
    );
}

#[test]
fn output_dir_holds_the_same_files_as_the_zip() {
    let dir = scratch();
    let flags = ["--entry-points", "queueable,trigger,rest"];
    bin()
        .arg("package")
        .args(flags)
        .current_dir(dir.path())
        .assert()
        .success();
    bin()
        .args(["package", "--output-dir", "mdapi"])
        .args(flags)
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "wrote mdapi (metadata folder, API 68.0): 8 components, 14 files, ",
        ));
    let zipped: BTreeMap<String, Vec<u8>> =
        unzip(&dir.path().join("deploy.zip")).into_iter().collect();
    assert_eq!(zipped, tree(&dir.path().join("mdapi")));

    // An empty folder in the way is fine; a second run into the full folder is refused.
    fs::create_dir(dir.path().join("empty")).expect("creating a test folder");
    bin()
        .args(["package", "--output-dir", "empty"])
        .current_dir(dir.path())
        .assert()
        .success();
    bin()
        .args(["package", "--output-dir", "mdapi"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr("portal-disable: error: output folder `mdapi` is not empty; remove it or choose another --output-dir\n");
}

#[test]
fn large_files_stream_and_stay_deterministic() {
    let dir = scratch();
    class(dir.path(), "Small");
    // 3 MB: over the 1 MiB that is compressed in memory, so this one streams.
    let mut body = String::from("public class Large {\n");
    let mut i = 0;
    while body.len() < 3_000_000 {
        body.push_str(&format!("    // line {i} of a long generated class\n"));
        i += 1;
    }
    body.push_str("}\n");
    write(&dir.path().join("src/classes/Large.cls"), &body);
    fs::copy(
        dir.path().join("src/classes/Small.cls-meta.xml"),
        dir.path().join("src/classes/Large.cls-meta.xml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for output in ["a.zip", "b.zip"] {
        bin()
            .args(["package", "--source-dir", "src", "--output", output])
            .current_dir(dir.path())
            .assert()
            .success();
    }
    let a = fs::read(dir.path().join("a.zip")).unwrap_or_else(|e| panic!("{e}"));
    let b = fs::read(dir.path().join("b.zip")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, b);
    let entries: BTreeMap<String, Vec<u8>> = unzip(&dir.path().join("a.zip")).into_iter().collect();
    assert_eq!(entries["classes/Large.cls"], body.as_bytes());
    assert_eq!(
        entries.keys().collect::<Vec<_>>(),
        [
            "classes/Large.cls",
            "classes/Large.cls-meta.xml",
            "classes/Small.cls",
            "classes/Small.cls-meta.xml",
            "package.xml"
        ]
    );
}

#[cfg(unix)]
#[test]
fn refuses_broken_and_looping_links_and_bad_outputs() {
    let dir = scratch();
    class(dir.path(), "Good");
    std::os::unix::fs::symlink("Nowhere.cls", dir.path().join("src/classes/Broken.cls"))
        .expect("planting a symlink");
    refused(
        dir.path(),
        &[],
        "`src/classes/Broken.cls` is a broken symlink; fix it or remove it",
    );
    fs::remove_file(dir.path().join("src/classes/Broken.cls")).expect("removing a test file");

    std::os::unix::fs::symlink("..", dir.path().join("src/classes/up"))
        .expect("planting a symlink");
    refused(
        dir.path(),
        &[],
        "`src/classes/up` is a folder already packaged, reached again through a symlink; remove the link",
    );
    fs::remove_file(dir.path().join("src/classes/up")).expect("removing a test file");

    refused(
        dir.path(),
        &["--zip-root", "../up"],
        "--zip-root `../up` must be one folder name",
    );
    fs::create_dir(dir.path().join("out")).expect("creating a test folder");
    refused(
        dir.path(),
        &["--output", "out"],
        "output `out` is a folder; give a file name such as deploy.zip, or use --output-dir",
    );
    bin()
        .args(["package", "--output", "x.zip", "--output-dir", "y"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the argument '--output' cannot be used with '--output-dir'",
        ));
}
