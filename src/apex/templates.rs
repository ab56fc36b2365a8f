//! The list of files to render, from the settings and the entry-point table, and the templates
//! that are not an entry point's (the core class, the test class, meta files, the field, the
//! permissions). The test class is made of parts (`templates/apex/test/`): the core's, one per
//! entry point that is on (named by its row of the table), the portal-user tests and the
//! shared test data, so each entry point's tests read on their own.
//!
//! Apex templates (`.cls`, `.trigger`) render with escaping off (see `askama.toml`): they only
//! ever interpolate validated identifiers and fixed words from [`ApexContext`]. The XML
//! templates keep askama's HTML escaper, which is the right one for XML text.

use std::path::PathBuf;

use askama::Template;

use super::{ApexContext, FileKind, RenderedFile};
use crate::error::{Error, Result};
use crate::settings::entry_points::{ApexKind, entry_templates};

#[derive(Template)]
#[template(path = "apex/core.cls")]
struct CoreClass<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/test.cls")]
struct TestClass<'a> {
    c: &'a ApexContext,
    /// The parts of the entry points that are on, in table order.
    entry_tests: &'a [String],
}

#[derive(Template)]
#[template(path = "apex/class-meta.xml")]
struct ClassMeta<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/trigger-meta.xml")]
struct TriggerMeta<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/checkbox-field.xml")]
struct CheckboxField<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/custom-permission.xml")]
struct CustomPermission<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/permission-set.xml")]
struct PermissionSet<'a> {
    c: &'a ApexContext,
}

/// Renders the files the context asks for: the core class, each class entry point, the test
/// class, each with its meta file, then the trigger and the field it watches, then the custom
/// permission every entry point checks and the permission set that grants it.
pub(super) fn render_all(c: &ApexContext) -> Result<Vec<RenderedFile>> {
    let mut files = Vec::new();
    let mut class = |name: &str, body: askama::Result<String>| -> Result<()> {
        let path = format!("classes/{name}.cls");
        files.push(file(path.clone(), FileKind::ApexSource, body, &path)?);
        let meta = format!("classes/{name}.cls-meta.xml");
        files.push(file(
            meta.clone(),
            FileKind::MetadataXml,
            ClassMeta { c }.render(),
            &meta,
        )?);
        Ok(())
    };
    class(&c.names.core, CoreClass { c }.render())?;
    let entries: Vec<_> = c.entry.iter().collect();
    for point in entries.iter().filter(|p| p.spec().kind == ApexKind::Class) {
        class(
            c.names.get(point.role()),
            entry_templates::source(*point, c),
        )?;
    }
    let entry_tests = entries
        .iter()
        .map(|point| entry_templates::test(*point, c))
        .collect::<askama::Result<Vec<_>>>()
        .map_err(|source| Error::Render {
            file: format!("classes/{}.cls", c.names.test),
            source,
        })?;
    class(
        &c.names.test,
        TestClass {
            c,
            entry_tests: &entry_tests,
        }
        .render(),
    )?;
    for point in entries
        .iter()
        .filter(|p| p.spec().kind == ApexKind::Trigger)
    {
        let name = c.names.get(point.role());
        let path = format!("triggers/{name}.trigger");
        files.push(file(
            path.clone(),
            FileKind::ApexSource,
            entry_templates::source(*point, c),
            &path,
        )?);
        let meta = format!("triggers/{name}.trigger-meta.xml");
        files.push(file(
            meta.clone(),
            FileKind::MetadataXml,
            TriggerMeta { c }.render(),
            &meta,
        )?);
        let field = format!("objects/Contact/fields/{}.field-meta.xml", c.trigger_field);
        files.push(file(
            field.clone(),
            FileKind::MetadataXml,
            CheckboxField { c }.render(),
            &field,
        )?);
    }
    let permission = format!(
        "customPermissions/{}.customPermission-meta.xml",
        c.custom_permission
    );
    files.push(file(
        permission.clone(),
        FileKind::MetadataXml,
        CustomPermission { c }.render(),
        &permission,
    )?);
    let set = format!("permissionsets/{}.permissionset-meta.xml", c.permission_set);
    files.push(file(
        set.clone(),
        FileKind::MetadataXml,
        PermissionSet { c }.render(),
        &set,
    )?);
    Ok(files)
}

/// One rendered file, its end normalized to exactly one newline, as prettier and the sf CLI
/// write files; Apex goes through the layout pass.
fn file(
    path: String,
    kind: FileKind,
    rendered: askama::Result<String>,
    shown: &str,
) -> Result<RenderedFile> {
    let mut body = rendered.map_err(|source| Error::Render {
        file: shown.to_string(),
        source,
    })?;
    let trimmed = body.trim_end_matches(['\n', ' ']).len();
    body.truncate(trimmed);
    body.push('\n');
    if kind == FileKind::ApexSource {
        body = super::layout::refit(&body);
    }
    Ok(RenderedFile::new(PathBuf::from(path), kind, body))
}
