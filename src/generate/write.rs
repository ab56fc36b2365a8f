//! Writing a plan: every file or none.
//!
//! Each file is first written to a temporary file beside its target, then all temporaries
//! are renamed into place. A failure while writing the temporaries removes them and any
//! folder this run created, so the project is left as it was. Renames within one folder are
//! atomic; only a failure between two renames (a full disk cannot cause one) could leave a
//! mix, and that is reported.

use std::fs;
use std::path::{Path, PathBuf};

use super::plan::{Action, PlannedFile};
use crate::error::{Error, Result};

/// Writes every planned file that is not identical already.
pub fn write_all(planned: &[PlannedFile]) -> Result<()> {
    let to_write: Vec<&PlannedFile> = planned
        .iter()
        .filter(|p| p.action != Action::Identical)
        .collect();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut temporaries: Vec<(PathBuf, &Path)> = Vec::new();

    let staged = stage(&to_write, &mut created_dirs, &mut temporaries);
    if let Err(e) = staged {
        roll_back(&temporaries, &created_dirs);
        return Err(e);
    }
    for (temporary, target) in &temporaries {
        fs::rename(temporary, target).map_err(|e| Error::io("replace", *target, e))?;
    }
    Ok(())
}

fn stage<'a>(
    to_write: &[&'a PlannedFile],
    created_dirs: &mut Vec<PathBuf>,
    temporaries: &mut Vec<(PathBuf, &'a Path)>,
) -> Result<()> {
    for file in to_write {
        let target = file.disk_path.as_path();
        if let Some(parent) = target.parent() {
            create_dirs(parent, created_dirs)?;
        }
        let temporary = temporary_path(target);
        fs::write(&temporary, &file.content).map_err(|e| Error::io("write", &temporary, e))?;
        temporaries.push((temporary, target));
    }
    Ok(())
}

/// Creates `dir` and its missing ancestors, remembering each one created (outermost first).
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let mut missing = Vec::new();
    let mut cursor = Some(dir);
    while let Some(path) = cursor {
        if path.as_os_str().is_empty() || path.exists() {
            break;
        }
        missing.push(path.to_path_buf());
        cursor = path.parent();
    }
    for path in missing.into_iter().rev() {
        fs::create_dir(&path).map_err(|e| Error::io("create folder", &path, e))?;
        created.push(path);
    }
    Ok(())
}

/// `classes/.Foo.cls.portal-disable-tmp`: hidden, beside the target so the rename stays on
/// one file system.
fn temporary_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.portal-disable-tmp"))
}

fn roll_back(temporaries: &[(PathBuf, &Path)], created_dirs: &[PathBuf]) {
    for (temporary, _) in temporaries {
        let _ = fs::remove_file(temporary);
    }
    // Innermost first; a folder that is not empty stays (remove_dir refuses).
    for dir in created_dirs.iter().rev() {
        let _ = fs::remove_dir(dir);
    }
}
