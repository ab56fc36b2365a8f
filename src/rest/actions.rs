//! The deployed Invocable action: describe it, call it.
//!
//! `GET /services/data/vNN.0/actions/custom/apex/<Class>` describes the action (its `inputs`
//! and `outputs` by name); `POST` to the same path with `{"inputs": [{…}, …]}` runs it, one
//! invocation per input, all in one transaction. The answer is an array with one
//! `{actionName, errors, isSuccess, outputValues}` per input, in input order; when any input
//! failed the status is 400 **with the same array** (Actions Developer Guide, "Invoking
//! Actions"; real 400 answers carrying successes: rest-api reference §3.3). So a 400 is read as
//! results first, and only a body of `[{errorCode, message}]` is a request-level error.
//!
//! `outputValues` keys for an Apex action returning a class are presumably its
//! `@InvocableVariable` names (UNCONFIRMED): they are read directly, or from the one object
//! value under a single key (as a primitive-list action's `output`).

use serde::Deserialize;
use serde_json::{Map, Value};

use super::Client;
use super::errors;
use crate::http::CallError;
use crate::ids::Id;

/// The input name the generated Request class declares.
pub(crate) const CONTACT_INPUT: &str = "contactId";
/// The output every generated Response carries.
pub(crate) const STATUS_OUTPUT: &str = "status";

/// The path of the action of Apex class `class`.
pub(crate) fn path(client: &Client, class: &str) -> String {
    client.data_path(&format!("actions/custom/apex/{class}"))
}

/// What describe says: the names of the inputs and outputs.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Describe {
    #[serde(default)]
    pub inputs: Vec<Parameter>,
    #[serde(default)]
    pub outputs: Vec<Parameter>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Parameter {
    #[serde(default)]
    pub name: String,
}

impl Describe {
    /// Whether the action takes `name` as an input.
    pub(crate) fn has_input(&self, name: &str) -> bool {
        self.inputs.iter().any(|p| p.name == name)
    }

    /// Whether the action returns `name`; an answer listing no outputs at all does not say.
    pub(crate) fn may_output(&self, name: &str) -> bool {
        self.outputs.is_empty() || self.outputs.iter().any(|p| p.name == name)
    }
}

/// `GET …/actions/custom/apex/<class>`.
pub(crate) fn describe(client: &Client, class: &str) -> Result<Describe, CallError> {
    let text = client.get(&path(client, class))?;
    serde_json::from_str(&text).map_err(|e| CallError::Unreadable(format!("describe answer: {e}")))
}

/// One input's result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ActionResult {
    pub is_success: bool,
    /// `(statusCode, message)` of each error.
    pub errors: Vec<(String, String)>,
    /// The outputs by name.
    pub outputs: Map<String, Value>,
}

impl ActionResult {
    /// An output as text (`null` and missing are "").
    pub(crate) fn output(&self, name: &str) -> &str {
        self.outputs.get(name).and_then(Value::as_str).unwrap_or("")
    }
}

#[derive(Deserialize)]
struct RawResult {
    #[serde(rename = "isSuccess")]
    is_success: bool,
    #[serde(default)]
    errors: Option<Vec<RawError>>,
    #[serde(rename = "outputValues", default)]
    output_values: Option<Value>,
}

#[derive(Deserialize)]
struct RawError {
    #[serde(rename = "statusCode", alias = "errorCode", default)]
    status_code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// `POST …/actions/custom/apex/<class>` with one `{"contactId": …}` input per Contact: one
/// result per input, in order. An answer with another number of results is unreadable.
pub(crate) fn invoke(
    client: &Client,
    class: &str,
    contacts: &[Id],
) -> Result<Vec<ActionResult>, CallError> {
    let inputs: Vec<Value> = contacts
        .iter()
        .map(|id| serde_json::json!({ CONTACT_INPUT: id.as_str() }))
        .collect();
    let body = serde_json::json!({ "inputs": inputs }).to_string();
    let (status, text) = client.post_json(&path(client, class), body)?;
    let results = match serde_json::from_str::<Vec<RawResult>>(&text) {
        Ok(results) => results,
        Err(_) if status == 400 => return Err(errors::classify(status, &text, None)),
        Err(e) => return Err(CallError::Unreadable(format!("action answer: {e}"))),
    };
    if results.len() != contacts.len() {
        return Err(CallError::Unreadable(format!(
            "the action answered {} results for {} inputs",
            results.len(),
            contacts.len()
        )));
    }
    Ok(results.into_iter().map(read_result).collect())
}

fn read_result(raw: RawResult) -> ActionResult {
    let errors = raw
        .errors
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            (
                e.status_code.unwrap_or_else(|| "UNKNOWN_ERROR".into()),
                e.message.unwrap_or_default(),
            )
        })
        .collect();
    let outputs = match raw.output_values {
        Some(Value::Object(map)) if map.contains_key(STATUS_OUTPUT) => map,
        // One key holding the response object (`{"output": {...}}`).
        Some(Value::Object(map)) if map.len() == 1 => match map.into_iter().next() {
            Some((_, Value::Object(inner))) => inner,
            _ => Map::new(),
        },
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    ActionResult {
        is_success: raw.is_success,
        errors,
        outputs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<ActionResult> {
        serde_json::from_str::<Vec<RawResult>>(text)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(read_result)
            .collect()
    }

    #[test]
    fn results_are_read_with_null_or_empty_errors_and_nested_outputs() {
        let results = parse(
            r#"[{"actionName":"a","errors":null,"isSuccess":true,"outputValues":{"status":"DISABLED","userId":"005000000000001AAA"}},
                {"actionName":"a","errors":[],"isSuccess":true,"outputValues":{"output":{"status":"NO_PORTAL_USER"}}},
                {"actionName":"a","errors":[{"statusCode":"UNKNOWN_EXCEPTION","message":"An Apex error occurred","fields":[]}],"isSuccess":false,"outputValues":null}]"#,
        );
        assert_eq!(results[0].output("status"), "DISABLED");
        assert_eq!(results[0].output("userId"), "005000000000001AAA");
        assert_eq!(results[1].output("status"), "NO_PORTAL_USER");
        assert!(!results[2].is_success);
        assert_eq!(
            results[2].errors,
            [(
                "UNKNOWN_EXCEPTION".to_string(),
                "An Apex error occurred".to_string()
            )]
        );
        assert_eq!(results[2].output("status"), "");
    }

    #[test]
    fn describe_checks_names() {
        let d: Describe = serde_json::from_str(
            r#"{"inputs":[{"name":"contactId","type":"ID"},{"name":"runAsync"}],"outputs":[{"name":"status"}],"label":"x"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(d.has_input("contactId") && !d.has_input("ids"));
        assert!(d.may_output("status") && !d.may_output("other"));
        assert!(Describe::default().may_output("status"));
    }
}
