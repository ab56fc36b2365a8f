//! The REST endpoints behind `preview` and `run` (rest-api reference §8): Resources by
//! Version (with `identity`), `query` with `nextRecordsUrl` paging, and the Invocable action's
//! describe and invoke, over the org data of `org.rs`.
//!
//! Strict in what it writes: the documented shapes, errors as `[{"message", "errorCode"}]`,
//! `Sforce-Limit-Info` on every answer, 400 with the full result array when an input failed.
//! Lenient in what it reads (a trailing `/query/`, any case of SOQL keywords), and it checks
//! what it receives, noting violations: the Bearer header, the URI length (414/431 beyond
//! 16,384 bytes), JSON bodies with `inputs` of `contactId`, the action's name. Requests are
//! parsed with serde_json and `soql.rs`, never with the client's code.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::http::{Request, Response, Wire};
use super::org::{OrgData, RestFault, to18};
use super::{Recorded, State, soql};

fn error(status: u16, code: &str, message: &str) -> Response {
    Response::json(
        status,
        json!([{ "message": message, "errorCode": code }]).to_string(),
    )
}

fn not_found() -> Response {
    error(404, "NOT_FOUND", "The requested resource does not exist")
}

/// Answers one request under `/services/data/vNN.0/`.
pub fn route(state: &mut State, request: &Request, record: &mut Recorded) -> Response {
    let uri = request.path.len();
    let headers: usize = request
        .headers
        .iter()
        .map(|(k, v)| k.len() + v.len() + 4)
        .sum();
    if uri > 16_384 {
        record.operation = "uri".into();
        record.violations.push(format!("URI of {uri} bytes"));
        return Response::html(414, "");
    }
    if uri + headers > 16_384 {
        record.operation = "uri".into();
        record
            .violations
            .push(format!("URI and headers of {} bytes", uri + headers));
        return Response::html(431, "");
    }
    let (path, query_string) = request.path.split_once('?').unwrap_or((&request.path, ""));
    let Some(rest) = path.strip_prefix("/services/data/v") else {
        return not_found();
    };
    let (version, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let operation: &'static str = match (request.method.as_str(), tail) {
        ("GET", "") => "resources",
        ("GET", "query" | "query/") => "query",
        ("GET", t) if t.starts_with("query/") => "queryMore",
        ("GET", t) if t.starts_with("actions/custom/apex/") => "describe",
        ("POST", t) if t.starts_with("actions/custom/apex/") => "invoke",
        _ => return not_found(),
    };
    record.operation = operation.into();
    let token = request
        .header("Authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::to_string);
    if token.is_none() {
        record
            .violations
            .push("no `Authorization: Bearer` header".into());
    }
    let token = token.unwrap_or_default();
    record.session = Some(token.clone());
    let State {
        sessions,
        org,
        base_url,
        ..
    } = state;
    if !sessions.is_valid(&token) || org.revoked.contains(&token) || token.starts_with("[REDACTED]")
    {
        return error(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }
    org.api_usage.0 += 1;
    let limit = format!("api-usage={}/{}", org.api_usage.0, org.api_usage.1);
    if org.api_usage.0 > org.api_usage.1 {
        return error(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        )
        .with_header("Sforce-Limit-Info", limit);
    }
    let fault = org.take_fault(operation);
    let before = match &fault {
        Some(RestFault::Error {
            status,
            code,
            retry_after,
        }) => Some({
            let response = error(*status, code, "injected by the simulator");
            match retry_after {
                Some(s) => response.with_header("Retry-After", s.to_string()),
                None => response,
            }
        }),
        Some(RestFault::Html(status)) => Some(Response::html(
            *status,
            "<html><body><h1>Service Unavailable</h1></body></html>",
        )),
        _ => None,
    };
    if let Some(response) = before {
        return response.with_header("Sforce-Limit-Info", limit);
    }
    let class = tail.strip_prefix("actions/custom/apex/").unwrap_or("");
    let real = match operation {
        "resources" => resources(base_url, version, &org.running_user),
        "query" => query(org, version, query_param(query_string).as_deref(), record),
        "queryMore" => query_more(org, version, &tail["query/".len()..]),
        "describe" => describe(org, class),
        _ => {
            let exception = matches!(fault, Some(RestFault::ApexException));
            let response = invoke(org, class, request, record, exception);
            if response.status < 500 && org.action.as_deref() == Some(class) {
                org.answered_invokes += 1;
                if org.expire_after_invokes == Some(org.answered_invokes) {
                    org.revoked.insert(token.clone());
                }
            }
            response
        }
    };
    let real = real.with_header("Sforce-Limit-Info", limit);
    match fault {
        Some(RestFault::LostAfterCommit) => real.on_wire(Wire::Close),
        Some(RestFault::CutAfterCommit) => {
            let half = real.body.len() / 2;
            real.on_wire(Wire::CutAfter(half))
        }
        Some(RestFault::SlowAfterCommit(pause)) => real.on_wire(Wire::Delay(pause)),
        Some(RestFault::PageAfterCommit(status)) => {
            Response::html(status, "<html><body>Gateway Timeout</body></html>")
        }
        _ => real,
    }
}

fn query_param(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned())
}

fn resources(base: &str, version: &str, running_user: &str) -> Response {
    let v = |name: &str| format!("/services/data/v{version}/{name}");
    Response::json(
        200,
        json!({
            "tooling": v("tooling"),
            "metadata": v("metadata"),
            "query": v("query"),
            "queryAll": v("queryAll"),
            "sobjects": v("sobjects"),
            "actions": v("actions"),
            "identity": format!("{base}/id/00D000000000001AAA/{running_user}"),
            "limits": v("limits"),
        })
        .to_string(),
    )
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

fn query(org: &mut OrgData, version: &str, q: Option<&str>, record: &mut Recorded) -> Response {
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

fn query_more(org: &mut OrgData, version: &str, tail: &str) -> Response {
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

fn describe(org: &OrgData, class: &str) -> Response {
    if org.action.as_deref() != Some(class) || !org.class_access {
        return not_found();
    }
    let input = |name: &str| {
        json!({ "byteLength": 0, "description": null, "label": name, "maxOccurs": 1, "name": name,
                "picklistValues": null, "required": name == "contactId", "sobjectType": null,
                "type": if name == "runAsync" { "BOOLEAN" } else { "ID" } })
    };
    let outputs: Vec<Value> = [
        "status",
        "userId",
        "username",
        "errorCode",
        "errorMessage",
        "jobId",
    ]
    .iter()
    .map(|n| json!({ "name": n, "label": n, "type": "STRING", "description": null }))
    .collect();
    Response::json(
        200,
        json!({
            "category": "Portal Users", "description": "Disables portal users", "label": "Disable Portal Users",
            "name": class, "standard": false, "type": "APEX", "targetEntityName": null,
            "inputs": org.action_inputs.iter().map(|n| input(n)).collect::<Vec<_>>(),
            "outputs": outputs,
        })
        .to_string(),
    )
}

fn invoke(
    org: &mut OrgData,
    class: &str,
    request: &Request,
    record: &mut Recorded,
    exception: bool,
) -> Response {
    if org.action.as_deref() != Some(class) || !org.class_access {
        return not_found();
    }
    if !request
        .header("Content-Type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"))
    {
        record
            .violations
            .push("action call without Content-Type: application/json".into());
    }
    let body: Value = match serde_json::from_slice(&request.body) {
        Ok(v) => v,
        Err(e) => {
            record
                .violations
                .push(format!("action body is not JSON: {e}"));
            return error(
                400,
                "JSON_PARSER_ERROR",
                "The request body is not valid JSON",
            );
        }
    };
    let Some(inputs) = body.get("inputs").and_then(Value::as_array) else {
        record
            .violations
            .push("action body without an `inputs` array".into());
        return error(400, "JSON_PARSER_ERROR", "Missing inputs");
    };
    let mut contacts = Vec::new();
    for input in inputs {
        let keys_ok = input
            .as_object()
            .is_some_and(|o| o.keys().all(|k| k == "contactId" || k == "runAsync"));
        match input.get("contactId").and_then(Value::as_str) {
            Some(id) if keys_ok => contacts.push(to18(id)),
            _ => {
                record
                    .violations
                    .push(format!("action input {input} is not {{\"contactId\": …}}"));
                return error(400, "INVALID_INPUT", "each input needs a contactId");
            }
        }
    }
    let action_name = if org.disable {
        "disablePortalUsers"
    } else {
        "deactivatePortalUsers"
    };
    let failure = |message: &str| {
        json!({ "actionName": action_name, "errors": [{ "statusCode": "UNKNOWN_EXCEPTION",
                "message": message, "fields": [] }], "isSuccess": false, "outputValues": null })
    };
    if exception || contacts.len() > 10_000 {
        let message = if exception {
            "An Apex error occurred: System.NullPointerException: Attempt to de-reference a null object"
        } else {
            "An Apex error occurred: PortalUserDisabler.TooManyContactsException: too many Contacts"
        };
        let all: Vec<Value> = contacts.iter().map(|_| failure(message)).collect();
        return Response::json(400, Value::Array(all).to_string());
    }
    org.invocations.push(contacts.clone());
    // The Apex's one query: the eligible users of these Contacts.
    let asked: HashSet<&String> = contacts.iter().collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, user) in org.users.iter().enumerate() {
        if let Some(contact) = user.contact_id.as_ref().filter(|c| asked.contains(c))
            && user.is_eligible()
        {
            index.entry(contact.clone()).or_insert(i);
        }
    }
    let mut results = Vec::new();
    for contact in &contacts {
        if org.input_errors.contains(contact) {
            results.push(failure(
                "An Apex error occurred: System.DmlException: row lock",
            ));
            continue;
        }
        results.push(apply(org, index.get(contact).copied(), action_name));
    }
    let status = if results.iter().all(|r| r["isSuccess"] == json!(true)) {
        200
    } else {
        400
    };
    Response::json(status, Value::Array(results).to_string())
}

/// The Apex on one Contact, with Salesforce's side effects.
fn apply(org: &mut OrgData, user: Option<usize>, action_name: &str) -> Value {
    let (mut status, mut user_id, mut username) = ("NO_PORTAL_USER", Value::Null, Value::Null);
    let (mut code, mut message) = (Value::Null, Value::Null);
    if let Some(index) = user {
        let running = org.running_user.clone();
        let disable = org.disable;
        let failing = org.failing_users.contains(&org.users[index].id);
        let user = &mut org.users[index];
        user_id = json!(user.id);
        username = json!(user.username);
        status = if user.id == running {
            "SKIPPED_SELF"
        } else if !disable && !user.is_active {
            "ALREADY_INACTIVE"
        } else if failing {
            code = json!("FIELD_CUSTOM_VALIDATION_EXCEPTION");
            message = json!("VIP portal users cannot be offboarded");
            "FAILED"
        } else if disable {
            // Salesforce: portal off, then inactive, Contact link cleared, username renamed.
            user.is_portal_enabled = false;
            user.is_active = false;
            user.contact_id = None;
            user.username = format!("{}.disabled", user.username);
            "DISABLED"
        } else {
            user.is_active = false;
            "DEACTIVATED"
        };
    }
    json!({
        "actionName": action_name, "errors": [], "isSuccess": true,
        "outputValues": { "status": status, "userId": user_id, "username": username,
                          "errorCode": code, "errorMessage": message, "jobId": null },
    })
}
