//! The deploy zip: deterministic and streamed.
//!
//! Deterministic: entries in the order [`super::layout::entries`] gives, every timestamp the
//! zip epoch (1980-01-01 00:00, `DateTime::default()`), permissions 0644, Deflate at level 9,
//! no directory entries and no extra fields, so the same input gives the same bytes on every
//! machine and CI can compare zips by hash.
//!
//! Streamed: each entry is read, compressed in memory on its own and appended, so memory
//! holds one file at a time. The zip goes to a temporary file beside the output and is renamed
//! over it only when complete: a failure (or the compressed-size limit) never leaves a half
//! zip behind, and a previous zip stays untouched.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use zip::write::{SimpleFileOptions, ZipFileBuilder, ZipWriter};
use zip::{CompressionMethod, DateTime};

use super::layout::Entry;
use super::limits;
use super::output::Staged;
use crate::error::{Error, Result};

/// Writes `entries` as a zip at `dest` (shown to the user as `shown`), under `root/` when
/// given (singlePackage=false). Returns the zip's size in bytes.
pub fn write(dest: &Path, shown: &Path, entries: &[Entry<'_>], root: Option<&str>) -> Result<u64> {
    let staged = Staged::file(dest, shown)?;
    // Errors name the zip the user asked for, not the temporary file.
    let io = |e: std::io::Error| Error::io("write", shown, e);
    let zip_err = |e: zip::result::ZipError| Error::io("write", shown, e.into());
    let file = File::create(staged.path()).map_err(io)?;
    let mut zip = ZipWriter::new(HighWater::new(BufWriter::with_capacity(256 * 1024, file)));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);

    for (done, entry) in entries.iter().enumerate() {
        let name = match root {
            Some(root) => format!("{root}/{}", entry.name),
            None => entry.name.clone(),
        };
        let mut builder = ZipFileBuilder::new(&name, options).map_err(zip_err)?;
        entry.write_to(&mut builder, shown)?;
        let prepared = builder.finish().map_err(zip_err)?;
        zip.add_prepared_file(prepared).map_err(zip_err)?;
        let written = zip.get_ref().map_or(0, |w| w.high);
        if written > limits::MAX_COMPRESSED {
            return Err(limits::compressed_over(written, done + 1, entries.len()));
        }
    }
    let mut out = zip.finish().map_err(zip_err)?;
    out.flush().map_err(io)?;
    let size = out.high;
    if size > limits::MAX_COMPRESSED {
        return Err(limits::compressed_over(size, entries.len(), entries.len()));
    }
    let file = out
        .inner
        .into_inner()
        .map_err(|e| Error::io("write", shown, e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    staged.commit()?;
    Ok(size)
}

/// A writer that remembers the furthest byte written: the zip's size so far, even while the
/// zip writer seeks back to patch a header.
struct HighWater<W> {
    inner: W,
    pos: u64,
    high: u64,
}

impl<W> HighWater<W> {
    fn new(inner: W) -> Self {
        HighWater {
            inner,
            pos: 0,
            high: 0,
        }
    }
}

impl<W: Write> Write for HighWater<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pos += n as u64;
        self.high = self.high.max(self.pos);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Seek> Seek for HighWater<W> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}
