//! Which credential source a run uses, from flags and environment variables.
//!
//! Precedence:
//! 1. `--target-org` (or `SF_TARGET_ORG`) names an org of the sf CLI; with it, `--auth-url-file`
//!    or a complete environment source is a second source: an error naming both, as naming the
//!    wrong org by accident is the worst mistake a deploy can make.
//! 2. `--auth-url-file` wins over the environment.
//! 3. Exactly one of the four environment sources must be complete; several is an error.
//! 4. Nothing given (no source, not even a half-set one): the sf CLI's configured default
//!    `target-org` ([`sf_cli::configured`]); else no credentials, an error.
//!
//! Errors are bad input (exit 2) naming the flags and variables, never their values. Files
//! are read here, so a missing or malformed file fails before any request.

use std::path::{Path, PathBuf};

use url::Url;

use super::Credentials;
use super::endpoint::{parse_instance_url, url_for_host};
use super::jwt;
use super::sf_cli::{self, Origin, SfOrg, TARGET_ORG_VAR};
use super::sfdx_auth_url::{self, SfdxAuthUrl};
use crate::error::{Bad, Error, Result};
use crate::fs::read;
use crate::secret::Secret;

pub const ACCESS_TOKEN_VAR: &str = "SF_ACCESS_TOKEN";
pub const INSTANCE_URL_VAR: &str = "SF_ORG_INSTANCE_URL";
pub const AUTH_URL_VAR: &str = "SF_AUTH_URL";
pub const CLIENT_ID_VAR: &str = "SF_CLIENT_ID";
pub const CLIENT_SECRET_VAR: &str = "SF_CLIENT_SECRET";
pub const USERNAME_VAR: &str = "SF_USERNAME";
pub const JWT_KEY_FILE_VAR: &str = "SF_JWT_KEY_FILE";
pub const LOGIN_URL_VAR: &str = "SF_LOGIN_URL";
pub const AUDIENCE_URL_VAR: &str = "SF_AUDIENCE_URL";

const PRODUCTION_LOGIN: &str = "https://login.salesforce.com";
const SANDBOX_LOGIN: &str = "https://test.salesforce.com";

/// What the command line says about credentials (the flags of `cli.rs`). Secrets never come
/// from flags: they would show in `ps`.
#[derive(Debug, Clone, Default)]
pub struct AuthFlags {
    /// A file holding an sfdx auth URL, or the JSON of `sf org auth show-sfdx-auth-url --json`.
    pub auth_url_file: Option<PathBuf>,
    /// An alias or username the sf CLI knows (`--target-org`, or `SF_TARGET_ORG` through clap).
    pub target_org: Option<String>,
    /// JWT bearer logs in through the sandbox login URL.
    pub sandbox: bool,
}

/// Picks the source. `var` reads a variable (empty counts as unset); `cwd` is where the sf
/// CLI's project settings are looked for; `warn` receives warnings (a private key readable by
/// others).
pub fn resolve(
    flags: &AuthFlags,
    var: &dyn Fn(&str) -> Option<String>,
    cwd: &Path,
    warn: &mut dyn FnMut(&str),
) -> Result<Credentials> {
    let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let (complete, incomplete) = environment_sources(&get);
    if let Some(org) = target_org(flags, &get) {
        let mut others: Vec<String> = Vec::new();
        if flags.auth_url_file.is_some() {
            others.push("--auth-url-file".to_string());
        }
        others.extend(complete.iter().map(|source| described(source)));
        if others.is_empty() {
            return Ok(Credentials::SfCli { org });
        }
        let flag = match org.origin {
            Origin::Env => TARGET_ORG_VAR,
            _ => "--target-org",
        };
        return Err(Error::input(
            Bad::InvalidCredentials,
            format!(
                "two org credential sources are given: {flag} `{}` and {}; use one (drop {flag}, or the other)",
                org.target,
                others.join(" and ")
            ),
        ));
    }
    if let Some(path) = &flags.auth_url_file {
        warn_if_others_can_read(path, "--auth-url-file", warn);
        let text = read::text(path).map_err(|e| {
            Error::input(
                Bad::InvalidCredentials,
                format!(
                    "cannot read --auth-url-file `{}`: {e}; check the path",
                    path.display()
                ),
            )
        })?;
        let origin = format!("--auth-url-file `{}`", path.display());
        let url = sfdx_auth_url::from_file_text(&text).map_err(|p| bad_auth_url(&origin, &p))?;
        return auth_url_credentials(url, origin);
    }

    match complete.as_slice() {
        [one] => build(one, &get, flags, warn),
        [] if !incomplete.is_empty() => Err(Error::input(
            Bad::MissingCredentials,
            format!(
                "incomplete org credentials: {}; set the missing variables",
                incomplete.join("; ")
            ),
        )),
        [] => match sf_cli::configured(cwd, &get)? {
            Some(org) => Ok(Credentials::SfCli { org }),
            None => Err(Error::input(
                Bad::MissingCredentials,
                format!(
                    "no org credentials: pass --target-org ALIAS (an org the sf CLI knows), or set {ACCESS_TOKEN_VAR} and {INSTANCE_URL_VAR}, or {AUTH_URL_VAR} (or --auth-url-file), or {CLIENT_ID_VAR}, {USERNAME_VAR} and {JWT_KEY_FILE_VAR} (JWT), or {CLIENT_ID_VAR}, {CLIENT_SECRET_VAR} and {INSTANCE_URL_VAR} (client credentials)"
                ),
            )),
        },
        several => Err(Error::input(
            Bad::InvalidCredentials,
            format!(
                "several org credential sources are set ({}); unset all but one",
                several.join(", ")
            ),
        )),
    }
}

/// `--target-org` (or `SF_TARGET_ORG`, which clap reads into the same flag), trimmed; empty
/// counts as unset.
fn target_org(flags: &AuthFlags, get: &dyn Fn(&str) -> Option<String>) -> Option<SfOrg> {
    let target = flags.target_org.as_deref().map(str::trim)?;
    if target.is_empty() {
        return None;
    }
    // clap does not say where the value came from; when the variable holds it, name that.
    let origin = if get(TARGET_ORG_VAR).as_deref().map(str::trim) == Some(target) {
        Origin::Env
    } else {
        Origin::Flag
    };
    Some(SfOrg {
        target: target.to_string(),
        origin,
    })
}

/// An environment source with the variables that make it, for messages.
fn described(source: &str) -> String {
    let vars = match source {
        "access token" => format!("{ACCESS_TOKEN_VAR} + {INSTANCE_URL_VAR}"),
        "sfdx auth URL" => AUTH_URL_VAR.to_string(),
        "JWT bearer" => format!("{CLIENT_ID_VAR} + {USERNAME_VAR} + {JWT_KEY_FILE_VAR}"),
        _ => format!("{CLIENT_ID_VAR} + {CLIENT_SECRET_VAR} + {INSTANCE_URL_VAR}"),
    };
    format!("the {source} in {vars}")
}

/// The environment sources that are complete (by name), and what the started but incomplete
/// ones miss.
fn environment_sources(get: &dyn Fn(&str) -> Option<String>) -> (Vec<&'static str>, Vec<String>) {
    let access = get(ACCESS_TOKEN_VAR).is_some();
    let auth_url = get(AUTH_URL_VAR).is_some();
    let jwt_started = get(JWT_KEY_FILE_VAR).is_some() || get(USERNAME_VAR).is_some();
    let client_credentials = get(CLIENT_SECRET_VAR).is_some();
    let mut complete = Vec::new();
    let mut incomplete = Vec::new();
    let mut check = |started: bool, name: &'static str, needs: &[&'static str]| {
        if !started {
            return;
        }
        let missing: Vec<&str> = needs.iter().copied().filter(|n| get(n).is_none()).collect();
        if missing.is_empty() {
            complete.push(name);
        } else {
            incomplete.push(format!("{name} needs {}", missing.join(" and ")));
        }
    };
    check(
        access,
        "access token",
        &[ACCESS_TOKEN_VAR, INSTANCE_URL_VAR],
    );
    check(auth_url, "sfdx auth URL", &[AUTH_URL_VAR]);
    check(
        jwt_started,
        "JWT bearer",
        &[CLIENT_ID_VAR, USERNAME_VAR, JWT_KEY_FILE_VAR],
    );
    check(
        client_credentials,
        "client credentials",
        &[CLIENT_ID_VAR, CLIENT_SECRET_VAR, INSTANCE_URL_VAR],
    );

    (complete, incomplete)
}

fn build(
    source: &str,
    get: &dyn Fn(&str) -> Option<String>,
    flags: &AuthFlags,
    warn: &mut dyn FnMut(&str),
) -> Result<Credentials> {
    let need = |name: &str| get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    match source {
        "access token" => Ok(Credentials::AccessToken {
            instance_url: parse_instance_url(&need(INSTANCE_URL_VAR), INSTANCE_URL_VAR)?,
            token: Secret::new(need(ACCESS_TOKEN_VAR)),
        }),
        "sfdx auth URL" => {
            let text = Secret::new(need(AUTH_URL_VAR));
            let url: SfdxAuthUrl = text
                .expose()
                .parse()
                .map_err(|p| bad_auth_url(AUTH_URL_VAR, &p))?;
            auth_url_credentials(url, AUTH_URL_VAR.to_string())
        }
        "JWT bearer" => {
            let login = match get(LOGIN_URL_VAR) {
                Some(url) => parse_instance_url(&url, LOGIN_URL_VAR)?,
                None if flags.sandbox => parse_instance_url(SANDBOX_LOGIN, "--sandbox")?,
                None => parse_instance_url(PRODUCTION_LOGIN, LOGIN_URL_VAR)?,
            };
            let audience = match get(AUDIENCE_URL_VAR) {
                Some(aud) => parse_instance_url(&aud, AUDIENCE_URL_VAR)?
                    .as_str()
                    .trim_end_matches('/')
                    .to_string(),
                None => login.as_str().trim_end_matches('/').to_string(),
            };
            let key_path = PathBuf::from(need(JWT_KEY_FILE_VAR));
            let private_key = read_private_key(&key_path, warn)?;
            Ok(Credentials::Jwt {
                login_url: login,
                audience,
                client_id: need(CLIENT_ID_VAR),
                username: need(USERNAME_VAR),
                private_key,
            })
        }
        _ => Ok(Credentials::ClientCredentials {
            instance_url: parse_instance_url(&need(INSTANCE_URL_VAR), INSTANCE_URL_VAR)?,
            client_id: need(CLIENT_ID_VAR),
            client_secret: Secret::new(need(CLIENT_SECRET_VAR)),
        }),
    }
}

fn auth_url_credentials(url: SfdxAuthUrl, origin: String) -> Result<Credentials> {
    let login_url: Url = url_for_host(&url.host, &origin)?;
    Ok(Credentials::AuthUrl {
        login_url,
        client_id: url.client_id,
        client_secret: url.client_secret,
        refresh_token: url.refresh_token,
        origin,
    })
}

/// One line for a malformed auth URL; it never repeats the URL (it holds a refresh token).
fn bad_auth_url(origin: &str, problem: &sfdx_auth_url::AuthUrlProblem) -> Error {
    Error::input(
        Bad::InvalidCredentials,
        format!(
            "{origin} is not a valid sfdx auth URL: {problem}; expected force://<clientId>:<clientSecret>:<refreshToken>@<host>, as `sf org auth show-sfdx-auth-url` prints it"
        ),
    )
}

/// Reads and checks the PEM file; warns when others may read it. Messages never repeat the
/// variable's value: a key pasted into it instead of a path must not reach any output.
fn read_private_key(path: &Path, warn: &mut dyn FnMut(&str)) -> Result<Secret> {
    let bad = |problem: String| {
        Error::input(
            Bad::InvalidCredentials,
            format!("{JWT_KEY_FILE_VAR} {problem}"),
        )
    };
    if path
        .to_string_lossy()
        .trim_start()
        .starts_with("-----BEGIN")
    {
        return Err(bad(format!(
            "holds a PEM key itself, not the path of a key file; write the key to a file (`chmod 600` it) and set {JWT_KEY_FILE_VAR} to that file's path"
        )));
    }
    let text = read::text(path).map_err(|e| {
        bad(format!(
            "names a file that cannot be read ({e}); point it at the connected app's private key (PEM)"
        ))
    })?;
    let key = Secret::new(text);
    jwt::check_private_key(&key).map_err(|problem| bad(format!("names a file that {problem}")))?;
    warn_if_others_can_read(path, JWT_KEY_FILE_VAR, warn);
    Ok(key)
}

/// Warns when a file holding a secret can be read by other users of the machine.
fn warn_if_others_can_read(path: &Path, what: &str, warn: &mut dyn FnMut(&str)) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.is_file()
            && meta.permissions().mode() & 0o077 != 0
        {
            warn(&format!(
                "the file {what} names can be read by other users (mode {:o}); `chmod 600` it",
                meta.permissions().mode() & 0o777
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, what, warn);
}

#[cfg(test)]
mod tests;
