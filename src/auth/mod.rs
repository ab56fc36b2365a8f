//! Credential sources and the session they produce.
//!
//! Every command that talks to an org needs a [`Session`]: the instance URL and an access token.
//! Where that comes from is a [`Credentials`] source. Today that is the access token source
//! (`SF_ACCESS_TOKEN` + `SF_ORG_INSTANCE_URL`, the sf CLI's names); the sfdx auth URL
//! (refresh token), JWT bearer and client-credentials sources slot in as more variants: each
//! knows how to log in ([`Credentials::login`]) and whether it can log in again when the org
//! answers `INVALID_SESSION_ID` mid-deploy ([`Credentials::relogin`]). Secrets only ever come
//! from the environment or files, never from flags (they would show in `ps`).

pub mod endpoint;
pub mod jwt;
pub mod sfdx_auth_url;
pub mod token;

use url::Url;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Variable holding the access token (as in the sf CLI).
pub const ACCESS_TOKEN_VAR: &str = "SF_ACCESS_TOKEN";
/// Variable holding the org's instance URL (as in the sf CLI).
pub const INSTANCE_URL_VAR: &str = "SF_ORG_INSTANCE_URL";

/// An authenticated connection target.
#[derive(Debug, Clone)]
pub struct Session {
    pub instance_url: Url,
    pub access_token: Secret,
}

/// Where the session comes from.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A ready access token and the instance it belongs to; cannot be refreshed.
    AccessToken { instance_url: Url, token: Secret },
}

impl Credentials {
    /// Picks the source from environment variables (read through `var` so tests can feed it).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let token = var(ACCESS_TOKEN_VAR).filter(|t| !t.trim().is_empty());
        let instance = var(INSTANCE_URL_VAR).filter(|u| !u.trim().is_empty());
        match (token, instance) {
            (Some(token), Some(instance)) => Ok(Credentials::AccessToken {
                instance_url: endpoint::parse_instance_url(&instance, INSTANCE_URL_VAR)?,
                token: Secret::new(token.trim()),
            }),
            (Some(_), None) => Err(Error::Input(format!(
                "{ACCESS_TOKEN_VAR} is set but {INSTANCE_URL_VAR} is not; set it to the org's address, e.g. https://mycompany.my.salesforce.com"
            ))),
            (None, Some(_)) => Err(Error::Input(format!(
                "{INSTANCE_URL_VAR} is set but {ACCESS_TOKEN_VAR} is not; set it to an access token for that org (e.g. from `sf org display --json`)"
            ))),
            (None, None) => Err(Error::Input(format!(
                "no org credentials: set {ACCESS_TOKEN_VAR} and {INSTANCE_URL_VAR} (the access token and address of the org)"
            ))),
        }
    }

    /// The process environment's credentials.
    pub fn from_process_env() -> Result<Self> {
        Self::from_env(|name| std::env::var(name).ok())
    }

    /// A session to start with. An access token needs no request; the OAuth sources will make
    /// their token request here.
    pub fn login(&self) -> Result<Session> {
        match self {
            Credentials::AccessToken {
                instance_url,
                token,
            } => Ok(Session {
                instance_url: instance_url.clone(),
                access_token: token.clone(),
            }),
        }
    }

    /// A fresh session after the org refused the current one, or `None` when this source has
    /// no way to get another (an access token is what it is).
    pub fn relogin(&self) -> Option<Result<Session>> {
        match self {
            Credentials::AccessToken { .. } => None,
        }
    }

    /// What to tell the user when the org refuses the session.
    pub fn expired_hint(&self) -> &'static str {
        match self {
            Credentials::AccessToken { .. } => {
                "the access token in SF_ACCESS_TOKEN is expired or revoked; get a new one (e.g. `sf org display --json`)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn access_token_source() {
        let creds = Credentials::from_env(env(&[
            (ACCESS_TOKEN_VAR, "00D!secret"),
            (INSTANCE_URL_VAR, "https://acme.my.salesforce.com"),
        ]));
        let session = creds.and_then(|c| c.login()).map_err(|e| e.to_string());
        let session = session.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(session.access_token.expose(), "00D!secret");
        assert!(!format!("{session:?}").contains("secret"));
    }

    #[test]
    fn missing_or_bad_inputs_are_input_errors_without_the_token() {
        for pairs in [
            &[][..],
            &[(ACCESS_TOKEN_VAR, "00D!secret")][..],
            &[(INSTANCE_URL_VAR, "https://x.my.salesforce.com")][..],
            &[
                (ACCESS_TOKEN_VAR, "00D!secret"),
                (INSTANCE_URL_VAR, "http://x.my.salesforce.com"),
            ][..],
        ] {
            match Credentials::from_env(env(pairs)) {
                Err(Error::Input(message)) => assert!(!message.contains("secret"), "{message}"),
                other => panic!("{pairs:?}: {other:?}"),
            }
        }
    }
}
