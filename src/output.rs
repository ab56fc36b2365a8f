//! The one writer of stdout and stderr, and the one builder of `--json` documents.
//!
//! stdout carries results only: a report, a summary, or exactly one JSON document
//! (`{"status": <exit code>, "result": ...}` or `{"status": <exit code>, "error": {...}}`, as
//! the sf CLI shapes it). stderr carries progress, warnings and the one-line error. Neither
//! may panic: `eprintln!` panics when stderr is a closed pipe (`... 2>&1 | head -1`), so
//! stderr writes that fail are dropped, and a closed stdout ends output quietly, as other CLIs
//! do, while the command still exits with its own code.
//!
//! Everything printed or written as a report passes through [`clean`] (text for people) or
//! [`secret::scrub`] (JSON, whose strings serde escapes): no secret value the process holds
//! survives, control characters from the org (ANSI and OSC escapes, carriage returns) are
//! shown escaped, and a line from the org cannot start a CI runner's command (`::error::`,
//! `##vso[`).

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::secret;

/// Text for people, safe to print: secrets scrubbed, control characters other than newline
/// and tab escaped (`\u{1b}`), and a line that a CI runner would take for a command (`::`
/// for GitHub Actions, `##vso[` or `##[` for Azure Pipelines) escaped with a backslash.
pub(crate) fn clean(text: &str) -> String {
    let scrubbed = secret::scrub(text);
    let mut out = String::with_capacity(scrubbed.len());
    for (n, line) in scrubbed.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        // GitHub Actions (`::error::`) and Azure Pipelines (`##vso[`, `##[`) read commands
        // from the start of a line of the log.
        let start = line.trim_start();
        if start.starts_with("::") || start.starts_with("##vso[") || start.starts_with("##[") {
            out.push('\\');
        }
        for c in line.chars() {
            if c.is_control() && c != '\t' {
                out.push_str(&c.escape_unicode().to_string());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Writes human text to stdout in one piece ([`clean`]ed). A closed pipe is not an error:
/// the reader left.
pub(crate) fn stdout(text: &str) -> Result<()> {
    raw_stdout(&clean(text))
}

fn raw_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("write to", "standard output", e)),
    }
}

/// One line on stderr (progress, a report line), [`clean`]ed; never fails, never panics.
pub(crate) fn stderr_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", clean(text));
}

/// `portal-disable: warning: ...` on stderr.
pub(crate) fn warning(text: &str) {
    stderr_line(&format!("portal-disable: warning: {text}"));
}

/// `portal-disable: error: ...` on stderr: the one line every failed command prints.
pub(crate) fn error_line(error: &dyn std::fmt::Display) {
    stderr_line(&format!("portal-disable: error: {error}"));
}

/// A `--json` document on stdout.
pub(crate) fn json(value: &impl Serialize) -> Result<()> {
    raw_stdout(&document(value))
}

/// A document already rendered (and so already scrubbed) by [`document`] on stdout.
pub(crate) fn json_text(text: &str) -> Result<()> {
    raw_stdout(text)
}

/// The document's text: pretty, as the sf CLI prints it, one trailing newline, secrets
/// scrubbed (serde escapes every control character in strings).
pub(crate) fn document(value: &impl Serialize) -> String {
    // Our types always serialize; an empty object keeps stdout valid JSON all the same.
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string()) + "\n";
    secret::scrub(&text).into_owned()
}

/// The error document: `{"status": <exit code>, "error": {"name", "message", "jobId"?}}`.
pub(crate) fn error_document(
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
pub(crate) fn json_error(error: &Error, job_id: Option<&str>) -> Result<()> {
    json(&error_document(
        error.exit_code(),
        error.name(),
        &error.to_string(),
        job_id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_text_cannot_drive_a_terminal_or_a_ci_runner() {
        assert_eq!(clean("plain\ttext\nnext"), "plain\ttext\nnext");
        assert_eq!(clean("red \u{1b}[31mtext"), "red \\u{1b}[31mtext");
        assert_eq!(
            clean("title \u{1b}]0;pwned\u{7}"),
            "title \\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(clean("a\r\nb"), "a\\u{d}\nb");
        assert_eq!(
            clean("problem\n::error::fake annotation\n  ::set-output x"),
            "problem\n\\::error::fake annotation\n\\  ::set-output x"
        );
        assert_eq!(
            clean("a\n##vso[task.setvariable variable=x]1\n##[error]no"),
            "a\n\\##vso[task.setvariable variable=x]1\n\\##[error]no"
        );
    }
}
