//! Reading local input: only regular files, never more than a bound.
//!
//! A path given to the tool may be a FIFO (an open that never returns), a device such as
//! `/dev/zero` (a read that never ends), or a file far larger than any input the tool takes.
//! So every read of local input checks the file type first and stops one byte past its bound;
//! each caller names its bound and what the file is, for the message.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Bad, Error};

/// The most bytes of one small input file: a config file, an auth URL file, a key, a manifest.
pub(crate) const SMALL_FILE: u64 = 4 * 1024 * 1024;

/// Why a read failed.
#[derive(Debug)]
pub(crate) enum ReadError {
    NotFound,
    /// A folder, FIFO, socket or device where a file must be.
    NotRegular(&'static str),
    /// Longer than the bound.
    TooLarge(u64),
    NotUtf8,
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    /// What is wrong, without the path (callers name the file their own way).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge(limit) => write!(f, "it is larger than {limit} bytes"),
            ReadError::NotUtf8 => f.write_str("it is not UTF-8 text"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl ReadError {
    /// The user-facing error, `shown` naming the file as the user gave it.
    pub(crate) fn into_error(self, shown: &Path) -> Error {
        let shown = shown.display();
        match self {
            ReadError::NotFound => Error::input(
                Bad::MissingPath,
                format!("`{shown}` does not exist; check the path"),
            ),
            ReadError::NotRegular(what) => Error::input(
                Bad::InvalidPath,
                format!("`{shown}` is {what}, not a regular file; pass a file"),
            ),
            ReadError::TooLarge(limit) => Error::input(
                Bad::InvalidPath,
                format!(
                    "`{shown}` is larger than {limit} bytes, more than this input can be; check the path"
                ),
            ),
            ReadError::NotUtf8 => Error::input(
                Bad::InvalidPath,
                format!("`{shown}` is not UTF-8 text; save it as UTF-8"),
            ),
            ReadError::Io(e) => Error::io("read", shown.to_string(), e),
        }
    }
}

/// What a non-regular file is, in words.
pub(crate) fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// Opens `path` (following links) when it is a regular file.
pub(crate) fn open_regular(path: &Path) -> Result<File, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    let file = File::open(path).map_err(ReadError::Io)?;
    // The path could have been swapped between the check and the open.
    match file.metadata() {
        Ok(meta) if meta.is_file() => Ok(file),
        Ok(meta) => Err(ReadError::NotRegular(kind_of(meta.file_type()))),
        Err(e) => Err(ReadError::Io(e)),
    }
}

/// The bytes of a regular file of at most `limit` bytes.
pub(crate) fn bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    bounded(open_regular(path)?, limit)
}

/// Up to `limit` bytes of `reader`; more is [`ReadError::TooLarge`].
pub(crate) fn bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(ReadError::Io)?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(out)
}

/// The UTF-8 text of a small regular file ([`SMALL_FILE`]).
pub(crate) fn text(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(bytes(path, SMALL_FILE)?).map_err(|_| ReadError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounded_and_regular_files_only() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "12345").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bytes(&file, 5).ok(), Some(b"12345".to_vec()));
        assert!(matches!(bytes(&file, 4), Err(ReadError::TooLarge(4))));
        assert!(matches!(
            bytes(dir.path(), 4),
            Err(ReadError::NotRegular("a folder"))
        ));
        assert!(matches!(
            bytes(&dir.path().join("nope"), 4),
            Err(ReadError::NotFound)
        ));
        #[cfg(unix)]
        assert!(matches!(
            bytes(Path::new("/dev/zero"), 4),
            Err(ReadError::NotRegular("a device"))
        ));
    }
}
