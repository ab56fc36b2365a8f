//! Metadata API deploy packages, one pipeline for every input: the generated sources, SFDX
//! source folders and folders already in metadata format all become entries ([`layout`]: with
//! `package.xml` from [`manifest`], custom fields composed into `.object` files by [`object`]),
//! are checked against the deploy limits (`crate::limits`), and are written as one
//! deterministic, streamed zip ([`zip`]) or an unzipped folder ([`folder`]), atomically. The
//! result says what was packaged ([`Packed`]) so `deploy` never reads back the zip it just made.

pub(crate) mod folder;
pub(crate) mod layout;
pub(crate) mod manifest;
pub(crate) mod object;
pub(crate) mod zip;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::apex;
use crate::api_version::ApiVersion;
use crate::error::{Bad, Error, Result};
use crate::fs::{atomic, read, walk};
use crate::limits;
use crate::metadata::archive::manifest_version;
use crate::settings::Settings;
use crate::source::{self, Component, ComponentType, SourceFile};

/// What to package.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// The files `generate` writes for these settings, rendered in memory.
    Generated(&'a Settings),
    /// SFDX source folders (relative to the project root unless absolute), for `package.xml`
    /// of this version.
    SourceDirs(&'a [PathBuf], ApiVersion),
    /// A folder already in Metadata API format: its files as they are, `package.xml` included.
    MetadataDir(&'a Path),
}

/// Where the package goes.
#[derive(Debug, Clone, Copy)]
pub enum Output<'a> {
    /// A zip at `dest` (shown to the user as `shown`), under `root/` when given
    /// (`singlePackage` false).
    Zip {
        dest: &'a Path,
        shown: &'a Path,
        root: Option<&'a str>,
    },
    /// An unzipped metadata-format folder.
    Folder { dest: &'a Path, shown: &'a Path },
}

/// What was packaged: what `package` reports and what `deploy` sends by.
#[derive(Debug, Clone, PartialEq)]
pub struct Packed {
    /// `package.xml`'s version.
    pub api_version: Option<ApiVersion>,
    /// Components by type (empty for a metadata folder, whose manifest is taken as it is).
    pub components: BTreeMap<ComponentType, usize>,
    /// Entries, `package.xml` included.
    pub files: usize,
    /// Uncompressed bytes.
    pub bytes: u64,
    /// The zip's size; `None` for a folder.
    pub compressed: Option<u64>,
    /// At 80 % of a limit or more.
    pub warnings: Vec<String>,
}

/// The components of the generated sources or of SFDX source folders.
pub fn components(root: &Path, input: Input<'_>) -> Result<Vec<Component>> {
    match input {
        Input::Generated(settings) => {
            let files = apex::render(settings)?;
            source::from_rendered(&files, &settings.output_dir)
        }
        Input::SourceDirs(dirs, _) => source::from_dirs(root, dirs),
        Input::MetadataDir(_) => Ok(Vec::new()),
    }
}

/// Packages `input` (folders relative to `root`) into `output`, checked against the limits.
pub fn pack(root: &Path, input: Input<'_>, output: Output<'_>) -> Result<Packed> {
    if let Output::Zip { dest, shown, .. } = output {
        atomic::check_file_destination(
            dest,
            shown,
            "output",
            "give a file name such as deploy.zip, or use --output-dir",
        )?;
    }
    let gathered = gather(root, input)?;
    let entries = match input {
        Input::MetadataDir(_) => layout::folder_entries(&gathered.files),
        _ => {
            let version = gathered.version.unwrap_or(crate::api_version::NEWEST);
            let manifest = manifest::render(&gathered.components, version)?;
            layout::entries(&gathered.components, manifest)?
        }
    };
    let uncompressed: u64 = entries.iter().map(|e| e.size).sum();
    let mut warnings = limits::preflight(entries.len() as u64, uncompressed)?;
    let (bytes, compressed) = match output {
        Output::Zip { dest, shown, root } => {
            let size = zip::write(dest, shown, &entries, root)?;
            warnings.extend(limits::compressed_warning(size));
            (uncompressed, Some(size))
        }
        Output::Folder { dest, shown } => (folder::write(dest, shown, &entries)?, None),
    };
    Ok(Packed {
        api_version: gathered.version,
        components: manifest::counts(&gathered.components),
        files: entries.len(),
        bytes,
        compressed,
        warnings,
    })
}

/// What an input holds: components (generated or from source folders), or the files of a
/// metadata folder; and `package.xml`'s version.
struct Gathered {
    components: Vec<Component>,
    files: Vec<(String, SourceFile)>,
    version: Option<ApiVersion>,
}

fn gather(root: &Path, input: Input<'_>) -> Result<Gathered> {
    let version = match input {
        Input::MetadataDir(dir) => return metadata_folder(root, dir),
        Input::Generated(settings) => settings.api_version,
        Input::SourceDirs(_, version) => version,
    };
    Ok(Gathered {
        components: components(root, input)?,
        files: Vec::new(),
        version: Some(version),
    })
}

/// The files of a metadata-format folder (by the one walker's rules) and its package.xml's
/// version.
fn metadata_folder(root: &Path, dir: &Path) -> Result<Gathered> {
    let disk = root.join(dir);
    if !disk.is_dir() {
        return Err(Error::input(
            Bad::MissingPath,
            format!(
                "--metadata-dir `{}` is not a folder; pass a folder in Metadata API format",
                dir.display()
            ),
        ));
    }
    let manifest = disk.join(layout::MANIFEST);
    let text = match read::text(&manifest) {
        Ok(text) => text,
        Err(read::ReadError::NotFound) => {
            return Err(Error::input(
                Bad::InvalidPackage,
                format!(
                    "`{}` has no package.xml; --metadata-dir takes a folder in Metadata API format (package.xml, classes/, ...)",
                    dir.display()
                ),
            ));
        }
        Err(e) => return Err(e.into_error(&dir.join(layout::MANIFEST))),
    };
    let version = manifest_version(&text, &format!("`{}/package.xml`", dir.display()))?;
    let files = source::on_disk(walk::files(&disk, dir, "metadata folder", None)?);
    Ok(Gathered {
        components: Vec::new(),
        files,
        version,
    })
}
