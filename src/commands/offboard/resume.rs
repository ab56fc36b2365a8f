//! `run --resume FILE.csv`: what an earlier record leaves to do.
//!
//! Contacts the record shows finished (every status but `FAILED` and `SENT`) are skipped and
//! their rows kept; `FAILED` ones are sent again; `SENT` ones (a run that died mid-call) are
//! checked in the org first, by the user Id the record holds: a user that shows the change is
//! recorded as done and not sent again. Rows of Contacts not in the list stay as they were.

use std::collections::{HashMap, HashSet};

use super::calls;
use super::lookup;
use super::results::{Record, is_finished, status};
use super::run::State;
use crate::error::Result;
use crate::ids::Id;
use crate::org::Org;

/// The note of a Contact an earlier run left `SENT` and the org shows done.
pub(crate) const NOTE_RESUMED: &str = "an earlier run sent this Contact but recorded no answer; the org shows the user changed, so it was not sent again";

impl State<'_> {
    /// Applies `--resume`: keeps the earlier record, skips the finished Contacts, checks in
    /// the org the ones it left `SENT`, and returns the Contacts still to send.
    pub(super) fn resume(
        &mut self,
        org: &mut Org,
        say: calls::Say,
        ids: &[Id],
        earlier: Vec<Record>,
        json: bool,
    ) -> Result<Vec<Id>> {
        let wanted: HashSet<&Id> = ids.iter().collect();
        let mut last: HashMap<Id, Record> = HashMap::new();
        let mut keep = Vec::new();
        for row in earlier {
            if wanted.contains(&row.contact_id) {
                last.insert(row.contact_id.clone(), row);
            } else {
                // Rows of Contacts not in this list stay in the record as they were.
                keep.push(row);
            }
        }
        let mut check: Vec<(Id, Id)> = Vec::new();
        let mut todo = Vec::new();
        for id in ids {
            match last.get(id) {
                Some(row) if is_finished(&row.status) => {
                    self.resumed += 1;
                    keep.push(row.clone());
                }
                Some(row) if row.status == status::SENT => match &row.user_id {
                    Some(user) => check.push((id.clone(), user.clone())),
                    None => todo.push(id.clone()),
                },
                _ => todo.push(id.clone()),
            }
        }
        if let Some(file) = self.file.as_deref_mut() {
            file.add(&keep);
        }
        if check.is_empty() {
            return Ok(todo);
        }
        let users: Vec<Id> = check.iter().map(|(_, u)| u.clone()).collect();
        let now = lookup::users_by_id(org, self.settings, say, &users)?;
        let mode = self.settings.mode;
        let mut reconciled = Vec::new();
        for (contact, user) in check {
            match now.get(&user) {
                Some(current) if current.is_done(mode) => {
                    let mut record = Record::new(
                        &contact,
                        if mode.is_disable() {
                            status::DISABLED
                        } else {
                            status::DEACTIVATED
                        },
                    );
                    record.user_id = Some(user);
                    record.username = last
                        .get(&contact)
                        .map(|r| r.username.clone())
                        .unwrap_or_default();
                    record.note = NOTE_RESUMED.into();
                    reconciled.push(record);
                }
                _ => todo.push(contact),
            }
        }
        if !reconciled.is_empty() {
            say(&format!(
                "{} Contact{} that an earlier run sent without recording the answer are done in the org",
                reconciled.len(),
                if reconciled.len() == 1 { "" } else { "s" }
            ));
        }
        self.record(&reconciled, json);
        // Keep the list's order for what is sent.
        let order: HashMap<&Id, usize> = ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
        todo.sort_by_key(|id| order.get(id).copied().unwrap_or(usize::MAX));
        Ok(todo)
    }
}
