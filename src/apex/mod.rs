//! Rendering the Apex classes, the trigger, their `-meta.xml` and the Contact checkbox field
//! from the Askama templates in `templates/apex/`.
//!
//! The output is a list of [`RenderedFile`]s relative to the SFDX source folder; writing them
//! (or comparing them with the disk) is `generate`'s job. Rendering is pure and in memory, so
//! `generate --check` and `package` use the very same bytes that `generate` writes.

mod context;
mod layout;
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
    /// The file as generated, without the provenance marker (`generate` adds it).
    pub body: String,
}

/// Renders every file the settings ask for, in a stable order.
pub fn render(settings: &Settings) -> Result<Vec<RenderedFile>> {
    let context = ApexContext::new(settings);
    templates::render_all(&context)
}
