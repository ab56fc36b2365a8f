//! `portal-disable.toml` plus command-line flags -> validated [`Settings`].
//!
//! Precedence, highest first: flags, the config file, `sfdx-project.json`, built-in defaults.
//! Everything is checked here, before anything is rendered or written: unknown keys (with
//! their line), names, the API version, and combinations that cannot work together. Each
//! problem is one line naming where it is and how to fix it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::apex_names;
use crate::api_version::{self, ApiVersion};
use crate::error::{Error, Result};
use crate::settings::{
    ClassNames, DEFAULT_PREFIX, DEFAULT_TRIGGER_FIELD, EntryPoint, EntryPoints, Mode, Settings,
    Sharing,
};
use crate::sfdx_project::{self, SfdxProject};

/// The config file looked for in the current folder.
pub const FILE_NAME: &str = "portal-disable.toml";
/// Where sources go inside a package directory, as the sf CLI lays them out.
const SOURCE_SUBDIR: &str = "main/default";

/// Values given on the command line; `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub api_version: Option<String>,
    pub mode: Option<Mode>,
    pub sharing: Option<Sharing>,
    pub output_dir: Option<PathBuf>,
    pub prefix: Option<String>,
    pub entry_points: Option<Vec<EntryPoint>>,
    pub trigger_field: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    api_version: Option<String>,
    mode: Option<Mode>,
    sharing: Option<Sharing>,
    output_dir: Option<PathBuf>,
    #[serde(default)]
    classes: FileClasses,
    #[serde(default)]
    entry_points: BTreeMap<String, bool>,
    #[serde(default)]
    trigger: FileTrigger,
    #[serde(default)]
    deploy: FileDeploy,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDeploy {
    test_level: Option<String>,
    tests: Option<Vec<String>>,
    wait: Option<u64>,
}

/// `[deploy]` of the config file: defaults for `deploy`, each overridden by its flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployDefaults {
    /// `NoTestRun`, `RunSpecifiedTests`, `RunLocalTests` or `RunAllTestsInOrg`.
    pub test_level: Option<String>,
    /// Test classes for RunSpecifiedTests.
    pub tests: Vec<String>,
    /// Minutes to follow a deploy.
    pub wait: Option<u64>,
}

/// The Metadata API's test levels, as `[deploy] test_level` accepts them.
const TEST_LEVELS: [&str; 4] = [
    "NoTestRun",
    "RunSpecifiedTests",
    "RunLocalTests",
    "RunAllTestsInOrg",
];
/// The longest `--wait` (a week), as the flag allows.
const MAX_WAIT_MINUTES: u64 = 10_080;

/// Reads and checks `[deploy]` of the config file (`--config` or `portal-disable.toml`).
pub fn deploy_defaults(root: &Path, config: Option<&Path>) -> Result<DeployDefaults> {
    let (file, label) = read_file_config(root, config)?;
    let deploy = file.deploy;
    if let Some(level) = &deploy.test_level
        && !TEST_LEVELS.contains(&level.as_str())
    {
        return Err(Error::Input(format!(
            "{label}: [deploy] test_level `{level}` is not a test level; use one of {}",
            TEST_LEVELS.join(", ")
        )));
    }
    let tests = deploy.tests.unwrap_or_default();
    for test in &tests {
        if let Err(problem) = apex_names::check_identifier(test) {
            return Err(Error::Input(format!(
                "{label}: [deploy] tests: class name `{test}` {problem}"
            )));
        }
    }
    if let Some(wait) = deploy.wait
        && wait > MAX_WAIT_MINUTES
    {
        return Err(Error::Input(format!(
            "{label}: [deploy] wait = {wait} minutes is more than a week ({MAX_WAIT_MINUTES}); lower it"
        )));
    }
    Ok(DeployDefaults {
        test_level: deploy.test_level,
        tests,
        wait: deploy.wait,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileClasses {
    prefix: Option<String>,
    core: Option<String>,
    test: Option<String>,
    invocable: Option<String>,
    queueable: Option<String>,
    rest: Option<String>,
    batch: Option<String>,
    trigger: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTrigger {
    field: Option<String>,
}

/// Builds the settings for `generate` (and every command that renders) in folder `root`.
pub fn load(root: &Path, flags: &Overrides) -> Result<Settings> {
    let (file, file_label) = read_file_config(root, flags.config.as_deref())?;
    let project = SfdxProject::load(root)?;
    resolve(&file, &file_label, project.as_ref(), flags)
}

/// Reads the config file named by `--config`, or `portal-disable.toml` when it exists.
fn read_file_config(root: &Path, explicit: Option<&Path>) -> Result<(FileConfig, String)> {
    let (path, required) = match explicit {
        Some(path) => (root.join(path), true),
        None => (root.join(FILE_NAME), false),
    };
    let label = explicit.map_or_else(|| FILE_NAME.to_string(), |p| p.display().to_string());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok((FileConfig::default(), label));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Input(format!(
                "config file `{label}` does not exist; check the --config path"
            )));
        }
        Err(e) => return Err(Error::io("read", path, e)),
    };
    let file = parse_file_config(&text, &label)?;
    Ok((file, label))
}

/// Parses the TOML text; errors become `file:line:column: message`.
fn parse_file_config(text: &str, label: &str) -> Result<FileConfig> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_and_column(text, span.start));
        let message = e.message().trim().replace('\n', " ");
        Error::Input(format!(
            "{label}:{line}:{column}: {message}; see the configuration reference in README.md"
        ))
    })
}

/// 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, tail)| tail)
        .chars()
        .count()
        + 1;
    (line, column)
}

fn resolve(
    file: &FileConfig,
    file_label: &str,
    project: Option<&SfdxProject>,
    flags: &Overrides,
) -> Result<Settings> {
    let api_version = resolve_api_version(file, file_label, project, flags)?;
    let output_dir = flags
        .output_dir
        .clone()
        .or_else(|| file.output_dir.clone())
        .or_else(|| {
            project
                .and_then(|p| p.default_package_dir.as_ref())
                .map(|dir| dir.join(SOURCE_SUBDIR))
        })
        .unwrap_or_else(|| PathBuf::from("force-app").join(SOURCE_SUBDIR));
    if output_dir.as_os_str().is_empty() {
        return Err(Error::Input(
            "output folder is empty; set output_dir or pass --output-dir".into(),
        ));
    }
    let entry_points = resolve_entry_points(file, file_label, flags)?;
    let names = resolve_names(file, file_label, flags, &entry_points)?;
    let trigger_field = flags
        .trigger_field
        .clone()
        .or_else(|| file.trigger.field.clone())
        .unwrap_or_else(|| DEFAULT_TRIGGER_FIELD.to_string());
    if let Err(problem) = apex_names::check_custom_field(&trigger_field) {
        return Err(Error::Input(format!(
            "trigger field `{trigger_field}` {problem}; set [trigger] field in {file_label} or pass --trigger-field"
        )));
    }
    Ok(Settings {
        api_version,
        mode: flags.mode.or(file.mode).unwrap_or(Mode::Disable),
        sharing: flags.sharing.or(file.sharing).unwrap_or(Sharing::With),
        output_dir,
        names,
        entry_points,
        trigger_field,
    })
}

fn resolve_api_version(
    file: &FileConfig,
    file_label: &str,
    project: Option<&SfdxProject>,
    flags: &Overrides,
) -> Result<ApiVersion> {
    let (text, origin) = if let Some(v) = &flags.api_version {
        (v.as_str(), "--api-version".to_string())
    } else if let Some(v) = &file.api_version {
        (v.as_str(), format!("api_version in {file_label}"))
    } else if let Some(v) = project.and_then(|p| p.source_api_version.as_deref()) {
        (
            v,
            format!("sourceApiVersion in {}", sfdx_project::FILE_NAME),
        )
    } else {
        return Ok(api_version::NEWEST);
    };
    text.parse().map_err(|problem| {
        Error::Input(format!(
            "API version `{text}` ({origin}) {problem}; set api_version in {FILE_NAME} or pass --api-version"
        ))
    })
}

fn resolve_entry_points(
    file: &FileConfig,
    file_label: &str,
    flags: &Overrides,
) -> Result<EntryPoints> {
    let points = if let Some(list) = &flags.entry_points {
        EntryPoints::only(list)
    } else {
        let mut points = EntryPoints::default();
        for (key, on) in &file.entry_points {
            let point = EntryPoint::ALL
                .into_iter()
                .find(|p| p.key() == key)
                .ok_or_else(|| {
                    let known: Vec<_> = EntryPoint::ALL.iter().map(|p| p.key()).collect();
                    Error::Input(format!(
                        "{file_label}: unknown entry point `{key}` in [entry_points]; use one of {}",
                        known.join(", ")
                    ))
                })?;
            points.set(point, *on);
        }
        points
    };
    if points.trigger && !points.queueable {
        return Err(Error::Input(
            "entry point `trigger` needs `queueable`: the trigger hands its Contacts to the Queueable so User updates never mix with Contact DML; enable queueable or drop trigger".into(),
        ));
    }
    Ok(points)
}

fn resolve_names(
    file: &FileConfig,
    file_label: &str,
    flags: &Overrides,
    entry_points: &EntryPoints,
) -> Result<ClassNames> {
    let prefix_given = flags.prefix.is_some() || file.classes.prefix.is_some();
    let prefix = flags
        .prefix
        .clone()
        .or_else(|| file.classes.prefix.clone())
        .unwrap_or_else(|| DEFAULT_PREFIX.to_string());
    let mut names = ClassNames::from_prefix(&prefix);
    let explicit = &file.classes;
    let overrides = [
        (&mut names.core, &explicit.core),
        (&mut names.test, &explicit.test),
        (&mut names.invocable, &explicit.invocable),
        (&mut names.queueable, &explicit.queueable),
        (&mut names.rest, &explicit.rest),
        (&mut names.batch, &explicit.batch),
        (&mut names.trigger, &explicit.trigger),
    ];
    for (slot, given) in overrides {
        if let Some(name) = given {
            slot.clone_from(name);
        }
    }

    // Only the names of files that will be generated must be valid and distinct.
    let in_use = [
        ("core", &names.core, true, explicit.core.is_some()),
        ("test", &names.test, true, explicit.test.is_some()),
        (
            "invocable",
            &names.invocable,
            entry_points.invocable,
            explicit.invocable.is_some(),
        ),
        (
            "queueable",
            &names.queueable,
            entry_points.queueable,
            explicit.queueable.is_some(),
        ),
        (
            "rest",
            &names.rest,
            entry_points.rest,
            explicit.rest.is_some(),
        ),
        (
            "batch",
            &names.batch,
            entry_points.batch,
            explicit.batch.is_some(),
        ),
        (
            "trigger",
            &names.trigger,
            entry_points.trigger,
            explicit.trigger.is_some(),
        ),
    ];
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (role, name, used, set_explicitly) in in_use {
        if !used {
            continue;
        }
        if let Err(problem) = apex_names::check_identifier(name) {
            let fix = if set_explicitly {
                format!("change [classes] {role} in {file_label}")
            } else if prefix_given {
                "choose a shorter or different prefix (--prefix or [classes] prefix)".to_string()
            } else {
                format!("set [classes] {role} in {file_label}")
            };
            return Err(Error::Input(format!(
                "{role} class name `{name}` {problem}; {fix}"
            )));
        }
        if let Some((other, _)) = seen.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)) {
            return Err(Error::Input(format!(
                "{role} and {other} would both be named `{name}`; give them different names in [classes] of {file_label}"
            )));
        }
        seen.push((role, name));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml: &str, flags: &Overrides) -> std::result::Result<Settings, String> {
        let file = parse_file_config(toml, FILE_NAME).map_err(|e| e.to_string())?;
        resolve(&file, FILE_NAME, None, flags).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_without_any_input() {
        let s = settings("", &Overrides::default());
        let Ok(s) = s else { panic!("{s:?}") };
        assert_eq!(s.api_version, api_version::NEWEST);
        assert_eq!(s.mode, Mode::Disable);
        assert_eq!(s.sharing, Sharing::With);
        assert_eq!(s.output_dir, PathBuf::from("force-app/main/default"));
        assert_eq!(s.names, ClassNames::from_prefix(DEFAULT_PREFIX));
        assert_eq!(s.entry_points, EntryPoints::default());
    }

    #[test]
    fn flags_beat_the_file_and_the_file_beats_the_project() {
        let project = SfdxProject {
            default_package_dir: Some(PathBuf::from("app")),
            source_api_version: Some("60.0".into()),
        };
        let file = parse_file_config("api_version = \"62.0\"\nmode = \"deactivate\"\n", FILE_NAME);
        let Ok(file) = file else { panic!() };
        let from_file = resolve(&file, FILE_NAME, Some(&project), &Overrides::default());
        let Ok(from_file) = from_file else { panic!() };
        assert_eq!(from_file.api_version.to_string(), "62.0");
        assert_eq!(from_file.mode, Mode::Deactivate);
        assert_eq!(from_file.output_dir, PathBuf::from("app/main/default"));

        let flags = Overrides {
            api_version: Some("64.0".into()),
            mode: Some(Mode::Disable),
            ..Overrides::default()
        };
        let from_flags = resolve(&file, FILE_NAME, Some(&project), &flags);
        let Ok(from_flags) = from_flags else { panic!() };
        assert_eq!(from_flags.api_version.to_string(), "64.0");
        assert_eq!(from_flags.mode, Mode::Disable);

        let only_project = resolve(
            &FileConfig::default(),
            FILE_NAME,
            Some(&project),
            &Overrides::default(),
        );
        assert_eq!(
            only_project.map(|s| s.api_version.to_string()).ok(),
            Some("60.0".to_string())
        );
    }

    #[test]
    fn unknown_keys_name_their_line() {
        let err = settings(
            "mode = \"disable\"\ncolour = \"red\"\n",
            &Overrides::default(),
        );
        let Err(err) = err else { panic!() };
        assert!(
            err.starts_with("portal-disable.toml:2:1: unknown field `colour`"),
            "{err}"
        );
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn bad_values_are_one_line_with_the_fix() {
        let cases = [
            (
                "mode = \"delete\"",
                "portal-disable.toml:1:8: unknown variant `delete`",
            ),
            (
                "api_version = \"56.0\"",
                "API version `56.0` (api_version in portal-disable.toml) is older than 57.0",
            ),
            (
                "[classes]\nprefix = \"1Bad\"",
                "core class name `1Bad` must start with a letter",
            ),
            (
                "[classes]\ncore = \"Trigger\"",
                "core class name `Trigger` is a reserved Apex keyword; change [classes] core",
            ),
            (
                "[classes]\ntest = \"PortalUserDisabler\"",
                "test and core would both be named `PortalUserDisabler`",
            ),
            ("[entry_points]\nsoap = true", "unknown entry point `soap`"),
            (
                "[entry_points]\ntrigger = true\nqueueable = false",
                "entry point `trigger` needs `queueable`",
            ),
            (
                "[trigger]\nfield = \"Disable\"",
                "trigger field `Disable` must be a custom field API name ending in `__c`",
            ),
        ];
        for (toml, want) in cases {
            let err = settings(toml, &Overrides::default());
            let Err(err) = err else {
                panic!("{toml} was accepted")
            };
            assert!(err.contains(want), "{toml}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn a_long_prefix_is_blamed_on_the_prefix() {
        let flags = Overrides {
            prefix: Some("A".repeat(35)),
            ..Overrides::default()
        };
        let err = settings("", &flags);
        let Err(err) = err else { panic!() };
        assert!(err.contains("invocable class name"), "{err}");
        assert!(
            err.contains("choose a shorter or different prefix"),
            "{err}"
        );
    }

    #[test]
    fn names_of_entry_points_not_generated_are_not_checked() {
        let flags = Overrides {
            prefix: Some("A".repeat(36)),
            entry_points: Some(vec![]),
            ..Overrides::default()
        };
        assert!(settings("", &flags).is_ok());
    }

    #[test]
    fn deploy_defaults_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |text: &str| {
            std::fs::write(dir.path().join(FILE_NAME), text).unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(
            deploy_defaults(dir.path(), None).map_err(|e| e.to_string()),
            Ok(DeployDefaults::default())
        );
        write("[deploy]\ntest_level = \"RunLocalTests\"\nwait = 60\n");
        assert_eq!(
            deploy_defaults(dir.path(), None).map_err(|e| e.to_string()),
            Ok(DeployDefaults {
                test_level: Some("RunLocalTests".into()),
                tests: Vec::new(),
                wait: Some(60),
            })
        );
        for (toml, want) in [
            (
                "[deploy]\ntest_level = \"Everything\"\n",
                "is not a test level",
            ),
            (
                "[deploy]\ntests = [\"1Bad\"]\n",
                "class name `1Bad` must start with a letter",
            ),
            ("[deploy]\nwait = 20000\n", "more than a week"),
            ("[deploy]\nwaiting = 1\n", "unknown field `waiting`"),
        ] {
            write(toml);
            let err = deploy_defaults(dir.path(), None).map_err(|e| e.to_string());
            assert!(
                matches!(&err, Err(m) if m.contains(want)),
                "{toml}: {err:?}"
            );
        }
    }

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
    }
}
