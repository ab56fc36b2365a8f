//! The OAuth token endpoint (`POST /services/oauth2/token`, metadata-api.md §9) and the
//! sessions it hands out.
//!
//! Grants: `refresh_token`, `urn:ietf:params:oauth:grant-type:jwt-bearer` (RS256 assertion
//! verified with the scenario's public key) and `client_credentials` (form or HTTP Basic).
//! Every success issues a fresh access token the SOAP handlers then accept. Errors are
//! Salesforce's HTTP 400 `{"error", "error_description"}` pairs.
//!
//! Each token request is recorded with operation [`OPERATION`] and its `grant_type` in
//! `Recorded::grant`; nothing secret (client secret, refresh token, assertion, Basic header,
//! issued token) is recorded.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher, RandomState};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::{Value, json};

use super::http::{Request, Response};
use super::{AuthConfig, Recorded, TOKEN, respond};

/// `Recorded::operation` of a token request.
pub const OPERATION: &str = "token";
/// The JWT bearer grant type.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Prefix of every issued access token (then 32 hex digits).
pub const ISSUED_PREFIX: &str = "00D000000000001!AQ.issued-";

/// The access tokens the org knows: the static `TOKEN`, every issued one, the revoked ones.
#[derive(Debug, Default)]
pub struct Sessions {
    /// Issued tokens, oldest first.
    issued: Vec<String>,
    revoked: HashSet<String>,
    /// Answered checkDeployStatus calls per session.
    polls: HashMap<String, u32>,
    /// `expire_after_polls` has revoked its session.
    expired_once: bool,
    counter: u64,
}

impl Sessions {
    /// `TOKEN` or an issued token, not revoked.
    pub fn is_valid(&self, token: &str) -> bool {
        (token == TOKEN || self.issued.iter().any(|t| t == token)) && !self.revoked.contains(token)
    }

    /// Counts a checkDeployStatus call that passed the session check; revokes the session on
    /// the `expire_after_polls`-th (once per simulator).
    pub fn polled(&mut self, token: &str, auth: &AuthConfig) {
        let Some(limit) = auth.expire_after_polls else {
            return;
        };
        if self.expired_once {
            return;
        }
        let count = self.polls.entry(token.to_string()).or_default();
        *count += 1;
        if *count >= limit {
            self.revoked.insert(token.to_string());
            self.expired_once = true;
        }
    }

    pub fn issued(&self) -> Vec<String> {
        self.issued.clone()
    }

    /// A token never issued before: 128 bits from two randomly keyed hashers over a counter
    /// and the time.
    fn issue(&mut self) -> String {
        loop {
            self.counter += 1;
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let mut halves = [0u64; 2];
            for (i, half) in halves.iter_mut().enumerate() {
                let mut hasher = RandomState::new().build_hasher();
                hasher.write_u64(self.counter);
                hasher.write_u128(nanos);
                hasher.write_usize(i);
                *half = hasher.finish();
            }
            let token = format!("{ISSUED_PREFIX}{:016x}{:016x}", halves[0], halves[1]);
            if !self.issued.contains(&token) && token != TOKEN {
                self.issued.push(token.clone());
                return token;
            }
        }
    }
}

/// An OAuth error: (error, error_description).
type OAuthError = (&'static str, &'static str);

const INVALID_CLIENT_ID: OAuthError = ("invalid_client_id", "client identifier invalid");
const INVALID_CLIENT: OAuthError = ("invalid_client", "invalid client credentials");
const EXPIRED_REFRESH: OAuthError = ("invalid_grant", "expired access/refresh token");
const INVALID_ASSERTION: OAuthError = ("invalid_grant", "invalid assertion");
const NOT_APPROVED: OAuthError = ("invalid_grant", "user hasn't approved this consumer");
const BAD_AUDIENCE: OAuthError = ("invalid_grant", "audience is invalid");
const EXPIRED_JWT: OAuthError = ("invalid_grant", "expired authorization code");
const NO_GRANT: OAuthError = ("invalid_request", "grant type is missing");
const UNSUPPORTED: OAuthError = ("unsupported_grant_type", "grant type not supported");

/// Answers one token request; `base_url` is the simulator's `http://127.0.0.1:PORT`.
pub fn token(
    sessions: &mut Sessions,
    auth: &AuthConfig,
    base_url: &str,
    request: &Request,
    record: &mut Recorded,
) -> Response {
    record.operation = OPERATION.into();
    let content_type = request.header("Content-Type").unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        record.violations.push(format!(
            "token request Content-Type `{content_type}`, not application/x-www-form-urlencoded"
        ));
    }
    let form = Form(
        url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect(),
    );
    record.grant = form.get("grant_type").map(str::to_string);
    let outcome = match form.get("grant_type") {
        None => Err(NO_GRANT),
        Some("refresh_token") => refresh(auth, &form),
        Some(JWT_BEARER) => jwt_bearer(auth, base_url, form.get("assertion"), record),
        Some("client_credentials") => client_credentials(auth, request, &form),
        Some(_) => Err(UNSUPPORTED),
    };
    match outcome {
        Ok(()) => {
            let issued_at = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            let body = json!({
                "access_token": sessions.issue(),
                "instance_url": base_url,
                "id": format!("https://login.salesforce.com/id/00D000000000001/{}", respond::USER_ID),
                "token_type": "Bearer",
                "issued_at": issued_at.to_string(),
                "signature": "c2ln",
                "scope": "api",
            });
            Response::json(200, body.to_string())
        }
        Err((error, description)) => Response::json(
            400,
            json!({"error": error, "error_description": description}).to_string(),
        ),
    }
}

/// The decoded form fields (`+` is a space, `%XX` a byte); the first of repeated keys wins.
struct Form(Vec<(String, String)>);

impl Form {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Client first (id, then the secret when sent), then the refresh token.
fn refresh(auth: &AuthConfig, form: &Form) -> Result<(), OAuthError> {
    if form.get("client_id") != Some(auth.client_id) {
        return Err(INVALID_CLIENT_ID);
    }
    // Sent but empty counts as wrong: clients send client_secret only when non-empty.
    if form
        .get("client_secret")
        .is_some_and(|s| s != auth.client_secret)
    {
        return Err(INVALID_CLIENT);
    }
    if form.get("refresh_token") != Some(auth.refresh_token) {
        return Err(EXPIRED_REFRESH);
    }
    Ok(())
}

/// Algorithm and signature, then iss, sub, aud, exp.
fn jwt_bearer(
    auth: &AuthConfig,
    base_url: &str,
    assertion: Option<&str>,
    record: &mut Recorded,
) -> Result<(), OAuthError> {
    let assertion = assertion.ok_or(INVALID_ASSERTION)?;
    // A public key that does not parse is the scenario's fault, a bad assertion the client's.
    if crate::jwt::pem_der(&auth.jwt_public_key_pem, "PUBLIC KEY").is_none() {
        record.violations.push(
            "the scenario's jwt_public_key_pem is unusable: not a PEM public key".to_string(),
        );
        return Err(INVALID_ASSERTION);
    }
    let claims = crate::jwt::verify_rs256(&auth.jwt_public_key_pem, assertion)
        .map_err(|_| INVALID_ASSERTION)?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("iss") != Some(auth.client_id) {
        return Err(INVALID_CLIENT_ID);
    }
    if text("sub") != Some(auth.username) {
        return Err(NOT_APPROVED);
    }
    let audience_ok = match (&auth.jwt_audience, text("aud")) {
        (_, None) => false,
        (Some(only), Some(aud)) => aud == only,
        (None, Some(aud)) => {
            aud == base_url
                || aud.strip_suffix('/') == Some(base_url)
                || aud == "https://login.salesforce.com"
                || aud == "https://test.salesforce.com"
        }
    };
    if !audience_ok {
        return Err(BAD_AUDIENCE);
    }
    // Seconds; sfdx-core's milliseconds are far in the future and pass, as on Salesforce.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match claims.get("exp").and_then(Value::as_f64) {
        Some(exp) if exp > now as f64 => Ok(()),
        _ => Err(EXPIRED_JWT),
    }
}

/// Id and secret from the form, else from HTTP Basic.
fn client_credentials(auth: &AuthConfig, request: &Request, form: &Form) -> Result<(), OAuthError> {
    let (id, secret) = match form.get("client_id") {
        Some(id) => (
            Some(id.to_string()),
            form.get("client_secret").map(str::to_string),
        ),
        None => match basic(request) {
            Some((id, secret)) => (Some(id), Some(secret)),
            None => (None, None),
        },
    };
    if id.as_deref() != Some(auth.client_id) {
        return Err(INVALID_CLIENT_ID);
    }
    if secret.as_deref() != Some(auth.client_secret) {
        return Err(INVALID_CLIENT);
    }
    Ok(())
}

/// `Authorization: Basic base64(id:secret)`.
fn basic(request: &Request) -> Option<(String, String)> {
    let value = request.header("Authorization")?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}
