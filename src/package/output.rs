//! Nothing half-written: output goes to a temporary path beside its destination and is
//! renamed into place only when complete. Beside, so the rename stays on one file system and
//! is atomic; dropped without [`Staged::commit`], the temporary output is removed.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output being written at a temporary path.
pub struct Staged {
    temp: PathBuf,
    dest: PathBuf,
    /// The destination as the user gave it, for messages.
    shown: PathBuf,
    is_dir: bool,
    committed: bool,
}

impl Staged {
    /// A file that will replace `dest` (an existing file there is replaced on commit).
    pub fn file(dest: &Path, shown: &Path) -> Result<Self> {
        Self::new(dest, shown, false)
    }

    /// A folder that will become `dest`; `dest` must not exist, or be an empty folder.
    pub fn dir(dest: &Path, shown: &Path) -> Result<Self> {
        match std::fs::read_dir(dest) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(Error::Input(format!(
                        "output folder `{}` is not empty; remove it or choose another --output-dir",
                        shown.display()
                    )));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return Err(Error::Input(format!(
                    "output folder `{}` is a file; remove it or choose another --output-dir",
                    shown.display()
                )));
            }
            Err(e) => return Err(Error::io("read", shown, e)),
        }
        let staged = Self::new(dest, shown, true)?;
        std::fs::create_dir(&staged.temp).map_err(|e| Error::io("create", shown, e))?;
        Ok(staged)
    }

    fn new(dest: &Path, shown: &Path, is_dir: bool) -> Result<Self> {
        let Some(name) = dest.file_name() else {
            return Err(Error::Input(format!(
                "output `{}` has no file name; give a path such as deploy.zip",
                shown.display()
            )));
        };
        if std::fs::metadata(dest).is_ok_and(|m| m.is_dir()) && !is_dir {
            return Err(Error::Input(format!(
                "output `{}` is a folder; give a file name such as deploy.zip, or use --output-dir",
                shown.display()
            )));
        }
        let temp = dest.with_file_name(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        Ok(Staged {
            temp,
            dest: dest.to_path_buf(),
            shown: shown.to_path_buf(),
            is_dir,
            committed: false,
        })
    }

    /// Where to write now.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Moves the finished output into place.
    pub fn commit(mut self) -> Result<()> {
        if self.is_dir {
            // An empty folder in the way (checked in `dir`) is replaced.
            match std::fs::remove_dir(&self.dest) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("replace", &self.shown, e)),
            }
        }
        std::fs::rename(&self.temp, &self.dest)
            .map_err(|e| Error::io("rename into", &self.shown, e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // Best effort: the error that got us here is the one to report.
        let _ = if self.is_dir {
            std::fs::remove_dir_all(&self.temp)
        } else {
            std::fs::remove_file(&self.temp)
        };
    }
}
