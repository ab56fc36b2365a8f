//! The users of Contacts, found the way the generated Apex finds them, and what it will do
//! with each.
//!
//! A Contact has no "is portal user" field; its user is the `User` whose `ContactId` it is
//! (rest-api reference §2.4). The Apex acts on users whose `UserType` is one of
//! [`PORTAL_TYPES`] and that are still active or portal-enabled, never on the running user;
//! in deactivate mode an inactive one is `ALREADY_INACTIVE`. Filtering is done here, not in
//! SOQL, so `preview` can show a linked user the Apex leaves alone. A disabled user's
//! `ContactId` is cleared, so it shows as "no portal user" from then on.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::calls::{self, Say};
use crate::error::Result;
use crate::ids::Id;
use crate::org::Org;
use crate::rest::query;
use crate::settings::{Mode, Settings};

/// `User.UserType` values the generated Apex treats as portal users (its
/// `PORTAL_USER_TYPES`).
pub(crate) const PORTAL_TYPES: [&str; 4] = [
    "PowerPartner",
    "PowerCustomerSuccess",
    "CustomerSuccess",
    "CspLitePortal",
];

/// The fields read for each user.
const USER_FIELDS: &str = "Id, ContactId, Username, UserType, IsActive, IsPortalEnabled";

/// A user as the org shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct User {
    pub id: Id,
    pub contact_id: Option<Id>,
    pub username: String,
    pub user_type: String,
    pub is_active: bool,
    pub is_portal_enabled: bool,
}

impl User {
    fn from_record(record: &Value) -> Option<User> {
        Some(User {
            id: query::id(record, "Id")?,
            contact_id: query::id(record, "ContactId"),
            username: query::text(record, "Username").to_string(),
            user_type: query::text(record, "UserType").to_string(),
            is_active: query::flag(record, "IsActive"),
            is_portal_enabled: query::flag(record, "IsPortalEnabled"),
        })
    }

    /// A user the Apex would update or report on: a portal type, active or portal-enabled.
    pub(crate) fn is_eligible(&self) -> bool {
        PORTAL_TYPES.contains(&self.user_type.as_str())
            && (self.is_active || self.is_portal_enabled)
    }

    /// The user shows the mode's change: portal access off (disable), or inactive.
    pub(crate) fn is_done(&self, mode: Mode) -> bool {
        match mode {
            Mode::Disable => !self.is_portal_enabled,
            Mode::Deactivate => !self.is_active,
        }
    }
}

/// What `run` will do for one Contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    Change,
    AlreadyInactive,
    NoPortalUser,
    RunningUser,
    ContactNotFound,
}

impl Plan {
    /// The words of `preview`.
    pub(crate) fn text(self, mode: Mode) -> &'static str {
        match self {
            Plan::Change if mode.is_disable() => "will disable",
            Plan::Change => "will deactivate",
            Plan::AlreadyInactive => "already inactive",
            Plan::NoPortalUser => "no portal user",
            Plan::RunningUser => "running user: skipped",
            Plan::ContactNotFound => "Contact not found",
        }
    }

    /// The machine name in `--json`: the Apex status it will end in.
    pub(crate) fn key(self, mode: Mode) -> &'static str {
        match self {
            Plan::Change if mode.is_disable() => "WILL_DISABLE",
            Plan::Change => "WILL_DEACTIVATE",
            Plan::AlreadyInactive => "ALREADY_INACTIVE",
            Plan::NoPortalUser => "NO_PORTAL_USER",
            Plan::RunningUser => "SKIPPED_SELF",
            Plan::ContactNotFound => "CONTACT_NOT_FOUND",
        }
    }
}

/// The user the Apex acts on for a Contact, or another linked user to show, and the plan.
pub(crate) fn plan<'a>(
    mode: Mode,
    running_user: Option<&Id>,
    found: bool,
    users: &'a [User],
) -> (Plan, Option<&'a User>) {
    if !found {
        return (Plan::ContactNotFound, users.first());
    }
    let Some(user) = users.iter().find(|u| u.is_eligible()) else {
        return (Plan::NoPortalUser, users.first());
    };
    let plan = if Some(&user.id) == running_user {
        Plan::RunningUser
    } else if mode == Mode::Deactivate && !user.is_active {
        Plan::AlreadyInactive
    } else {
        Plan::Change
    };
    (plan, Some(user))
}

/// The users linked to each of `contacts`.
pub(crate) fn users_of(
    org: &mut Org,
    settings: &Settings,
    say: Say,
    contacts: &[Id],
) -> Result<HashMap<Id, Vec<User>>> {
    let soqls = query::in_batches(org.rest(), USER_FIELDS, "User", "ContactId", contacts);
    let mut by_contact: HashMap<Id, Vec<User>> = HashMap::new();
    for user in calls::records(org, settings, say, &soqls)?
        .iter()
        .filter_map(User::from_record)
    {
        if let Some(contact) = user.contact_id.clone() {
            by_contact.entry(contact).or_default().push(user);
        }
    }
    Ok(by_contact)
}

/// The users with these Ids, as they are now.
pub(crate) fn users_by_id(
    org: &mut Org,
    settings: &Settings,
    say: Say,
    ids: &[Id],
) -> Result<HashMap<Id, User>> {
    let soqls = query::in_batches(org.rest(), USER_FIELDS, "User", "Id", ids);
    Ok(calls::records(org, settings, say, &soqls)?
        .iter()
        .filter_map(User::from_record)
        .map(|u| (u.id.clone(), u))
        .collect())
}

/// Which of `contacts` exist.
pub(crate) fn existing(
    org: &mut Org,
    settings: &Settings,
    say: Say,
    contacts: &[Id],
) -> Result<HashSet<Id>> {
    let soqls = query::in_batches(org.rest(), "Id", "Contact", "Id", contacts);
    Ok(calls::records(org, settings, say, &soqls)?
        .iter()
        .filter_map(|r| query::id(r, "Id"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(n: u32, user_type: &str, active: bool, portal: bool) -> User {
        User {
            id: Id::parse(&format!("005{n:012}")).unwrap_or_else(|e| panic!("{e:?}")),
            contact_id: None,
            username: format!("u{n}@x"),
            user_type: user_type.into(),
            is_active: active,
            is_portal_enabled: portal,
        }
    }

    #[test]
    fn plans_mirror_the_generated_apex() {
        let portal = [user(1, "PowerCustomerSuccess", true, true)];
        let inactive = [user(2, "CspLitePortal", false, true)];
        let internal = [user(3, "Standard", true, false)];
        let me = portal[0].id.clone();
        assert_eq!(plan(Mode::Disable, None, true, &portal).0, Plan::Change);
        assert_eq!(
            plan(Mode::Disable, Some(&me), true, &portal).0,
            Plan::RunningUser
        );
        // Disable mode disables an inactive portal user; deactivate mode leaves it.
        assert_eq!(plan(Mode::Disable, None, true, &inactive).0, Plan::Change);
        assert_eq!(
            plan(Mode::Deactivate, None, true, &inactive).0,
            Plan::AlreadyInactive
        );
        let (p, shown) = plan(Mode::Disable, None, true, &internal);
        assert_eq!(
            (p, shown.map(|u| u.user_type.as_str())),
            (Plan::NoPortalUser, Some("Standard"))
        );
        assert_eq!(plan(Mode::Disable, None, true, &[]).0, Plan::NoPortalUser);
        assert_eq!(
            plan(Mode::Disable, None, false, &[]).0,
            Plan::ContactNotFound
        );
        assert_eq!(Plan::Change.text(Mode::Deactivate), "will deactivate");
    }

    #[test]
    fn done_means_the_modes_flag_is_off() {
        assert!(user(1, "PowerPartner", false, false).is_done(Mode::Disable));
        assert!(!user(1, "PowerPartner", false, true).is_done(Mode::Disable));
        assert!(user(1, "PowerPartner", false, true).is_done(Mode::Deactivate));
    }
}
