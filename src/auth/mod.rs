//! Credential sources and the session they produce.
//!
//! Every command that talks to an org needs a [`Session`]: the instance URL and an access
//! token. It comes from one of five [`Credentials`] sources: an org the installed sf CLI knows
//! (`--target-org`, [`sf_cli`]), or one of four named as the sf CLI names them so a team's CI
//! secrets carry over: an access token, an sfdx auth URL (refresh token), a JWT bearer
//! assertion, or client credentials ([`sources`] picks the one given). Each knows how to log in
//! ([`Credentials::login`]) and whether it can log in again when the org answers
//! `INVALID_SESSION_ID` mid-deploy ([`Credentials::relogin`]). Secrets only ever come from the
//! environment, files or the sf CLI, never from flags (they would show in `ps`).

pub(crate) mod endpoint;
pub(crate) mod jwt;
pub(crate) mod oauth;
pub(crate) mod sf_cli;
pub(crate) mod sfdx_auth_url;
pub mod sources;
pub(crate) mod token;

use url::Url;

use crate::error::{Error, Result};
use crate::secret::Secret;

pub use sources::AuthFlags;

/// An authenticated connection target.
#[derive(Debug, Clone)]
pub struct Session {
    pub instance_url: Url,
    pub access_token: Secret,
}

/// Where the session comes from. `Debug` shows no secret (they are [`Secret`]s).
#[derive(Debug, Clone)]
pub enum Credentials {
    /// `--target-org`, `SF_TARGET_ORG` or the sf CLI's default org: the installed sf CLI's
    /// session, asked for again (it refreshes) when the org refuses it.
    SfCli { org: sf_cli::SfOrg },
    /// `SF_ACCESS_TOKEN` + `SF_ORG_INSTANCE_URL`: a ready session; cannot be refreshed.
    AccessToken { instance_url: Url, token: Secret },
    /// `SF_AUTH_URL` or `--auth-url-file`: the refresh-token grant.
    AuthUrl {
        login_url: Url,
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
        /// Where the URL came from, for messages (`SF_AUTH_URL`, `--auth-url-file x`).
        origin: String,
    },
    /// `SF_CLIENT_ID` + `SF_USERNAME` + `SF_JWT_KEY_FILE`: the JWT bearer grant.
    Jwt {
        login_url: Url,
        audience: String,
        client_id: String,
        username: String,
        private_key: Secret,
    },
    /// `SF_CLIENT_ID` + `SF_CLIENT_SECRET` + `SF_ORG_INSTANCE_URL`: the client-credentials
    /// grant against the org's My Domain.
    ClientCredentials {
        instance_url: Url,
        client_id: String,
        client_secret: Secret,
    },
}

impl Credentials {
    /// The credentials of this process, from its flags, its environment and (for the sf CLI's
    /// default org) its current folder.
    pub fn from_process_env(flags: &AuthFlags) -> Result<Self> {
        let cwd = std::env::current_dir().map_err(|e| Error::io("read", "current folder", e))?;
        sources::resolve(
            flags,
            &|name| std::env::var(name).ok(),
            &cwd,
            &mut |warning| crate::output::warning(warning),
        )
    }

    /// The source's name in messages.
    pub fn flow(&self) -> &'static str {
        match self {
            Credentials::SfCli { .. } => "sf CLI",
            Credentials::AccessToken { .. } => "access token",
            Credentials::AuthUrl { .. } => "sfdx auth URL (refresh token)",
            Credentials::Jwt { .. } => "JWT bearer",
            Credentials::ClientCredentials { .. } => "client credentials",
        }
    }

    /// A session to start with: the access token as it is, or a token request for the OAuth
    /// sources.
    pub fn login(&self) -> Result<Session> {
        match self {
            Credentials::AccessToken {
                instance_url,
                token,
            } => Ok(Session {
                instance_url: instance_url.clone(),
                access_token: token.clone(),
            }),
            Credentials::SfCli { org } => sf_cli::session(org),
            other => oauth::login(other),
        }
    }

    /// A fresh session after the org refused the current one, or `None` when this source has
    /// no way to get another (an access token is what it is). The sf CLI is asked again: it
    /// refreshes an expired token before answering.
    pub fn relogin(&self) -> Option<Result<Session>> {
        match self {
            Credentials::AccessToken { .. } => None,
            other => Some(other.login()),
        }
    }

    /// What to tell the user when the org refuses the session for good.
    pub fn expired_hint(&self) -> String {
        match self {
            Credentials::AccessToken { .. } => {
                "the access token in SF_ACCESS_TOKEN is expired or revoked; get a new one (e.g. `sf org auth show-access-token --json`), or use a source that can log in again (--target-org, SF_AUTH_URL, JWT, client credentials)".to_string()
            }
            Credentials::SfCli { org } => format!(
                "the org refused the session the sf CLI gave for {org}, even after asking it again; log in again (`{}`) and check that the user may use the Metadata API (Modify All Data or Modify Metadata)",
                org.login_command(None, None)
            ),
            _ => {
                "the org refused the session even after logging in again; check that the user may use the Metadata API (Modify All Data or Modify Metadata)".to_string()
            }
        }
    }
}
