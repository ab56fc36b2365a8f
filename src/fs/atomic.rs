//! Writing output atomically: nothing half-written, nothing written through a planted link.
//!
//! Every output (generated sources, the deploy zip or folder of `package`, `--junit`, a results
//! file) is first written under a temporary name beside its destination, then renamed into
//! place. The temporary name is random and created exclusively (`O_EXCL`, through `tempfile`),
//! so a file or symlink planted at a predictable name can neither be overwritten nor followed;
//! the rename replaces a link at the destination rather than writing through it. Beside the
//! destination, so the rename stays on one file system. Dropped without `commit`, the
//! temporary output is removed. Permissions are the umask's, as for any file the user creates.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempDir};

use crate::error::{Bad, Error, Result};

/// The temporary name's prefix: `.deploy.zip.` then random characters.
fn prefix(dest: &Path) -> String {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// A temporary of `mode` before the umask (0o666 for files, 0o777 for folders): the final
/// output gets the permissions any file the user creates gets, not `tempfile`'s private 0o600.
fn builder(prefix: &str, mode: u32) -> tempfile::Builder<'_, '_> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder
}

const FILE_MODE: u32 = 0o666;
const DIR_MODE: u32 = 0o777;

/// The folder a destination goes into (`.` for a bare file name).
fn parent_of(dest: &Path) -> &Path {
    match dest.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Checks, before any work or request, that a file can be written at `dest` (shown as
/// `shown`, named `what` in messages, such as `--junit`; `fix` says what to give instead): it
/// has a file name, is not a folder, and no file stands where one of its folders must be.
pub(crate) fn check_file_destination(
    dest: &Path,
    shown: &Path,
    what: &str,
    fix: &str,
) -> Result<()> {
    if dest.file_name().is_none() {
        return Err(Error::input(
            Bad::InvalidPath,
            format!("{what} `{}` has no file name; {fix}", shown.display()),
        ));
    }
    if std::fs::metadata(dest).is_ok_and(|m| m.is_dir()) {
        return Err(Error::input(
            Bad::InvalidPath,
            format!("{what} `{}` is a folder; {fix}", shown.display()),
        ));
    }
    let mut ancestor = dest.parent();
    while let Some(dir) = ancestor.filter(|d| !d.as_os_str().is_empty()) {
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(Error::input(
                    Bad::InvalidPath,
                    format!(
                        "{what} `{}`: `{}` is a file where a folder must be; choose another path",
                        shown.display(),
                        dir.display()
                    ),
                ));
            }
            Err(_) => ancestor = dir.parent(),
        }
    }
    Ok(())
}

/// A file being written; it replaces `dest` on [`AtomicFile::commit`].
pub(crate) struct AtomicFile {
    temp: NamedTempFile,
    dest: PathBuf,
    shown: PathBuf,
}

impl AtomicFile {
    /// Starts writing `dest`, whose folder must exist.
    pub(crate) fn create(dest: &Path, shown: &Path) -> Result<Self> {
        let parent = parent_of(dest);
        let prefix = prefix(dest);
        let temp = builder(&prefix, FILE_MODE)
            .tempfile_in(parent)
            .map_err(|e| Error::io("create a temporary file beside", shown, e))?;
        Ok(AtomicFile {
            temp,
            dest: dest.to_path_buf(),
            shown: shown.to_path_buf(),
        })
    }

    /// Where to write the content.
    pub(crate) fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Flushes the content to disk and renames it into place.
    pub(crate) fn commit(mut self) -> Result<()> {
        let shown = self.shown.clone();
        self.temp
            .as_file_mut()
            .flush()
            .and_then(|()| self.temp.as_file().sync_all())
            .map_err(|e| Error::io("write", &shown, e))?;
        self.temp
            .persist(&self.dest)
            .map_err(|e| Error::io("rename into", &shown, e.error))?;
        Ok(())
    }
}

/// Writes `bytes` to `dest` atomically, creating its missing folders (a results or JUnit file
/// in a folder of its own).
pub(crate) fn write_file(dest: &Path, shown: &Path, bytes: &[u8]) -> Result<()> {
    let parent = parent_of(dest);
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let mut file = AtomicFile::create(dest, shown)?;
    file.file()
        .write_all(bytes)
        .map_err(|e| Error::io("write", shown, e))?;
    file.commit()
}

/// A folder being filled; it becomes `dest` on [`AtomicDir::commit`]. `dest` must not exist,
/// or be an empty folder (which it replaces).
pub(crate) struct AtomicDir {
    temp: Option<TempDir>,
    dest: PathBuf,
    shown: PathBuf,
}

impl AtomicDir {
    /// Starts filling `dest`; refuses a destination that is a file or a folder with content.
    pub(crate) fn create(dest: &Path, shown: &Path, flag: &str) -> Result<Self> {
        match std::fs::read_dir(dest) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(Error::input(
                        Bad::InvalidPath,
                        format!(
                            "output folder `{}` is not empty; remove it or choose another {flag}",
                            shown.display()
                        ),
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return Err(Error::input(
                    Bad::InvalidPath,
                    format!(
                        "output folder `{}` is a file; remove it or choose another {flag}",
                        shown.display()
                    ),
                ));
            }
            Err(e) => return Err(Error::io("read", shown, e)),
        }
        if dest.file_name().is_none() {
            return Err(Error::input(
                Bad::InvalidPath,
                format!(
                    "output folder `{}` has no name; give a folder path",
                    shown.display()
                ),
            ));
        }
        let parent = parent_of(dest);
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        let prefix = prefix(dest);
        let temp = builder(&prefix, DIR_MODE)
            .tempdir_in(parent)
            .map_err(|e| Error::io("create a temporary folder beside", shown, e))?;
        Ok(AtomicDir {
            temp: Some(temp),
            dest: dest.to_path_buf(),
            shown: shown.to_path_buf(),
        })
    }

    /// Where to write the content.
    pub(crate) fn path(&self) -> &Path {
        self.temp.as_ref().map_or(self.dest.as_path(), |t| t.path())
    }

    /// Renames the finished folder into place.
    pub(crate) fn commit(mut self) -> Result<()> {
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        // An empty folder in the way (checked in `create`) is replaced.
        match std::fs::remove_dir(&self.dest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("replace", &self.shown, e)),
        }
        let path = temp.keep();
        std::fs::rename(&path, &self.dest).map_err(|e| {
            let _ = std::fs::remove_dir_all(&path);
            Error::io("rename into", &self.shown, e)
        })
    }
}

/// Several files written all or none (`generate`): each is staged under its temporary name,
/// and only when every one is complete are they renamed into place. A failure before that
/// removes the temporaries and every folder this set created, leaving the project as it was.
#[derive(Default)]
pub(crate) struct FileSet {
    staged: Vec<(NamedTempFile, PathBuf)>,
    created_dirs: Vec<PathBuf>,
}

impl FileSet {
    /// Stages `bytes` for `dest` (shown as `shown`).
    pub(crate) fn stage(&mut self, dest: &Path, shown: &Path, bytes: &[u8]) -> Result<()> {
        let parent = parent_of(dest).to_path_buf();
        self.create_dirs(&parent)?;
        let prefix = prefix(dest);
        let mut temp = builder(&prefix, FILE_MODE)
            .tempfile_in(&parent)
            .map_err(|e| Error::io("create a temporary file beside", shown, e))?;
        temp.as_file_mut()
            .write_all(bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| Error::io("write", shown, e))?;
        self.staged.push((temp, dest.to_path_buf()));
        Ok(())
    }

    /// Renames every staged file into place. Renames within one folder are atomic; only a
    /// failure between two renames could leave a mix, and it is reported.
    pub(crate) fn commit(mut self) -> Result<()> {
        for (temp, dest) in std::mem::take(&mut self.staged) {
            temp.persist(&dest)
                .map_err(|e| Error::io("replace", &dest, e.error))?;
        }
        self.created_dirs.clear();
        Ok(())
    }

    /// Creates `dir` and its missing ancestors, remembering each one created.
    fn create_dirs(&mut self, dir: &Path) -> Result<()> {
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
            std::fs::create_dir(&path).map_err(|e| Error::io("create folder", &path, e))?;
            self.created_dirs.push(path);
        }
        Ok(())
    }
}

impl Drop for FileSet {
    fn drop(&mut self) {
        // Temporaries remove themselves; then the folders, innermost first (a folder that is
        // not empty stays: remove_dir refuses).
        self.staged.clear();
        for dir in self.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

#[cfg(test)]
#[path = "atomic_tests.rs"]
mod tests;
