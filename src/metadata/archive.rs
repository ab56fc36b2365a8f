//! The deploy zip as we upload it: where it comes from, what is in it, and whether the org
//! will take it.
//!
//! Checked before the one `deploy()` call, because a zip the org refuses still costs an API
//! call and a failed job: at most 10,000 files and 39 MB (the SOAP limit; base64 brings it
//! near the 50 MB message cap), and a `package.xml` at the root (`singlePackage=true`) or in
//! each top-level folder (`singlePackage=false`). The zip is streamed from its file into the
//! request, base64-encoded on the way, so a big zip is never held twice in memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::xml;
use crate::api_version::ApiVersion;
use crate::error::{Bad, Error, Result};
use crate::fs::read::{self, ReadError};
use crate::limits;

/// The most bytes of a zip's `package.xml` read: a manifest listing 10,000 members is well
/// under a megabyte, and a crafted zip can make one inflate to gigabytes.
const MAX_MANIFEST: u64 = 16 * 1024 * 1024;

/// A deploy zip on disk: given with `--zip`, or built by the packer for this deploy. The file
/// is opened when checked and again when uploaded, streamed both times.
#[derive(Debug, Clone)]
pub struct ZipSource {
    path: PathBuf,
    /// The path as the user knows it, for messages.
    shown: String,
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
    pub api_version: Option<ApiVersion>,
}

impl ZipSource {
    /// The zip at `path`, named `shown` in messages.
    pub fn new(path: impl Into<PathBuf>, shown: impl Into<String>) -> Self {
        ZipSource {
            path: path.into(),
            shown: shown.into(),
        }
    }

    /// Where the zip is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Byte length.
    pub fn len(&self) -> Result<u64> {
        std::fs::metadata(&self.path)
            .map(|m| m.len())
            .map_err(|e| Error::io("read", &self.path, e))
    }

    /// True for an empty file (never sent).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// The zip's bytes, from a regular file only (never a FIFO or a device).
    pub fn open(&self) -> Result<File> {
        read::open_regular(&self.path).map_err(|e| e.into_error(Path::new(&self.shown)))
    }

    /// Opens the zip, checks it against the limits and finds its package.xml.
    pub fn inspect(&self) -> Result<ZipSummary> {
        let name = format!("`{}`", self.shown);
        let file = self.open()?;
        let bytes = file
            .metadata()
            .map(|m| m.len())
            .map_err(|e| Error::io("read", &self.path, e))?;
        if bytes > limits::MAX_COMPRESSED {
            return Err(Error::input(
                Bad::LimitExceeded,
                format!(
                    "{name} is {bytes} bytes; a Metadata API deploy takes at most {} bytes: split it into several deploys",
                    limits::MAX_COMPRESSED
                ),
            ));
        }
        let mut archive = zip::ZipArchive::new(file).map_err(|e| {
            Error::input(
                Bad::InvalidPackage,
                format!(
                    "{name} is not a readable zip ({e}); pass a deploy zip made by `portal-disable package` or `sf project convert source`"
                ),
            )
        })?;
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let files = names.iter().filter(|n| !n.ends_with('/')).count();
        if files as u64 > limits::MAX_FILES {
            return Err(Error::input(
                Bad::LimitExceeded,
                format!(
                    "{name} holds {files} files; a deploy takes at most {}: split it into several deploys",
                    limits::MAX_FILES
                ),
            ));
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
                return Err(Error::input(
                    Bad::InvalidPackage,
                    format!(
                        "{name} has no package.xml at its root or in a top-level folder; the org would fail the deploy with \"No package.xml found\""
                    ),
                ));
            }
        };
        let entry = archive.by_name(&manifest).map_err(|e| {
            Error::input(
                Bad::InvalidPackage,
                format!("{name}: cannot open `{manifest}`: {e}"),
            )
        })?;
        let text = read::bounded(entry, MAX_MANIFEST)
            .map_err(|e| match e {
                ReadError::TooLarge(limit) => format!("it inflates to more than {limit} bytes"),
                other => format!("{other:?}"),
            })
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_string()))
            .map_err(|problem| {
                Error::input(
                    Bad::InvalidPackage,
                    format!("{name}: cannot read `{manifest}`: {problem}"),
                )
            })?;
        Ok(ZipSummary {
            files,
            bytes,
            single_package: root,
            api_version: manifest_version(&text, &format!("{name}: `{manifest}`"))?,
        })
    }
}

/// The `<version>` of a package.xml's text, typed; `origin` names it in messages.
pub fn manifest_version(text: &str, origin: &str) -> Result<Option<ApiVersion>> {
    let package = xml::parse(text)
        .map_err(|e| Error::input(Bad::InvalidPackage, format!("{origin} is not XML: {e}")))?;
    match package.text_of("version").map(str::trim) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|e| {
            Error::input(
                Bad::InvalidPackage,
                format!("{origin}: <version>{v}</version> {e}"),
            )
        }),
    }
}

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
