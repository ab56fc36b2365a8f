//! The list of Contacts to offboard: a CSV file with a header, or one Id per line.
//!
//! The file is read whole (at most [`MAX_INPUT`] bytes; `-` reads standard input with the same
//! bound) before anything is sent. A first line that has a delimiter (`,`, `;`, tab) or is a
//! known column name is a CSV header, read with quoting rules by the `csv` crate; otherwise every
//! non-blank line is one Id. The Id column is `--id-column`, else the first of `ContactId`,
//! `Contact Id`, `contact_id` and `Id` (case, spaces and underscores ignored). Every Id is
//! checked (form, checksum, the Contact key prefix `003`) and normalized to 18 characters;
//! duplicates are collapsed, first occurrence kept. Any bad line fails the whole list, naming
//! the first [`SHOWN_PROBLEMS`].

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Bad, Error, Result};
use crate::fs::read;
use crate::ids::{self, Id, IdProblem};

/// The largest list read: 64 MiB is about 3 million bare Ids, or 100,000 rows of a wide
/// report export.
pub(crate) const MAX_INPUT: u64 = 64 * 1024 * 1024;
/// How many bad lines an error names.
pub(crate) const SHOWN_PROBLEMS: usize = 10;

/// The checked list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContactList {
    /// Distinct Contact Ids, 18 characters, in file order.
    pub ids: Vec<Id>,
    /// Ids that appeared more than once (each extra occurrence counted).
    pub duplicates: usize,
}

/// Reads `path` (relative to `root`; `-` for standard input).
pub(crate) fn read_list(root: &Path, path: &Path, id_column: Option<&str>) -> Result<ContactList> {
    let (bytes, label) = if path == Path::new("-") {
        let bytes = read::bounded(std::io::stdin().lock(), MAX_INPUT)
            .map_err(|e| e.into_error(Path::new("standard input")))?;
        (bytes, "stdin".to_string())
    } else {
        let bytes = read::bytes(&root.join(path), MAX_INPUT)
            .map_err(|e| prefix_flag(e.into_error(path)))?;
        (bytes, path.display().to_string())
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::input(
            Bad::InvalidContacts,
            format!(
                "--contacts `{label}` is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)"
            ),
        )
    })?;
    parse(&text, &label, id_column)
}

/// Says which flag a read error is about.
fn prefix_flag(error: Error) -> Error {
    match error {
        Error::Input { kind, message } => Error::input(kind, format!("--contacts {message}")),
        other => other,
    }
}

/// Parses the text of a list named `label` in messages.
pub(crate) fn parse(text: &str, label: &str, id_column: Option<&str>) -> Result<ContactList> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let entries = if id_column.is_some() || is_header(first) {
        csv_entries(text, label, id_column)?
    } else {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i as u64 + 1, l.trim().to_string()))
            .collect()
    };
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut list = ContactList {
        ids: Vec::new(),
        duplicates: 0,
    };
    for (line, cell) in &entries {
        match check(cell) {
            Ok(id) if seen.insert(id.clone()) => list.ids.push(id),
            Ok(_) => list.duplicates += 1,
            Err(problem) => problems.push(format!("{label}:{line}: {problem}")),
        }
    }
    if !problems.is_empty() {
        let shown = problems.len().min(SHOWN_PROBLEMS);
        // One line, as every bad input: CI logs and `--json` read one message.
        let head = if problems.len() > shown {
            format!(
                "{} bad lines in --contacts `{label}` (the first {shown}: ",
                problems.len()
            )
        } else {
            format!(
                "{} bad line{} in --contacts `{label}` (",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
            )
        };
        let fix = if problems.len() == 1 { "it" } else { "them" };
        return Err(Error::input(
            Bad::InvalidContacts,
            format!(
                "{head}{}); fix {fix} and run again, nothing was sent",
                problems[..shown].join("; ")
            ),
        ));
    }
    if list.ids.is_empty() {
        return Err(Error::input(
            Bad::InvalidContacts,
            format!("--contacts `{label}` lists no Contacts; give at least one Contact Id"),
        ));
    }
    Ok(list)
}

/// Column names that find the Id column, best first, compared by [`column_key`].
const ID_COLUMNS: [&str; 2] = ["contactid", "id"];

/// A header name without case, spaces, underscores or quotes: `Contact Id` -> `contactid`.
fn column_key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '"' | '\''))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first line is a CSV header: it has a delimiter or is a known column name.
fn is_header(line: &str) -> bool {
    line.contains([',', ';', '\t']) || ID_COLUMNS.contains(&column_key(line.trim()).as_str())
}

/// The delimiter of a header line: the first of `,`, `;`, tab it contains.
fn delimiter(header: &str) -> u8 {
    header
        .bytes()
        .find(|b| matches!(b, b',' | b';' | b'\t'))
        .unwrap_or(b',')
}

/// `(line, cell)` of the Id column in every record.
fn csv_entries(text: &str, label: &str, id_column: Option<&str>) -> Result<Vec<(u64, String)>> {
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(header_line))
        .flexible(true)
        .from_reader(text.as_bytes());
    let bad = |message: String| Error::input(Bad::InvalidContacts, message);
    let headers = reader
        .headers()
        .map_err(|e| bad(format!("--contacts `{label}`: cannot read its header: {e}")))?
        .clone();
    let names: Vec<String> = headers.iter().map(column_key).collect();
    let column = match id_column {
        Some(wanted) => names.iter().position(|n| *n == column_key(wanted)),
        None => ID_COLUMNS
            .iter()
            .find_map(|want| names.iter().position(|n| n == want)),
    };
    let Some(column) = column else {
        let listed: Vec<String> = headers
            .iter()
            .take(12)
            .map(|h| format!("`{}`", shown(h)))
            .collect();
        let fix = match id_column {
            Some(wanted) => format!("there is no column `{}`", shown(wanted)),
            None => "no column is named ContactId, Contact Id or Id".to_string(),
        };
        return Err(bad(format!(
            "--contacts `{label}`: {fix} (the header has {}); rename the column or pass --id-column NAME",
            listed.join(", ")
        )));
    };
    let mut entries = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                let cell = record.get(column).unwrap_or("").trim().to_string();
                // A row that is only delimiters (Excel's trailing rows) is blank.
                if cell.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                entries.push((line, cell));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(bad(format!(
                    "{label}:{line}: not readable as CSV ({}); fix the quoting",
                    e.kind_message()
                )));
            }
        }
    }
    Ok(entries)
}

trait KindMessage {
    fn kind_message(&self) -> String;
}

impl KindMessage for csv::Error {
    fn kind_message(&self) -> String {
        match self.kind() {
            csv::ErrorKind::Utf8 { .. } => "not UTF-8".into(),
            _ => "malformed record".into(),
        }
    }
}

/// Checks one cell: an Id, of a Contact.
fn check(cell: &str) -> std::result::Result<Id, String> {
    if cell.is_empty() {
        return Err("empty Contact Id".into());
    }
    let id = Id::parse(cell).map_err(|problem| match problem {
        IdProblem::Form => format!(
            "`{}` is not a Salesforce Id (15 or 18 letters and digits)",
            shown(cell)
        ),
        IdProblem::Checksum => format!(
            "`{}` has a wrong checksum (its last 3 characters do not fit the first 15); copy the Id from Salesforce again",
            shown(cell)
        ),
    })?;
    if id.is_contact() {
        return Ok(id);
    }
    Err(match ids::object_of_prefix(id.prefix()) {
        Some(object) => format!("`{}` is {object} Id, not a Contact Id", shown(cell)),
        None => format!(
            "`{}` is not a Contact Id (Contact Ids start with {})",
            shown(cell),
            ids::CONTACT_PREFIX
        ),
    })
}

/// A cell as shown in a message: at most 40 characters, control characters escaped.
fn shown(cell: &str) -> String {
    let mut out: String = cell
        .chars()
        .take(40)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if cell.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
#[path = "contacts_tests.rs"]
mod tests;
