//! What `package` refuses, before anything is written: files it cannot deploy faithfully, links, limits, bad outputs.

use super::*;

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
