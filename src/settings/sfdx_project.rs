//! `sfdx-project.json`: the two facts the generator takes from it when present, the default
//! package directory (where sources go) and `sourceApiVersion` (the project's API version).
//!
//! Salesforce projects keep generated sources next to hand-written ones, so honouring these
//! is what makes `generate` land files where `sf project deploy` will find them.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Bad, Error, Result};

/// The file name the sf CLI looks for at the project root.
pub(crate) const FILE_NAME: &str = "sfdx-project.json";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProject {
    #[serde(default)]
    package_directories: Vec<RawPackageDirectory>,
    source_api_version: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawPackageDirectory {
    path: String,
    #[serde(default)]
    default: bool,
}

/// What the generator uses from `sfdx-project.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SfdxProject {
    /// The default package directory (`force-app`), relative to the project root.
    pub default_package_dir: Option<PathBuf>,
    /// `sourceApiVersion`, as written (validated by the caller, which knows the range).
    pub source_api_version: Option<String>,
}

impl SfdxProject {
    /// Reads `sfdx-project.json` in `root`; `None` when there is none.
    pub(crate) fn load(root: &Path) -> Result<Option<Self>> {
        let path = root.join(FILE_NAME);
        let text = match crate::fs::read::text(&path) {
            Ok(text) => text,
            Err(crate::fs::read::ReadError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into_error(Path::new(FILE_NAME))),
        };
        Self::parse(&text).map(Some)
    }

    /// Parses the JSON text of `sfdx-project.json`.
    pub(crate) fn parse(text: &str) -> Result<Self> {
        let raw: RawProject = serde_json::from_str(text).map_err(|e| {
            Error::input(
                Bad::Config,
                format!(
                    "{FILE_NAME}:{}:{}: {}; fix the JSON or remove the file",
                    e.line(),
                    e.column(),
                    strip_position(&e.to_string())
                ),
            )
        })?;
        let chosen = raw
            .package_directories
            .iter()
            .find(|dir| dir.default)
            .or_else(|| raw.package_directories.first());
        let default_package_dir = match chosen {
            Some(dir) => Some(inside_project(
                &dir.path,
                &format!("{FILE_NAME}: packageDirectories path"),
            )?),
            None => None,
        };
        Ok(SfdxProject {
            default_package_dir,
            source_api_version: raw.source_api_version,
        })
    }
}

/// serde_json appends " at line L column C"; we print the position first instead.
fn strip_position(message: &str) -> &str {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(head, _)| head)
}

/// A path from a file in the repository (`sfdx-project.json`, `portal-disable.toml`) must
/// stay inside the project: relative, without `..`. `origin` names where it was read.
pub(crate) fn inside_project(path: &str, origin: &str) -> Result<PathBuf> {
    let candidate = Path::new(path);
    let escapes = candidate.is_absolute()
        || candidate
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir));
    if path.trim().is_empty() || escapes {
        return Err(Error::input(
            Bad::Config,
            format!("{origin} `{path}` must be a folder inside the project; fix the path"),
        ));
    }
    Ok(candidate.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_default_package_directory() {
        let project = SfdxProject::parse(
            r#"{"packageDirectories":[{"path":"other"},{"path":"app","default":true}],
                "sourceApiVersion":"62.0"}"#,
        )
        .map_err(|e| e.to_string());
        assert_eq!(
            project,
            Ok(SfdxProject {
                default_package_dir: Some(PathBuf::from("app")),
                source_api_version: Some("62.0".into()),
            })
        );
    }

    #[test]
    fn falls_back_to_the_first_directory() {
        let project = SfdxProject::parse(r#"{"packageDirectories":[{"path":"first"}]}"#)
            .map_err(|e| e.to_string());
        assert_eq!(
            project.map(|p| p.default_package_dir),
            Ok(Some(PathBuf::from("first")))
        );
    }

    #[test]
    fn refuses_paths_outside_the_project() {
        for path in ["../elsewhere", "/abs", ""] {
            let text = format!(r#"{{"packageDirectories":[{{"path":"{path}"}}]}}"#);
            assert!(SfdxProject::parse(&text).is_err(), "{path}");
        }
    }

    #[test]
    fn reports_bad_json_with_its_position() {
        let err = SfdxProject::parse("{\n  \"packageDirectories\": [,]\n}")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("sfdx-project.json:2:"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
}
