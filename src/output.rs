//! The one writer of stdout and stderr, and the one builder of `--json` documents.
//!
//! stdout carries results only: a report, a summary, or exactly one JSON document
//! (`{"status": <exit code>, "result": ...}` or `{"status": <exit code>, "error": {...}}`, as
//! the sf CLI shapes it). stderr carries progress, warnings and the one-line error. Neither
//! may panic: `eprintln!` panics when stderr is a closed pipe (`... 2>&1 | head -1`), so
//! stderr writes that fail are dropped, and a closed stdout ends output quietly, as other CLIs
//! do, while the command still exits with its own code.

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};

/// Writes `text` to stdout in one piece. A closed pipe is not an error: the reader left.
pub fn stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("write to", "standard output", e)),
    }
}

/// One line on stderr (progress, a report line); never fails, never panics.
pub fn stderr_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// `portal-disable: warning: ...` on stderr.
pub fn warning(text: &str) {
    stderr_line(&format!("portal-disable: warning: {text}"));
}

/// `portal-disable: error: ...` on stderr: the one line every failed command prints.
pub fn error_line(error: &dyn std::fmt::Display) {
    stderr_line(&format!("portal-disable: error: {error}"));
}

/// A `--json` document on stdout.
pub fn json(value: &impl Serialize) -> Result<()> {
    stdout(&document(value))
}

/// The document's text: pretty, as the sf CLI prints it, and one trailing newline.
pub fn document(value: &impl Serialize) -> String {
    // Our types always serialize; an empty object keeps stdout valid JSON all the same.
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string()) + "\n"
}

/// The error document: `{"status": <exit code>, "error": {"name", "message", "jobId"?}}`.
pub fn error_document(
    status: u8,
    name: &str,
    message: &str,
    job_id: Option<&str>,
) -> serde_json::Value {
    let mut error = serde_json::json!({ "name": name, "message": message });
    if let Some(id) = job_id {
        error["jobId"] = serde_json::json!(id);
    }
    serde_json::json!({ "status": status, "error": error })
}

/// Prints `error` as the one JSON document of a `--json` command.
pub fn json_error(error: &Error, job_id: Option<&str>) -> Result<()> {
    json(&error_document(
        error.exit_code(),
        error.name(),
        &error.to_string(),
        job_id,
    ))
}
