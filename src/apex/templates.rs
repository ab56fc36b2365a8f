//! One Askama template struct per generated file type, and the list of files to render.
//! The test class is one template made of partials (`templates/apex/test/`), one per entry
//! point plus the shared test data, so each entry point's tests read on their own.
//!
//! Apex templates (`.cls`, `.trigger`) render with escaping off (see `askama.toml`): they only
//! ever interpolate validated identifiers and fixed words from [`ApexContext`]. The XML
//! templates keep askama's HTML escaper, which is the right one for XML text.

use std::path::PathBuf;

use askama::Template;

use super::{ApexContext, FileKind, RenderedFile};
use crate::error::{Error, Result};

#[derive(Template)]
#[template(path = "apex/core.cls")]
struct CoreClass<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/test.cls")]
struct TestClass<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/invocable.cls")]
struct InvocableClass<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/queueable.cls")]
struct QueueableClass<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/rest.cls")]
struct RestClass<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/batch.cls")]
struct BatchClass<'a> {
    c: &'a ApexContext,
}

#[derive(Template)]
#[template(path = "apex/contact.trigger")]
struct ContactTrigger<'a> {
    c: &'a ApexContext,
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

/// Renders the files the context asks for: each class with its meta file, then the trigger
/// and the field it watches, then the custom permission every entry point checks and the
/// permission set that grants it.
pub(super) fn render_all(c: &ApexContext) -> Result<Vec<RenderedFile>> {
    let n = &c.names;
    let core = CoreClass { c };
    let mut classes: Vec<(&str, &dyn DynTemplate)> = vec![(&n.core, &core)];
    let invocable = InvocableClass { c };
    let queueable = QueueableClass { c };
    let rest = RestClass { c };
    let batch = BatchClass { c };
    if c.entry.invocable {
        classes.push((&n.invocable, &invocable));
    }
    if c.entry.queueable {
        classes.push((&n.queueable, &queueable));
    }
    if c.entry.rest {
        classes.push((&n.rest, &rest));
    }
    if c.entry.batch {
        classes.push((&n.batch, &batch));
    }
    let test = TestClass { c };
    classes.push((&n.test, &test));

    let mut files = Vec::new();
    for (name, template) in classes {
        files.push(file(
            format!("classes/{name}.cls"),
            FileKind::ApexSource,
            template,
        )?);
        files.push(file(
            format!("classes/{name}.cls-meta.xml"),
            FileKind::MetadataXml,
            &ClassMeta { c },
        )?);
    }
    if c.entry.trigger {
        let trigger = &n.trigger;
        files.push(file(
            format!("triggers/{trigger}.trigger"),
            FileKind::ApexSource,
            &ContactTrigger { c },
        )?);
        files.push(file(
            format!("triggers/{trigger}.trigger-meta.xml"),
            FileKind::MetadataXml,
            &TriggerMeta { c },
        )?);
        files.push(file(
            format!("objects/Contact/fields/{}.field-meta.xml", c.trigger_field),
            FileKind::MetadataXml,
            &CheckboxField { c },
        )?);
    }
    files.push(file(
        format!(
            "customPermissions/{}.customPermission-meta.xml",
            c.custom_permission
        ),
        FileKind::MetadataXml,
        &CustomPermission { c },
    )?);
    files.push(file(
        format!("permissionsets/{}.permissionset-meta.xml", c.permission_set),
        FileKind::MetadataXml,
        &PermissionSet { c },
    )?);
    Ok(files)
}

/// Object-safe view of an Askama template, so the list above can mix template types.
trait DynTemplate {
    fn render_text(&self) -> askama::Result<String>;
}

impl<T: Template> DynTemplate for T {
    fn render_text(&self) -> askama::Result<String> {
        self.render()
    }
}

/// Renders one template and normalizes its end to exactly one newline, as prettier and the
/// sf CLI write files.
fn file(path: String, kind: FileKind, template: &dyn DynTemplate) -> Result<RenderedFile> {
    let mut body = template.render_text().map_err(|source| Error::Render {
        file: path.clone(),
        source,
    })?;
    let trimmed = body.trim_end_matches(['\n', ' ']).len();
    body.truncate(trimmed);
    body.push('\n');
    if kind == FileKind::ApexSource {
        body = super::layout::refit(&body);
    }
    Ok(RenderedFile {
        path: PathBuf::from(path),
        kind,
        body,
    })
}
