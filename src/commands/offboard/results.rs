//! The record of a run: one row per Contact sent, as a CSV file replaced atomically after every
//! chunk (`--results`), and read back by `--resume`.
//!
//! Columns: `contact_id,user_id,username,status,error_code,error_message,at,note`. `status` is
//! the Apex outcome, or `SENT` for the chunk in flight when the file was written: its answer
//! is not recorded yet, so a run that dies mid-call (power cut, `kill -9`) leaves those Contacts
//! marked, and `--resume` checks their users in the org before anything is sent again. `at` is
//! when the outcome was recorded, UTC. Text from the org that a spreadsheet would take for a
//! formula (a leading `=`, `+`, `-`, `@`) gets a leading `'`.
//!
//! The finished rows are serialized once and kept; each write adds the in-flight rows and goes
//! through the one atomic writer, so the file on disk is always a complete, true record.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::contacts::MAX_INPUT;
use crate::error::{Bad, Error, Result};
use crate::fs::{atomic, read};
use crate::ids::Id;

/// The statuses of the generated Apex, and ours.
pub(crate) mod status {
    pub(crate) const DISABLED: &str = "DISABLED";
    pub(crate) const DEACTIVATED: &str = "DEACTIVATED";
    pub(crate) const ALREADY_INACTIVE: &str = "ALREADY_INACTIVE";
    pub(crate) const NO_PORTAL_USER: &str = "NO_PORTAL_USER";
    pub(crate) const SKIPPED_SELF: &str = "SKIPPED_SELF";
    pub(crate) const FAILED: &str = "FAILED";
    pub(crate) const QUEUED: &str = "QUEUED";
    /// Sent, answer not recorded yet.
    pub(crate) const SENT: &str = "SENT";
}

/// Final statuses that are not failures: a Contact that needs nothing more.
pub(crate) fn is_finished(status: &str) -> bool {
    matches!(
        status,
        status::DISABLED
            | status::DEACTIVATED
            | status::ALREADY_INACTIVE
            | status::NO_PORTAL_USER
            | status::SKIPPED_SELF
            | status::QUEUED
    )
}

/// A status that counts as failed: `FAILED`, or one the tool does not know.
pub(crate) fn is_failed(status: &str) -> bool {
    !is_finished(status) && status != status::SENT
}

/// The columns, in order.
pub(crate) const HEADER: [&str; 8] = [
    "contact_id",
    "user_id",
    "username",
    "status",
    "error_code",
    "error_message",
    "at",
    "note",
];

/// One Contact's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub contact_id: Id,
    pub user_id: Option<Id>,
    pub username: String,
    pub status: String,
    pub error_code: String,
    pub error_message: String,
    pub at: String,
    pub note: String,
}

impl Record {
    /// A row for `contact` with `status`, recorded now.
    pub(crate) fn new(contact: &Id, status: &str) -> Record {
        Record {
            contact_id: contact.clone(),
            user_id: None,
            username: String::new(),
            status: status.to_string(),
            error_code: String::new(),
            error_message: String::new(),
            at: utc_now(),
            note: String::new(),
        }
    }

    fn cells(&self) -> [String; 8] {
        [
            self.contact_id.to_string(),
            self.user_id.as_ref().map(Id::to_string).unwrap_or_default(),
            formula_safe(&self.username),
            self.status.clone(),
            formula_safe(&self.error_code),
            formula_safe(&self.error_message),
            self.at.clone(),
            formula_safe(&self.note),
        ]
    }
}

/// A cell a spreadsheet would not run as a formula, with no secret the process holds.
fn formula_safe(text: &str) -> String {
    let text = crate::secret::scrub(text);
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.into_owned()
    }
}

/// The results file being kept.
pub(crate) struct ResultsFile {
    dest: PathBuf,
    shown: PathBuf,
    /// The header and every finished row, serialized.
    finished: Vec<u8>,
}

impl ResultsFile {
    /// A record at `root`/`path`; checked before anything is sent.
    pub(crate) fn new(root: &Path, path: &Path) -> Result<ResultsFile> {
        let dest = root.join(path);
        atomic::check_file_destination(
            &dest,
            path,
            "--results",
            "give a file path such as results.csv",
        )?;
        let mut finished = Vec::new();
        push_row(&mut finished, &HEADER.map(str::to_string));
        Ok(ResultsFile {
            dest,
            shown: path.to_path_buf(),
            finished,
        })
    }

    /// The file as the user named it.
    pub(crate) fn shown(&self) -> &Path {
        &self.shown
    }

    /// Adds finished rows (they are written from now on).
    pub(crate) fn add(&mut self, records: &[Record]) {
        for record in records {
            push_row(&mut self.finished, &record.cells());
        }
    }

    /// Replaces the file: the finished rows, then `in_flight` (marked by their status).
    pub(crate) fn write(&self, in_flight: &[Record]) -> Result<()> {
        let mut tail = Vec::new();
        for record in in_flight {
            push_row(&mut tail, &record.cells());
        }
        if let Some(parent) = self.dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        let mut file = atomic::AtomicFile::create(&self.dest, &self.shown)?;
        file.file()
            .write_all(&self.finished)
            .and_then(|()| file.file().write_all(&tail))
            .map_err(|e| Error::io("write", &self.shown, e))?;
        file.commit()
    }
}

fn push_row(out: &mut Vec<u8>, cells: &[String; 8]) {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a row lost here would show in the tests.
    let _ = writer.write_record(cells);
    if let Ok(bytes) = writer.into_inner() {
        out.extend_from_slice(&bytes);
    }
}

/// Reads the record of an earlier run (`--resume`): every row, in file order.
pub(crate) fn read_resume(root: &Path, path: &Path) -> Result<Vec<Record>> {
    let label = path.display().to_string();
    let bad = |message: String| Error::input(Bad::InvalidContacts, message);
    let bytes = read::bytes(&root.join(path), MAX_INPUT).map_err(|e| match e.into_error(path) {
        Error::Input { kind, message } => Error::input(
            kind,
            format!("--resume {message} (omit --resume on a first run)"),
        ),
        other => other,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| bad(format!("--resume `{label}`: cannot read its header: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(contact_col), Some(status_col)) = (column("contact_id"), column("status")) else {
        return Err(bad(format!(
            "--resume `{label}` is not a results file of `portal-disable run` (it needs the columns contact_id and status); pass the file --results wrote"
        )));
    };
    let get = |record: &csv::StringRecord, name: &str| {
        column(name)
            .and_then(|i| record.get(i))
            .unwrap_or("")
            .trim()
            .trim_start_matches('\'')
            .to_string()
    };
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(format!("--resume `{label}`: {e}")))?;
        let line = record.position().map_or(n as u64 + 2, |p| p.line());
        let cell = record.get(contact_col).unwrap_or("").trim();
        let contact = Id::parse(cell).ok().filter(Id::is_contact).ok_or_else(|| {
            bad(format!(
                "{label}:{line}: `{}` is not a Contact Id; pass the file --results wrote, unedited",
                super::clean(cell)
            ))
        })?;
        let row = Record {
            contact_id: contact,
            user_id: Id::parse(&get(&record, "user_id")).ok(),
            username: get(&record, "username"),
            status: record.get(status_col).unwrap_or("").trim().to_string(),
            error_code: get(&record, "error_code"),
            error_message: get(&record, "error_message"),
            at: get(&record, "at"),
            note: get(&record, "note"),
        };
        rows.push(row);
    }
    Ok(rows)
}

/// Now, as `2026-11-30T14:05:09Z`.
pub(crate) fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc(seconds)
}

/// Seconds since 1970 as an ISO-8601 UTC timestamp (the civil date by Howard Hinnant's
/// algorithm, the inverse of the one in `schedule::age`).
pub(crate) fn utc(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
#[path = "results_tests.rs"]
mod tests;
