//! The walker's rules, each with a folder that breaks it.

use super::*;

fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for file in files {
        let path = dir.path().join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, "x").unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

fn rels(dir: &Path, ignore: Option<&Ignore>) -> std::result::Result<Vec<String>, String> {
    files(dir, Path::new("src"), "source folder", ignore)
        .map(|found| found.into_iter().map(|f| f.rel).collect())
        .map_err(|e| e.to_string())
}

#[test]
fn sorted_without_hidden_files() {
    let dir = tree(&[
        "b/B.cls",
        "a/A.cls",
        ".forceignore",
        "a/.DS_Store",
        ".git/x",
    ]);
    assert_eq!(
        rels(dir.path(), None),
        Ok(vec!["a/A.cls".into(), "b/B.cls".into()])
    );
}

#[test]
fn forceignore_patterns_leave_files_out() {
    let project = tree(&[
        "src/a/A.cls",
        "src/a/A.cls-meta.xml",
        "src/jsconfig.json",
        "src/b/B.cls",
    ]);
    std::fs::write(
        project.path().join(FORCEIGNORE),
        "**/jsconfig.json\nsrc/b/\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ignore = Ignore::forceignore(project.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rels(&project.path().join("src"), ignore.as_ref()),
        Ok(vec!["a/A.cls".into(), "a/A.cls-meta.xml".into()])
    );
}

#[cfg(unix)]
#[test]
fn links_must_stay_inside() {
    use std::os::unix::fs::symlink;
    let outside = tree(&["secret.key"]);
    let dir = tree(&["a/A.cls"]);
    symlink(dir.path().join("a/A.cls"), dir.path().join("a/Inside.cls"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rels(dir.path(), None),
        Ok(vec!["a/A.cls".into(), "a/Inside.cls".into()])
    );
    symlink(
        outside.path().join("secret.key"),
        dir.path().join("a/key.resource"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = rels(dir.path(), None).err().unwrap_or_default();
    assert!(
        err.contains("`src/a/key.resource` is a symlink to"),
        "{err}"
    );
    assert!(err.contains("outside the source folder `src`"), "{err}");
    std::fs::remove_file(dir.path().join("a/key.resource")).unwrap_or_else(|e| panic!("{e}"));
    symlink(outside.path(), dir.path().join("linked")).unwrap_or_else(|e| panic!("{e}"));
    let err = rels(dir.path(), None).err().unwrap_or_default();
    assert!(err.contains("`src/linked` is a symlink to"), "{err}");
    std::fs::remove_file(dir.path().join("linked")).unwrap_or_else(|e| panic!("{e}"));
    symlink("Nowhere.cls", dir.path().join("a/Broken.cls")).unwrap_or_else(|e| panic!("{e}"));
    let err = rels(dir.path(), None).err().unwrap_or_default();
    assert!(
        err.contains("`src/a/Broken.cls` is a broken symlink"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn loops_and_twice_walked_folders_are_refused() {
    use std::os::unix::fs::symlink;
    let dir = tree(&["a/A.cls"]);
    symlink(dir.path(), dir.path().join("a/up")).unwrap_or_else(|e| panic!("{e}"));
    let err = rels(dir.path(), None).err().unwrap_or_default();
    assert!(err.contains("reached again through a symlink"), "{err}");
    std::fs::remove_file(dir.path().join("a/up")).unwrap_or_else(|e| panic!("{e}"));
    symlink(dir.path().join("a"), dir.path().join("b")).unwrap_or_else(|e| panic!("{e}"));
    let err = rels(dir.path(), None).err().unwrap_or_default();
    assert!(err.contains("reached again through a symlink"), "{err}");
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused() {
    use std::os::unix::fs::symlink;
    let dir = tree(&["a/A.cls"]);
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("a/pipe"))
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(made.success());
    let err = rels(dir.path(), None).err().unwrap_or_default();
    assert!(
        err.contains("`src/a/pipe` is a FIFO, not a regular file"),
        "{err}"
    );
    std::fs::remove_file(dir.path().join("a/pipe")).unwrap_or_else(|e| panic!("{e}"));
    // A link to /dev/zero is outside the folder before it is a device.
    symlink("/dev/zero", dir.path().join("a/zero")).unwrap_or_else(|e| panic!("{e}"));
    assert!(rels(dir.path(), None).is_err());
}

#[cfg(unix)]
#[test]
fn names_must_be_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tree(&["a/A.cls"]);
    let name = std::ffi::OsStr::from_bytes(b"a/\xff.cls");
    std::fs::write(dir.path().join(name), "x").unwrap_or_else(|e| panic!("{e}"));
    let err = rels(dir.path(), None).err().unwrap_or_default();
    assert!(err.contains("is not valid UTF-8"), "{err}");
}
