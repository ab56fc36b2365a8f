//! Walking a folder the tool reads (`--source-dir`, `--metadata-dir`), with one set of rules.
//!
//! Sorted by path, so every message and every zip is the same on every machine. Hidden files
//! (`.forceignore`, `.DS_Store`, editor folders) are never metadata and are skipped. Patterns
//! of the project's `.forceignore` are applied with gitignore semantics, as the sf CLI applies
//! them. A symlink must resolve inside the folder being walked: a deploy must never pick up a
//! file from elsewhere on the machine (`/proc/self/environ`, a private key) because a link
//! points there. Only regular files and folders: a FIFO, socket or device is refused. A folder
//! reached twice through links is refused rather than packaged twice (or forever). Only paths
//! and sizes are collected; contents are read, bounded, when they are written.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{DirEntry, WalkBuilder};

use super::read::kind_of;
use crate::error::{Bad, Error, Result};

/// The ignore file of an SFDX project, at its root.
pub(crate) const FORCEIGNORE: &str = ".forceignore";

/// One file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// Path below the walked folder, `/`-separated (`classes/A.cls`).
    pub rel: String,
    /// Path on disk (through any link, which was checked).
    pub path: PathBuf,
    /// The path as the user knows it, for messages (`force-app/main/default/classes/A.cls`).
    pub display: String,
    pub size: u64,
}

/// Patterns to leave out, read from a project's `.forceignore`.
#[derive(Clone)]
pub(crate) struct Ignore {
    matcher: Gitignore,
    /// The project root the patterns are relative to.
    root: PathBuf,
}

impl Ignore {
    /// The `.forceignore` of project `root`, if it has one.
    pub(crate) fn forceignore(root: &Path) -> Result<Option<Ignore>> {
        let path = root.join(FORCEIGNORE);
        if !path.is_file() {
            return Ok(None);
        }
        let mut builder = GitignoreBuilder::new(root);
        if let Some(e) = builder.add(&path) {
            return Err(Error::input(
                Bad::Config,
                format!("`{FORCEIGNORE}` cannot be read: {e}; fix the file"),
            ));
        }
        let matcher = builder.build().map_err(|e| {
            Error::input(
                Bad::Config,
                format!("`{FORCEIGNORE}` has a bad pattern: {e}; fix the file"),
            )
        })?;
        Ok(Some(Ignore {
            matcher,
            root: root.to_path_buf(),
        }))
    }

    fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        self.matcher
            .matched_path_or_any_parents(rel, is_dir)
            .is_ignore()
    }
}

/// Every file below `disk` (shown to the user as `display`, and called `what` in messages:
/// "source folder", "metadata folder"), by the rules of this module.
pub(crate) fn files(
    disk: &Path,
    display: &Path,
    what: &'static str,
    ignore: Option<&Ignore>,
) -> Result<Vec<Found>> {
    let root = std::fs::canonicalize(disk).map_err(|e| Error::io("resolve", display, e))?;
    let mut walker = WalkBuilder::new(disk);
    walker
        .standard_filters(false)
        .hidden(true)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    if let Some(ignore) = ignore.cloned() {
        // A folder the patterns leave out is not entered at all.
        walker.filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !ignore.ignores(entry.path(), is_dir)
        });
    }
    let mut walk = Walk {
        root: &root,
        disk,
        display,
        what,
        visited: HashSet::new(),
        found: Vec::new(),
    };
    for entry in walker.build() {
        let entry = entry.map_err(|e| walk.walk_error(e))?;
        if entry.depth() == 0 {
            walk.visited.insert(root.clone());
            continue;
        }
        walk.entry(&entry)?;
    }
    Ok(walk.found)
}

struct Walk<'a> {
    /// The walked folder, canonical: links must resolve below it.
    root: &'a Path,
    disk: &'a Path,
    display: &'a Path,
    what: &'static str,
    /// Canonical folders already walked.
    visited: HashSet<PathBuf>,
    found: Vec<Found>,
}

impl Walk<'_> {
    fn entry(&mut self, entry: &DirEntry) -> Result<()> {
        let rel = self.rel(entry.path())?;
        let shown = self.show(&rel);
        if entry.path_is_symlink() {
            self.check_link(entry.path(), &shown)?;
        }
        let meta = entry
            .metadata()
            .map_err(|e| Error::io("read", &shown, std::io::Error::other(e.to_string())))?;
        if meta.is_dir() {
            let canonical =
                std::fs::canonicalize(entry.path()).map_err(|e| Error::io("resolve", &shown, e))?;
            if !self.visited.insert(canonical) {
                return Err(Error::input(
                    Bad::InvalidPath,
                    format!(
                        "`{shown}` is a folder already packaged, reached again through a symlink; remove the link"
                    ),
                ));
            }
        } else if meta.is_file() {
            self.found.push(Found {
                rel,
                path: entry.path().to_path_buf(),
                display: shown,
                size: meta.len(),
            });
        } else {
            return Err(Error::input(
                Bad::InvalidPath,
                format!(
                    "`{shown}` is {}, not a regular file; remove it from the folder",
                    kind_of(meta.file_type())
                ),
            ));
        }
        Ok(())
    }

    /// A symlink must resolve inside the walked folder.
    fn check_link(&self, path: &Path, shown: &str) -> Result<()> {
        let target = match std::fs::canonicalize(path) {
            Ok(target) => target,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::input(
                    Bad::InvalidPath,
                    format!("`{shown}` is a broken symlink; fix it or remove it"),
                ));
            }
            Err(e) => return Err(Error::io("resolve", shown, e)),
        };
        if !target.starts_with(self.root) {
            return Err(Error::input(
                Bad::InvalidPath,
                format!(
                    "`{shown}` is a symlink to `{}`, outside the {} `{}`; copy the file into the folder instead",
                    target.display(),
                    self.what,
                    self.display.display()
                ),
            ));
        }
        Ok(())
    }

    /// `classes/A.cls`: the path below the walked folder, UTF-8 and `/`-separated.
    fn rel(&self, path: &Path) -> Result<String> {
        let below = path.strip_prefix(self.disk).unwrap_or(path);
        let mut parts = Vec::new();
        for part in below.components() {
            let text = part.as_os_str().to_str().ok_or_else(|| {
                Error::input(
                    Bad::InvalidPath,
                    format!(
                        "`{}`: the file name is not valid UTF-8; rename it (zip entries and package.xml members are UTF-8)",
                        self.show(&below.to_string_lossy())
                    ),
                )
            })?;
            parts.push(text);
        }
        Ok(parts.join("/"))
    }

    fn show(&self, rel: &str) -> String {
        join_display(self.display, rel)
    }

    /// The walk's own errors: a link loop, a broken link, or a folder that cannot be read.
    fn walk_error(&self, error: ignore::Error) -> Error {
        if let Some(path) = error_path(&error)
            && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
            && std::fs::metadata(&path).is_err()
        {
            let rel = self
                .rel(&path)
                .unwrap_or_else(|_| path.display().to_string());
            return Error::input(
                Bad::InvalidPath,
                format!(
                    "`{}` is a broken symlink; fix it or remove it",
                    self.show(&rel)
                ),
            );
        }
        match loop_child(&error) {
            Some(child) => {
                let rel = self
                    .rel(&child)
                    .unwrap_or_else(|_| child.display().to_string());
                Error::input(
                    Bad::InvalidPath,
                    format!(
                        "`{}` is a folder already packaged, reached again through a symlink; remove the link",
                        self.show(&rel)
                    ),
                )
            }
            None => Error::io(
                "read folder",
                self.display,
                std::io::Error::other(error.to_string()),
            ),
        }
    }
}

/// The folder of a link loop, looking through the error's wrappers.
fn loop_child(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => loop_child(err),
        ignore::Error::Partial(errors) => errors.iter().find_map(loop_child),
        _ => None,
    }
}

/// The path an error is about, looking through the error's wrappers.
fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        _ => None,
    }
}

/// `dir` + `/` + `rel`, with forward slashes whatever the platform, as messages show paths.
pub(crate) fn join_display(dir: &Path, rel: &str) -> String {
    let dir = dir.to_string_lossy();
    if dir.is_empty() || dir == "." {
        rel.to_string()
    } else if rel.is_empty() {
        dir.into_owned()
    } else {
        format!("{}/{rel}", dir.trim_end_matches('/'))
    }
}

#[cfg(test)]
#[path = "walk_tests.rs"]
mod tests;
