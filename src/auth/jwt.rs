//! The JWT bearer assertion (`urn:ietf:params:oauth:grant-type:jwt-bearer`): RS256, signed
//! with the connected app's private key, claims `iss` (client id), `sub` (username), `aud`
//! (login URL or `SF_AUDIENCE_URL`) and `exp` a few minutes ahead.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use crate::secret::Secret;

/// How long the assertion is valid: Salesforce wants `exp` within a few minutes.
const LIFETIME_SECONDS: u64 = 180;

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
}

/// Why no assertion could be built, without quoting the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtProblem {
    /// The key file is not an RSA private key in PEM (PKCS#1 or PKCS#8).
    NotAnRsaPem,
    /// Signing failed (should not happen with a valid key).
    Signing,
}

impl std::fmt::Display for JwtProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JwtProblem::NotAnRsaPem => {
                "is not an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)"
            }
            JwtProblem::Signing => "could not sign the JWT assertion",
        })
    }
}

/// Checks that `pem` holds an RSA private key we can sign with, before any request.
pub fn check_private_key(pem: &Secret) -> Result<(), JwtProblem> {
    assertion("check", "check", "https://login.salesforce.com", pem).map(|_| ())
}

/// Builds the signed assertion for `client_id` and `username`, for audience `audience`.
pub fn assertion(
    client_id: &str,
    username: &str,
    audience: &str,
    private_key_pem: &Secret,
) -> Result<Secret, JwtProblem> {
    let pem = private_key_pem.expose();
    // A public key or certificate parses as PEM too, then fails only when signing.
    let labelled_private = [
        "-----BEGIN PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----",
    ]
    .iter()
    .any(|label| pem.contains(label));
    if !labelled_private {
        return Err(JwtProblem::NotAnRsaPem);
    }
    let key = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| JwtProblem::NotAnRsaPem)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let claims = Claims {
        iss: client_id,
        sub: username,
        aud: audience.trim_end_matches('/'),
        exp: now + LIFETIME_SECONDS,
    };
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key)
        .map(Secret::new)
        .map_err(|_| JwtProblem::Signing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/auth/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[derive(serde::Deserialize)]
    struct Decoded {
        iss: String,
        sub: String,
        aud: String,
        exp: u64,
    }

    #[test]
    fn signs_with_either_pem_form_and_verifies_with_the_public_key() {
        let public = DecodingKey::from_rsa_pem(fixture("test-key-public.pem").as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        for key in ["test-key-pkcs8.pem", "test-key-pkcs1.pem"] {
            let jwt = assertion(
                "3MVG9client",
                "ci@acme.com",
                "https://test.salesforce.com/",
                &Secret::new(fixture(key)),
            )
            .unwrap_or_else(|e| panic!("{key}: {e}"));
            let mut validation = Validation::new(Algorithm::RS256);
            validation.set_audience(&["https://test.salesforce.com"]);
            let claims = jsonwebtoken::decode::<Decoded>(jwt.expose(), &public, &validation)
                .unwrap_or_else(|e| panic!("{key}: {e}"))
                .claims;
            assert_eq!(claims.iss, "3MVG9client");
            assert_eq!(claims.sub, "ci@acme.com");
            assert_eq!(claims.aud, "https://test.salesforce.com");
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            assert!(
                claims.exp > now && claims.exp <= now + LIFETIME_SECONDS,
                "{}",
                claims.exp
            );
        }
    }

    #[test]
    fn refuses_what_is_not_an_rsa_private_key() {
        for text in ["", "not a key", &fixture("test-key-public.pem")] {
            assert_eq!(
                assertion("c", "u", "https://login.salesforce.com", &Secret::new(text)).err(),
                Some(JwtProblem::NotAnRsaPem)
            );
        }
    }
}
