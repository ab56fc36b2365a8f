//! Source files -> components, by the metadata-type table: names each file by its suffix, as
//! the sf CLI's registry does, pairs sources with their meta files, and refuses anything else,
//! a missing half and a component defined twice.

use std::collections::BTreeMap;

use super::types::{ComponentType, Form, META_SUFFIX, TYPES};
use super::{Component, SourceFile};
use crate::error::{Bad, Error, Result};

/// What a file name says it is.
enum Role {
    /// `Foo.cls`.
    Source(ComponentType, String),
    /// `Foo.cls-meta.xml`.
    Meta(ComponentType, String),
    /// `objects/<Object>/fields/<Field>.field-meta.xml`: (object, child).
    Child(ComponentType, String, String),
    /// `X.customPermission-meta.xml`: a component of one file.
    Single(ComponentType, String),
}

/// Names a file by its suffix; anything else is refused. Meta suffixes are tried first: they
/// end in the source suffix's own meta form.
fn role(rel: &str, display: &str) -> Result<Role> {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    for spec in TYPES {
        match spec.form {
            Form::Pair { suffix, .. } => {
                if let Some(stem) = name.strip_suffix(&format!("{suffix}{META_SUFFIX}")) {
                    return Ok(Role::Meta(spec.kind, checked_name(stem, display)?));
                }
            }
            Form::Single { suffix, .. } => {
                if let Some(stem) = name.strip_suffix(&format!("{suffix}{META_SUFFIX}")) {
                    return Ok(Role::Single(spec.kind, checked_name(stem, display)?));
                }
            }
            Form::Child {
                folder: child_folder,
                suffix,
                parent_folder,
                ..
            } => {
                if let Some(child) = name.strip_suffix(suffix) {
                    let mut up = folder.rsplit('/');
                    return match (up.next(), up.next()) {
                        (Some(f), Some(parent)) if f == child_folder && !parent.is_empty() => {
                            Ok(Role::Child(
                                spec.kind,
                                checked_name(parent, display)?,
                                checked_name(child, display)?,
                            ))
                        }
                        _ => Err(Error::input(
                            Bad::UnsupportedSource,
                            format!(
                                "`{display}`: a {} must be at {parent_folder}/<Object>/{child_folder}/<Name>{suffix}; move it there",
                                spec.name
                            ),
                        )),
                    };
                }
            }
        }
    }
    for spec in TYPES {
        if let Form::Pair { suffix, .. } = spec.form
            && let Some(stem) = name.strip_suffix(suffix)
        {
            return Ok(Role::Source(spec.kind, checked_name(stem, display)?));
        }
    }
    Err(Error::input(
        Bad::UnsupportedSource,
        format!(
            "`{display}`: unsupported file type; package takes {}: move it out of the source folder",
            ComponentType::supported()
        ),
    ))
}

/// A component name must be usable as a package.xml member and a zip entry name.
fn checked_name(name: &str, display: &str) -> Result<String> {
    let bad = name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '.' | '/' | '\\'));
    if bad {
        return Err(Error::input(
            Bad::UnsupportedSource,
            format!(
                "`{display}`: `{name}` is not a valid component name (letters, digits and underscores); rename the file"
            ),
        ));
    }
    Ok(name.to_string())
}

/// The two halves of a pair, as found so far.
#[derive(Default)]
struct Halves {
    source: Option<SourceFile>,
    meta: Option<SourceFile>,
}

/// Groups files into components; refuses unknown files, missing halves and duplicates.
pub(super) fn components(files: Vec<(String, SourceFile)>) -> Result<Vec<Component>> {
    // Keyed by (type, folder, name): a meta file belongs beside its source, as the sf CLI
    // expects.
    let mut pairs: BTreeMap<(ComponentType, String, String), Halves> = BTreeMap::new();
    // Components of one file: children of an object, single-file types.
    let mut children: Vec<Component> = Vec::new();
    for (rel, file) in files {
        let folder = rel.rsplit_once('/').map_or("", |(f, _)| f).to_string();
        match role(&rel, &file.display)? {
            Role::Source(kind, name) => {
                pairs.entry((kind, folder, name)).or_default().source = Some(file);
            }
            Role::Meta(kind, name) => {
                pairs.entry((kind, folder, name)).or_default().meta = Some(file);
            }
            Role::Child(kind, parent, child) => children.push(Component {
                kind,
                full_name: format!("{parent}.{child}"),
                files: vec![file],
            }),
            Role::Single(kind, name) => children.push(Component {
                kind,
                full_name: name,
                files: vec![file],
            }),
        }
    }

    let mut components = Vec::with_capacity(pairs.len() + children.len());
    for ((kind, _, name), halves) in pairs {
        let suffix = match kind.spec().form {
            Form::Pair { suffix, .. }
            | Form::Single { suffix, .. }
            | Form::Child { suffix, .. } => suffix,
        };
        match (halves.source, halves.meta) {
            (Some(source), Some(meta)) => components.push(Component {
                kind,
                full_name: name,
                files: vec![source, meta],
            }),
            (Some(source), None) => {
                return Err(Error::input(
                    Bad::UnsupportedSource,
                    format!(
                        "`{}` has no `{name}{suffix}{META_SUFFIX}` beside it; add the meta file (apiVersion and status), or the org would never get this {kind}",
                        source.display
                    ),
                ));
            }
            (None, Some(meta)) => {
                return Err(Error::input(
                    Bad::UnsupportedSource,
                    format!(
                        "`{}` has no `{name}{suffix}` beside it; add the source or delete the meta file",
                        meta.display
                    ),
                ));
            }
            (None, None) => {}
        }
    }
    components.extend(children);
    components.sort_by(|a, b| (a.kind, &a.full_name).cmp(&(b.kind, &b.full_name)));
    refuse_duplicates(&components)?;
    Ok(components)
}

/// Two files for one component (`classes/A.cls` and `other/A.cls`) cannot both deploy.
fn refuse_duplicates(components: &[Component]) -> Result<()> {
    let mut seen: BTreeMap<(ComponentType, String), &str> = BTreeMap::new();
    for c in components {
        // Salesforce names are case-insensitive: `Foo` and `foo` are one class in the org.
        let key = (c.kind, c.full_name.to_ascii_lowercase());
        let first_file = c.files.first().map_or("", |f| f.display.as_str());
        if let Some(first) = seen.insert(key, first_file) {
            return Err(Error::input(
                Bad::UnsupportedSource,
                format!(
                    "{} `{}` is defined twice: `{first}` and `{first_file}`; keep one",
                    c.kind, c.full_name
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
