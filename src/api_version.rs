//! Salesforce API versions (`68.0`): one type for every place a version appears (the
//! configuration, `--api-version`, `package.xml`, the org's version list, the endpoint), parsed
//! in one way and compared as versions, never as text or floating point.
//!
//! Parsing only checks the form. Which versions the generated Apex may target is a separate
//! question ([`ApiVersion::check_generation`]): the floor is 57.0 because the generated Apex runs
//! its queries and DML with explicit access modes (`WITH USER_MODE`, `AccessLevel`), generally
//! available from API 57.0 (Spring '23); the ceiling is the newest release known to be generally
//! available. A deploy may call any well-formed version the org supports.

use std::fmt;

/// The oldest version the generated Apex compiles on (explicit database access modes).
pub(crate) const OLDEST: ApiVersion = ApiVersion(57);
/// The newest generally available release (Winter '27), and the default.
pub(crate) const NEWEST: ApiVersion = ApiVersion(68);

/// A Salesforce API version such as `68.0`; only the major part is ever non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion(u16);

/// `62` instead of `62.0`, `v62.0`, `62.5`...: not written the way Salesforce writes versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatError;

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "must look like `{NEWEST}`")
    }
}

/// Why a well-formed version cannot be generated for; `Display` completes "API version `X` ...".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    TooOld,
    TooNew,
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeError::TooOld => write!(
                f,
                "is older than {OLDEST}, the first release with explicit database access modes; use {OLDEST} to {NEWEST}"
            ),
            RangeError::TooNew => write!(
                f,
                "is newer than {NEWEST}, the newest generally available release; use {OLDEST} to {NEWEST}"
            ),
        }
    }
}

impl ApiVersion {
    /// The major release number (68 for `68.0`).
    pub fn major(self) -> u16 {
        self.0
    }

    /// This version, when the generated Apex and metadata may target it.
    pub fn check_generation(self) -> Result<Self, RangeError> {
        if self < OLDEST {
            Err(RangeError::TooOld)
        } else if self > NEWEST {
            Err(RangeError::TooNew)
        } else {
            Ok(self)
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.0", self.0)
    }
}

impl std::str::FromStr for ApiVersion {
    type Err = FormatError;

    /// Parses `NN.0` exactly: the Metadata API and `sfdx-project.json` both spell it that way,
    /// and `apiVersion` in meta XML is a double, so `62` would slip through the schema.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (major, minor) = text.split_once('.').ok_or(FormatError)?;
        let digits = !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit());
        if !digits || minor != "0" || major.starts_with('0') || major.len() > 3 {
            return Err(FormatError);
        }
        major.parse().map(ApiVersion).map_err(|_| FormatError)
    }
}

impl serde::Serialize for ApiVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_salesforce_spelling() {
        assert_eq!("68.0".parse::<ApiVersion>(), Ok(NEWEST));
        assert_eq!("57.0".parse::<ApiVersion>(), Ok(OLDEST));
        assert_eq!("20.0".parse::<ApiVersion>().map(ApiVersion::major), Ok(20));
        assert_eq!(NEWEST.to_string(), "68.0");
    }

    #[test]
    fn refuses_other_spellings() {
        for bad in [
            "68", "68.1", "v68.0", "68.00", " 68.0", "068.0", "", ".0", "6a.0", "1000.0",
        ] {
            assert_eq!(bad.parse::<ApiVersion>(), Err(FormatError), "{bad:?}");
        }
    }

    #[test]
    fn compares_as_versions() {
        let v = |s: &str| s.parse::<ApiVersion>().unwrap_or(OLDEST);
        // As text "100.0" < "68.0"; as floating point "9.0" would need care too.
        assert!(v("100.0") > v("68.0"));
        assert!(v("9.0") < v("10.0"));
    }

    #[test]
    fn generation_range_is_checked_apart_from_the_form() {
        let v = |s: &str| s.parse::<ApiVersion>().map_err(|e| e.to_string());
        assert_eq!(
            v("56.0").map(|v| v.check_generation()),
            Ok(Err(RangeError::TooOld))
        );
        assert_eq!(
            v("69.0").map(|v| v.check_generation()),
            Ok(Err(RangeError::TooNew))
        );
        assert_eq!(NEWEST.check_generation(), Ok(NEWEST));
    }
}
