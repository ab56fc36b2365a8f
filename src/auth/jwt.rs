//! The JWT bearer assertion (`urn:ietf:params:oauth:grant-type:jwt-bearer`): RS256, signed
//! with the connected app's private key, claims `iss` (client id), `sub` (username), `aud`
//! (login URL or `SF_AUDIENCE_URL`) and `exp` a few minutes ahead.
//!
//! Signed with ring, the one crypto library of the binary (rustls uses it too): the key is a
//! PEM block, PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`), decoded here.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde::Serialize;

use crate::secret::Secret;

/// How long the assertion is valid: Salesforce wants `exp` within a few minutes.
const LIFETIME_SECONDS: u64 = 180;

/// `{"typ":"JWT","alg":"RS256"}`, the only header we send.
const HEADER: &str = r#"{"typ":"JWT","alg":"RS256"}"#;

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
}

/// Why no assertion could be built, without quoting the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JwtProblem {
    /// The key file is not an RSA private key in PEM (PKCS#1 or PKCS#8).
    NotAnRsaPem,
    /// An RSA key, but under 2048 or over 4096 bits (or an exponent out of range).
    KeySize,
    /// Signing failed (should not happen with a valid key).
    Signing,
}

impl std::fmt::Display for JwtProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JwtProblem::NotAnRsaPem => {
                "is not an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)"
            }
            JwtProblem::KeySize => {
                "is an RSA key of a size that cannot sign: use a 2048- to 4096-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)"
            }
            JwtProblem::Signing => "could not sign the JWT assertion",
        })
    }
}

/// Checks that `pem` holds an RSA private key we can sign with, before any request.
pub(crate) fn check_private_key(pem: &Secret) -> Result<(), JwtProblem> {
    key_pair(pem.expose()).map(|_| ())
}

/// Builds the signed assertion for `client_id` and `username`, for audience `audience`.
pub(crate) fn assertion(
    client_id: &str,
    username: &str,
    audience: &str,
    private_key_pem: &Secret,
) -> Result<Secret, JwtProblem> {
    let key = key_pair(private_key_pem.expose())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let claims = Claims {
        iss: client_id,
        sub: username,
        aud: audience.trim_end_matches('/'),
        exp: now + LIFETIME_SECONDS,
    };
    let claims = serde_json::to_vec(&claims).map_err(|_| JwtProblem::Signing)?;
    let mut jwt = URL_SAFE_NO_PAD.encode(HEADER);
    jwt.push('.');
    URL_SAFE_NO_PAD.encode_string(claims, &mut jwt);
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        jwt.as_bytes(),
        &mut signature,
    )
    .map_err(|_| JwtProblem::Signing)?;
    jwt.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut jwt);
    Ok(Secret::new(jwt))
}

/// The RSA key of the first private-key PEM block of `pem`: PKCS#8 or PKCS#1, unencrypted.
/// A public key or certificate is refused, as is an encrypted key (its block has headers).
fn key_pair(pem: &str) -> Result<RsaKeyPair, JwtProblem> {
    let (label, body) = [("PRIVATE KEY", true), ("RSA PRIVATE KEY", false)]
        .into_iter()
        .find_map(|(label, pkcs8)| pem_block(pem, label).map(|body| (pkcs8, body)))
        .ok_or(JwtProblem::NotAnRsaPem)?;
    if body.contains(':') {
        return Err(JwtProblem::NotAnRsaPem);
    }
    let base64: String = body.split_whitespace().collect();
    let mut der = STANDARD
        .decode(base64)
        .map_err(|_| JwtProblem::NotAnRsaPem)?;
    let key = if label {
        RsaKeyPair::from_pkcs8(&der)
    } else {
        RsaKeyPair::from_der(&der)
    };
    // The decoded key is not left in the freed buffer.
    der.fill(0);
    std::hint::black_box(&der);
    key.map_err(|rejected| match rejected.to_string().as_str() {
        "TooSmall" | "TooLarge" => JwtProblem::KeySize,
        _ => JwtProblem::NotAnRsaPem,
    })
}

/// The text between `-----BEGIN {label}-----` and its `-----END {label}-----` line.
fn pem_block<'a>(pem: &'a str, label: &str) -> Option<&'a str> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let len = pem[start..].find(&end)?;
    Some(&pem[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

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

    /// The RSAPublicKey inside the fixture's SubjectPublicKeyInfo: for a 2048-bit key, the
    /// SPKI's last 270 bytes (after its 24-byte algorithm and bit-string prefix).
    fn public_key() -> Vec<u8> {
        let text = fixture("test-key-public.pem");
        let body = pem_block(&text, "PUBLIC KEY").unwrap_or_else(|| panic!("no public key"));
        let der = STANDARD
            .decode(body.split_whitespace().collect::<String>())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(der.len(), 294, "a 2048-bit RSA SPKI");
        der[24..].to_vec()
    }

    #[test]
    fn signs_with_either_pem_form_and_verifies_with_the_public_key() {
        let public = public_key();
        for key in ["test-key-pkcs8.pem", "test-key-pkcs1.pem"] {
            let jwt = assertion(
                "3MVG9client",
                "ci@acme.com",
                "https://test.salesforce.com/",
                &Secret::new(fixture(key)),
            )
            .unwrap_or_else(|e| panic!("{key}: {e}"));
            let parts: Vec<&str> = jwt.expose().split('.').collect();
            assert_eq!(parts.len(), 3, "{key}");
            let decode = |part: &str| {
                URL_SAFE_NO_PAD
                    .decode(part)
                    .unwrap_or_else(|e| panic!("{key}: {e}"))
            };
            let header: serde_json::Value =
                serde_json::from_slice(&decode(parts[0])).unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(header["alg"], "RS256");
            assert_eq!(header["typ"], "JWT");
            let signed = format!("{}.{}", parts[0], parts[1]);
            UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &public)
                .verify(signed.as_bytes(), &decode(parts[2]))
                .unwrap_or_else(|_| panic!("{key}: the signature does not verify"));
            let claims: Decoded =
                serde_json::from_slice(&decode(parts[1])).unwrap_or_else(|e| panic!("{key}: {e}"));
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
    fn a_key_too_small_to_sign_says_so() {
        let key = Secret::new(fixture("test-key-1024.pem"));
        assert_eq!(check_private_key(&key), Err(JwtProblem::KeySize));
        assert!(
            JwtProblem::KeySize
                .to_string()
                .contains("2048- to 4096-bit")
        );
    }

    #[test]
    fn refuses_what_is_not_an_rsa_private_key() {
        let pkcs8 = fixture("test-key-pkcs8.pem");
        let encrypted = fixture("test-key-pkcs1.pem").replace(
            "-----BEGIN RSA PRIVATE KEY-----\n",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\n",
        );
        let truncated = &pkcs8[..pkcs8.len() / 2];
        let unterminated = format!("{truncated}\n-----END PRIVATE KEY-----\n");
        for text in [
            "",
            "not a key",
            &fixture("test-key-public.pem"),
            &encrypted,
            truncated,
            &unterminated,
        ] {
            assert_eq!(
                assertion("c", "u", "https://login.salesforce.com", &Secret::new(text)).err(),
                Some(JwtProblem::NotAnRsaPem),
                "{}",
                text.len()
            );
            assert_eq!(
                check_private_key(&Secret::new(text)),
                Err(JwtProblem::NotAnRsaPem)
            );
        }
    }
}
