//! Zips a folder in Metadata API format (`--metadata-dir`): the same folder gives the same
//! bytes.
//!
//! Entries are sorted by path, dated 1980-01-01 and marked 0644, so a CI job can compare
//! or cache zips. The folder's own name is not kept: its `package.xml` lands at the zip root,
//! which is what `singlePackage=true` means. Packaging SFDX source folders is the `package`
//! command's job; this only wraps a folder that is already in metadata format.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::archive::{MAX_BYTES, MAX_FILES};
use crate::error::{Error, Result};

/// Zips `dir` (which must hold `package.xml`) into memory.
pub fn zip_dir(dir: &Path) -> Result<Vec<u8>> {
    if !dir.join("package.xml").is_file() {
        return Err(Error::Input(format!(
            "`{}` has no package.xml; --metadata-dir takes a folder in Metadata API format (package.xml, classes/, ...)",
            dir.display()
        )));
    }
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    if files.len() > MAX_FILES {
        return Err(Error::Input(format!(
            "`{}` holds {} files; a deploy takes at most {MAX_FILES}",
            dir.display(),
            files.len()
        )));
    }
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let zip_error =
        |e: zip::result::ZipError| Error::Input(format!("cannot zip `{}`: {e}", dir.display()));
    for relative in &files {
        let path = dir.join(relative);
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        writer.start_file(name, options).map_err(zip_error)?;
        writer
            .write_all(&bytes)
            .map_err(|e| Error::io("zip", &path, e))?;
    }
    let bytes = writer.finish().map_err(zip_error)?.into_inner();
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Error::Input(format!(
            "`{}` zips to {} bytes; a deploy takes at most {MAX_BYTES}",
            dir.display(),
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        // Hidden files (.DS_Store, .gitkeep) are never metadata.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_path_buf());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::archive::ZipSource;

    #[test]
    fn deterministic_with_package_xml_at_the_root() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |p: &str, text: &str| {
            let path = dir.path().join(p);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
        };
        write("package.xml", "<Package><version>62.0</version></Package>");
        write("classes/A.cls", "public class A {}");
        write("classes/A.cls-meta.xml", "<ApexClass/>");
        write(".DS_Store", "x");
        let first = zip_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let second = zip_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, second);
        let summary = ZipSource::Memory(first.into())
            .inspect()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(summary.files, 3);
        assert!(summary.single_package);
        assert_eq!(summary.api_version.as_deref(), Some("62.0"));
    }
}
