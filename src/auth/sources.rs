//! Which credential source a run uses, from flags and environment variables.
//!
//! Precedence: a flag naming a file (`--auth-url-file`) wins over the environment; otherwise
//! exactly one of the four environment sources must be complete. Several complete sources,
//! or none, is bad input (exit 2) naming the variables, never their values. Files are read
//! here, so a missing or malformed file fails before any request.

use std::path::{Path, PathBuf};

use url::Url;

use super::Credentials;
use super::endpoint::{parse_instance_url, url_for_host};
use super::jwt;
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
    /// JWT bearer logs in through the sandbox login URL.
    pub sandbox: bool,
}

/// Picks the source. `var` reads a variable (empty counts as unset); `warn` receives warnings
/// (a private key readable by others).
pub fn resolve(
    flags: &AuthFlags,
    var: &dyn Fn(&str) -> Option<String>,
    warn: &mut dyn FnMut(&str),
) -> Result<Credentials> {
    let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
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

    match complete.as_slice() {
        [one] => build(one, &get, flags, warn),
        [] if !incomplete.is_empty() => Err(Error::input(
            Bad::MissingCredentials,
            format!(
                "incomplete org credentials: {}; set the missing variables",
                incomplete.join("; ")
            ),
        )),
        [] => Err(Error::input(
            Bad::MissingCredentials,
            format!(
                "no org credentials: set {ACCESS_TOKEN_VAR} and {INSTANCE_URL_VAR}, or {AUTH_URL_VAR} (or --auth-url-file), or {CLIENT_ID_VAR}, {USERNAME_VAR} and {JWT_KEY_FILE_VAR} (JWT), or {CLIENT_ID_VAR}, {CLIENT_SECRET_VAR} and {INSTANCE_URL_VAR} (client credentials)"
            ),
        )),
        several => Err(Error::input(
            Bad::InvalidCredentials,
            format!(
                "several org credential sources are set ({}); unset all but one",
                several.join(", ")
            ),
        )),
    }
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

    fn resolve_env(pairs: &[(&str, &str)]) -> std::result::Result<Credentials, String> {
        resolve(&AuthFlags::default(), &env(pairs), &mut |_| {}).map_err(|e| e.to_string())
    }

    const AUTH_URL: &str = "force://PlatformCLI::5Aep861.refresh@test.my.salesforce.com";

    #[test]
    fn exactly_one_complete_source_is_used() {
        let access = resolve_env(&[
            (ACCESS_TOKEN_VAR, "00D!secret"),
            (INSTANCE_URL_VAR, "https://acme.my.salesforce.com"),
        ]);
        assert!(
            matches!(access, Ok(Credentials::AccessToken { .. })),
            "{access:?}"
        );
        let auth_url = resolve_env(&[(AUTH_URL_VAR, AUTH_URL)]);
        match auth_url {
            Ok(Credentials::AuthUrl {
                login_url,
                client_id,
                ..
            }) => {
                assert_eq!(login_url.as_str(), "https://test.my.salesforce.com/");
                assert_eq!(client_id, "PlatformCLI");
            }
            other => panic!("{other:?}"),
        }
        let cc = resolve_env(&[
            (CLIENT_ID_VAR, "id"),
            (CLIENT_SECRET_VAR, "s3cret"),
            (INSTANCE_URL_VAR, "https://acme.my.salesforce.com"),
        ]);
        assert!(
            matches!(cc, Ok(Credentials::ClientCredentials { .. })),
            "{cc:?}"
        );
    }

    #[test]
    fn missing_several_or_malformed_name_the_variables_not_the_values() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[], "no org credentials: set SF_ACCESS_TOKEN"),
            (
                &[(ACCESS_TOKEN_VAR, "00D!secret")],
                "access token needs SF_ORG_INSTANCE_URL",
            ),
            (
                &[(USERNAME_VAR, "ci@acme.com")],
                "JWT bearer needs SF_CLIENT_ID and SF_JWT_KEY_FILE",
            ),
            (
                &[(CLIENT_SECRET_VAR, "s3cret")],
                "client credentials needs SF_CLIENT_ID and SF_ORG_INSTANCE_URL",
            ),
            (
                &[
                    (ACCESS_TOKEN_VAR, "00D!secret"),
                    (INSTANCE_URL_VAR, "https://a.my.salesforce.com"),
                    (AUTH_URL_VAR, AUTH_URL),
                ],
                "several org credential sources are set (access token, sfdx auth URL)",
            ),
            (
                &[(AUTH_URL_VAR, "https://PlatformCLI::5Aep861.refresh@host")],
                "SF_AUTH_URL is not a valid sfdx auth URL: it does not start with `force://`",
            ),
            (
                &[(AUTH_URL_VAR, "force://PlatformCLI::5Aep861.refresh@")],
                "its host is empty",
            ),
            (
                &[
                    (ACCESS_TOKEN_VAR, "00D!secret"),
                    (INSTANCE_URL_VAR, "http://acme.my.salesforce.com"),
                ],
                "plain http",
            ),
            (
                &[
                    (CLIENT_ID_VAR, "id"),
                    (USERNAME_VAR, "u"),
                    (JWT_KEY_FILE_VAR, "/nonexistent/key.pem"),
                ],
                "SF_JWT_KEY_FILE names a file that cannot be read (no such file)",
            ),
        ];
        for (pairs, want) in cases {
            let message = match resolve_env(pairs) {
                Ok(c) => panic!("{pairs:?} gave {c:?}"),
                Err(message) => message,
            };
            assert!(message.contains(want), "{pairs:?}: {message}");
            for secret in ["00D!secret", "s3cret", "5Aep861.refresh"] {
                assert!(!message.contains(secret), "{message}");
            }
        }
    }

    #[test]
    fn jwt_login_url_audience_and_key_checks() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let key = dir.path().join("key.pem");
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/auth/test-key-pkcs8.pem"
        );
        std::fs::copy(fixture, &key).unwrap_or_else(|e| panic!("{e}"));
        let key_text = key.display().to_string();
        let base = [
            (CLIENT_ID_VAR, "id"),
            (USERNAME_VAR, "ci@acme.com"),
            (JWT_KEY_FILE_VAR, key_text.as_str()),
        ];
        let mut warnings = Vec::new();
        let sandbox = AuthFlags {
            sandbox: true,
            ..AuthFlags::default()
        };
        let creds = resolve(&sandbox, &env(&base), &mut |w| warnings.push(w.to_string()));
        match creds {
            Ok(Credentials::Jwt {
                login_url,
                audience,
                ..
            }) => {
                assert_eq!(login_url.as_str(), "https://test.salesforce.com/");
                assert_eq!(audience, "https://test.salesforce.com");
            }
            other => panic!("{other:?}"),
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644))
                .unwrap_or_else(|e| panic!("{e}"));
            warnings.clear();
            let _ = resolve(&AuthFlags::default(), &env(&base), &mut |w| {
                warnings.push(w.to_string())
            });
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(warnings[0].contains("chmod 600"), "{warnings:?}");
        }
        let with_audience: Vec<(&str, &str)> = base
            .iter()
            .copied()
            .chain([(AUDIENCE_URL_VAR, "https://acme.my.site.com/")])
            .collect();
        match resolve(&AuthFlags::default(), &env(&with_audience), &mut |_| {}) {
            Ok(Credentials::Jwt {
                login_url,
                audience,
                ..
            }) => {
                assert_eq!(login_url.as_str(), "https://login.salesforce.com/");
                assert_eq!(audience, "https://acme.my.site.com");
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(
            &key,
            "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let err =
            resolve(&AuthFlags::default(), &env(&base), &mut |_| {}).map_err(|e| e.to_string());
        assert!(
            matches!(&err, Err(m) if m.contains("is not an RSA private key")),
            "{err:?}"
        );
    }

    #[test]
    fn the_auth_url_file_wins_and_may_be_json() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("auth.json");
        std::fs::write(
            &file,
            format!(r#"{{"status":0,"result":{{"sfdxAuthUrl":"{AUTH_URL}"}}}}"#),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let flags = AuthFlags {
            auth_url_file: Some(file),
            sandbox: false,
        };
        // The access token in the environment is ignored: the flag names the source.
        let creds = resolve(&flags, &env(&[(ACCESS_TOKEN_VAR, "x")]), &mut |_| {});
        assert!(
            matches!(creds, Ok(Credentials::AuthUrl { .. })),
            "{creds:?}"
        );
        let missing = AuthFlags {
            auth_url_file: Some(dir.path().join("nope")),
            sandbox: false,
        };
        let err = resolve(&missing, &env(&[]), &mut |_| {}).map_err(|e| e.to_string());
        assert!(
            matches!(&err, Err(m) if m.starts_with("cannot read --auth-url-file")),
            "{err:?}"
        );
    }
}
