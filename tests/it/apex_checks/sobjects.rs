//! What the gap checks know about Salesforce objects: the standard fields and relationships
//! the generated Apex may use (vendored in `tests/fixtures/sobject-fields/standard-fields.txt`,
//! with the Object Reference page of each object in that folder's README), plus the custom
//! fields the generated sources themselves define (`objects/<Object>/fields/<Field>.field-meta.xml`).
//!
//! A field that is in neither does not exist in an org the sources deploy to: the deploy would
//! fail on it ("No such column", "Invalid field"), which apex-ls cannot see for a standard
//! object the project extends.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The objects, fields and relationships the checks accept. Names are lowercased.
#[derive(Default, Clone)]
pub struct Schema {
    fields: BTreeMap<String, BTreeSet<String>>,
    /// (object, relationship name) -> the object it leads to.
    relationships: BTreeMap<(String, String), String>,
    /// Every name as written in the fixture or the field file, for messages.
    spelled: BTreeMap<String, String>,
}

impl Schema {
    /// The vendored standard fields.
    pub fn standard() -> Schema {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sobject-fields/standard-fields.txt");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        Schema::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Lines `Object.Field` or `Object.Relationship -> Object`; `#` starts a comment.
    pub fn parse(text: &str) -> Result<Schema, String> {
        let mut schema = Schema::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let (name, target) = match line.split_once("->") {
                Some((name, target)) => (name.trim(), Some(target.trim())),
                None => (line, None),
            };
            let Some((object, field)) = name.split_once('.') else {
                return Err(format!("line {}: `{line}` is not Object.Field", i + 1));
            };
            if field.ends_with("__c") || field.ends_with("__r") {
                return Err(format!(
                    "line {}: `{name}` is a custom field: only the generated sources define those",
                    i + 1
                ));
            }
            match target {
                Some(target) => schema.add_relationship(object, field, target),
                None => schema.add_field(object, field),
            }
        }
        Ok(schema)
    }

    pub fn add_field(&mut self, object: &str, field: &str) {
        self.spell(object);
        self.spell(&format!("{object}.{field}"));
        self.fields
            .entry(object.to_ascii_lowercase())
            .or_default()
            .insert(field.to_ascii_lowercase());
    }

    fn add_relationship(&mut self, object: &str, name: &str, target: &str) {
        self.spell(object);
        self.spell(target);
        self.fields.entry(object.to_ascii_lowercase()).or_default();
        self.relationships.insert(
            (object.to_ascii_lowercase(), name.to_ascii_lowercase()),
            target.to_ascii_lowercase(),
        );
    }

    fn spell(&mut self, name: &str) {
        self.spelled
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.to_string());
    }

    /// Adds the custom fields of the generated field files among these paths
    /// (`objects/Contact/fields/Disable_Portal_User__c.field-meta.xml`).
    pub fn with_generated_fields<'p>(mut self, paths: impl IntoIterator<Item = &'p str>) -> Schema {
        for path in paths {
            let parts: Vec<&str> = path.split('/').collect();
            if let ["objects", object, "fields", file] = parts.as_slice()
                && let Some(field) = file.strip_suffix(".field-meta.xml")
            {
                self.add_field(object, field);
            }
        }
        self
    }

    /// As written in the fixture, for messages.
    pub fn spelling(&self, name: &str) -> String {
        self.spelled
            .get(&name.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    pub fn has_object(&self, object: &str) -> bool {
        self.fields.contains_key(&object.to_ascii_lowercase())
    }

    /// True for the objects of the fixture and any custom object name.
    pub fn is_sobject(&self, ty: &str) -> bool {
        let ty = ty.trim_start_matches("schema.");
        self.has_object(ty) || ty.to_ascii_lowercase().ends_with("__c")
    }

    pub fn has_field(&self, object: &str, field: &str) -> bool {
        self.fields
            .get(&object.to_ascii_lowercase())
            .is_some_and(|f| f.contains(&field.to_ascii_lowercase()))
    }

    /// The object a relationship leads to.
    pub fn relationship(&self, object: &str, name: &str) -> Option<String> {
        self.relationships
            .get(&(object.to_ascii_lowercase(), name.to_ascii_lowercase()))
            .cloned()
    }

    /// Checks a SOQL field path `A.B.Field` from `object`: every step but the last a
    /// relationship, the last a field.
    pub fn resolve(&self, object: &str, path: &[&str]) -> Result<(), String> {
        let object = object.trim_start_matches("Schema.");
        if !self.has_object(object) {
            return Err(format!(
                "object {object} is not in tests/fixtures/sobject-fields/standard-fields.txt: add the fields used, with its Object Reference page in that folder's README"
            ));
        }
        let mut current = object.to_ascii_lowercase();
        for (i, step) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            if last && self.has_field(&current, step) {
                return Ok(());
            }
            match self.relationship(&current, step) {
                Some(next) if !last => current = next,
                _ => {
                    let what = if last { "field" } else { "relationship" };
                    return Err(format!(
                        "{} has no {what} {step}{}",
                        self.spelling(&current),
                        if step.ends_with("__c") {
                            " (custom fields must be defined by a generated field file)"
                        } else {
                            " (not a standard field in the vendored list)"
                        }
                    ));
                }
            }
        }
        Ok(())
    }
}
