//! The deploy zip as we upload it: where it comes from, what is in it, and whether the org
//! will take it.
//!
//! Checked before the one `deploy()` call, because a zip the org refuses still costs an API
//! call and a failed job: at most 10,000 files and 39 MB (the SOAP limit; base64 brings it
//! near the 50 MB message cap), and a `package.xml` at the root (`singlePackage=true`) or in
//! each top-level folder (`singlePackage=false`). The zip is streamed from its file into the
//! request, base64-encoded on the way, so a big zip is never held twice in memory.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::xml;
use crate::error::{Error, Result};

/// The most files one deploy may hold.
pub const MAX_FILES: usize = 10_000;
/// The most bytes one SOAP deploy zip may have.
pub const MAX_BYTES: u64 = 39_000_000;

/// A deploy zip: a file on disk (`--zip`) or built in memory (`--metadata-dir`). The bytes
/// are shared, so reading them for the checks and for the upload copies nothing.
#[derive(Debug, Clone)]
pub enum ZipSource {
    File(PathBuf),
    Memory(Arc<[u8]>),
}

/// What we learned from a zip before sending it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipSummary {
    /// Files, not counting folder entries.
    pub files: usize,
    pub bytes: u64,
    /// `package.xml` is at the root (not in a top-level folder).
    pub single_package: bool,
    /// `<version>` of the (first) package.xml.
    pub api_version: Option<String>,
}

impl ZipSource {
    fn describe(&self) -> String {
        match self {
            ZipSource::File(path) => format!("`{}`", path.display()),
            ZipSource::Memory(_) => "the metadata folder's zip".to_string(),
        }
    }

    /// Byte length.
    pub fn len(&self) -> Result<u64> {
        match self {
            ZipSource::File(path) => std::fs::metadata(path)
                .map(|m| m.len())
                .map_err(|e| Error::io("read", path, e)),
            ZipSource::Memory(bytes) => Ok(bytes.len() as u64),
        }
    }

    /// True for an empty zip source (never sent).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// A reader over the zip's bytes.
    pub fn open(&self) -> Result<Box<dyn ReadSeek>> {
        match self {
            ZipSource::File(path) => Ok(Box::new(
                File::open(path).map_err(|e| Error::io("read", path, e))?,
            )),
            ZipSource::Memory(bytes) => Ok(Box::new(Cursor::new(Arc::clone(bytes)))),
        }
    }

    /// Opens the zip, checks it against the limits and finds its package.xml.
    pub fn inspect(&self) -> Result<ZipSummary> {
        let bytes = self.len()?;
        let name = self.describe();
        if bytes > MAX_BYTES {
            return Err(Error::Input(format!(
                "{name} is {bytes} bytes; a Metadata API deploy takes at most {MAX_BYTES} bytes: split it into several deploys"
            )));
        }
        let mut archive = zip::ZipArchive::new(self.open()?).map_err(|e| {
            Error::Input(format!("{name} is not a readable zip ({e}); pass a deploy zip made by `portal-disable package` or `sf project convert source`"))
        })?;
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let files = names.iter().filter(|n| !n.ends_with('/')).count();
        if files > MAX_FILES {
            return Err(Error::Input(format!(
                "{name} holds {files} files; a deploy takes at most {MAX_FILES}: split it into several deploys"
            )));
        }
        let root = names.iter().any(|n| n == "package.xml");
        let nested = names
            .iter()
            .filter(|n| n.matches('/').count() == 1 && n.ends_with("/package.xml"))
            .min()
            .cloned();
        let manifest = match (root, nested) {
            (true, _) => "package.xml".to_string(),
            (false, Some(path)) => path,
            (false, None) => {
                return Err(Error::Input(format!(
                    "{name} has no package.xml at its root or in a top-level folder; the org would fail the deploy with \"No package.xml found\""
                )));
            }
        };
        let mut text = String::new();
        archive
            .by_name(&manifest)
            .map_err(|e| Error::Input(format!("{name}: cannot open `{manifest}`: {e}")))?
            .read_to_string(&mut text)
            .map_err(|e| Error::Input(format!("{name}: cannot read `{manifest}`: {e}")))?;
        let package = xml::parse(&text)
            .map_err(|e| Error::Input(format!("{name}: `{manifest}` is not XML: {e}")))?;
        Ok(ZipSummary {
            files,
            bytes,
            single_package: root,
            api_version: package.text_of("version").map(|v| v.trim().to_string()),
        })
    }
}

/// `Read + Seek` as one object-safe trait, for [`zip::ZipArchive`].
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// The base64 length of `n` bytes (padded).
pub fn base64_len(n: u64) -> u64 {
    n.div_ceil(3) * 4
}

/// Reads another reader's bytes as base64 text, a block at a time.
pub struct Base64Reader<R> {
    inner: R,
    encoded: Vec<u8>,
    position: usize,
    done: bool,
}

impl<R: Read> Base64Reader<R> {
    pub fn new(inner: R) -> Self {
        Base64Reader {
            inner,
            encoded: Vec::new(),
            position: 0,
            done: false,
        }
    }

    /// Reads the next block of whole 3-byte groups (or the tail) and encodes it.
    fn refill(&mut self) -> io::Result<()> {
        let mut block = vec![0u8; 3 * 16 * 1024];
        let mut filled = 0;
        while filled < block.len() {
            match self.inner.read(&mut block[filled..]) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.encoded.clear();
        let text = STANDARD.encode(&block[..filled]);
        self.encoded.extend_from_slice(text.as_bytes());
        self.position = 0;
        Ok(())
    }
}

impl<R: Read> Read for Base64Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.position == self.encoded.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.encoded.len() - self.position);
        buf[..n].copy_from_slice(&self.encoded[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_reader_matches_the_one_shot_encoding() {
        for len in [0usize, 1, 2, 3, 4, 49_151, 49_152, 49_153, 200_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let mut out = String::new();
            Base64Reader::new(&data[..])
                .read_to_string(&mut out)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(out, STANDARD.encode(&data), "{len}");
            assert_eq!(out.len() as u64, base64_len(len as u64));
        }
    }
}
