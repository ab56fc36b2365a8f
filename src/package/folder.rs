//! The unzipped form of a deploy: the same entries as the zip, as files in a folder (for
//! `sf project deploy start --metadata-dir`, `sf project convert mdapi`, or reading). Written
//! to a temporary folder beside the destination and renamed into place when complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::layout::Entry;
use crate::error::{Error, Result};
use crate::fs::atomic::AtomicDir;

/// Writes `entries` into the new folder `dest` (shown to the user as `shown`). Returns the
/// bytes written.
pub(crate) fn write(dest: &Path, shown: &Path, entries: &[Entry<'_>]) -> Result<u64> {
    let staged = AtomicDir::create(dest, shown, "--output-dir")?;
    let mut total = 0;
    for entry in entries {
        let path = staged.path().join(&entry.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io("create", shown.join(&entry.name), e))?;
        }
        let file =
            File::create(&path).map_err(|e| Error::io("create", shown.join(&entry.name), e))?;
        let mut out = BufWriter::new(file);
        let shown = shown.join(&entry.name);
        total += entry.write_to(&mut out, &shown)?;
        out.flush().map_err(|e| Error::io("write", &shown, e))?;
    }
    staged.commit()?;
    Ok(total)
}
