//! A string that must never be printed: access tokens, refresh tokens, client secrets,
//! private keys.
//!
//! `Debug` and `Display` print `(redacted)`, so a secret that ends up in an error message, a
//! log line or a `{:?}` of a larger struct shows nothing. The value is reachable only through
//! [`Secret::expose`], which makes every place that sends it over the wire easy to find.

use std::fmt;

/// A secret string; see the module documentation.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string (an sfdx auth URL may have no client secret).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_its_value() {
        let secret = Secret::new("00Dxx!AQ.token");
        assert_eq!(format!("{secret}"), "(redacted)");
        assert_eq!(format!("{secret:?}"), "(redacted)");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            token: Secret,
        }
        let holder = format!(
            "{:?}",
            Holder {
                token: secret.clone()
            }
        );
        assert!(!holder.contains("token."), "{holder}");
        assert_eq!(secret.expose(), "00Dxx!AQ.token");
    }
}
