//! The deploy zip: deterministic, streamed, compressed on every core.
//!
//! Deterministic: entries in the order [`super::layout::entries`] gives, every timestamp the
//! zip epoch (1980-01-01 00:00), permissions 0644, Deflate at level 9, no directory entries
//! and no extra fields ([`format`]), so the same input gives the same bytes on every machine
//! and CI can compare zips by hash. Each entry is compressed on its own, so the bytes do not
//! depend on how many threads compressed them.
//!
//! Streamed: worker threads read and compress the entries a little ahead of the writer
//! ([`pipeline`]), within a few MiB, with one reused compressor each ([`deflate`]); files over
//! 1 MiB stream through the compressor instead, watched against the size limit as they grow.
//! The zip goes to a temporary file beside the output and is renamed over it only when
//! complete: a failure (or the compressed-size limit) never leaves a half zip behind, and a
//! previous zip stays untouched.

mod deflate;
mod format;
mod pipeline;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use deflate::Deflater;
use format::Record;
use pipeline::Prepared;

use super::layout::Entry;
use crate::error::{Bad, Error, Result};
use crate::fs::atomic::AtomicFile;
use crate::limits;

/// Writes `entries` as a zip at `dest` (shown to the user as `shown`), under `root/` when
/// given (singlePackage=false). Returns the zip's size in bytes.
pub(crate) fn write(
    dest: &Path,
    shown: &Path,
    entries: &[Entry<'_>],
    root: Option<&str>,
) -> Result<u64> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    write_with(dest, shown, entries, root, workers)
}

/// [`write`] with `workers` compressing threads (1: all on this one).
fn write_with(
    dest: &Path,
    shown: &Path,
    entries: &[Entry<'_>],
    root: Option<&str>,
    workers: usize,
) -> Result<u64> {
    let mut staged = AtomicFile::create(dest, shown)?;
    let size = write_to(staged.file(), shown, entries, root, workers)?;
    staged.commit()?;
    Ok(size)
}

/// Writes the zip into `file` (the temporary of the atomic write).
fn write_to(
    file: &mut File,
    shown: &Path,
    entries: &[Entry<'_>],
    root: Option<&str>,
    workers: usize,
) -> Result<u64> {
    // Errors name the zip the user asked for, not the temporary file.
    let mut zip = Writer {
        out: BufWriter::with_capacity(256 * 1024, file),
        written: 0,
        records: Vec::with_capacity(entries.len()),
        header: Vec::with_capacity(512),
        streamer: None,
    };
    pipeline::in_order(entries, shown, workers, |index, prepared| {
        let entry = &entries[index];
        let name = match root {
            Some(root) => format!("{root}/{}", entry.name),
            None => entry.name.clone(),
        };
        let over = |written| limits::compressed_over(written, index + 1, entries.len(), &name);
        let added = match prepared {
            Prepared::Compressed {
                crc,
                uncompressed,
                data,
            } => zip.add(&name, crc, uncompressed, &data, shown),
            Prepared::Large => zip.stream(&name, entry, shown),
        };
        match added {
            Ok(()) if zip.written > limits::MAX_COMPRESSED => Err(over(zip.written)),
            Ok(()) => Ok(()),
            Err(Added::Over(written)) => Err(over(written)),
            Err(Added::Failed(e)) => Err(e),
        }
    })?;
    let size = zip.finish(shown)?;
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
    zip.out
        .into_inner()
        .map_err(|e| Error::io("write", shown, e.into_error()))?;
    Ok(size)
}

/// Why an entry was not added.
enum Added {
    /// The zip passed the compressed-size limit at this many bytes while the entry streamed.
    Over(u64),
    Failed(Error),
}

impl From<Error> for Added {
    fn from(e: Error) -> Self {
        Added::Failed(e)
    }
}

/// The zip being written: its bytes so far and the records for its central directory.
struct Writer<'f> {
    out: BufWriter<&'f mut File>,
    /// Bytes written: where the next entry starts.
    written: u64,
    records: Vec<Record>,
    /// The header being built, reused for every entry.
    header: Vec<u8>,
    /// The compressor for large entries, made at the first one.
    streamer: Option<Deflater>,
}

impl Writer<'_> {
    /// Appends an entry compressed in memory.
    fn add(
        &mut self,
        name: &str,
        crc: u32,
        uncompressed: u64,
        data: &[u8],
        shown: &Path,
    ) -> std::result::Result<(), Added> {
        let record = record(name, crc, data.len() as u64, uncompressed, self.written)?;
        self.header.clear();
        record.local_header(&mut self.header);
        let io = |e| Added::Failed(Error::io("write", shown, e));
        self.out.write_all(&self.header).map_err(io)?;
        self.out.write_all(data).map_err(io)?;
        self.written += record.local_header_len() + data.len() as u64;
        self.records.push(record);
        Ok(())
    }

    /// Appends a large entry, compressed as it is read: the local header first with the
    /// CRC-32 and sizes left zero, patched once they are known (the data stays in place).
    fn stream(
        &mut self,
        name: &str,
        entry: &Entry<'_>,
        shown: &Path,
    ) -> std::result::Result<(), Added> {
        let io = |e| Added::Failed(Error::io("write", shown, e));
        let start = self.written;
        let mut record = record(name, 0, 0, 0, start)?;
        self.header.clear();
        record.local_header(&mut self.header);
        self.out.write_all(&self.header).map_err(io)?;
        let data_start = start + record.local_header_len();
        let mut watched = Watched {
            out: &mut self.out,
            written: data_start,
            over: None,
        };
        let deflater = self.streamer.get_or_insert_with(Deflater::new);
        let mut stream = deflater.stream(&mut watched);
        let copied = entry.write_to(&mut stream, shown);
        let finished =
            copied.and_then(|_| stream.finish().map_err(|e| Error::io("write", shown, e)));
        if let Some(written) = watched.over {
            return Err(Added::Over(written));
        }
        let streamed = finished?;
        record = self::record(
            name,
            streamed.crc,
            streamed.compressed,
            streamed.uncompressed,
            start,
        )?;
        let end = data_start + streamed.compressed;
        self.header.clear();
        record.crc_and_sizes(&mut self.header);
        self.out
            .seek(SeekFrom::Start(start + format::LOCAL_CRC_OFFSET))
            .and_then(|_| self.out.write_all(&self.header))
            .and_then(|()| self.out.seek(SeekFrom::Start(end)))
            .map_err(io)?;
        self.written = end;
        self.records.push(record);
        Ok(())
    }

    /// Writes the central directory and flushes; returns the zip's size.
    fn finish(&mut self, shown: &Path) -> Result<u64> {
        let directory = format::central_directory(&self.records, self.written)
            .ok_or_else(|| too_big(self.records.last().map_or("", |r| r.name.as_str())))?;
        let io = |e| Error::io("write", shown, e);
        self.out.write_all(&directory).map_err(io)?;
        self.out.flush().map_err(io)?;
        self.written += directory.len() as u64;
        Ok(self.written)
    }
}

fn record(name: &str, crc: u32, compressed: u64, uncompressed: u64, offset: u64) -> Result<Record> {
    Record::new(name.to_string(), crc, compressed, uncompressed, offset)
        .ok_or_else(|| too_big(name))
}

/// A size or count past what a zip without ZIP64 holds; the deploy limits refuse such a
/// deploy long before, so only a caller skipping them meets this.
fn too_big(name: &str) -> Error {
    Error::input(
        Bad::LimitExceeded,
        format!(
            "the zip is too big at `{name}` for a Metadata API deploy; split the components into several deploys"
        ),
    )
}

/// The zip's output, refusing to grow past the compressed-size limit while a large entry
/// streams in. `over` holds the size at which it stopped.
struct Watched<'z, 'f> {
    out: &'z mut BufWriter<&'f mut File>,
    written: u64,
    over: Option<u64>,
}

impl Write for Watched<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.written += n as u64;
        if self.written > limits::MAX_COMPRESSED {
            self.over = Some(self.written);
            return Err(std::io::Error::other("over the compressed-size limit"));
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
