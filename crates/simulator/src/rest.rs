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
use super::{Recorded, State, query};

pub fn error(status: u16, code: &str, message: &str) -> Response {
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
        "query" => query::query(
            org,
            version,
            query::query_param(query_string).as_deref(),
            record,
        ),
        "queryMore" => query::query_more(org, version, &tail["query/".len()..]),
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
