//! What `preview` and `run` show: each Contact's line and the summary on stdout, one JSON
//! document with `--json`, and the progress of `run` on stderr (a bar on a terminal, one line
//! per chunk in CI or when stderr is not a terminal).

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};

use super::chunk::{NOTE_RECONCILED, NOTE_RESENT};
use super::clean;
use super::results::{Record, is_failed, status};
use super::resume::NOTE_RESUMED;
use crate::error::{Error, Result};
use crate::output;
use crate::settings::Mode;

/// Runs a command body; with `--json`, an error before any result becomes the error document
/// (the one line on stderr stays, for people reading CI logs).
pub(crate) fn guard(json: bool, body: impl FnOnce() -> Result<ExitCode>) -> Result<ExitCode> {
    match body() {
        Ok(code) => Ok(code),
        Err(error) if json => {
            output::json_error(&error, None)?;
            output::error_line(&error);
            Ok(ExitCode::from(error.exit_code()))
        }
        Err(error) => Err(error),
    }
}

/// One Contact's line: Contact, status, user, username, error, note.
pub(crate) fn line(record: &Record) -> String {
    let mut text = format!("{}  {:<16}", record.contact_id, record.status);
    if let Some(user) = &record.user_id {
        text.push_str(&format!("  {user}  {}", clean(&record.username)));
    }
    if !record.error_code.is_empty() || !record.error_message.is_empty() {
        text.push_str(&format!(
            "  {}: {}",
            clean(&record.error_code),
            clean(&record.error_message)
        ));
    }
    if !record.note.is_empty() {
        text.push_str(&format!("  ({})", clean(&record.note)));
    }
    let mut text = text.trim_end().to_string();
    text.push('\n');
    text
}

/// The statuses in the order of the summary.
fn order(mode: Mode) -> [&'static str; 6] {
    [
        if mode.is_disable() {
            status::DISABLED
        } else {
            status::DEACTIVATED
        },
        status::ALREADY_INACTIVE,
        status::NO_PORTAL_USER,
        status::SKIPPED_SELF,
        status::QUEUED,
        status::FAILED,
    ]
}

/// What a run did, for the summary and the JSON.
pub(crate) struct Totals<'a> {
    pub mode: Mode,
    /// Every record of this run, in order.
    pub records: &'a [Record],
    /// Contacts skipped because `--resume` showed them finished.
    pub resumed: usize,
    pub chunks: usize,
    pub duplicates: usize,
    pub elapsed: Duration,
}

impl Totals<'_> {
    fn count(&self, wanted: &str) -> usize {
        self.records.iter().filter(|r| r.status == wanted).count()
    }

    /// Records whose outcome was read from the org after a lost answer (never sent again).
    fn reconciled(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.note.starts_with(NOTE_RECONCILED) || r.note == NOTE_RESUMED)
            .count()
    }

    /// Records sent again after a lost answer, once the org showed them unchanged.
    fn resent(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.note.starts_with(NOTE_RESENT))
            .count()
    }

    /// The summary line.
    pub(crate) fn summary(&self) -> String {
        let mut parts: Vec<String> = order(self.mode)
            .iter()
            .filter(|s| self.count(s) > 0)
            .map(|s| format!("{} {s}", self.count(s)))
            .collect();
        let other = self
            .records
            .iter()
            .filter(|r| is_failed(&r.status) && r.status != status::FAILED)
            .count();
        if other > 0 {
            parts.push(format!("{other} with another status"));
        }
        let mut text = format!(
            "Run ({} mode): {} Contact{} in {} chunk{} ({:.1} s): {}",
            self.mode,
            self.records.len(),
            if self.records.len() == 1 { "" } else { "s" },
            self.chunks,
            if self.chunks == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64(),
            if parts.is_empty() {
                "none sent".to_string()
            } else {
                parts.join(", ")
            },
        );
        if self.resumed > 0 {
            text.push_str(&format!("; {} finished earlier, skipped", self.resumed));
        }
        if self.duplicates > 0 {
            text.push_str(&format!("; {} duplicate lines collapsed", self.duplicates));
        }
        if self.reconciled() > 0 {
            text.push_str(&format!(
                "; {} read from the org after a lost answer (not sent again)",
                self.reconciled()
            ));
        }
        if self.resent() > 0 {
            text.push_str(&format!(
                "; {} sent again after the org showed them unchanged",
                self.resent()
            ));
        }
        text.push('.');
        text
    }

    /// The `result` of `--json`.
    pub(crate) fn document(&self, action: &str, results: Option<&str>) -> Value {
        let contacts: Vec<Value> = self
            .records
            .iter()
            .map(|r| {
                json!({
                    "contactId": r.contact_id.as_str(),
                    "userId": r.user_id.as_ref().map(|u| u.as_str()),
                    "username": r.username,
                    "status": r.status,
                    "errorCode": r.error_code,
                    "errorMessage": r.error_message,
                    "at": r.at,
                    "note": r.note,
                })
            })
            .collect();
        let mut summary = serde_json::Map::new();
        summary.insert("contacts".into(), json!(self.records.len()));
        for s in order(self.mode) {
            summary.insert(s.into(), json!(self.count(s)));
        }
        summary.insert("resumed".into(), json!(self.resumed));
        summary.insert("reconciled".into(), json!(self.reconciled()));
        summary.insert("resent".into(), json!(self.resent()));
        summary.insert("chunks".into(), json!(self.chunks));
        summary.insert("duplicates".into(), json!(self.duplicates));
        json!({
            "mode": self.mode.verb(),
            "action": action,
            "resultsFile": results,
            "elapsedSeconds": self.elapsed.as_secs_f64(),
            "summary": summary,
            "contacts": contacts,
        })
    }
}

/// Prints the end of a run: the JSON document (with the error, when there is one), or the
/// summary on stdout and the error line on stderr. Returns the exit code.
pub(crate) fn finish(
    json: bool,
    code: u8,
    document: Value,
    summary: &str,
    error: Option<(&Error, &str)>,
) -> Result<ExitCode> {
    let message = error.map(|(error, detail)| format!("{error}; {detail}"));
    if json {
        let mut doc = json!({ "status": code, "result": document });
        if let (Some((error, _)), Some(message)) = (error, &message) {
            doc["error"] = json!({ "name": error.name(), "message": message });
        }
        output::json(&doc)?;
    } else {
        output::stdout(&format!("{summary}\n"))?;
    }
    if let Some(message) = &message {
        output::error_line(message);
    }
    Ok(ExitCode::from(code))
}

/// The progress of a run on stderr.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `total` Contacts on a terminal; plain lines otherwise.
    pub(crate) fn new(total: usize) -> Progress {
        let bar = crate::report::progress::wants_bar(false).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{bar:30} {pos}/{len} Contacts {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress { bar }
    }

    /// A line that stays.
    pub(crate) fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => output::stderr_line(text),
        }
    }

    /// A chunk ended: the bar moves, or one line in CI.
    pub(crate) fn chunk(&self, number: usize, total: usize, records: &[Record]) {
        match &self.bar {
            Some(bar) => {
                bar.inc(records.len() as u64);
                bar.set_message(format!("chunk {number}/{total}"));
            }
            None => {
                let failed = records.iter().filter(|r| is_failed(&r.status)).count();
                output::stderr_line(&format!(
                    "chunk {number}/{total}: {} Contact{}, {failed} failed",
                    records.len(),
                    if records.len() == 1 { "" } else { "s" },
                ));
            }
        }
    }

    /// Removes the bar before the summary.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
