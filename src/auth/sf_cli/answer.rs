//! Reading what one sf CLI command answered: the `--json` envelope on stdout
//! (`{"status": 0, "result": ..., "warnings": [...]}`, or an error with its `name`), checked
//! against the exit code, and the few things taken from it. Lenient in what it reads: a line
//! before the document, a missing field, an older CLI's names.

use serde_json::Value;

use super::process;
use crate::secret::Secret;

/// `connectedStatus` says the refresh failed (the warning says it too; either is enough).
pub(super) fn connection_expired(result: &Value) -> bool {
    result
        .get("connectedStatus")
        .and_then(Value::as_str)
        .is_some_and(|status| {
            let status = status.to_ascii_lowercase();
            status.contains("unable to refresh") || status.contains("refreshtokenautherror")
        })
}

/// `result.accessToken` when it is a token: not missing, not the `[REDACTED] ...` placeholder,
/// and nothing that cannot go in a header.
pub(super) fn usable_token(result: &Value) -> Option<Secret> {
    let token = result.get("accessToken")?.as_str()?.trim();
    let plausible = !token.is_empty()
        && !token.starts_with("[REDACTED")
        && token.len() <= 8192
        && token.bytes().all(|b| b.is_ascii_graphic());
    plausible.then(|| Secret::new(token))
}

/// A successful answer: `status` 0 and exit code 0.
pub(super) struct Answer {
    pub result: Value,
    pub warnings: Vec<String>,
}

impl Answer {
    /// "Unable to refresh auth for org" (`org display` writes it in lower case).
    pub(super) fn refresh_failed(&self) -> bool {
        self.warnings
            .iter()
            .any(|w| w.to_ascii_lowercase().contains("unable to refresh auth"))
    }
}

/// Why an sf command gave no answer.
pub(super) enum Refusal {
    NotInstalled,
    /// Ctrl-C while it ran.
    Interrupted,
    /// The command does not exist in this CLI (oclif exits 127: "... is not a sf command").
    NotACommand,
    /// `NamedOrgNotFoundError` (exit 2), or `NoDefaultEnvError`; sf's first suggestion
    /// ("Did you mean ...?").
    UnknownOrg(Option<String>),
    /// `RefreshTokenAuthError`, `NoAccessTokenError`: it has no usable login for the org.
    Expired,
    /// Anything else, as one line.
    Failed(String),
}

/// The answer of a finished command, or why there is none.
pub(super) fn interpret(shown: &str, output: &process::Output) -> Result<Answer, Refusal> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.code;
    let Some(json) = envelope(&stdout) else {
        if code == Some(127) || stderr.contains("is not a sf command") {
            return Err(Refusal::NotACommand);
        }
        let exit = code.map_or("a signal".to_string(), |c| format!("exit {c}"));
        let said = first_line(&stderr)
            .map(|line| format!(": {line}"))
            .unwrap_or_default();
        return Err(Refusal::Failed(format!(
            "{shown} failed ({exit}) without a JSON answer{said}"
        )));
    };
    let status = json.get("status").and_then(Value::as_i64);
    if code == Some(0) && status == Some(0) {
        return Ok(Answer {
            result: json.get("result").cloned().unwrap_or(Value::Null),
            warnings: json
                .get("warnings")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|w| w.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    let name = json
        .get("name")
        .or_else(|| json.get("code"))
        .and_then(Value::as_str)
        .unwrap_or("");
    // sfdx-core names: `NamedOrgNotFoundError` (older cores: `NamedOrgNotFound`).
    if name.starts_with("NamedOrgNotFound") || name == "NoDefaultEnvError" {
        let suggestion = json
            .get("actions")
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .and_then(Value::as_str)
            .map(one_line);
        return Err(Refusal::UnknownOrg(suggestion));
    }
    if name == "RefreshTokenAuthError" || name == "NoAccessTokenError" {
        return Err(Refusal::Expired);
    }
    let message = json
        .get("message")
        .and_then(Value::as_str)
        .map(one_line)
        .unwrap_or_default();
    let exit = code.map_or("a signal".to_string(), |c| format!("exit {c}"));
    let status = status.map_or(String::new(), |s| format!(", status {s}"));
    let name = if name.is_empty() { "error" } else { name };
    Err(Refusal::Failed(format!(
        "{shown} failed ({exit}{status}): {name}: {message}"
    )))
}

/// The JSON document on stdout: all of it, or from the first line that opens an object (a
/// plugin may print a line before it).
fn envelope(stdout: &str) -> Option<Value> {
    let parse = |text: &str| {
        serde_json::from_str::<Value>(text)
            .ok()
            .filter(Value::is_object)
    };
    parse(stdout.trim()).or_else(|| {
        let start = stdout
            .match_indices('{')
            .map(|(i, _)| i)
            .find(|&i| i == 0 || stdout[..i].ends_with('\n'))?;
        let mut stream = serde_json::Deserializer::from_str(&stdout[start..]).into_iter::<Value>();
        stream.next()?.ok().filter(Value::is_object)
    })
}

/// Whitespace runs (sf messages hold `\n\t`) as one space, at most 300 characters.
pub(super) fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}...", &line[..cut]),
        None => line,
    }
}

/// The first line of stderr that says something, without oclif's ` ›` markers.
fn first_line(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .map(|l| l.trim().trim_start_matches('›').trim())
        .find(|l| !l.is_empty())
        .map(one_line)
}
