//! A string that must never be printed: access tokens, refresh tokens, client secrets and
//! private keys.
//!
//! `Debug` and `Display` both print `(redacted)`, so a secret can sit inside any struct that
//! derives `Debug`, or slip into an error message, without leaking. The only way to the text is
//! [`Secret::expose`], which is greppable and used where the secret goes on the wire.

use std::fmt;

/// A secret string; see the module doc.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret text, for the request that needs it and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True for the empty string (an sfdx auth URL may have no client secret).
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
    fn never_prints_the_value() {
        let secret = Secret::new("00Dxx!AQ.supersecret");
        assert_eq!(format!("{secret}"), "(redacted)");
        assert_eq!(format!("{secret:?}"), "(redacted)");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            token: Secret,
        }
        let shown = format!(
            "{:?}",
            Holder {
                token: secret.clone()
            }
        );
        assert!(!shown.contains("supersecret"), "{shown}");
        assert_eq!(secret.expose(), "00Dxx!AQ.supersecret");
    }
}
