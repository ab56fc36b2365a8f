//! `portal-disable preview`: what `run` would do for each Contact. Reads only: the running
//! user, the Contacts that exist, and their users.

use std::path::Path;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::lookup::{self, Plan, User};
use super::{clean, connect, start};
use crate::cli::PreviewArgs;
use crate::error::Result;
use crate::ids::Id;
use crate::output;
use crate::report::progress::Progress;
use crate::settings::Mode;

/// One Contact's line of the preview.
pub(crate) struct Entry {
    pub contact: Id,
    pub plan: Plan,
    pub user: Option<User>,
}

/// Runs `preview` in folder `root`.
pub(crate) fn run(root: &Path, args: &PreviewArgs) -> Result<ExitCode> {
    let json = args.list.json;
    super::report::guard(json, || {
        let start = start(root, &args.list)?;
        let progress = Progress::new(false);
        let say = |l: &str| progress.line(l);
        let mut org = connect(start.credentials, &say)?;
        let settings = &start.settings;
        let ids = &start.list.ids;
        let running =
            super::calls::read(&mut org, settings, &say, "reading the running user", |c| {
                c.running_user()
            })?;
        if running.is_none() {
            say("warning: the org did not name the running user; it cannot be marked as skipped");
        }
        let found = lookup::existing(&mut org, settings, &say, ids)?;
        let mut users = lookup::users_of(&mut org, settings, &say, ids)?;
        progress.finish();
        let entries: Vec<Entry> = ids
            .iter()
            .map(|id| {
                let linked = users.remove(id).unwrap_or_default();
                let (plan, user) =
                    lookup::plan(settings.mode, running.as_ref(), found.contains(id), &linked);
                Entry {
                    contact: id.clone(),
                    plan,
                    user: user.cloned(),
                }
            })
            .collect();
        if json {
            output::json(&json!({
                "status": 0,
                "result": document(settings.mode, running.as_ref(), &entries, start.list.duplicates),
            }))?;
        } else {
            output::stdout(&human(settings.mode, &entries, start.list.duplicates))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The plans in the order of the summary.
const ORDER: [Plan; 5] = [
    Plan::Change,
    Plan::AlreadyInactive,
    Plan::NoPortalUser,
    Plan::RunningUser,
    Plan::ContactNotFound,
];

fn count(entries: &[Entry], plan: Plan) -> usize {
    entries.iter().filter(|e| e.plan == plan).count()
}

/// One line per Contact, then the summary.
pub(crate) fn human(mode: Mode, entries: &[Entry], duplicates: usize) -> String {
    let mut out = String::new();
    for e in entries {
        let mut line = format!("{}  {:<22}", e.contact, e.plan.text(mode));
        if let Some(u) = &e.user {
            line.push_str(&format!(
                "  {}  {}  {}  {}, {}",
                u.id,
                clean(&u.username),
                clean(&u.user_type),
                if u.is_active { "active" } else { "inactive" },
                if u.is_portal_enabled {
                    "portal-enabled"
                } else {
                    "portal-disabled"
                }
            ));
            if !u.is_eligible() && e.plan == Plan::NoPortalUser {
                line.push_str("  (not a portal user the Apex changes)");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let parts: Vec<String> = ORDER
        .iter()
        .filter(|p| count(entries, **p) > 0)
        .map(|p| format!("{} {}", count(entries, *p), p.text(mode)))
        .collect();
    out.push_str(&format!(
        "Preview ({mode} mode): {} Contact{}: {}{}. Nothing was changed.\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        parts.join(", "),
        if duplicates > 0 {
            format!(
                " ({duplicates} duplicate line{} collapsed)",
                if duplicates == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        },
    ));
    out
}

/// The `result` of `--json`.
pub(crate) fn document(
    mode: Mode,
    running: Option<&Id>,
    entries: &[Entry],
    duplicates: usize,
) -> Value {
    let contacts: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "contactId": e.contact.as_str(),
                "outcome": e.plan.key(mode),
                "text": e.plan.text(mode),
                "user": e.user.as_ref().map(|u| json!({
                    "id": u.id.as_str(),
                    "username": u.username,
                    "userType": u.user_type,
                    "isActive": u.is_active,
                    "isPortalEnabled": u.is_portal_enabled,
                })),
            })
        })
        .collect();
    let mut summary = serde_json::Map::new();
    summary.insert("contacts".into(), json!(entries.len()));
    for plan in ORDER {
        summary.insert(plan.key(mode).into(), json!(count(entries, plan)));
    }
    summary.insert("duplicates".into(), json!(duplicates));
    json!({
        "mode": mode.verb(),
        "runningUserId": running.map(Id::as_str),
        "summary": summary,
        "contacts": contacts,
    })
}
