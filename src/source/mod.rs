//! SFDX source format -> metadata components: which files make up which component, and the
//! refusals that keep a deploy zip honest.
//!
//! The sf CLI silently leaves out a class whose `-meta.xml` is missing and copies files it does
//! not understand; a deploy then "succeeds" without the class. Here every file in a source
//! folder must belong to a supported component ([`types`]), complete, or packaging stops with an
//! error naming the file ([`classify`]). Folders are walked with the one walker (`fs::walk`),
//! which keeps links inside and applies the project's `.forceignore`. Only paths and sizes are
//! collected: contents are read when the zip is written, so memory stays proportional to the
//! file list.

mod classify;
pub(crate) mod types;

use std::path::{Component as PathComponent, Path, PathBuf};

use crate::apex::RenderedFile;
use crate::error::{Bad, Error, Result};
use crate::fs::walk::{self, Ignore};

pub(crate) use types::ComponentType;

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
    /// A pair: the source file, then its `-meta.xml`. Other forms: their one file.
    pub files: Vec<SourceFile>,
}

impl Component {
    /// The parent object and the child's name of a component of a [`types::Form::Child`] type
    /// (`("Contact", "Field__c")` of `Contact.Field__c`).
    pub fn parent_and_child(&self) -> Option<(&str, &str)> {
        match self.kind.spec().form {
            types::Form::Child { .. } => self.full_name.split_once('.'),
            types::Form::Pair { .. } | types::Form::Single { .. } => None,
        }
    }
}

/// Components of the files `generate` renders, with the marker it adds: the zip holds exactly
/// what `generate` writes. `output_dir` only names the files in messages.
pub(crate) fn from_rendered(files: &[RenderedFile], output_dir: &Path) -> Result<Vec<Component>> {
    let mut found = Vec::with_capacity(files.len());
    for file in files {
        let rel = slash_path(&file.path)?;
        let content = file.contents().to_string();
        found.push((
            rel.clone(),
            SourceFile {
                display: walk::join_display(output_dir, &rel),
                size: content.len() as u64,
                content: Content::Memory(content),
            },
        ));
    }
    classify::components(found)
}

/// Components of the SFDX source folders `dirs` (relative to `root` unless absolute), with the
/// project's `.forceignore` applied.
pub(crate) fn from_dirs(root: &Path, dirs: &[PathBuf]) -> Result<Vec<Component>> {
    let ignore = Ignore::forceignore(root)?;
    let mut found = Vec::new();
    for dir in dirs {
        refuse_parent_components(dir)?;
        let disk = root.join(dir);
        let meta = match std::fs::metadata(&disk) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::input(
                    Bad::MissingPath,
                    format!(
                        "source folder `{}` does not exist; check --source-dir",
                        dir.display()
                    ),
                ));
            }
            Err(e) => return Err(Error::io("read", disk, e)),
        };
        if !meta.is_dir() {
            return Err(Error::input(
                Bad::InvalidPath,
                format!(
                    "source folder `{}` is not a folder; pass an SFDX source folder such as force-app to --source-dir",
                    dir.display()
                ),
            ));
        }
        found.extend(on_disk(walk::files(
            &disk,
            dir,
            "source folder",
            ignore.as_ref(),
        )?));
    }
    if found.is_empty() {
        let dirs: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
        return Err(Error::input(
            Bad::UnsupportedSource,
            format!(
                "no files to package in {}; pass the folder that holds classes/, triggers/ or objects/",
                dirs.join(", ")
            ),
        ));
    }
    classify::components(found)
}

/// Walked files as source files read from disk when written, keyed by their path below the
/// walked folder.
pub(crate) fn on_disk(found: Vec<walk::Found>) -> Vec<(String, SourceFile)> {
    found
        .into_iter()
        .map(|file| {
            (
                file.rel,
                SourceFile {
                    display: file.display,
                    content: Content::Disk(file.path),
                    size: file.size,
                },
            )
        })
        .collect()
}

/// `..` in a source path could point anywhere, and would make the displayed paths lie.
fn refuse_parent_components(dir: &Path) -> Result<()> {
    if dir
        .components()
        .any(|c| matches!(c, PathComponent::ParentDir))
    {
        return Err(Error::input(
            Bad::InvalidPath,
            format!(
                "source folder `{}` contains `..`; pass a path without `..` (run from a folder above it, or give an absolute path)",
                dir.display()
            ),
        ));
    }
    Ok(())
}

/// A relative path with `/` separators; rendered paths are always UTF-8 and relative.
fn slash_path(path: &Path) -> Result<String> {
    let mut parts = Vec::new();
    for part in path.components() {
        match part {
            PathComponent::Normal(p) => parts.push(p.to_str().ok_or_else(|| {
                Error::input(
                    Bad::UnsupportedSource,
                    format!(
                        "`{}`: the file name is not valid UTF-8; rename it",
                        path.display()
                    ),
                )
            })?),
            _ => {
                return Err(Error::input(
                    Bad::UnsupportedSource,
                    format!("`{}` must be a relative path without `..`", path.display()),
                ));
            }
        }
    }
    Ok(parts.join("/"))
}
