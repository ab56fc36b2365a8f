//! package.xml, every `-meta.xml` and every `.object` that `package` writes validate against
//! the official Metadata API schema (the WSDL vendored in `tests/fixtures/metadata-api/`, cut
//! into an XSD by `scripts/apex-gate/wsdl2xsd.py`), with `xmllint --schema`.
//!
//! Skipped, with the reason printed, where xmllint or python3 is missing on a developer's
//! machine, so `cargo test` passes there; in CI (`CI` set, which `.ci/run` runs with after
//! installing both) a missing tool fails the test instead.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The WSDL: `$METADATA_WSDL`, else the one vendored with the repository.
fn wsdl() -> PathBuf {
    std::env::var_os("METADATA_WSDL").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/metadata-api/metadata-v66.0.wsdl")
        },
        PathBuf::from,
    )
}

fn available(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Cuts the XSD out of the WSDL into `dir`; `None` (with the reason printed) when a tool or
/// the WSDL is missing.
fn schema(dir: &Path) -> Option<PathBuf> {
    let wsdl = wsdl();
    for (missing, why) in [
        (
            !available("xmllint"),
            "xmllint is not installed (apt-get install libxml2-utils)",
        ),
        (!available("python3"), "python3 is not installed"),
        (!wsdl.is_file(), "the Metadata API WSDL is not there"),
    ] {
        if missing {
            assert!(
                std::env::var_os("CI").is_none(),
                "in CI: {why} ({})",
                wsdl.display()
            );
            eprintln!("skipped: {why} ({})", wsdl.display());
            return None;
        }
    }
    let xsd = dir.join("metadata.xsd");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/apex-gate/wsdl2xsd.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(&wsdl)
        .arg(&xsd)
        // The script's default roots: every file type `package` writes.
        .status()
        .unwrap_or_else(|e| panic!("{script:?}: {e}"));
    assert!(status.success(), "wsdl2xsd.py failed");
    Some(xsd)
}

/// The XML files of a metadata folder: package.xml, `-meta.xml` and `.object` files.
fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap_or_else(|e| panic!("{current:?}: {e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let name = path.to_string_lossy();
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".xml") || name.ends_with(".object") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn package_xml_and_every_meta_file_validate_against_the_official_schema() {
    let work = tempfile::tempdir().expect("a temporary folder");
    let Some(xsd) = schema(work.path()) else {
        return;
    };
    for (name, flags) in support::combinations() {
        let dir = work.path().join(&name);
        std::fs::create_dir_all(&dir).expect("creating a test folder");
        assert_cmd::cargo::cargo_bin_cmd!("portal-disable")
            .arg("package")
            .args(&flags)
            .args(["--output-dir", "mdapi"])
            .current_dir(&dir)
            .assert()
            .success();
        let files = xml_files(&dir.join("mdapi"));
        assert!(
            files.iter().any(|f| f.ends_with("package.xml")),
            "{name}: {files:?}"
        );
        let out = Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(&xsd)
            .args(&files)
            .output()
            .unwrap_or_else(|e| panic!("xmllint: {e}"));
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
