//! Salesforce API versions (`68.0`): parsing, the supported range, and behaviour that depends
//! on the version.
//!
//! The range has a floor because the generated Apex runs its query and its DML in user mode
//! (`WITH USER_MODE`, `AccessLevel.USER_MODE`), generally available from API 57.0 (Spring '23).
//! The ceiling is the newest release we know to be generally available; Salesforce ships one
//! a season and an org refuses a version newer than its own.

use std::fmt;

/// The oldest version the generated Apex compiles on (user-mode database operations).
pub const OLDEST: ApiVersion = ApiVersion(57);
/// The newest generally available release (Winter '27), and the default.
pub const NEWEST: ApiVersion = ApiVersion(68);

/// A Salesforce API version such as `68.0`; only the major part is ever non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion(u16);

impl ApiVersion {
    /// The major release number (68 for `68.0`).
    pub fn major(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.0", self.0)
    }
}

/// Why a text is not a usable API version; `Display` completes "API version `X` ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionProblem {
    Format,
    TooOld,
    TooNew,
}

impl fmt::Display for VersionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionProblem::Format => write!(f, "must look like `{NEWEST}`"),
            VersionProblem::TooOld => write!(
                f,
                "is older than {OLDEST}, the first release with user-mode database operations; use {OLDEST} to {NEWEST}"
            ),
            VersionProblem::TooNew => write!(
                f,
                "is newer than {NEWEST}, the newest generally available release; use {OLDEST} to {NEWEST}"
            ),
        }
    }
}

impl std::str::FromStr for ApiVersion {
    type Err = VersionProblem;

    /// Parses `NN.0` exactly: the Metadata API and `sfdx-project.json` both spell it that way,
    /// and `apiVersion` in meta XML is a double, so `62` would slip through the schema.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (major, minor) = text.split_once('.').ok_or(VersionProblem::Format)?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || minor != "0" || major.starts_with('0') || major.len() > 3 {
            return Err(VersionProblem::Format);
        }
        let version = ApiVersion(major.parse().map_err(|_| VersionProblem::Format)?);
        if version < OLDEST {
            Err(VersionProblem::TooOld)
        } else if version > NEWEST {
            Err(VersionProblem::TooNew)
        } else {
            Ok(version)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_supported_range() {
        assert_eq!("68.0".parse::<ApiVersion>(), Ok(NEWEST));
        assert_eq!("57.0".parse::<ApiVersion>(), Ok(OLDEST));
        assert_eq!(NEWEST.to_string(), "68.0");
    }

    #[test]
    fn refuses_other_spellings_and_versions() {
        for bad in [
            "68", "68.1", "v68.0", "68.00", " 68.0", "068.0", "", ".0", "6a.0",
        ] {
            assert_eq!(
                bad.parse::<ApiVersion>(),
                Err(VersionProblem::Format),
                "{bad:?}"
            );
        }
        assert_eq!("56.0".parse::<ApiVersion>(), Err(VersionProblem::TooOld));
        assert_eq!("69.0".parse::<ApiVersion>(), Err(VersionProblem::TooNew));
    }
}
