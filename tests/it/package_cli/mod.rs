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

mod refusals;
mod round_trips;

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
