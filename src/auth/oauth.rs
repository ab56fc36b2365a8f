//! Logging in through the OAuth token endpoint: the request each source makes, and the
//! session it yields. The answer's `instance_url` must pass the same HTTPS-or-loopback rule as
//! any address we send a token to.

use std::time::Duration;

use url::Url;

use super::endpoint::parse_instance_url;
use super::jwt;
use super::token::{self, Grant};
use super::{Credentials, Session};
use crate::error::{Bad, Error, Result};

/// The largest token answer read.
const MAX_TOKEN_ANSWER: u64 = 1024 * 1024;
/// A token request gets its whole answer within this time.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(60);

/// The token request for `credentials` (an OAuth source), sent once.
pub(crate) fn login(credentials: &Credentials) -> Result<Session> {
    let (base, grant) = grant_for(credentials)?;
    let url = base.join("services/oauth2/token").map_err(|e| {
        Error::input(
            Bad::InvalidCredentials,
            format!("cannot build the token URL from `{base}`: {e}"),
        )
    })?;
    // The form carries secrets: the one client builder never follows a redirect, and never
    // sends a loopback request through a proxy.
    let http = crate::http::client(&url, TOKEN_TIMEOUT)?;
    let flow = grant.flow();
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(grant.form())
        .finish();
    let response = http
        .post(url.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form)
        .send()
        .map_err(|e| Error::Remote {
            operation: "logging in",
            // reqwest's message names the URL (no secret in it: the form is the body).
            message: format!("{flow}: {url} did not answer: {e}"),
        })?;
    let status = response.status().as_u16();
    // A token answer is a few hundred bytes; reading stops at 1 MiB, and more is not one.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(response, MAX_TOKEN_ANSWER + 1),
        &mut bytes,
    )
    .map_err(|e| Error::Remote {
        operation: "logging in",
        message: format!("{flow}: cannot read the answer of {url}: {e}"),
    })?;
    if bytes.len() as u64 > MAX_TOKEN_ANSWER {
        return Err(Error::Remote {
            operation: "logging in",
            message: format!(
                "{flow}: the answer of {url} is larger than 1 MiB; it is no token answer"
            ),
        });
    }
    let body = String::from_utf8_lossy(&bytes);
    let token =
        token::parse_response(flow, status, &body).map_err(|e| Error::Login(e.to_string()))?;
    let instance_url = parse_instance_url(&token.instance_url, "the token answer's instance_url")?;
    Ok(Session {
        instance_url,
        access_token: token.access_token,
    })
}

/// Where to send the token request, and what to send.
fn grant_for(credentials: &Credentials) -> Result<(Url, Grant)> {
    match credentials {
        Credentials::AccessToken { .. } | Credentials::SfCli { .. } => Err(Error::input(
            Bad::InvalidCredentials,
            "an access token or the sf CLI needs no token request",
        )),
        Credentials::AuthUrl {
            login_url,
            client_id,
            client_secret,
            refresh_token,
            ..
        } => Ok((
            login_url.clone(),
            Grant::RefreshToken {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                refresh_token: refresh_token.clone(),
            },
        )),
        Credentials::Jwt {
            login_url,
            audience,
            client_id,
            username,
            private_key,
        } => {
            // A fresh assertion for every login: it expires within minutes.
            let assertion =
                jwt::assertion(client_id, username, audience, private_key).map_err(|problem| {
                    Error::input(
                        Bad::InvalidCredentials,
                        format!("SF_JWT_KEY_FILE {problem}"),
                    )
                })?;
            Ok((login_url.clone(), Grant::JwtBearer { assertion }))
        }
        Credentials::ClientCredentials {
            instance_url,
            client_id,
            client_secret,
        } => Ok((
            instance_url.clone(),
            Grant::ClientCredentials {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
            },
        )),
    }
}
