//! Rendering the Apex classes, the trigger, their `-meta.xml` and the Contact checkbox field
//! from the Askama templates in `templates/apex/`, each with its provenance [`marker`].
//!
//! The output is a list of [`RenderedFile`]s relative to the SFDX source folder, each holding
//! its final bytes; writing them (or comparing them with the disk) is `generate`'s job, zipping
//! them `package`'s. Rendering is pure and in memory, so `generate --check` and `package` use the
//! very same bytes that `generate` writes.

mod context;
mod layout;
pub(crate) mod marker;
mod templates;

use std::path::PathBuf;

pub use context::ApexContext;

use crate::error::Result;
use crate::settings::Settings;

/// What kind of metadata component a rendered file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// Apex source (`.cls`, `.trigger`): `//` comments.
    ApexSource,
    /// Metadata XML (`-meta.xml`): `<!-- -->` comments after the XML declaration.
    MetadataXml,
}

/// One generated file, relative to the SFDX source folder (`classes/Foo.cls`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: PathBuf,
    pub kind: FileKind,
    /// The file as rendered, without the provenance marker.
    pub body: String,
    /// The file as written to disk and zipped: the body with its marker.
    contents: String,
}

impl RenderedFile {
    /// A rendered file; its final bytes get the marker.
    pub fn new(path: PathBuf, kind: FileKind, body: String) -> Self {
        let contents = marker::add(kind, &body);
        RenderedFile {
            path,
            kind,
            body,
            contents,
        }
    }

    /// The file exactly as `generate` writes it, marker included.
    pub fn contents(&self) -> &str {
        &self.contents
    }
}

/// Renders every file the settings ask for, in a stable order.
pub fn render(settings: &Settings) -> Result<Vec<RenderedFile>> {
    let context = ApexContext::new(settings);
    templates::render_all(&context)
}
