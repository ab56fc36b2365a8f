//! The values every Apex template reads, derived once from the validated settings.
//!
//! Templates see only this struct: names that passed `apex_names`, and small facts computed
//! here (the verb, the flag to clear, the outcome label) so the templates stay free of logic
//! beyond `if` on an entry point or the mode.

use crate::settings::{ClassNames, DEFAULT_TRIGGER_FIELD, EntryPoints, Mode, Settings};

/// The template context shared by every Apex and meta XML template.
#[derive(Debug, Clone)]
pub struct ApexContext {
    /// Every class and trigger name (validated identifiers).
    pub names: ClassNames,
    /// Which optional entry points exist; templates cross-reference only existing classes.
    pub entry: EntryPoints,
    /// `68.0`.
    pub api_version: String,
    /// `with sharing` | `inherited sharing` | `without sharing`.
    pub sharing: String,
    /// True in disable mode (`IsPortalEnabled = false`), false in deactivate mode.
    pub disable: bool,
    /// `disable` | `deactivate`.
    pub verb: &'static str,
    /// `Disable` | `Deactivate`, for method and label names.
    pub verb_title: &'static str,
    /// `DISABLED` | `DEACTIVATED`: the outcome of a successful update.
    pub done_status: &'static str,
    /// `disabled` | `deactivated`, for prose.
    pub done_word: &'static str,
    /// `IsPortalEnabled` | `IsActive`: the only field the update writes.
    pub flag_field: &'static str,
    /// The core class's public method: `disablePortalUsers` | `deactivatePortalUsers`.
    pub method: &'static str,
    /// Contact checkbox the trigger entry point watches (`Disable_Portal_User__c`).
    pub trigger_field: String,
    /// Human label of that checkbox.
    pub trigger_field_label: String,
    /// The custom permission every entry point checks first: `{core}Access`.
    pub custom_permission: String,
    /// The permission set that grants it (and the entry points' class access): `{core}`.
    pub permission_set: String,
    /// Mode-true label of both: `Disable Portal Users` | `Deactivate Portal Users`.
    pub access_label: String,
}

impl ApexContext {
    /// Derives the template values from validated settings.
    pub fn new(settings: &Settings) -> Self {
        let disable = settings.mode == Mode::Disable;
        ApexContext {
            names: settings.names.clone(),
            entry: settings.entry_points,
            api_version: settings.api_version.to_string(),
            sharing: settings.sharing.to_string(),
            disable,
            verb: settings.mode.verb(),
            verb_title: if disable { "Disable" } else { "Deactivate" },
            done_status: if disable { "DISABLED" } else { "DEACTIVATED" },
            done_word: if disable { "disabled" } else { "deactivated" },
            flag_field: if disable {
                "IsPortalEnabled"
            } else {
                "IsActive"
            },
            method: if disable {
                "disablePortalUsers"
            } else {
                "deactivatePortalUsers"
            },
            trigger_field: settings.trigger_field.clone(),
            trigger_field_label: trigger_field_label(&settings.trigger_field, disable),
            custom_permission: settings.names.custom_permission(),
            permission_set: settings.names.permission_set(),
            access_label: format!(
                "{} Portal Users",
                if disable { "Disable" } else { "Deactivate" }
            ),
        }
    }
}

/// The checkbox's label: the default field is labelled for the mode (its API name says
/// "Disable" in both); a field the user named keeps the words of its name.
fn trigger_field_label(api_name: &str, disable: bool) -> String {
    match (api_name == DEFAULT_TRIGGER_FIELD, disable) {
        (true, false) => "Deactivate Portal User".to_string(),
        _ => field_label(api_name),
    }
}

/// `Disable_Portal_User__c` -> `Disable Portal User`.
fn field_label(api_name: &str) -> String {
    api_name
        .strip_suffix("__c")
        .unwrap_or(api_name)
        .replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_the_api_name() {
        assert_eq!(field_label("Disable_Portal_User__c"), "Disable Portal User");
        assert_eq!(
            trigger_field_label("Offboard_Portal_User__c", false),
            "Offboard Portal User"
        );
    }

    #[test]
    fn the_default_field_is_labelled_for_the_mode() {
        assert_eq!(
            trigger_field_label(DEFAULT_TRIGGER_FIELD, true),
            "Disable Portal User"
        );
        assert_eq!(
            trigger_field_label(DEFAULT_TRIGGER_FIELD, false),
            "Deactivate Portal User"
        );
    }
}
