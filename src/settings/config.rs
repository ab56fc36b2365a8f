//! `portal-disable.toml` plus command-line flags -> validated [`Settings`].
//!
//! Precedence, highest first: flags, the config file, `sfdx-project.json`, built-in defaults.
//! The file is read once ([`ConfigFile::read`]); the generator's settings and the deploy
//! defaults both come from that one parse. Everything is checked before anything is rendered,
//! written or sent: unknown keys (with their line), names, the API version, and combinations
//! that cannot work together. Each problem is one line naming where it is and how to fix it.
//! The keys of `[classes]` and `[entry_points]` come from the entry-point table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::entry_points::{ClassNames, EntryPoint, EntryPoints, Role};
use super::sfdx_project::{self, SfdxProject};
use super::{DEFAULT_PREFIX, DEFAULT_TRIGGER_FIELD, Mode, Settings, Sharing};
use crate::apex_names;
use crate::api_version::{self, ApiVersion};
use crate::choice::Choice;
use crate::error::{Bad, Error, Result};
use crate::test_level::TestLevel;
use crate::wait;

/// The config file looked for in the current folder.
pub const FILE_NAME: &str = "portal-disable.toml";
/// Where sources go inside a package directory, as the sf CLI lays them out.
const SOURCE_SUBDIR: &str = "main/default";

/// Values given on the command line; `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub api_version: Option<ApiVersion>,
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
    api_version: Option<Spanned<String>>,
    mode: Option<Mode>,
    sharing: Option<Sharing>,
    output_dir: Option<Spanned<String>>,
    #[serde(default)]
    classes: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    entry_points: BTreeMap<Spanned<String>, bool>,
    #[serde(default)]
    trigger: FileTrigger,
    #[serde(default)]
    deploy: FileDeploy,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDeploy {
    test_level: Option<Spanned<String>>,
    tests: Option<Vec<String>>,
    wait: Option<Spanned<u64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTrigger {
    field: Option<String>,
}

/// `[deploy]` of the config file: defaults for `deploy`, each overridden by its flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployDefaults {
    pub test_level: Option<TestLevel>,
    /// Test classes for RunSpecifiedTests.
    pub tests: Vec<String>,
    /// Minutes to follow a deploy.
    pub wait: Option<u64>,
}

/// The config file as read: its parsed content, its text (for line numbers) and its name.
#[derive(Debug, Default)]
pub struct ConfigFile {
    file: FileConfig,
    text: String,
    label: String,
}

impl ConfigFile {
    /// Reads the file named by `--config`, or `portal-disable.toml` when it exists (an absent
    /// default file is an empty configuration).
    pub fn read(root: &Path, explicit: Option<&Path>) -> Result<Self> {
        let (path, required) = match explicit {
            Some(path) => (root.join(path), true),
            None => (root.join(FILE_NAME), false),
        };
        let label = explicit.map_or_else(|| FILE_NAME.to_string(), |p| p.display().to_string());
        let text = match crate::fs::read::text(&path) {
            Ok(text) => text,
            Err(crate::fs::read::ReadError::NotFound) if !required => {
                return Ok(ConfigFile {
                    label,
                    ..ConfigFile::default()
                });
            }
            Err(crate::fs::read::ReadError::NotFound) => {
                return Err(Error::input(
                    Bad::MissingPath,
                    format!("config file `{label}` does not exist; check the --config path"),
                ));
            }
            Err(other) => return Err(other.into_error(&path)),
        };
        Self::parse(text, label)
    }

    /// Parses the text of a config file named `label` in messages.
    pub fn parse(text: String, label: String) -> Result<Self> {
        let file = toml::from_str(&text).map_err(|e| {
            let at = e.span().map_or(0, |span| span.start);
            let message = e.message().trim().replace('\n', " ");
            Error::input(
                Bad::Config,
                format!(
                    "{}: {message}; see the configuration reference in README.md",
                    position(&label, &text, at)
                ),
            )
        })?;
        Ok(ConfigFile { file, text, label })
    }

    /// `portal-disable.toml:3:1`, for a byte offset of the file.
    fn at(&self, offset: usize) -> String {
        position(&self.label, &self.text, offset)
    }

    /// Reads and checks `[deploy]`.
    pub fn deploy_defaults(&self) -> Result<DeployDefaults> {
        let deploy = &self.file.deploy;
        let test_level = match &deploy.test_level {
            Some(level) => Some(TestLevel::from_key(level.get_ref()).ok_or_else(|| {
                Error::input(
                    Bad::Config,
                    format!(
                        "{}: [deploy] test_level `{}` is not a test level; use one of {}",
                        self.at(level.span().start),
                        level.get_ref(),
                        TestLevel::choices()
                    ),
                )
            })?),
            None => None,
        };
        let tests = deploy.tests.clone().unwrap_or_default();
        for test in &tests {
            if let Err(problem) = apex_names::check_identifier(test) {
                return Err(Error::input(
                    Bad::Name,
                    format!(
                        "{}: [deploy] tests: class name `{test}` {problem}",
                        self.label
                    ),
                ));
            }
        }
        if let Some(minutes) = &deploy.wait
            && *minutes.get_ref() > wait::MAX_MINUTES
        {
            return Err(Error::input(
                Bad::Config,
                format!(
                    "{}: [deploy] wait = {} minutes is more than a week ({}); lower it",
                    self.at(minutes.span().start),
                    minutes.get_ref(),
                    wait::MAX_MINUTES
                ),
            ));
        }
        Ok(DeployDefaults {
            test_level,
            tests,
            wait: deploy.wait.as_ref().map(|w| *w.get_ref()),
        })
    }

    /// The generator's settings in folder `root` with the flags' `overrides`.
    pub fn settings(&self, root: &Path, flags: &Overrides) -> Result<Settings> {
        let project = SfdxProject::load(root)?;
        self.resolve(project.as_ref(), flags)
    }

    fn resolve(&self, project: Option<&SfdxProject>, flags: &Overrides) -> Result<Settings> {
        let api_version = self.api_version(project, flags)?;
        let output_dir = match (&flags.output_dir, &self.file.output_dir) {
            // The user typed the flag: it may point anywhere.
            (Some(dir), _) => dir.clone(),
            // A file in the repository may not send output outside it: the same rule as the
            // package directories of sfdx-project.json.
            (None, Some(dir)) => sfdx_project::inside_project(
                dir.get_ref(),
                &format!("{}: output_dir", self.at(dir.span().start)),
            )?,
            (None, None) => project
                .and_then(|p| p.default_package_dir.as_ref())
                .map_or_else(|| PathBuf::from("force-app"), Clone::clone)
                .join(SOURCE_SUBDIR),
        };
        if output_dir.as_os_str().is_empty() {
            return Err(Error::input(
                Bad::InvalidPath,
                "output folder is empty; set output_dir or pass --output-dir",
            ));
        }
        let entry_points = self.entry_points(flags)?;
        let names = self.names(flags, &entry_points)?;
        let trigger_field = flags
            .trigger_field
            .clone()
            .or_else(|| self.file.trigger.field.clone())
            .unwrap_or_else(|| DEFAULT_TRIGGER_FIELD.to_string());
        if let Err(problem) = apex_names::check_custom_field(&trigger_field) {
            return Err(Error::input(
                Bad::Name,
                format!(
                    "trigger field `{trigger_field}` {problem}; set [trigger] field in {} or pass --trigger-field",
                    self.label
                ),
            ));
        }
        Ok(Settings {
            api_version,
            mode: flags.mode.or(self.file.mode).unwrap_or(Mode::Disable),
            sharing: flags.sharing.or(self.file.sharing).unwrap_or(Sharing::With),
            output_dir,
            names,
            entry_points,
            trigger_field,
        })
    }

    fn api_version(&self, project: Option<&SfdxProject>, flags: &Overrides) -> Result<ApiVersion> {
        let (text, origin) = if let Some(v) = flags.api_version {
            (v.to_string(), "--api-version".to_string())
        } else if let Some(v) = &self.file.api_version {
            (
                v.get_ref().clone(),
                format!("api_version in {}", self.label),
            )
        } else if let Some(v) = project.and_then(|p| p.source_api_version.as_deref()) {
            (
                v.to_string(),
                format!("sourceApiVersion in {}", sfdx_project::FILE_NAME),
            )
        } else {
            return Ok(api_version::NEWEST);
        };
        let bad = |problem: &dyn std::fmt::Display| {
            Error::input(
                Bad::ApiVersion,
                format!(
                    "API version `{text}` ({origin}) {problem}; set api_version in {FILE_NAME} or pass --api-version"
                ),
            )
        };
        let version: ApiVersion = text.parse().map_err(|e| bad(&e))?;
        version.check_generation().map_err(|e| bad(&e))
    }

    fn entry_points(&self, flags: &Overrides) -> Result<EntryPoints> {
        let points = if let Some(list) = &flags.entry_points {
            EntryPoints::only(list)
        } else {
            let mut points = EntryPoints::default();
            for (key, on) in &self.file.entry_points {
                let point = EntryPoint::from_key(key.get_ref()).ok_or_else(|| {
                    Error::input(
                        Bad::Config,
                        format!(
                            "{}: unknown entry point `{}` in [entry_points]; use one of {}",
                            self.at(key.span().start),
                            key.get_ref(),
                            EntryPoint::keys()
                        ),
                    )
                })?;
                points.set(point, *on);
            }
            points
        };
        if let Some((point, need)) = points.missing_need() {
            return Err(Error::input(
                Bad::Config,
                format!(
                    "entry point `{point}` needs `{need}`: {}; enable {need} or drop {point}",
                    need_reason(point)
                ),
            ));
        }
        Ok(points)
    }

    fn names(&self, flags: &Overrides, entry_points: &EntryPoints) -> Result<ClassNames> {
        let prefix_key = "prefix";
        let mut prefix_in_file = None;
        let mut explicit: Vec<Role> = Vec::new();
        let mut overrides: Vec<(Role, &str)> = Vec::new();
        for (key, name) in &self.file.classes {
            if key.get_ref() == prefix_key {
                prefix_in_file = Some(name.clone());
                continue;
            }
            let role = Role::from_key(key.get_ref()).ok_or_else(|| {
                let keys: Vec<&str> = std::iter::once(prefix_key)
                    .chain(Role::all().map(Role::key))
                    .collect();
                Error::input(
                    Bad::Config,
                    format!(
                        "{}: unknown field `{}` in [classes]; use one of {}",
                        self.at(key.span().start),
                        key.get_ref(),
                        keys.join(", ")
                    ),
                )
            })?;
            explicit.push(role);
            overrides.push((role, name));
        }
        let prefix_given = flags.prefix.is_some() || prefix_in_file.is_some();
        let prefix = flags
            .prefix
            .clone()
            .or(prefix_in_file)
            .unwrap_or_else(|| DEFAULT_PREFIX.to_string());
        let mut names = ClassNames::from_prefix(&prefix);
        for (role, name) in overrides {
            *names.slot_mut(role) = name.to_string();
        }

        // Only the names of files that will be generated must be valid and distinct.
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for role in Role::all().filter(|r| r.generated(entry_points)) {
            let name = names.get(role);
            let key = role.key();
            if let Err(problem) = apex_names::check_identifier(name) {
                let fix = if explicit.contains(&role) {
                    format!("change [classes] {key} in {}", self.label)
                } else if prefix_given {
                    "choose a shorter or different prefix (--prefix or [classes] prefix)"
                        .to_string()
                } else {
                    format!("set [classes] {key} in {}", self.label)
                };
                return Err(Error::input(
                    Bad::Name,
                    format!("{key} class name `{name}` {problem}; {fix}"),
                ));
            }
            if let Some((other, _)) = seen.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)) {
                return Err(Error::input(
                    Bad::Name,
                    format!(
                        "{key} and {other} would both be named `{name}`; give them different names in [classes] of {}",
                        self.label
                    ),
                ));
            }
            seen.push((key, name));
        }
        Ok(names)
    }
}

/// Why an entry point needs another: the reason in the message.
fn need_reason(point: EntryPoint) -> &'static str {
    match point {
        EntryPoint::Trigger => {
            "the trigger hands its Contacts to the Queueable so User updates never mix with Contact DML"
        }
        _ => "it calls it",
    }
}

/// Builds the settings for `generate` (and every command that renders) in folder `root`.
pub fn load(root: &Path, flags: &Overrides) -> Result<Settings> {
    ConfigFile::read(root, flags.config.as_deref())?.settings(root, flags)
}

/// `label:line:column` of a byte offset, 1-based.
fn position(label: &str, text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, tail)| tail)
        .chars()
        .count()
        + 1;
    format!("{label}:{line}:{column}")
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
