//! Components -> the entries of a metadata-format deploy: `package.xml`, then
//! `classes/A.cls`, `classes/A.cls-meta.xml`, ..., `objects/Contact.object`, `triggers/...`,
//! sorted by name so the zip is the same on every run and every machine.
//!
//! An entry knows where its bytes are and how many there are, not the bytes themselves: each
//! file is read when it is written, so memory does not grow with the number of files.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use super::object::{self, Field};
use crate::error::{Bad, Error, Result};
use crate::fs::read;
use crate::source::types::{Form, META_SUFFIX};
use crate::source::{Component, Content, SourceFile};

/// The manifest's entry name.
pub(crate) const MANIFEST: &str = "package.xml";

/// Where an entry's bytes come from.
pub(crate) enum Data<'a> {
    /// A source file copied as it is (Apex source and meta files).
    File(&'a SourceFile),
    /// `objects/<Object>.object` composed from the object's field files, sorted by name.
    Object(Vec<Field<'a>>),
    /// Text made here (package.xml).
    Text(String),
}

/// One file of the deploy.
pub(crate) struct Entry<'a> {
    /// Path inside the zip or folder, `/`-separated (`classes/A.cls`).
    pub name: String,
    /// Uncompressed size in bytes, known before anything is written.
    pub size: u64,
    pub data: Data<'a>,
}

impl Entry<'_> {
    /// Writes the entry's bytes to `out`; `dest` names the output in errors. Returns the
    /// number of bytes written.
    pub(crate) fn write_to(&self, out: &mut dyn Write, dest: &Path) -> Result<u64> {
        let mut counted = Counter {
            inner: out,
            count: 0,
        };
        match &self.data {
            Data::File(file) => copy_file(file, &mut counted, dest)?,
            Data::Object(fields) => object::write_object(fields, &mut counted, dest)?,
            Data::Text(text) => counted
                .write_all(text.as_bytes())
                .map_err(|e| Error::io("write", dest, e))?,
        }
        Ok(counted.count)
    }

    /// Appends the entry's bytes to `buf`, a file on disk read whole straight into it (no
    /// staging buffer to clear per file); returns the number of bytes. For entries small
    /// enough to hold in memory.
    pub(crate) fn read_into(&self, buf: &mut Vec<u8>, dest: &Path) -> Result<u64> {
        let Data::File(SourceFile {
            content: Content::Disk(path),
            size,
            ..
        }) = &self.data
        else {
            return self.write_to(buf, dest);
        };
        let start = buf.len();
        buf.reserve(usize::try_from(*size).unwrap_or(0).saturating_add(1));
        // Through `take`: `File::read_to_end` would first ask the file system for the size,
        // two more system calls per file, when the size is already known.
        std::fs::File::open(path)
            .and_then(|file| file.take(u64::MAX).read_to_end(buf))
            .map_err(|e| Error::io("read", path, e))?;
        Ok((buf.len() - start) as u64)
    }
}

/// The entries for `components` with `manifest` as package.xml: package.xml first (readers
/// that stream the zip see the manifest before the files), then every other entry by name.
/// Composes each `.object` once to learn its size and to check its field files before any
/// output exists.
pub(crate) fn entries(components: &[Component], manifest: String) -> Result<Vec<Entry<'_>>> {
    let mut entries = Vec::with_capacity(components.len() * 2 + 1);
    // (parent folder, parent, parent suffix) -> its children, for the composed files.
    let mut parents: BTreeMap<(&str, &str, &str), Vec<Field<'_>>> = BTreeMap::new();
    for c in components {
        match c.kind.spec().form {
            Form::Pair { folder, suffix } => {
                let [source, meta] = c.files.as_slice() else {
                    continue;
                };
                entries.push(file_entry(
                    format!("{folder}/{}{suffix}", c.full_name),
                    source,
                ));
                entries.push(file_entry(
                    format!("{folder}/{}{suffix}{META_SUFFIX}", c.full_name),
                    meta,
                ));
            }
            Form::Single { folder, suffix } => {
                if let Some(file) = c.files.first() {
                    entries.push(file_entry(
                        format!("{folder}/{}{suffix}", c.full_name),
                        file,
                    ));
                }
            }
            Form::Child {
                parent_folder,
                parent_suffix,
                ..
            } => {
                if let (Some((parent, name)), Some(file)) = (c.parent_and_child(), c.files.first())
                {
                    parents
                        .entry((parent_folder, parent, parent_suffix))
                        .or_default()
                        .push(Field { name, file });
                }
            }
        }
    }
    for ((folder, parent, suffix), mut fields) in parents {
        fields.sort_by(|a, b| a.name.cmp(b.name));
        let name = format!("{folder}/{parent}{suffix}");
        let mut size = Counter {
            inner: &mut std::io::sink(),
            count: 0,
        };
        object::write_object(&fields, &mut size, Path::new(&name))?;
        entries.push(Entry {
            name,
            size: size.count,
            data: Data::Object(fields),
        });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    entries.insert(
        0,
        Entry {
            name: MANIFEST.to_string(),
            size: manifest.len() as u64,
            data: Data::Text(manifest),
        },
    );
    Ok(entries)
}

/// The entries of a folder already in metadata format (`--metadata-dir`): its files as they
/// are, `package.xml` first, then by name.
pub(crate) fn folder_entries(files: &[(String, SourceFile)]) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = files
        .iter()
        .map(|(rel, file)| file_entry(rel.clone(), file))
        .collect();
    entries.sort_by(|a, b| (a.name != MANIFEST, &a.name).cmp(&(b.name != MANIFEST, &b.name)));
    entries
}

fn file_entry(name: String, file: &SourceFile) -> Entry<'_> {
    Entry {
        name,
        size: file.size,
        data: Data::File(file),
    }
}

/// Copies a source file, telling a read failure (the source) from a write failure (the
/// output) in the error.
fn copy_file(file: &SourceFile, out: &mut dyn Write, dest: &Path) -> Result<()> {
    match &file.content {
        Content::Memory(text) => out
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("write", dest, e)),
        Content::Disk(path) => {
            // Never more than the size the limits were checked against: a file that grew
            // since it was listed is reported, not packaged past the limits.
            let input =
                read::open_regular(path).map_err(|e| e.into_error(Path::new(&file.display)))?;
            let mut input = input.take(file.size + 1);
            let mut buf = [0u8; 64 * 1024];
            let mut total = 0u64;
            loop {
                let n = match input.read(&mut buf) {
                    Ok(0) => return Ok(()),
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(Error::io("read", path, e)),
                };
                total += n as u64;
                if total > file.size {
                    return Err(Error::input(
                        Bad::InvalidPath,
                        format!(
                            "`{}` grew while it was packaged; nothing was written; run again",
                            file.display
                        ),
                    ));
                }
                out.write_all(&buf[..n])
                    .map_err(|e| Error::io("write", dest, e))?;
            }
        }
    }
}

/// Counts the bytes that pass through.
struct Counter<'w> {
    inner: &'w mut dyn Write,
    count: u64,
}

impl Write for Counter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
