//! SFDX source format -> metadata components: which files make up which component, and the
//! refusals that keep a deploy zip honest.
//!
//! The sf CLI silently leaves out a class whose `-meta.xml` is missing and copies files it does
//! not understand; a deploy then "succeeds" without the class. Here every file in a source
//! folder must belong to a supported component, complete, or packaging stops with an error
//! naming the file. Only paths and sizes are collected: contents are read when the zip is
//! written, so memory stays proportional to the file list.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Component as PathComponent, Path, PathBuf};

use crate::apex::RenderedFile;
use crate::error::{Error, Result};

/// The metadata types `package` understands: what `generate` emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentType {
    ApexClass,
    ApexTrigger,
    CustomField,
    CustomPermission,
    PermissionSet,
}

impl ComponentType {
    /// The Metadata API type name, as package.xml spells it.
    pub fn name(self) -> &'static str {
        match self {
            ComponentType::ApexClass => "ApexClass",
            ComponentType::ApexTrigger => "ApexTrigger",
            ComponentType::CustomField => "CustomField",
            ComponentType::CustomPermission => "CustomPermission",
            ComponentType::PermissionSet => "PermissionSet",
        }
    }
}

impl fmt::Display for ComponentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a file's bytes are: on disk (read when written into the zip) or rendered in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Disk(PathBuf),
    Memory(String),
}

/// One source file of a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user knows it, for messages (`force-app/main/default/classes/A.cls`).
    pub display: String,
    pub content: Content,
    /// Size in bytes (from the file's metadata for files on disk).
    pub size: u64,
}

/// One metadata component and the source files it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub kind: ComponentType,
    /// The package.xml member: `Foo` for Apex, `Contact.Field__c` for a field.
    pub full_name: String,
    /// Apex: the source file, then its `-meta.xml`. Other types: their one `-meta.xml`.
    pub files: Vec<SourceFile>,
}

impl Component {
    /// The object of a CustomField (`Contact` of `Contact.Field__c`).
    pub fn object(&self) -> Option<&str> {
        match self.kind {
            ComponentType::CustomField => self.full_name.split_once('.').map(|(o, _)| o),
            _ => None,
        }
    }

    /// The field name of a CustomField (`Field__c` of `Contact.Field__c`).
    pub fn field(&self) -> Option<&str> {
        match self.kind {
            ComponentType::CustomField => self.full_name.split_once('.').map(|(_, f)| f),
            _ => None,
        }
    }
}

/// Components of the files `generate` renders, with the marker it adds: the zip holds exactly
/// what `generate` writes. `output_dir` only names the files in messages.
pub fn from_rendered(files: &[RenderedFile], output_dir: &Path) -> Result<Vec<Component>> {
    let mut found = Vec::with_capacity(files.len());
    for file in files {
        let rel = slash_path(&file.path)?;
        let content = crate::generate::marker::add(file.kind, &file.body);
        found.push((
            rel.clone(),
            SourceFile {
                display: join_display(output_dir, &rel),
                size: content.len() as u64,
                content: Content::Memory(content),
            },
        ));
    }
    classify(found)
}

/// Components of the SFDX source folders `dirs` (relative to `root` unless absolute).
pub fn from_dirs(root: &Path, dirs: &[PathBuf]) -> Result<Vec<Component>> {
    let mut found = Vec::new();
    for dir in dirs {
        refuse_parent_components(dir)?;
        let disk = root.join(dir);
        let meta = match fs::metadata(&disk) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Input(format!(
                    "source folder `{}` does not exist; check --source-dir",
                    dir.display()
                )));
            }
            Err(e) => return Err(Error::io("read", disk, e)),
        };
        if !meta.is_dir() {
            return Err(Error::Input(format!(
                "source folder `{}` is not a folder; pass an SFDX source folder such as force-app to --source-dir",
                dir.display()
            )));
        }
        let canonical = fs::canonicalize(&disk).map_err(|e| Error::io("resolve", &disk, e))?;
        let mut walk = Walk {
            root: &canonical,
            root_display: dir,
            visited: HashSet::from([canonical.clone()]),
            found: &mut found,
        };
        walk.dir(&disk, "")?;
    }
    if found.is_empty() {
        let dirs: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
        return Err(Error::Input(format!(
            "no files to package in {}; pass the folder that holds classes/, triggers/ or objects/",
            dirs.join(", ")
        )));
    }
    classify(found)
}

/// `..` in a source path could point anywhere, and would make the displayed paths lie.
fn refuse_parent_components(dir: &Path) -> Result<()> {
    if dir
        .components()
        .any(|c| matches!(c, PathComponent::ParentDir))
    {
        return Err(Error::Input(format!(
            "source folder `{}` contains `..`; pass a path without `..` (run from a folder above it, or give an absolute path)",
            dir.display()
        )));
    }
    Ok(())
}

/// Walking one source folder: every file, sorted, symlinks checked against the folder.
struct Walk<'a> {
    /// The source folder, canonical: symlinks must resolve below it.
    root: &'a Path,
    /// The source folder as given, for messages.
    root_display: &'a Path,
    /// Canonical folders already walked: a link back to one of them would loop forever.
    visited: HashSet<PathBuf>,
    found: &'a mut Vec<(String, SourceFile)>,
}

impl Walk<'_> {
    fn dir(&mut self, disk: &Path, rel: &str) -> Result<()> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(disk).map_err(|e| Error::io("read folder", disk, e))? {
            let entry = entry.map_err(|e| Error::io("read folder", disk, e))?;
            entries.push(entry);
        }
        // Sorted so the walk, and every message it gives, is the same on every machine.
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                return Err(Error::Input(format!(
                    "`{}`: the file name is not valid UTF-8; rename it (zip entries and package.xml members are UTF-8)",
                    self.display(&format!("{rel}{}", entry.file_name().to_string_lossy()))
                )));
            };
            // .forceignore, .DS_Store, editor folders: never metadata.
            if name.starts_with('.') {
                continue;
            }
            let rel_path = format!("{rel}{name}");
            let file_type = entry.file_type().map_err(|e| Error::io("read", &path, e))?;
            if file_type.is_symlink() {
                self.check_link(&path, &rel_path)?;
            }
            // Follows a link (checked above) to what it points at.
            let meta = fs::metadata(&path).map_err(|e| Error::io("read", &path, e))?;
            if meta.is_dir() {
                let canonical =
                    fs::canonicalize(&path).map_err(|e| Error::io("resolve", &path, e))?;
                if !self.visited.insert(canonical) {
                    return Err(Error::Input(format!(
                        "`{}` is a folder already packaged, reached again through a symlink; remove the link",
                        self.display(&rel_path)
                    )));
                }
                self.dir(&path, &format!("{rel_path}/"))?;
            } else if meta.is_file() {
                let display = self.display(&rel_path);
                self.found.push((
                    rel_path,
                    SourceFile {
                        display,
                        content: Content::Disk(path),
                        size: meta.len(),
                    },
                ));
            } else {
                return Err(Error::Input(format!(
                    "`{}` is not a regular file; remove it from the source folder",
                    self.display(&rel_path)
                )));
            }
        }
        Ok(())
    }

    /// A symlink must resolve inside the source folder: a deploy must not pick up files from
    /// elsewhere on the machine just because a link points there.
    fn check_link(&self, path: &Path, rel_path: &str) -> Result<()> {
        let target = match fs::canonicalize(path) {
            Ok(target) => target,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Input(format!(
                    "`{}` is a broken symlink; fix it or remove it",
                    self.display(rel_path)
                )));
            }
            Err(e) => return Err(Error::io("resolve", path, e)),
        };
        if !target.starts_with(self.root) {
            return Err(Error::Input(format!(
                "`{}` is a symlink to `{}`, outside the source folder `{}`; copy the file into the folder instead",
                self.display(rel_path),
                target.display(),
                self.root_display.display()
            )));
        }
        Ok(())
    }

    fn display(&self, rel: &str) -> String {
        join_display(self.root_display, rel)
    }
}

/// `dir` + `/` + `rel`, with forward slashes whatever the platform, as messages show paths.
fn join_display(dir: &Path, rel: &str) -> String {
    let dir = dir.to_string_lossy();
    if dir.is_empty() || dir == "." {
        rel.to_string()
    } else {
        format!("{}/{rel}", dir.trim_end_matches('/'))
    }
}

/// A relative path with `/` separators; rendered paths are always UTF-8 and relative.
fn slash_path(path: &Path) -> Result<String> {
    let mut parts = Vec::new();
    for part in path.components() {
        match part {
            PathComponent::Normal(p) => parts.push(p.to_str().ok_or_else(|| {
                Error::Input(format!(
                    "`{}`: the file name is not valid UTF-8; rename it",
                    path.display()
                ))
            })?),
            _ => {
                return Err(Error::Input(format!(
                    "`{}` must be a relative path without `..`",
                    path.display()
                )));
            }
        }
    }
    Ok(parts.join("/"))
}

/// What a file name says it is.
enum Role {
    /// `Foo.cls` / `Foo.trigger`.
    Source(ComponentType, String),
    /// `Foo.cls-meta.xml` / `Foo.trigger-meta.xml`.
    Meta(ComponentType, String),
    /// `objects/<Object>/fields/<Field>.field-meta.xml`: (object, field).
    Field(String, String),
    /// A type whose one source file is its metadata file: `Foo.customPermission-meta.xml`,
    /// `Foo.permissionset-meta.xml`.
    Single(ComponentType, String),
}

/// Names a file by its suffix, as the sf CLI's registry does; anything else is refused.
fn role(rel: &str, display: &str) -> Result<Role> {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let suffixes = [
        (".cls-meta.xml", ComponentType::ApexClass, true),
        (".trigger-meta.xml", ComponentType::ApexTrigger, true),
        (".cls", ComponentType::ApexClass, false),
        (".trigger", ComponentType::ApexTrigger, false),
    ];
    for (suffix, kind, is_meta) in suffixes {
        if let Some(stem) = name.strip_suffix(suffix) {
            let stem = checked_name(stem, display)?;
            return Ok(if is_meta {
                Role::Meta(kind, stem)
            } else {
                Role::Source(kind, stem)
            });
        }
    }
    let single = [
        (
            ".customPermission-meta.xml",
            ComponentType::CustomPermission,
        ),
        (".permissionset-meta.xml", ComponentType::PermissionSet),
    ];
    for (suffix, kind) in single {
        if let Some(stem) = name.strip_suffix(suffix) {
            return Ok(Role::Single(kind, checked_name(stem, display)?));
        }
    }
    if let Some(field) = name.strip_suffix(".field-meta.xml") {
        let mut up = folder.rsplit('/');
        return match (up.next(), up.next()) {
            (Some("fields"), Some(object)) if !object.is_empty() => Ok(Role::Field(
                checked_name(object, display)?,
                checked_name(field, display)?,
            )),
            _ => Err(Error::Input(format!(
                "`{display}`: a custom field must be at objects/<Object>/fields/<Field>.field-meta.xml; move it there"
            ))),
        };
    }
    Err(Error::Input(format!(
        "`{display}`: unsupported file type; package takes Apex classes (.cls), triggers (.trigger) with their -meta.xml, custom fields (.field-meta.xml), custom permissions (.customPermission-meta.xml) and permission sets (.permissionset-meta.xml): move it out of the source folder"
    )))
}

/// A component name must be usable as a package.xml member and a zip entry name.
fn checked_name(name: &str, display: &str) -> Result<String> {
    let bad = name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '.' | '/' | '\\'));
    if bad {
        return Err(Error::Input(format!(
            "`{display}`: `{name}` is not a valid component name (letters, digits and underscores); rename the file"
        )));
    }
    Ok(name.to_string())
}

/// The two halves of an Apex component, as found so far.
#[derive(Default)]
struct Halves {
    source: Option<SourceFile>,
    meta: Option<SourceFile>,
}

/// Groups files into components; refuses unknown files, missing halves and duplicates.
fn classify(files: Vec<(String, SourceFile)>) -> Result<Vec<Component>> {
    // Keyed by (type, folder, name): a meta file belongs beside its source, as the sf CLI
    // expects.
    let mut apex: BTreeMap<(ComponentType, String, String), Halves> = BTreeMap::new();
    // Components made of one file: custom fields, custom permissions, permission sets.
    let mut one_file: Vec<Component> = Vec::new();
    for (rel, file) in files {
        let folder = rel.rsplit_once('/').map_or("", |(f, _)| f).to_string();
        match role(&rel, &file.display)? {
            Role::Source(kind, name) => {
                apex.entry((kind, folder, name)).or_default().source = Some(file);
            }
            Role::Meta(kind, name) => {
                apex.entry((kind, folder, name)).or_default().meta = Some(file);
            }
            Role::Field(object, field) => one_file.push(Component {
                kind: ComponentType::CustomField,
                full_name: format!("{object}.{field}"),
                files: vec![file],
            }),
            Role::Single(kind, name) => one_file.push(Component {
                kind,
                full_name: name,
                files: vec![file],
            }),
        }
    }

    let mut components = Vec::with_capacity(apex.len() + one_file.len());
    for ((kind, _, name), halves) in apex {
        let (source_suffix, meta_suffix) = match kind {
            ComponentType::ApexTrigger => (".trigger", ".trigger-meta.xml"),
            _ => (".cls", ".cls-meta.xml"),
        };
        match (halves.source, halves.meta) {
            (Some(source), Some(meta)) => components.push(Component {
                kind,
                full_name: name,
                files: vec![source, meta],
            }),
            (Some(source), None) => {
                return Err(Error::Input(format!(
                    "`{}` has no `{name}{meta_suffix}` beside it; add the meta file (apiVersion and status), or the org would never get this {kind}",
                    source.display
                )));
            }
            (None, Some(meta)) => {
                return Err(Error::Input(format!(
                    "`{}` has no `{name}{source_suffix}` beside it; add the source or delete the meta file",
                    meta.display
                )));
            }
            (None, None) => {}
        }
    }
    components.extend(one_file);
    components.sort_by(|a, b| (a.kind, &a.full_name).cmp(&(b.kind, &b.full_name)));
    refuse_duplicates(&components)?;
    Ok(components)
}

/// Two files for one component (`classes/A.cls` and `other/A.cls`) cannot both deploy.
fn refuse_duplicates(components: &[Component]) -> Result<()> {
    let mut seen: BTreeMap<(ComponentType, String), &str> = BTreeMap::new();
    for c in components {
        // Salesforce names are case-insensitive: `Foo` and `foo` are one class in the org.
        let key = (c.kind, c.full_name.to_ascii_lowercase());
        if let Some(first) = seen.insert(key, &c.files[0].display) {
            return Err(Error::Input(format!(
                "{} `{}` is defined twice: `{first}` and `{}`; keep one",
                c.kind, c.full_name, c.files[0].display
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str) -> (String, SourceFile) {
        (
            rel.to_string(),
            SourceFile {
                display: rel.to_string(),
                content: Content::Memory(String::new()),
                size: 0,
            },
        )
    }

    fn names(files: &[&str]) -> Result<Vec<String>, String> {
        classify(files.iter().map(|f| file(f)).collect())
            .map(|cs| {
                cs.iter()
                    .map(|c| format!("{}:{}", c.kind, c.full_name))
                    .collect()
            })
            .map_err(|e| e.to_string())
    }

    #[test]
    fn pairs_sources_with_meta_files() {
        assert_eq!(
            names(&[
                "classes/B.cls",
                "classes/B.cls-meta.xml",
                "classes/A.cls-meta.xml",
                "classes/A.cls",
                "triggers/T.trigger",
                "triggers/T.trigger-meta.xml",
                "objects/Contact/fields/F__c.field-meta.xml",
                "customPermissions/P.customPermission-meta.xml",
                "permissionsets/S.permissionset-meta.xml",
            ]),
            Ok(vec![
                "ApexClass:A".to_string(),
                "ApexClass:B".to_string(),
                "ApexTrigger:T".to_string(),
                "CustomField:Contact.F__c".to_string(),
                "CustomPermission:P".to_string(),
                "PermissionSet:S".to_string(),
            ])
        );
    }

    #[test]
    fn refuses_missing_halves_and_other_types() {
        let err = names(&["classes/A.cls"]).err().unwrap_or_default();
        assert!(
            err.starts_with("`classes/A.cls` has no `A.cls-meta.xml` beside it"),
            "{err}"
        );
        let err = names(&["triggers/T.trigger-meta.xml"])
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with("`triggers/T.trigger-meta.xml` has no `T.trigger` beside it"),
            "{err}"
        );
        let err = names(&["lwc/x/x.js"]).err().unwrap_or_default();
        assert!(
            err.starts_with("`lwc/x/x.js`: unsupported file type"),
            "{err}"
        );
        // The meta file must sit beside its source.
        assert!(names(&["classes/A.cls", "other/A.cls-meta.xml"]).is_err());
        let err = names(&["F__c.field-meta.xml"]).err().unwrap_or_default();
        assert!(err.contains("objects/<Object>/fields/"), "{err}");
    }

    #[test]
    fn refuses_duplicates_across_folders() {
        let err = names(&["a/A.cls", "a/A.cls-meta.xml", "b/a.cls", "b/a.cls-meta.xml"])
            .err()
            .unwrap_or_default();
        assert!(err.contains("is defined twice"), "{err}");
    }
}
