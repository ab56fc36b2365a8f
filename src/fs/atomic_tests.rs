//! Atomic writes: all or nothing, never through a planted link.

use super::*;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.map(|e| e.file_name().to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_file_replaces_its_destination_only_on_commit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dest = dir.path().join("out/deploy.zip");
    write_file(&dest, Path::new("out/deploy.zip"), b"one").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&dest), "one");
    let mut file =
        AtomicFile::create(&dest, Path::new("out/deploy.zip")).unwrap_or_else(|e| panic!("{e}"));
    file.file()
        .write_all(b"two")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&dest), "one", "not replaced before commit");
    drop(file);
    assert_eq!(read(&dest), "one", "a dropped write changes nothing");
    assert!(leftovers(&dir.path().join("out")).is_empty());
}

#[cfg(unix)]
#[test]
fn a_planted_link_is_replaced_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap_or_else(|e| panic!("{e}"));
    let dest = dir.path().join("junit.xml");
    symlink(&victim, &dest).unwrap_or_else(|e| panic!("{e}"));
    // The old fixed temporary names of generate and package, planted as links.
    symlink(&victim, dir.path().join(".junit.xml.portal-disable-tmp"))
        .unwrap_or_else(|e| panic!("{e}"));
    write_file(&dest, Path::new("junit.xml"), b"<testsuite/>").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&victim), "precious");
    assert_eq!(read(&dest), "<testsuite/>");
    assert!(
        !std::fs::symlink_metadata(&dest)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(true)
    );
}

#[test]
fn a_folder_destination_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let err = check_file_destination(dir.path(), Path::new("results"), "--junit", "fix it")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("--junit `results` is a folder; fix it")
    );
    assert!(write_file(dir.path(), Path::new("results"), b"x").is_err());
    let file = dir.path().join("f");
    std::fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
    let err = check_file_destination(
        &file.join("junit.xml"),
        Path::new("f/junit.xml"),
        "--junit",
        "fix it",
    )
    .err()
    .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("is a file where a folder must be")),
        "{err:?}"
    );
}

#[test]
fn a_folder_is_complete_or_absent() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dest = dir.path().join("mdapi");
    let staged = AtomicDir::create(&dest, Path::new("mdapi"), "--output-dir")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(staged.path().join("package.xml"), "x").unwrap_or_else(|e| panic!("{e}"));
    assert!(!dest.exists());
    staged.commit().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&dest.join("package.xml")), "x");
    let err = AtomicDir::create(&dest, Path::new("mdapi"), "--output-dir")
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref().is_some_and(|e| e.contains("is not empty")),
        "{err:?}"
    );
    let dropped = dir.path().join("other");
    let staged = AtomicDir::create(&dropped, Path::new("other"), "--output-dir")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(staged);
    assert!(!dropped.exists());
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_file_set_is_all_or_none() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = dir.path().join("new/classes/A.cls");
    let mut set = FileSet::default();
    set.stage(&a, Path::new("A.cls"), b"a")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(set);
    assert!(
        !dir.path().join("new").exists(),
        "folders this set created are removed"
    );
    let mut set = FileSet::default();
    set.stage(&a, Path::new("A.cls"), b"a")
        .unwrap_or_else(|e| panic!("{e}"));
    set.stage(&dir.path().join("new/B.cls"), Path::new("B.cls"), b"b")
        .unwrap_or_else(|e| panic!("{e}"));
    set.commit().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&a), "a");
    assert!(leftovers(&dir.path().join("new/classes")).is_empty());
}
