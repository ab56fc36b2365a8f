//! The deploy zip against its package.xml: every listed member present, every class with its
//! meta file, nothing unlisted (what Salesforce fails or silently ignores, noted either way).

use std::io::Read;

use crate::xml;

/// What a deploy zip held.
#[derive(Debug, Default)]
pub(super) struct ZipContents {
    pub has_package_xml: bool,
    /// "" for singlePackage, else "folder/".
    pub folder: String,
    /// Files relative to the package root.
    pub files: Vec<String>,
    /// ApexClass members of package.xml.
    pub classes: Vec<String>,
}

/// Reads the zip and checks it against its package.xml: every listed member present, every
/// class with its meta file, nothing unlisted.
pub(super) fn read_zip(
    bytes: &[u8],
    single_package: bool,
    violations: &mut Vec<String>,
) -> ZipContents {
    let mut contents = ZipContents::default();
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        violations.push("ZipFile is not a zip".into());
        return contents;
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let manifest = if single_package {
        names.iter().find(|n| *n == "package.xml").cloned()
    } else {
        names
            .iter()
            .find(|n| n.matches('/').count() == 1 && n.ends_with("/package.xml"))
            .cloned()
    };
    let Some(manifest) = manifest else {
        violations.push(format!(
            "no package.xml where singlePackage={single_package} expects it: {names:?}"
        ));
        return contents;
    };
    contents.has_package_xml = true;
    contents.folder = manifest.trim_end_matches("package.xml").to_string();
    let mut text = String::new();
    if let Ok(mut file) = archive.by_name(&manifest) {
        let _ = file.read_to_string(&mut text);
    }
    let package = xml::parse(&text).unwrap_or_default();
    let mut listed: Vec<String> = Vec::new();
    for types in package.all("types") {
        let kind = types.text_of("name").unwrap_or("").trim().to_string();
        for member in types.all("members") {
            let member = member.text.trim().to_string();
            if kind == "ApexClass" {
                contents.classes.push(member.clone());
                listed.push(format!("classes/{member}.cls"));
                listed.push(format!("classes/{member}.cls-meta.xml"));
            } else if kind == "ApexTrigger" {
                listed.push(format!("triggers/{member}.trigger"));
                listed.push(format!("triggers/{member}.trigger-meta.xml"));
            } else if kind == "CustomPermission" {
                listed.push(format!("customPermissions/{member}.customPermission"));
            } else if kind == "PermissionSet" {
                listed.push(format!("permissionsets/{member}.permissionset"));
            } else {
                violations.push(format!("the simulator does not model type `{kind}`"));
            }
        }
    }
    contents.files = names
        .iter()
        .filter(|n| !n.ends_with('/'))
        .filter_map(|n| n.strip_prefix(contents.folder.as_str()).map(str::to_string))
        .filter(|n| n != "package.xml")
        .collect();
    for file in &listed {
        if !contents.files.contains(file) {
            violations.push(format!("package.xml lists `{file}` but the zip lacks it"));
        }
    }
    for file in &contents.files {
        if !listed.contains(file) {
            violations.push(format!(
                "the zip holds `{file}`, which package.xml does not list"
            ));
        }
    }
    contents
}
