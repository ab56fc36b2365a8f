//! Validated settings for the generator: what to generate, under which names, where.
//!
//! [`config`] builds a [`Settings`] from `portal-disable.toml`, `sfdx-project.json`
//! ([`sfdx_project`]) and the command-line [`Overrides`]; everything downstream (templates,
//! writer, packer) trusts it, because every name in it has passed `apex_names` and every
//! combination has been checked. The entry points and the class names come from one table
//! ([`entry_points`]).

pub mod config;
pub mod entry_points;
pub(crate) mod sfdx_project;

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use crate::api_version::ApiVersion;
use crate::choice::Choice;

pub use config::{DeployDefaults, Overrides};
pub use entry_points::{ClassNames, EntryPoint, EntryPoints, Role};

/// Which flag the generated Apex clears on the portal user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// `IsPortalEnabled = false`: irreversible; Salesforce also deactivates the user, unlinks
    /// the Contact and renames the username.
    Disable,
    /// `IsActive = false`: reversible; the user keeps the Contact link and can be reactivated.
    Deactivate,
}

impl Choice for Mode {
    const ALL: &'static [Mode] = &[Mode::Disable, Mode::Deactivate];

    fn key(self) -> &'static str {
        match self {
            Mode::Disable => "disable",
            Mode::Deactivate => "deactivate",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Mode::Disable => "IsPortalEnabled = false (irreversible)",
            Mode::Deactivate => "IsActive = false (reversible)",
        }
    }
}

impl Mode {
    /// The verb in names and messages: `disable` / `deactivate`.
    pub fn verb(self) -> &'static str {
        self.key()
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sharing {
    /// `with sharing`: the caller's record access applies (the default).
    With,
    /// `inherited sharing`: the calling class decides.
    Inherited,
    /// `without sharing`: system-level record access; choose it only on purpose.
    Without,
}

impl Choice for Sharing {
    const ALL: &'static [Sharing] = &[Sharing::With, Sharing::Inherited, Sharing::Without];

    fn key(self) -> &'static str {
        match self {
            Sharing::With => "with",
            Sharing::Inherited => "inherited",
            Sharing::Without => "without",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Sharing::With => "with sharing: the caller's record access applies",
            Sharing::Inherited => "inherited sharing: the calling class decides",
            Sharing::Without => "without sharing: system-level record access",
        }
    }
}

impl fmt::Display for Sharing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} sharing", self.key())
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
