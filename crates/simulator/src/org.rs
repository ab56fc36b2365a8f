//! The simulated org's data for the REST endpoints (`rest.rs`): Contacts, Users with
//! `UserType`, `IsActive`, `IsPortalEnabled` and `ContactId`, the running user, the deployed
//! Invocable action, and the faults to inject per operation and count.
//!
//! Ids are generated in their 18-character form with a checksum computed here (not with the
//! client's code), with the right key prefixes (`003` Contact, `005` User).

use std::collections::{HashMap, HashSet};

use super::Simulator;

/// `User.UserType` values of portal users, as the generated Apex lists them.
pub const PORTAL_TYPES: [&str; 4] = [
    "PowerPartner",
    "PowerCustomerSuccess",
    "CustomerSuccess",
    "CspLitePortal",
];

/// A User row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    pub id: String,
    pub contact_id: Option<String>,
    pub username: String,
    pub user_type: String,
    pub is_active: bool,
    pub is_portal_enabled: bool,
}

impl SimUser {
    /// A user the Apex acts on: a portal type, active or portal-enabled.
    pub fn is_eligible(&self) -> bool {
        PORTAL_TYPES.contains(&self.user_type.as_str())
            && (self.is_active || self.is_portal_enabled)
    }
}

/// A fault the REST endpoints inject.
#[derive(Debug, Clone)]
pub enum RestFault {
    /// Before anything runs: this status with `[{"message","errorCode"}]` and, when given,
    /// `Retry-After: seconds`.
    Error {
        status: u16,
        code: &'static str,
        retry_after: Option<u64>,
    },
    /// Before anything runs: a proxy's HTML page with this status.
    Html(u16),
    /// The call runs and commits, then the connection closes without an answer.
    LostAfterCommit,
    /// The call runs and commits, then the answer is cut mid-body.
    CutAfterCommit,
    /// The call runs and commits, then a proxy answers this status with an HTML page.
    PageAfterCommit(u16),
    /// The action's Apex throws: every input fails with `UNKNOWN_EXCEPTION`, nothing commits.
    ApexException,
    /// The call runs and commits; the answer comes after this pause.
    SlowAfterCommit(std::time::Duration),
}

/// A fault for calls of one operation: `resources`, `query`, `queryMore`, `describe`,
/// `invoke`. The first `skip` calls pass, then `count` calls meet it.
#[derive(Debug, Clone)]
pub struct RestInjection {
    pub operation: &'static str,
    pub kind: RestFault,
    pub skip: u32,
    pub count: u32,
}

impl RestInjection {
    pub fn new(operation: &'static str, kind: RestFault) -> Self {
        RestInjection {
            operation,
            kind,
            skip: 0,
            count: 1,
        }
    }

    pub fn skip(mut self, skip: u32) -> Self {
        self.skip = skip;
        self
    }

    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }
}

/// The org's data and the REST behaviour of one test.
#[derive(Debug, Clone)]
pub struct OrgData {
    pub contacts: Vec<String>,
    pub users: Vec<SimUser>,
    /// The user the session belongs to.
    pub running_user: String,
    /// The deployed Invocable class, when deployed, and what its describe lists.
    pub action: Option<String>,
    pub action_inputs: Vec<&'static str>,
    /// False: the user has no access to the class (describe and invoke answer 404).
    pub class_access: bool,
    /// The mode of the deployed Apex.
    pub disable: bool,
    /// Users whose update fails (a validation rule): FAILED with that error.
    pub failing_users: HashSet<String>,
    /// Contacts whose input fails on its own (isSuccess false), the others still run.
    pub input_errors: HashSet<String>,
    /// Rows per query page.
    pub page_size: usize,
    /// `(used, max)` of the day's API requests; each versioned call counts one.
    pub api_usage: (u64, u64),
    /// Some(n): the session in use is revoked after the n-th answered action call.
    pub expire_after_invokes: Option<u32>,
    pub faults: Vec<RestInjection>,
    /// The Contact Ids of every action call the Apex ran, in order.
    pub invocations: Vec<Vec<String>>,
    pub(super) cursors: HashMap<String, Vec<serde_json::Value>>,
    pub(super) revoked: HashSet<String>,
    pub(super) answered_invokes: u32,
    pub(super) calls: HashMap<&'static str, u32>,
    next: u64,
}

impl Default for OrgData {
    fn default() -> Self {
        let mut org = OrgData {
            contacts: Vec::new(),
            users: Vec::new(),
            running_user: String::new(),
            action: Some("PortalUserDisablerInvocable".into()),
            action_inputs: vec!["contactId", "runAsync"],
            class_access: true,
            disable: true,
            failing_users: HashSet::new(),
            input_errors: HashSet::new(),
            page_size: 2000,
            api_usage: (1000, 100_000),
            expire_after_invokes: None,
            faults: Vec::new(),
            invocations: Vec::new(),
            cursors: HashMap::new(),
            revoked: HashSet::new(),
            answered_invokes: 0,
            calls: HashMap::new(),
            next: 0,
        };
        org.running_user = org.add_user(None, "Standard", true, false);
        org
    }
}

impl OrgData {
    fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        to18(&format!("{prefix}{:012}", 4_000_000 + self.next))
    }

    /// A new Contact's Id.
    pub fn add_contact(&mut self) -> String {
        let id = self.id("003");
        self.contacts.push(id.clone());
        id
    }

    /// A new User's Id.
    pub fn add_user(
        &mut self,
        contact: Option<&str>,
        user_type: &str,
        is_active: bool,
        is_portal_enabled: bool,
    ) -> String {
        let id = self.id("005");
        self.users.push(SimUser {
            id: id.clone(),
            contact_id: contact.map(str::to_string),
            username: format!("user{}@portal.example", self.next),
            user_type: user_type.to_string(),
            is_active,
            is_portal_enabled,
        });
        id
    }

    /// A Contact with an active, portal-enabled customer user: (contact, user).
    pub fn portal_contact(&mut self) -> (String, String) {
        let contact = self.add_contact();
        let user = self.add_user(Some(&contact), "PowerCustomerSuccess", true, true);
        (contact, user)
    }

    pub fn user(&self, id: &str) -> Option<&SimUser> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The next fault for a call of `operation` (counting the call).
    pub(super) fn take_fault(&mut self, operation: &'static str) -> Option<RestFault> {
        let seen = self.calls.entry(operation).or_default();
        *seen += 1;
        let nth = *seen;
        let injection = self
            .faults
            .iter_mut()
            .find(|f| f.operation == operation && f.count > 0 && nth > f.skip)?;
        injection.count -= 1;
        Some(injection.kind.clone())
    }

    /// Everything a test compares to prove nothing changed.
    pub fn snapshot(&self) -> (Vec<String>, Vec<SimUser>) {
        (self.contacts.clone(), self.users.clone())
    }
}

/// The 18-character form of a 15-character Id, or an 18-character one normalized (suffix
/// upper-case, case restored from it).
pub fn to18(id: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let body: String = if id.len() == 18 {
        let (body, tail) = id.split_at(15);
        body.chars()
            .enumerate()
            .map(|(i, c)| {
                let bits = ALPHABET
                    .iter()
                    .position(|a| *a == tail.as_bytes()[i / 5].to_ascii_uppercase())
                    .unwrap_or(0);
                if bits & (1 << (i % 5)) != 0 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    } else {
        id.to_string()
    };
    let mut out = body.clone();
    for chunk in body.as_bytes().chunks(5) {
        let mut bits = 0;
        for (i, b) in chunk.iter().enumerate() {
            if b.is_ascii_uppercase() {
                bits |= 1 << i;
            }
        }
        out.push(char::from(ALPHABET[bits]));
    }
    out
}

impl Simulator {
    /// Replaces the org's data.
    pub fn set_org(&self, org: OrgData) {
        self.lock().org = org;
    }

    /// The org's data now.
    pub fn org(&self) -> OrgData {
        self.lock().org.clone()
    }

    /// Adds REST faults.
    pub fn inject_rest(&self, faults: Vec<RestInjection>) {
        self.lock().org.faults.extend(faults);
    }

    /// The REST requests of one operation (`query`, `invoke`, ...).
    pub fn rest_calls(&self, operation: &str) -> Vec<super::Recorded> {
        self.calls(operation)
    }
}
