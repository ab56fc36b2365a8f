//! Metadata API deploy packages: components -> `package.xml` ([`manifest`]) and the entries
//! of a metadata-format deploy ([`layout`], custom fields composed into `.object` files by
//! [`object`]), checked against the deploy limits ([`limits`]), written as a deterministic zip
//! ([`zip`]) or an unzipped folder ([`folder`]), never half-written ([`output`]).

pub mod folder;
pub mod layout;
pub mod limits;
pub mod manifest;
pub mod object;
pub mod output;
pub mod zip;

use std::path::{Path, PathBuf};

use crate::apex;
use crate::error::Result;
use crate::settings::Settings;
use crate::source::{self, Component};

/// The components to package: the files `generate` writes for `settings` (rendered in memory),
/// or every file of the given SFDX source folders.
pub fn components(
    root: &Path,
    settings: &Settings,
    source_dirs: &[PathBuf],
) -> Result<Vec<Component>> {
    if source_dirs.is_empty() {
        let files = apex::render(settings)?;
        source::from_rendered(&files, &settings.output_dir)
    } else {
        source::from_dirs(root, source_dirs)
    }
}

/// A deploy zip at `dest` (shown to the user as `shown`) with package.xml at its root, checked
/// against the limits; returns the warnings (80 % of a limit).
pub fn zip_components(
    components: &[Component],
    settings: &Settings,
    dest: &Path,
    shown: &Path,
) -> Result<Vec<String>> {
    let manifest = manifest::render(components, settings.api_version)?;
    let entries = layout::entries(components, manifest)?;
    let uncompressed: u64 = entries.iter().map(|e| e.size).sum();
    let mut warnings = limits::preflight(entries.len() as u64, uncompressed)?;
    let size = zip::write(dest, shown, &entries, None)?;
    warnings.extend(limits::compressed_warning(size));
    Ok(warnings)
}
