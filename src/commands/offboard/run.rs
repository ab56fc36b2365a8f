//! `portal-disable run`: the deployed Invocable action over a list of Contacts, in chunks,
//! with a true record.
//!
//! Order: every input checked (settings, list, `--resume`, `--results` path, credentials);
//! the org; the action described (it must exist and take `contactId`); Contacts an earlier run
//! left `SENT` checked in the org; then per chunk: its users read, the record written with the
//! chunk marked `SENT`, one action call ([`chunk::send`]), the record written with its
//! outcomes. The users of the next chunk are read before a chunk is sent, so each write comes
//! right after an answer. Sequential: one call at a time stays far from the org's concurrency
//! limits (rest-api reference §7).

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::chunk::{self, Sent};
use super::lookup::{self, User};
use super::report::{self, Progress, Totals};
use super::results::{self, Record, ResultsFile, is_failed, status};
use super::{Start, calls, connect, start};
use crate::cli::RunArgs;
use crate::error::{Bad, Error, Result};
use crate::exit;
use crate::ids::Id;
use crate::interrupt;
use crate::org::Org;
use crate::output;
use crate::rest::actions;
use crate::settings::Settings;

/// Calls each chunk costs: reading its users and the action call.
const CALLS_PER_CHUNK: u64 = 2;

/// Runs `run` in folder `root`.
pub(crate) fn run(root: &Path, args: &RunArgs) -> Result<ExitCode> {
    report::guard(args.list.json, || {
        let started = Instant::now();
        let Start {
            settings,
            list,
            credentials,
        } = start(root, &args.list)?;
        if !settings.entry_points.invocable {
            return Err(Error::input(
                Bad::Config,
                "the settings generate no Invocable action (entry point `invocable` is off): switch it on in portal-disable.toml, then `portal-disable deploy`",
            ));
        }
        let mut file = args
            .results
            .as_deref()
            .map(|p| ResultsFile::new(root, p))
            .transpose()?;
        let earlier = match args.resume.as_deref() {
            Some(path) => results::read_resume(root, path)?,
            None => Vec::new(),
        };
        let progress = crate::report::progress::Progress::new(false);
        let say = |l: &str| progress.line(l);
        let mut org = connect(credentials, &say)?;
        check_action(&mut org, &settings, &say)?;
        let mut state = State {
            settings: &settings,
            file: file.as_mut(),
            records: Vec::new(),
            resumed: 0,
            chunks: 0,
        };
        let todo = state.resume(&mut org, &say, &list.ids, earlier, args.list.json)?;
        drop(progress);
        let outcome = state.chunks(&mut org, &todo, args.chunk_size, args.list.json);
        let totals = Totals {
            mode: settings.mode,
            records: &state.records,
            resumed: state.resumed,
            chunks: state.chunks,
            duplicates: list.duplicates,
            elapsed: started.elapsed(),
        };
        // Built only for --json: a document of 100,000 Contacts is a few hundred MiB.
        let document = if args.list.json {
            totals.document(
                &settings.names.invocable,
                args.results.as_deref().map(|p| p.to_str().unwrap_or("")),
            )
        } else {
            serde_json::Value::Null
        };
        match outcome {
            Ok(()) => {
                let code = if state.records.iter().any(|r| is_failed(&r.status)) {
                    exit::PARTIAL
                } else {
                    exit::SUCCESS
                };
                report::finish(args.list.json, code, document, &totals.summary(), None)
            }
            Err(stop) => report::finish(
                args.list.json,
                stop.error.exit_code(),
                document,
                &totals.summary(),
                Some((&stop.error, &stop.detail)),
            ),
        }
    })
}

/// The action must be deployed, visible to the user, and the one `generate` writes.
fn check_action(org: &mut Org, settings: &Settings, say: calls::Say) -> Result<()> {
    let class = settings.names.invocable.as_str();
    let deploy_fix =
        "deploy it with `portal-disable deploy` (the same settings: portal-disable.toml)";
    let describe = calls::read(org, settings, say, "describing the Invocable action", |c| {
        actions::describe(c, class)
    })
    .map_err(|e| match e {
        Error::Fault { operation, code, .. } if code == "NOT_FOUND" => Error::Fault {
            operation,
            code,
            message: format!(
                "the org has no Invocable action `{class}`, or the user the tool logs in as has no access to that class: {deploy_fix}, and assign the permission set `{}` to that user",
                settings.names.permission_set()
            ),
        },
        other => other,
    })?;
    if !describe.has_input(actions::CONTACT_INPUT) || !describe.may_output(actions::STATUS_OUTPUT) {
        return Err(Error::Remote {
            operation: "describing the Invocable action",
            message: format!(
                "the deployed `{class}` does not take `{}` and return `{}` as the generated class does: it is another or an older version; {deploy_fix}",
                actions::CONTACT_INPUT,
                actions::STATUS_OUTPUT
            ),
        });
    }
    Ok(())
}

/// What the run has done so far.
pub(super) struct State<'a> {
    pub(super) settings: &'a Settings,
    pub(super) file: Option<&'a mut ResultsFile>,
    /// This run's records, in order.
    pub(super) records: Vec<Record>,
    pub(super) resumed: usize,
    pub(super) chunks: usize,
}

impl State<'_> {
    /// Records outcomes: kept for the summary, added to the file, printed as lines.
    pub(super) fn record(&mut self, records: &[Record], json: bool) {
        if let Some(file) = self.file.as_deref_mut() {
            file.add(records);
        }
        if !json && !records.is_empty() {
            let text: String = records.iter().map(report::line).collect();
            let _ = output::stdout(&text);
        }
        self.records.extend_from_slice(records);
    }

    /// Replaces the results file with the finished rows and `in_flight`.
    fn write(&self, in_flight: &[Record]) -> Result<()> {
        match &self.file {
            Some(file) => file.write(in_flight),
            None => Ok(()),
        }
    }

    /// Sends `todo` in chunks of `size`. An error stops the run with the record written.
    fn chunks(
        &mut self,
        org: &mut Org,
        todo: &[Id],
        size: usize,
        json: bool,
    ) -> std::result::Result<(), Stop> {
        let chunks: Vec<&[Id]> = todo.chunks(size).collect();
        let total = chunks.len();
        let progress = Progress::new(todo.len());
        let say = |l: &str| progress.line(l);
        let describe = |k: usize| {
            let first = k * size + 1;
            format!(
                "chunk {} of {total} (Contacts {first} to {} of those to send)",
                k + 1,
                first + chunks[k].len() - 1
            )
        };
        let mut next = match chunks.first() {
            Some(first) => self.before(org, &say, first).map_err(|e| {
                with_detail(
                    e,
                    &format!("{} was not sent", describe(0)),
                    self.file.as_deref(),
                )
            })?,
            None => HashMap::new(),
        };
        if let Some(first) = chunks.first() {
            self.write(&sent(first, &next))
                .map_err(|e| with_detail(e, &format!("{} was not sent", describe(0)), None))?;
        }
        for (k, contacts) in chunks.iter().enumerate() {
            let before = std::mem::take(&mut next);
            let stop = |this: &Self, error: Error, what: String| {
                let _ = this.write(&[]);
                Err(with_detail(error, &what, this.file.as_deref()))
            };
            if interrupt::interrupted() {
                return stop(
                    self,
                    Error::Interrupted { canceled: false },
                    format!("{} was not sent", describe(k)),
                );
            }
            if let Some(usage) = org.rest().api_usage()
                && usage.used + CALLS_PER_CHUNK > usage.max
            {
                let error = Error::Remote {
                    operation: "run",
                    message: format!(
                        "the org's API requests for the day are nearly spent ({}/{})",
                        usage.used, usage.max
                    ),
                };
                return stop(
                    self,
                    error,
                    format!(
                        "{} was not sent; run again later with --resume",
                        describe(k)
                    ),
                );
            }
            if let Some(following) = chunks.get(k + 1) {
                next = match self.before(org, &say, following) {
                    Ok(users) => users,
                    Err(error) => {
                        return stop(self, error, format!("{} was not sent", describe(k)));
                    }
                };
            }
            self.chunks += 1;
            match chunk::send(org, self.settings, &say, contacts, &before) {
                Sent::Done(records) => {
                    progress.chunk(k + 1, total, &records);
                    self.record(&records, json);
                    let interrupted = interrupt::interrupted();
                    let in_flight = match chunks.get(k + 1) {
                        Some(following) if !interrupted => sent(following, &next),
                        _ => Vec::new(),
                    };
                    self.write(&in_flight).map_err(|e| {
                        with_detail(
                            e,
                            &format!("{} was answered; its outcomes are on stdout", describe(k)),
                            None,
                        )
                    })?;
                    if interrupted && k + 1 < total {
                        let error = Error::Interrupted { canceled: false };
                        let what = format!(
                            "{} was answered and recorded; {} was not sent",
                            describe(k),
                            describe(k + 1)
                        );
                        return Err(with_detail(error, &what, self.file.as_deref()));
                    }
                }
                Sent::Stopped {
                    records,
                    unknown,
                    error,
                } => {
                    progress.chunk(k + 1, total, &records);
                    self.record(&records, json);
                    let in_flight = sent(&unknown, &before);
                    let _ = self.write(&in_flight);
                    let what = if unknown.is_empty() {
                        format!(
                            "{}: {} recorded, the others not changed",
                            describe(k),
                            records.len()
                        )
                    } else {
                        format!(
                            "{}: {} Contacts were sent but their outcome is unknown (marked SENT; --resume checks them in the org first)",
                            describe(k),
                            unknown.len()
                        )
                    };
                    return Err(with_detail(error, &what, self.file.as_deref()));
                }
            }
        }
        if total == 0 {
            // Nothing left to send: the record still gets what --resume kept and checked.
            self.write(&[])
                .map_err(|e| with_detail(e, "nothing was sent", None))?;
        }
        progress.finish();
        Ok(())
    }

    /// The user the Apex would change, for each Contact of a chunk that has one.
    fn before(&self, org: &mut Org, say: calls::Say, contacts: &[Id]) -> Result<HashMap<Id, User>> {
        let mode = self.settings.mode;
        let users = lookup::users_of(org, self.settings, say, contacts)?;
        Ok(users
            .into_iter()
            .filter_map(|(contact, users)| {
                let user = users
                    .into_iter()
                    .find(|u| u.is_eligible() && !u.is_done(mode))?;
                Some((contact, user))
            })
            .collect())
    }
}

/// `SENT` rows for a chunk in flight.
fn sent(contacts: &[Id], before: &HashMap<Id, User>) -> Vec<Record> {
    contacts
        .iter()
        .map(|contact| {
            let mut record = Record::new(contact, status::SENT);
            if let Some(user) = before.get(contact) {
                record.user_id = Some(user.id.clone());
                record.username = user.username.clone();
            }
            record.note = "sent; no answer recorded yet".into();
            record
        })
        .collect()
}

/// Why a run stopped, where, and where its record is.
pub(crate) struct Stop {
    pub error: Error,
    pub detail: String,
}

/// The stop of `error` with where the run stopped (`what`) and where its record is.
fn with_detail(error: Error, what: &str, file: Option<&ResultsFile>) -> Stop {
    let record = match file {
        Some(file) => format!(
            "the results so far are in `{}`; run again with --resume {} to go on",
            file.shown().display(),
            file.shown().display()
        ),
        None => "the results so far are on stdout (use --results FILE.csv to keep a record)".into(),
    };
    Stop {
        error,
        detail: format!("{what}; {record}"),
    }
}
