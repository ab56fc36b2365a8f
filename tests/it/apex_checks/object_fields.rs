//! Gap (b) of apex-ls: fields of a standard object the project extends. Once the sources hold
//! `objects/Contact/fields/...`, apex-ls treats Contact as incomplete and reports no unknown
//! field on it, so `contact.Disable_Portal_Users__c` (one letter off the generated field)
//! would pass every offline check and fail the deploy. Here every field read or written on an
//! SObject in Apex, `record.Field`, `new Contact(Field = ...)` and `Contact.Field` tokens, must be
//! a standard field of the vendored list or a custom field a generated field file defines.

use std::collections::BTreeSet;

use tree_sitter::Node;

use crate::apex_checks::sobjects::Schema;
use crate::apex_checks::syntax::{
    Declaration, Source, declarations, declared_type, descendants, type_of, type_text,
};

/// What is wrong with the SObject fields of one file, as `path:line: message`.
pub fn problems(src: &Source, schema: &Schema) -> Vec<String> {
    check_file(src, schema).1
}

/// How many SObject field references the file has, and what is wrong with them.
pub fn check_file(src: &Source, schema: &Schema) -> (usize, Vec<String>) {
    let decls = declarations(src);
    let relationship = |owner: &str, member: &str| schema.relationship(owner, member);
    let sobjects = sobject_types(src, schema);
    let is_sobject = |ty: &str| {
        let ty = ty.to_ascii_lowercase();
        schema.is_sobject(&ty) || sobjects.contains(ty.trim_start_matches("schema."))
    };
    let mut out = Vec::new();
    let mut checked = 0;
    for node in descendants(src.root()) {
        match node.kind() {
            "field_access" => {
                let (Some(object), Some(field)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("field"),
                ) else {
                    continue;
                };
                let field = src.text_of(field);
                let owner = match sobject_token(src, &decls, &is_sobject, object) {
                    // `Contact.SObjectType` is the type's token, not a field.
                    Some(_) if field.eq_ignore_ascii_case("sobjecttype") => continue,
                    Some(token) => token,
                    None => match type_of(src, &decls, object, &relationship) {
                        Some(ty) if is_sobject(&ty) => ty,
                        _ => continue,
                    },
                };
                check(src, schema, node, &owner, field, &mut out);
                checked += 1;
            }
            "object_creation_expression" => {
                let Some(ty) = node.child_by_field_name("type") else {
                    continue;
                };
                let ty = type_text(src, ty);
                if !is_sobject(&ty) {
                    continue;
                }
                let Some(args) = node.child_by_field_name("arguments") else {
                    continue;
                };
                let mut cursor = args.walk();
                for arg in args.named_children(&mut cursor) {
                    if arg.kind() == "assignment_expression"
                        && let Some(left) = arg.child_by_field_name("left")
                    {
                        check(src, schema, left, &ty, src.text_of(left), &mut out);
                        checked += 1;
                    }
                }
            }
            _ => {}
        }
    }
    (checked, out)
}

/// The SObject types of this file beyond the vendored ones: every queried object, and every
/// type built with `Field = value` arguments (only SObjects take those), lowercased. They are
/// checked too, so an object missing from the list is reported instead of skipped.
fn sobject_types(src: &Source, schema: &Schema) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for node in descendants(src.root()) {
        let name = match node.kind() {
            "storage_identifier" => Some(src.text_of(node).trim().to_string()),
            "object_creation_expression" => node
                .child_by_field_name("type")
                .filter(|_| has_named_arguments(node))
                .map(|t| type_text(src, t)),
            _ => None,
        };
        if let Some(name) = name.filter(|n| !schema.has_object(n)) {
            found.insert(name.to_ascii_lowercase());
        }
    }
    found
}

/// `new X(Field = value, ...)`.
fn has_named_arguments(creation: Node) -> bool {
    let Some(args) = creation.child_by_field_name("arguments") else {
        return false;
    };
    (0..args.named_child_count())
        .filter_map(|i| args.named_child(i as u32))
        .any(|a| a.kind() == "assignment_expression")
}

/// `Contact` or `Schema.Contact` used as a type (not a variable of that name): the SObject.
fn sobject_token(
    src: &Source,
    decls: &[Declaration],
    is_sobject: &dyn Fn(&str) -> bool,
    object: Node,
) -> Option<String> {
    let text: String = src.text_of(object).split_whitespace().collect();
    let name = text.strip_prefix("Schema.").unwrap_or(&text);
    let is_type = matches!(object.kind(), "identifier" | "field_access")
        && !name.contains('.')
        && is_sobject(name)
        && declared_type(decls, name, object.start_byte()).is_none();
    is_type.then(|| name.to_string())
}

fn check(
    src: &Source,
    schema: &Schema,
    at: Node,
    object: &str,
    field: &str,
    out: &mut Vec<String>,
) {
    let object = object.trim_start_matches("schema.");
    if !schema.has_object(object) {
        out.push(src.at(at, format!(
            "{object}.{field}: object {object} is not in tests/fixtures/sobject-fields/standard-fields.txt: add the fields used, with its Object Reference page in that folder's README"
        )));
    } else if !schema.has_field(object, field) && schema.relationship(object, field).is_none() {
        let object = schema.spelling(object);
        let why = if field.to_ascii_lowercase().ends_with("__c") {
            "no generated field file defines it (objects/".to_string()
                + &object
                + "/fields/"
                + field
                + ".field-meta.xml)"
        } else {
            "not a standard field in the vendored list".to_string()
        };
        out.push(src.at(at, format!("{object}.{field}: {why}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::standard()
            .with_generated_fields(["objects/Contact/fields/Disable_Portal_User__c.field-meta.xml"])
    }

    #[test]
    fn every_sobject_field_of_every_combination_is_standard_or_generated() {
        let (mut found, mut checked) = (Vec::new(), 0);
        for project in crate::apex_checks::matrix() {
            let schema = Schema::standard().with_generated_fields(project.paths());
            for src in &project.sources {
                let (count, problems) = check_file(src, &schema);
                checked += count;
                found.extend(
                    problems
                        .into_iter()
                        .map(|p| format!("{}: {p}", project.name)),
                );
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
        assert!(checked >= 500, "only {checked} field references checked");
    }

    #[test]
    fn misspelt_custom_and_unknown_standard_fields_are_found() {
        let bad = "public with sharing class Bad {
            static void a(List<Contact> contacts, Map<Id, Contact> old) {
                for (Contact contact : contacts) {
                    Boolean flagged = contact.Disable_Portal_Users__c == true;
                    Boolean was = old.get(contact.Id)?.Disable_Portal_User__c;
                    User u = new User(ContactId = contact.Id, Nick = 'x');
                    u.IsPortalEnable = false;
                    String owner = u.Contact.Acount.Name;
                    Lead l = new Lead(Company = 'x');
                    Schema.SObjectField f = Contact.Disable_Portal_Userz__c;
                }
                contacts[0].Bogus__c = 1;
            }
        }";
        let found = problems(&Source::parse("classes/Bad.cls", bad), &schema());
        let expected = [
            "classes/Bad.cls:4: Contact.Disable_Portal_Users__c: no generated field file defines it (objects/Contact/fields/Disable_Portal_Users__c.field-meta.xml)",
            "classes/Bad.cls:6: User.Nick: not a standard field in the vendored list",
            "classes/Bad.cls:7: User.IsPortalEnable: not a standard field in the vendored list",
            "classes/Bad.cls:8: Contact.Acount: not a standard field in the vendored list",
            "classes/Bad.cls:9: Lead.Company: object Lead is not in tests/fixtures/sobject-fields/standard-fields.txt: add the fields used, with its Object Reference page in that folder's README",
            "classes/Bad.cls:10: Contact.Disable_Portal_Userz__c: no generated field file defines it (objects/Contact/fields/Disable_Portal_Userz__c.field-meta.xml)",
            "classes/Bad.cls:12: Contact.Bogus__c: no generated field file defines it (objects/Contact/fields/Bogus__c.field-meta.xml)",
        ];
        assert_eq!(found, expected, "{found:#?}");
    }

    #[test]
    fn standard_generated_and_relationship_fields_pass() {
        let good = "public with sharing class Good {
            static void a(List<Contact> contacts, Map<Id, Contact> old) {
                for (Contact contact : contacts) {
                    Boolean flagged = contact.Disable_Portal_User__c == true;
                    Contact before = old?.get(contact.Id);
                    Boolean was = before?.Disable_Portal_User__c != true;
                    User u = new User(Id = contact.Id, ContactId = contact.Id);
                    u.IsPortalEnabled = false;
                    Id account = u.Contact.AccountId;
                }
                Schema.SObjectType t = Contact.SObjectType;
            }
        }";
        let found = problems(&Source::parse("classes/Good.cls", good), &schema());
        assert!(found.is_empty(), "{found:#?}");
    }
}
