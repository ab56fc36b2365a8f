//! The `--json` document: exactly one on stdout, `{"status": <exit code>, "result": ...}` or
//! `{"status": <exit code>, "error": {...}}` (built by `output.rs`), as the sf CLI shapes it.
//!
//! The result is the typed `DeployResult` (lists always arrays, numbers and booleans typed)
//! plus the job id and, for a deploy this process followed, the elapsed seconds.

use serde::Serialize;
use serde_json::json;

use crate::metadata::model::DeployResult;

/// A finished (or timed-out) job as a document.
pub fn result(
    status: u8,
    result: &DeployResult,
    elapsed_seconds: Option<f64>,
    validation_id: Option<&str>,
) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        job_id: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        validation_id: Option<&'a str>,
        elapsed_seconds: Option<f64>,
        #[serde(flatten)]
        result: &'a DeployResult,
    }
    document(&Document {
        status,
        result: Body {
            job_id: &result.id,
            validation_id,
            elapsed_seconds,
            result,
        },
    })
}

/// An accepted job (`--async`).
pub fn accepted(id: &str, state: &str, validation_id: Option<&str>) -> String {
    let mut result = json!({ "jobId": id, "id": id, "done": false, "status": state });
    if let Some(validation) = validation_id {
        result["validationId"] = json!(validation);
    }
    document(&Document { status: 0, result })
}

/// `status` first, then the payload, in the order the types declare their fields.
#[derive(Serialize)]
struct Document<T: Serialize> {
    status: u8,
    result: T,
}

fn document(value: &impl Serialize) -> String {
    crate::output::document(value)
}
