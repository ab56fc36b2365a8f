//! The sf CLI's configured default org (`sf config set target-org=ALIAS`), found as the sf CLI
//! finds it, for runs that name no credential source at all.
//!
//! The sf CLI reads `target-org` from the project's `.sf/config.json` (the project is the
//! nearest folder at or above the current one holding `sfdx-project.json`), then from
//! `.sf/config.json` in the home folder. Each level also has the legacy file
//! `.sfdx/sfdx-config.json` (key `defaultusername`), which the sf CLI keeps in step with the new
//! one; it is read only when the new file names no org. These are settings files: no token
//! is in them, and the sf CLI's token files (`~/.sfdx/<username>.json`) are never read.

use std::path::{Path, PathBuf};

use crate::error::{Bad, Error, Result};
use crate::fs::read;

/// The project file whose folder is the sf CLI's project root.
const PROJECT_FILE: &str = "sfdx-project.json";

/// The configured default: the alias or username, and the file that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfiguredOrg {
    pub target: String,
    pub file: PathBuf,
}

/// The default `target-org` for a command run in `cwd`, with `home` the user's home folder:
/// the project's setting first, then the global one. None when neither names an org.
pub(crate) fn default_target_org(cwd: &Path, home: Option<&Path>) -> Result<Option<ConfiguredOrg>> {
    let project = cwd
        .ancestors()
        .find(|folder| folder.join(PROJECT_FILE).is_file());
    for root in project.into_iter().chain(home) {
        if let Some(found) = in_folder(root)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The org named in `root/.sf/config.json`, else in `root/.sfdx/sfdx-config.json`.
fn in_folder(root: &Path) -> Result<Option<ConfiguredOrg>> {
    for (file, key) in [
        (root.join(".sf").join("config.json"), "target-org"),
        (
            root.join(".sfdx").join("sfdx-config.json"),
            "defaultusername",
        ),
    ] {
        if let Some(target) = read_key(&file, key)? {
            return Ok(Some(ConfiguredOrg { target, file }));
        }
    }
    Ok(None)
}

/// The string value of `key` in the JSON object of `file`; None when the file or the key is
/// missing (or the value is empty, as `sf config unset` may leave it).
fn read_key(file: &Path, key: &str) -> Result<Option<String>> {
    let text = match read::text(file) {
        Ok(text) => text,
        Err(read::ReadError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into_error(file)),
    };
    let bad = |why: String| {
        Error::input(
            Bad::Config,
            format!(
                "the sf CLI's settings file `{}` {why}; fix it, or set the default again with `sf config set target-org=ALIAS`",
                file.display()
            ),
        )
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("is not valid JSON ({e})")))?;
    match json.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(value)) if value.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(value)) => Ok(Some(value.trim().to_string())),
        Some(_) => Err(bad(format!("has a `{key}` that is not a string"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    fn found(cwd: &Path, home: &Path) -> Option<(String, PathBuf)> {
        default_target_org(cwd, Some(home))
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|c| (c.target, c.file))
    }

    #[test]
    fn the_project_setting_wins_over_the_global_one() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let home = dir.path().join("home");
        let project = dir.path().join("work/project");
        let sub = project.join("force-app/main");
        std::fs::create_dir_all(&sub).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(&home).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found(&sub, &home), None);

        let global = home.join(".sf/config.json");
        write(&global, r#"{"target-org": "prod"}"#);
        assert_eq!(found(&sub, &home), Some(("prod".into(), global.clone())));

        // A .sf folder outside any project is not the project's: only the global applies.
        write(&project.join(".sf/config.json"), r#"{"target-org": "uat"}"#);
        assert_eq!(found(&sub, &home), Some(("prod".into(), global.clone())));

        write(&project.join(PROJECT_FILE), "{}");
        assert_eq!(
            found(&sub, &home),
            Some(("uat".into(), project.join(".sf/config.json")))
        );
    }

    #[test]
    fn the_legacy_file_counts_when_the_new_one_names_no_org() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let home = dir.path();
        let legacy = home.join(".sfdx/sfdx-config.json");
        write(&legacy, r#"{"defaultusername": "dev@acme.example"}"#);
        write(
            &home.join(".sf/config.json"),
            r#"{"target-dev-hub": "hub", "target-org": ""}"#,
        );
        assert_eq!(found(home, home), Some(("dev@acme.example".into(), legacy)));
        write(&home.join(".sf/config.json"), r#"{"target-org": " uat "}"#);
        assert_eq!(found(home, home).map(|f| f.0), Some("uat".into()));
    }

    #[test]
    fn a_broken_settings_file_is_bad_input_naming_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let home = dir.path();
        for (text, want) in [
            ("{not json", "is not valid JSON"),
            (
                r#"{"target-org": 3}"#,
                "has a `target-org` that is not a string",
            ),
        ] {
            write(&home.join(".sf/config.json"), text);
            let err = default_target_org(home, Some(home)).map_err(|e| e.to_string());
            assert!(
                matches!(&err, Err(m) if m.contains(want) && m.contains("config.json") && m.contains("sf config set target-org")),
                "{err:?}"
            );
        }
    }
}
