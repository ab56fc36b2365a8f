//! The custom permission and the permission set: named after the core class, granting what
//! the entry points need and nothing else, labelled for the mode, and every text within the
//! limits Salesforce documents, for the longest names a user can choose.

use clap::Parser;
use portal_disable::apex::{self, RenderedFile};
use portal_disable::cli::{Cli, Command};

use portal_disable::settings::Settings;

use crate::generated_apex::combos::combos;

/// The text of every `<tag>` element, in order.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open)
        .skip(1)
        .filter_map(|rest| rest.split(&close).next())
        .map(str::to_string)
        .collect()
}

fn one(xml: &str, tag: &str) -> String {
    let found = elements(xml, tag);
    assert_eq!(found.len(), 1, "<{tag}> in {xml}");
    found[0].clone()
}

fn body<'f>(files: &'f [RenderedFile], path: &str) -> &'f str {
    files
        .iter()
        .find(|f| f.path.to_string_lossy() == path)
        .map(|f| f.body.as_str())
        .unwrap_or_else(|| panic!("{path} is not generated"))
}

#[test]
fn the_permission_set_grants_the_custom_permission_and_what_the_entry_points_need() {
    for combo in combos() {
        let names = &combo.settings.names;
        let entry = combo.settings.entry_points;
        let permission = format!("{}Access", names.core);
        let set = body(
            &combo.files,
            &format!("permissionsets/{}.permissionset-meta.xml", names.core),
        );
        body(
            &combo.files,
            &format!("customPermissions/{permission}.customPermission-meta.xml"),
        );
        let core = combo.class(&names.core).unwrap_or_default();
        for constant in [
            format!("CUSTOM_PERMISSION = '{permission}';"),
            format!("PERMISSION_SET = '{}';", names.core),
        ] {
            assert!(core.contains(&constant), "{}: {constant}", combo.name);
        }
        let granted: Vec<String> = set
            .split("<customPermissions>")
            .skip(1)
            .map(|block| {
                one(
                    block.split("</customPermissions>").next().unwrap_or(""),
                    "name",
                )
            })
            .collect();
        assert_eq!(granted, [permission], "{}", combo.name);
        let mut classes = Vec::new();
        if entry.invocable {
            classes.push(names.invocable.clone());
        }
        if entry.rest {
            classes.push(names.rest.clone());
        }
        assert_eq!(elements(set, "apexClass"), classes, "{}", combo.name);
        let users = set.split("<userPermissions>").nth(1).unwrap_or_default();
        assert_eq!(one(users, "name"), "ApiEnabled", "{}", combo.name);
        let fields = elements(set, "field");
        if entry.trigger {
            let wanted = format!("Contact.{}", combo.settings.trigger_field);
            assert_eq!(fields, [wanted], "{}", combo.name);
            let block = set.split("<fieldPermissions>").nth(1).unwrap_or_default();
            assert_eq!(one(block, "editable"), "true", "{}", combo.name);
            assert_eq!(one(block, "readable"), "true", "{}", combo.name);
        } else {
            assert!(fields.is_empty(), "{}: {fields:?}", combo.name);
        }
        assert!(
            elements(set, "enabled").iter().all(|e| e == "true"),
            "{}",
            combo.name
        );
    }
}

#[test]
fn labels_say_what_the_mode_does() {
    for combo in combos() {
        let verb = if combo.settings.mode.is_disable() {
            "Disable"
        } else {
            "Deactivate"
        };
        let names = &combo.settings.names;
        let permission = body(
            &combo.files,
            &format!(
                "customPermissions/{}Access.customPermission-meta.xml",
                names.core
            ),
        );
        let set = body(
            &combo.files,
            &format!("permissionsets/{}.permissionset-meta.xml", names.core),
        );
        let mut labels = vec![one(permission, "label"), one(set, "label")];
        if combo.settings.entry_points.trigger
            && combo.settings.trigger_field == "Disable_Portal_User__c"
        {
            let field = body(
                &combo.files,
                "objects/Contact/fields/Disable_Portal_User__c.field-meta.xml",
            );
            labels.push(one(field, "label"));
        }
        if let Some(invocable) = combo.class(&names.invocable) {
            let label = invocable
                .split("@InvocableMethod(")
                .nth(1)
                .and_then(|rest| rest.split("label='").nth(1))
                .and_then(|rest| rest.split('\'').next())
                .unwrap_or_default();
            labels.push(label.to_string());
        }
        for label in labels {
            assert!(label.starts_with(verb), "{}: label `{label}`", combo.name);
        }
    }
}

/// The settings for the longest names a user can give: a 40-character core class and a
/// 40-character field, in deactivate mode (the longer verb), with every entry point.
fn longest_names() -> Settings {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = format!(
        "mode = \"deactivate\"\n[classes]\ncore = \"{}\"\n[entry_points]\nrest = true\nbatch = true\ntrigger = true\n[trigger]\nfield = \"{}__c\"\n",
        "C".repeat(40),
        "F".repeat(37)
    );
    std::fs::write(dir.path().join("portal-disable.toml"), config).expect("writing a test file");
    let cli = Cli::try_parse_from(["portal-disable", "generate"]).unwrap_or_else(|e| panic!("{e}"));
    let Command::Generate(generate) = cli.command else {
        panic!("not generate");
    };
    portal_disable::settings::config::load(dir.path(), &generate.overrides())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_text_fits_its_salesforce_limit_for_the_longest_names() {
    let settings = longest_names();
    let mut all = vec![(
        "longest names".to_string(),
        apex::render(&settings).unwrap_or_else(|e| panic!("{e}")),
    )];
    all.extend(combos().into_iter().map(|c| (c.name, c.files)));
    // CustomPermission and PermissionSet (Metadata API reference): name and label 80,
    // description 255; CustomField: description 1000, inline help text 510.
    let limits = [
        (".customPermission-meta.xml", "label", 80),
        (".customPermission-meta.xml", "description", 255),
        (".permissionset-meta.xml", "label", 80),
        (".permissionset-meta.xml", "description", 255),
        (".field-meta.xml", "description", 1000),
        (".field-meta.xml", "inlineHelpText", 510),
        (".field-meta.xml", "label", 40),
    ];
    let mut checked = 0;
    for (name, files) in &all {
        for file in files {
            let path = file.path.to_string_lossy();
            let stem = file
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for (suffix, tag, limit) in limits {
                if !path.ends_with(suffix) {
                    continue;
                }
                let value = one(&file.body, tag);
                assert!(
                    value.chars().count() <= limit,
                    "{name}: {path}: <{tag}> is {} characters, the limit is {limit}: {value}",
                    value.chars().count()
                );
                checked += 1;
            }
            for suffix in [".customPermission-meta.xml", ".permissionset-meta.xml"] {
                if let Some(component) = stem.strip_suffix(suffix) {
                    assert!(component.len() <= 80, "{name}: {component}");
                }
            }
            if path.ends_with(".field-meta.xml") {
                let help = one(&file.body, "inlineHelpText");
                assert!(help.contains("person accounts"), "{name}: {help}");
            }
        }
    }
    assert!(checked > 50, "only {checked} texts checked");
}
