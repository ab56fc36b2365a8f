//! Validated settings for the generator: what to generate, under which names, where.
//!
//! `config.rs` builds a [`Settings`] from `portal-disable.toml`, `sfdx-project.json` and the
//! command-line flags; everything downstream (templates, writer) trusts it, because every
//! name in it has passed `apex_names` and every combination has been checked.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use crate::api_version::ApiVersion;

/// Which flag the generated Apex clears on the portal user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// `IsPortalEnabled = false`: irreversible; Salesforce also deactivates the user, unlinks
    /// the Contact and renames the username.
    Disable,
    /// `IsActive = false`: reversible; the user keeps the Contact link and can be reactivated.
    Deactivate,
}

impl Mode {
    /// The verb in names and messages: `disable` / `deactivate`.
    pub fn verb(self) -> &'static str {
        match self {
            Mode::Disable => "disable",
            Mode::Deactivate => "deactivate",
        }
    }

    /// True for the irreversible mode.
    pub fn is_disable(self) -> bool {
        self == Mode::Disable
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.verb())
    }
}

/// The sharing keyword every generated class declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Sharing {
    /// `with sharing`: the caller's record access applies (the default).
    With,
    /// `inherited sharing`: the calling class decides.
    Inherited,
    /// `without sharing`: system-level record access; choose it only on purpose.
    Without,
}

impl fmt::Display for Sharing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sharing::With => "with sharing",
            Sharing::Inherited => "inherited sharing",
            Sharing::Without => "without sharing",
        })
    }
}

/// The optional ways into the core class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryPoint {
    /// `@InvocableMethod` action for Flow.
    Invocable,
    /// A Queueable job, for callers that already did DML (mixed DML).
    Queueable,
    /// A `@RestResource` endpoint that checks the caller may manage users.
    Rest,
    /// A `Database.Batchable` for volumes beyond one transaction.
    Batch,
    /// A Contact trigger that enqueues the job when a checkbox becomes true.
    Trigger,
}

impl EntryPoint {
    /// Every entry point, in the order they are documented.
    pub const ALL: [EntryPoint; 5] = [
        EntryPoint::Invocable,
        EntryPoint::Queueable,
        EntryPoint::Rest,
        EntryPoint::Batch,
        EntryPoint::Trigger,
    ];

    /// The key used in `portal-disable.toml` and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            EntryPoint::Invocable => "invocable",
            EntryPoint::Queueable => "queueable",
            EntryPoint::Rest => "rest",
            EntryPoint::Batch => "batch",
            EntryPoint::Trigger => "trigger",
        }
    }
}

/// Which entry points are generated besides the core class and its test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryPoints {
    pub invocable: bool,
    pub queueable: bool,
    pub rest: bool,
    pub batch: bool,
    pub trigger: bool,
}

impl Default for EntryPoints {
    /// Core + invocable + queueable: what a Flow-driven offboarding needs.
    fn default() -> Self {
        EntryPoints {
            invocable: true,
            queueable: true,
            rest: false,
            batch: false,
            trigger: false,
        }
    }
}

impl EntryPoints {
    /// Exactly the given entry points.
    pub fn only(points: &[EntryPoint]) -> Self {
        let mut set = EntryPoints {
            invocable: false,
            queueable: false,
            rest: false,
            batch: false,
            trigger: false,
        };
        for point in points {
            set.set(*point, true);
        }
        set
    }

    /// Switches one entry point on or off.
    pub fn set(&mut self, point: EntryPoint, on: bool) {
        match point {
            EntryPoint::Invocable => self.invocable = on,
            EntryPoint::Queueable => self.queueable = on,
            EntryPoint::Rest => self.rest = on,
            EntryPoint::Batch => self.batch = on,
            EntryPoint::Trigger => self.trigger = on,
        }
    }

    /// Whether one entry point is on.
    pub fn has(&self, point: EntryPoint) -> bool {
        match point {
            EntryPoint::Invocable => self.invocable,
            EntryPoint::Queueable => self.queueable,
            EntryPoint::Rest => self.rest,
            EntryPoint::Batch => self.batch,
            EntryPoint::Trigger => self.trigger,
        }
    }
}

/// The name of every class and trigger that may be generated (all validated, all distinct).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassNames {
    pub core: String,
    pub test: String,
    pub invocable: String,
    pub queueable: String,
    pub rest: String,
    pub batch: String,
    pub trigger: String,
}

impl ClassNames {
    /// The names derived from one prefix: `{prefix}`, `{prefix}Test`, `{prefix}Invocable`, ...
    pub fn from_prefix(prefix: &str) -> Self {
        ClassNames {
            core: prefix.to_string(),
            test: format!("{prefix}Test"),
            invocable: format!("{prefix}Invocable"),
            queueable: format!("{prefix}Queueable"),
            rest: format!("{prefix}Rest"),
            batch: format!("{prefix}Batch"),
            trigger: format!("{prefix}ContactTrigger"),
        }
    }
}

/// Default prefix of every generated name.
pub const DEFAULT_PREFIX: &str = "PortalUserDisabler";
/// Default Contact checkbox that fires the trigger entry point.
pub const DEFAULT_TRIGGER_FIELD: &str = "Disable_Portal_User__c";

/// Everything the generator needs, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub api_version: ApiVersion,
    pub mode: Mode,
    pub sharing: Sharing,
    /// The SFDX source folder the files go into (`force-app/main/default`).
    pub output_dir: PathBuf,
    pub names: ClassNames,
    pub entry_points: EntryPoints,
    /// Custom checkbox on Contact that the trigger entry point watches.
    pub trigger_field: String,
}
