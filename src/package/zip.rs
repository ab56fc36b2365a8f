//! The deploy zip: deterministic and streamed.
//!
//! Deterministic: entries in the order [`super::layout::entries`] gives, every timestamp the
//! zip epoch (1980-01-01 00:00, `DateTime::default()`), permissions 0644, Deflate at level 9,
//! no directory entries and no extra fields, so the same input gives the same bytes on every
//! machine and CI can compare zips by hash.
//!
//! Streamed: each entry is read when it is added, compressed in memory on its own and appended
//! (files over 1 MiB stream through the compressor instead), so memory holds at most one small
//! file at a time. The zip goes to a temporary file beside the output and is renamed
//! over it only when complete: a failure (or the compressed-size limit) never leaves a half
//! zip behind, and a previous zip stays untouched.

use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use zip::write::{SimpleFileOptions, ZipFileBuilder, ZipWriter};
use zip::{CompressionMethod, DateTime};

use super::layout::Entry;
use crate::error::{Error, Result};
use crate::fs::atomic::AtomicFile;
use crate::limits;

/// Writes `entries` as a zip at `dest` (shown to the user as `shown`), under `root/` when
/// given (singlePackage=false). Returns the zip's size in bytes.
pub fn write(dest: &Path, shown: &Path, entries: &[Entry<'_>], root: Option<&str>) -> Result<u64> {
    let mut staged = AtomicFile::create(dest, shown)?;
    let size = write_to(staged.file(), shown, entries, root)?;
    staged.commit()?;
    Ok(size)
}

/// Writes the zip into `file` (the temporary of the atomic write).
fn write_to(
    file: &mut std::fs::File,
    shown: &Path,
    entries: &[Entry<'_>],
    root: Option<&str>,
) -> Result<u64> {
    // Errors name the zip the user asked for, not the temporary file.
    let io = |e: std::io::Error| Error::io("write", shown, e);
    let zip_err = |e: zip::result::ZipError| Error::io("write", shown, e.into());
    let mut zip = ZipWriter::new(HighWater::new(BufWriter::with_capacity(256 * 1024, file)));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);

    for (index, entry) in entries.iter().enumerate() {
        let name = match root {
            Some(root) => format!("{root}/{}", entry.name),
            None => entry.name.clone(),
        };
        let over = |written| limits::compressed_over(written, index + 1, entries.len(), &name);
        if entry.size <= IN_MEMORY_MAX {
            // Small (nearly every Apex file): compressed on its own, then appended with its
            // sizes known, so the zip writer never seeks back to patch a header.
            let mut builder = ZipFileBuilder::new(&name, options).map_err(zip_err)?;
            entry.write_to(&mut builder, shown)?;
            let prepared = builder.finish().map_err(zip_err)?;
            zip.add_prepared_file(prepared).map_err(zip_err)?;
        } else {
            // Large: streamed through the compressor, watching the size as it grows, so a
            // huge file is refused at 39 MB rather than compressed whole in memory first.
            zip.start_file(name.as_str(), options).map_err(zip_err)?;
            let mut watched = Watched {
                zip: &mut zip,
                over: None,
            };
            let result = entry.write_to(&mut watched, shown);
            if let Some(written) = watched.over {
                return Err(over(written));
            }
            result?;
        }
        let written = zip.get_ref().map_or(0, |w| w.high);
        if written > limits::MAX_COMPRESSED {
            return Err(over(written));
        }
    }
    let mut out = zip.finish().map_err(zip_err)?;
    out.flush().map_err(io)?;
    let size = out.high;
    if size > limits::MAX_COMPRESSED {
        // Only the central directory can get here: report it as after the last file.
        let last = entries.last().map_or("", |e| e.name.as_str());
        return Err(limits::compressed_over(
            size,
            entries.len(),
            entries.len(),
            last,
        ));
    }
    out.inner
        .into_inner()
        .map_err(|e| Error::io("write", shown, e.into_error()))?;
    Ok(size)
}

/// Entries up to this size are compressed in memory, one at a time; larger ones stream.
const IN_MEMORY_MAX: u64 = 1024 * 1024;

/// The zip writer, refusing to grow past the compressed-size limit while a large entry
/// streams in. `over` holds the size at which it stopped.
struct Watched<'z, W: Write + Seek> {
    zip: &'z mut ZipWriter<HighWater<W>>,
    over: Option<u64>,
}

impl<W: Write + Seek> Write for Watched<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.zip.write(buf)?;
        let written = self.zip.get_ref().map_or(0, |w| w.high);
        if written > limits::MAX_COMPRESSED {
            self.over = Some(written);
            return Err(std::io::Error::other("over the compressed-size limit"));
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.zip.flush()
    }
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
