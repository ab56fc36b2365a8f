//! Gap (a) of apex-ls: SOQL field names. Every field in every inline SOQL query of the
//! generated Apex (select list, WHERE, ORDER BY, GROUP BY, relationship paths such as
//! `Profile.UserLicense.LicenseDefinitionKey`) exists on the queried object: a standard field
//! of the vendored list, or a custom field a generated field file defines. Dynamic SOQL
//! (`Database.query('...')`) cannot be checked and is refused.

use tree_sitter::Node;

use crate::apex_checks::sobjects::Schema;
use crate::apex_checks::syntax::{Source, ancestor, descendants};

/// What is wrong with the SOQL of one file, as `path:line: message`.
pub fn problems(src: &Source, schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for body in descendants(src.root())
        .into_iter()
        .filter(|n| n.kind() == "soql_query_body")
    {
        let Some(object) = from_object(src, body) else {
            out.push(src.at(body, "a SOQL query without a FROM object"));
            continue;
        };
        if let Err(why) = schema.resolve(&object, &[]) {
            out.push(src.at(body, format!("SOQL on {object}: {why}")));
            continue;
        }
        for field in own_fields(body) {
            let path = field_path(src, field);
            if let Err(why) = schema.resolve(&object, &path) {
                out.push(src.at(
                    field,
                    format!("SOQL on {object}: {}: {why}", path.join(".")),
                ));
            }
        }
    }
    for call in descendants(src.root())
        .into_iter()
        .filter(|n| n.kind() == "method_invocation")
    {
        let name = |field| {
            call.child_by_field_name(field)
                .map(|n| src.text_of(n).to_ascii_lowercase())
                .unwrap_or_default()
        };
        let dynamic = ["query", "countquery", "getquerylocator", "querywithbinds"];
        if name("object") == "database" && dynamic.contains(&name("name").as_str()) {
            let first = call
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0));
            if first.is_none_or(|a| a.kind() != "query_expression") {
                out.push(src.at(
                    call,
                    "dynamic SOQL: its field names cannot be checked; use an inline [SELECT ...] query",
                ));
            }
        }
    }
    out
}

/// The object of the query's FROM clause.
fn from_object(src: &Source, body: Node) -> Option<String> {
    let from = body.child_by_field_name("from_clause")?;
    descendants(from)
        .into_iter()
        .find(|n| n.kind() == "storage_identifier")
        .map(|n| src.text_of(n).trim().to_string())
}

/// The field references of this query, not of its subqueries nor inside bound Apex.
fn own_fields(body: Node) -> Vec<Node> {
    descendants(body)
        .into_iter()
        .filter(|n| n.kind() == "field_identifier")
        .filter(|n| ancestor(*n, &["soql_query_body"]).is_some_and(|b| b.id() == body.id()))
        .filter(|n| ancestor(*n, &["bound_apex_expression"]).is_none())
        .collect()
}

/// `Profile.UserLicense.Name` -> ["Profile", "UserLicense", "Name"].
fn field_path<'s>(src: &'s Source, field: Node) -> Vec<&'s str> {
    descendants(field)
        .into_iter()
        .filter(|n| n.kind() == "identifier")
        .map(|n| src.text_of(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::standard()
            .with_generated_fields(["objects/Contact/fields/Disable_Portal_User__c.field-meta.xml"])
    }

    #[test]
    fn every_soql_field_of_every_combination_exists_on_its_object() {
        let mut checked = 0;
        let mut found = Vec::new();
        for project in crate::apex_checks::matrix() {
            let schema = Schema::standard().with_generated_fields(project.paths());
            for src in &project.sources {
                checked += descendants(src.root())
                    .iter()
                    .filter(|n| n.kind() == "soql_query_body")
                    .count();
                found.extend(
                    problems(src, &schema)
                        .into_iter()
                        .map(|p| format!("{}: {p}", project.name)),
                );
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
        assert!(checked >= 30, "only {checked} queries checked");
    }

    #[test]
    fn unknown_fields_relationships_objects_and_dynamic_soql_are_found() {
        let bad = "public with sharing class Bad {
            void a() {
                List<User> us = [SELECT Id, Nickname__c, ContactId FROM User WHERE Contact.Bogus = 1 WITH USER_MODE];
                List<Profile> ps = [SELECT Id FROM Profile WHERE UserLicence.Name = 'x' WITH SYSTEM_MODE];
                List<Contact> cs = [SELECT Id, Disable_Portal_User__c, Disable_Portal_Users__c FROM Contact WITH USER_MODE];
                Integer n = [SELECT COUNT() FROM Lead WITH USER_MODE];
                List<User> ds = Database.query('SELECT Id FROM User');
            }
        }";
        let found = problems(&Source::parse("classes/Bad.cls", bad), &schema());
        let expected = [
            "classes/Bad.cls:3: SOQL on User: Nickname__c: User has no field Nickname__c (custom fields must be defined by a generated field file)",
            "classes/Bad.cls:3: SOQL on User: Contact.Bogus: Contact has no field Bogus (not a standard field in the vendored list)",
            "classes/Bad.cls:4: SOQL on Profile: UserLicence.Name: Profile has no relationship UserLicence (not a standard field in the vendored list)",
            "classes/Bad.cls:5: SOQL on Contact: Disable_Portal_Users__c: Contact has no field Disable_Portal_Users__c (custom fields must be defined by a generated field file)",
            "classes/Bad.cls:6: SOQL on Lead: object Lead is not in tests/fixtures/sobject-fields/standard-fields.txt: add the fields used, with its Object Reference page in that folder's README",
            "classes/Bad.cls:7: dynamic SOQL: its field names cannot be checked; use an inline [SELECT ...] query",
        ];
        assert_eq!(found, expected, "{found:#?}");
    }

    #[test]
    fn known_fields_in_every_clause_pass() {
        let good = "public with sharing class Good {
            void a(Set<Id> ids) {
                List<User> us = [
                    SELECT Id, ContactId, Contact.AccountId FROM User
                    WHERE ContactId IN :ids AND (IsActive = TRUE OR IsPortalEnabled = TRUE)
                    WITH USER_MODE ORDER BY Contact.AccountId
                ];
                List<Contact> cs = [SELECT Id FROM Contact WHERE Disable_Portal_User__c = TRUE WITH USER_MODE];
            }
        }";
        let found = problems(&Source::parse("classes/Good.cls", good), &schema());
        assert!(found.is_empty(), "{found:#?}");
    }
}
