//! The simulator's `query` and `queryMore` (rest-api reference §2.5): the SOQL subset of
//! `soql.rs` over the org's Contacts and Users, `attributes` on every record, Ids compared
//! through their 18-character form, pages of `page_size` rows with a `nextRecordsUrl`, and the
//! documented errors (`MALFORMED_QUERY`, `INVALID_FIELD`, `INVALID_TYPE`,
//! `INVALID_QUERY_LOCATOR`).

use std::collections::HashSet;

use serde_json::{Value, json};

use super::Recorded;
use super::http::Response;
use super::org::{OrgData, to18};
use super::rest::error;
use super::soql;

pub fn query_param(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned())
}

/// The fields each object has here, with their canonical spelling.
fn fields_of(object: &str) -> Option<(&'static str, &'static [&'static str])> {
    match object.to_ascii_lowercase().as_str() {
        "user" => Some((
            "User",
            &[
                "Id",
                "ContactId",
                "Username",
                "UserType",
                "IsActive",
                "IsPortalEnabled",
            ],
        )),
        "contact" => Some(("Contact", &["Id", "Name"])),
        _ => None,
    }
}

pub fn query(org: &mut OrgData, version: &str, q: Option<&str>, record: &mut Recorded) -> Response {
    let Some(q) = q else {
        record.violations.push("query without q".into());
        return error(400, "MALFORMED_QUERY", "missing q");
    };
    if q.len() > 100_000 {
        return error(400, "MALFORMED_QUERY", "Query is too long");
    }
    let select = match soql::parse(q) {
        Ok(s) => s,
        Err(message) => {
            record
                .violations
                .push(format!("SOQL the simulator does not understand: {message}"));
            return error(400, "MALFORMED_QUERY", &message);
        }
    };
    let Some((object, known)) = fields_of(&select.object) else {
        return error(
            400,
            "INVALID_TYPE",
            &format!("sObject type '{}' is not supported.", select.object),
        );
    };
    let canonical = |field: &str| {
        known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(field))
            .copied()
    };
    let mut fields = Vec::new();
    for field in select
        .fields
        .iter()
        .chain(select.conditions.iter().map(|(f, _)| f))
    {
        match canonical(field) {
            Some(f) => fields.push(f),
            None => {
                return error(
                    400,
                    "INVALID_FIELD",
                    &format!("No such column '{field}' on entity '{object}'."),
                );
            }
        }
    }
    let selected = &fields[..select.fields.len()];
    // Each condition's values, compared through the 18-character form, upper-cased.
    let wanted: Vec<(&str, HashSet<String>)> = select
        .conditions
        .iter()
        .map(|(field, values)| {
            let set = values
                .iter()
                .flat_map(|v| [v.clone(), to18(v).to_ascii_uppercase()])
                .collect();
            (canonical(field).unwrap_or(""), set)
        })
        .collect();
    // Exact first; the normalized form only for values that could differ by case.
    let holds = |value: Option<&str>, set: &HashSet<String>| {
        value.is_some_and(|v| {
            set.contains(v)
                || (v.bytes().any(|b| b.is_ascii_lowercase())
                    && set.contains(&to18(v).to_ascii_uppercase()))
        })
    };
    let rows: Vec<Value> = match object {
        "User" => org
            .users
            .iter()
            .filter(|u| {
                wanted.iter().all(|(field, set)| match *field {
                    "Id" => holds(Some(&u.id), set),
                    "ContactId" => holds(u.contact_id.as_deref(), set),
                    "Username" => set.contains(&u.username.to_ascii_uppercase()),
                    _ => false,
                })
            })
            .map(|u| {
                json!({
                    "Id": u.id, "ContactId": u.contact_id, "Username": u.username,
                    "UserType": u.user_type, "IsActive": u.is_active,
                    "IsPortalEnabled": u.is_portal_enabled,
                })
            })
            .collect(),
        _ => org
            .contacts
            .iter()
            .filter(|c| {
                wanted
                    .iter()
                    .all(|(field, set)| *field == "Id" && holds(Some(c), set))
            })
            .map(|c| json!({ "Id": c, "Name": format!("Contact {c}") }))
            .collect(),
    };
    let records: Vec<Value> = rows
        .iter()
        .map(|row| {
            let id = row.get("Id").and_then(Value::as_str).unwrap_or("");
            let mut out = serde_json::Map::new();
            out.insert(
                "attributes".into(),
                json!({ "type": object, "url": format!("/services/data/v{version}/sobjects/{object}/{id}") }),
            );
            for f in selected {
                out.insert((*f).into(), row.get(*f).cloned().unwrap_or(Value::Null));
            }
            Value::Object(out)
        })
        .collect();
    let locator = format!("01gSIM{:012}", org.cursors.len() + 1);
    org.cursors.insert(locator.clone(), records);
    page(org, version, &locator, 0)
}

pub fn query_more(org: &mut OrgData, version: &str, tail: &str) -> Response {
    let Some((locator, offset)) = tail.rsplit_once('-') else {
        return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    };
    match (org.cursors.contains_key(locator), offset.parse::<usize>()) {
        (true, Ok(offset)) => page(org, version, locator, offset),
        _ => error(400, "INVALID_QUERY_LOCATOR", "invalid query locator"),
    }
}

fn page(org: &OrgData, version: &str, locator: &str, offset: usize) -> Response {
    let all = &org.cursors[locator];
    let end = (offset + org.page_size.max(1)).min(all.len());
    let mut body = json!({
        "totalSize": all.len(),
        "done": end >= all.len(),
        "records": all[offset.min(all.len())..end],
    });
    if end < all.len() {
        body["nextRecordsUrl"] = json!(format!("/services/data/v{version}/query/{locator}-{end}"));
    }
    Response::json(200, body.to_string())
}
