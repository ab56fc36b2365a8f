//! A string that must never be printed: access tokens, refresh tokens, client secrets and
//! private keys.
//!
//! `Debug` and `Display` both print `(redacted)`, so a secret can sit inside any struct that
//! derives `Debug`, or slip into an error message, without leaking. The only way to the text is
//! [`Secret::expose`], which is greppable and used where the secret goes on the wire.
//!
//! The org may echo a secret back (the session in a SOAP `faultstring`, the token form in an
//! OAuth `error_description`, a proxy's error page). So every secret's value is also
//! remembered, as written and form-encoded, and [`scrub`] replaces them in any text: the one
//! output path (`output.rs`) scrubs everything it prints or writes.

use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

/// Values shorter than this are not scrubbed (an empty client secret, a one-letter test
/// value): replacing them would garble ordinary text without protecting anything.
const SCRUB_MIN_LEN: usize = 6;

/// Every secret value this process has held, as written and form-encoded.
static KNOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// A secret string; see the module doc.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret, and remembers its value for [`scrub`].
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        remember(&value);
        Secret(value)
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

fn remember(value: &str) {
    if value.len() < SCRUB_MIN_LEN {
        return;
    }
    let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    if let Ok(mut known) = KNOWN.lock() {
        for form in [value.to_string(), encoded] {
            if !known.contains(&form) {
                known.push(form);
            }
        }
        // Longest first, so a value that contains another is replaced whole.
        known.sort_by_key(|k| std::cmp::Reverse(k.len()));
    }
}

/// `text` with every secret value this process holds replaced by `(redacted)`.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let Ok(known) = KNOWN.lock() else {
        return Cow::Borrowed(text);
    };
    if !known.iter().any(|k| text.contains(k.as_str())) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for k in known.iter() {
        out = out.replace(k.as_str(), "(redacted)");
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_values_are_scrubbed_raw_and_form_encoded() {
        let token = Secret::new("00Dxx!AQ.echoed-by-the-org");
        let text = "INVALID_SESSION_ID: session 00Dxx!AQ.echoed-by-the-org expired; form refresh_token=00Dxx%21AQ.echoed-by-the-org";
        let clean = scrub(text);
        assert!(!clean.contains("echoed-by-the-org"), "{clean}");
        assert_eq!(clean.matches("(redacted)").count(), 2, "{clean}");
        assert_eq!(scrub("nothing secret"), "nothing secret");
        drop(token);
        // Short values are not taken for secrets.
        let _short = Secret::new("ab");
        assert_eq!(scrub("ab cd"), "ab cd");
    }

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
