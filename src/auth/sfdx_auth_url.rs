//! The sfdx auth URL: `force://<clientId>:<clientSecret>:<refreshToken>@<host[:port]>`, as
//! `sf org auth show-sfdx-auth-url` prints it, parsed as the sf CLI parses it.
//!
//! The grammar follows sfdx-core's `parseSfdxAuthUrl`: the client id and refresh token are
//! required and may end in up to two `=`; the client secret may be empty (the sf CLI's own
//! connected app, `PlatformCLI`, has none); the host carries no scheme. The URL holds a
//! refresh token, so no error message ever repeats it.

use crate::secret::Secret;

/// A parsed sfdx auth URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SfdxAuthUrl {
    pub client_id: String,
    pub client_secret: Secret,
    pub refresh_token: Secret,
    /// `test.my.salesforce.com` or `127.0.0.1:6101`: no scheme.
    pub host: String,
}

/// What is wrong with an auth URL, without quoting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthUrlProblem {
    NotForceScheme,
    MissingParts,
    BadClientId,
    BadClientSecret,
    BadRefreshToken,
    BadHost,
}

impl std::fmt::Display for AuthUrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            AuthUrlProblem::NotForceScheme => "it does not start with `force://`",
            AuthUrlProblem::MissingParts => {
                "it needs a client id, a client secret (may be empty) and a refresh token separated by `:`, then `@` and the host"
            }
            AuthUrlProblem::BadClientId => {
                "its client id is empty or has characters other than letters, digits, `.`, `_`, `-`"
            }
            AuthUrlProblem::BadClientSecret => {
                "its client secret has characters other than letters, digits, `.`, `_`, `-`"
            }
            AuthUrlProblem::BadRefreshToken => {
                "its refresh token is empty or has characters other than letters, digits, `.`, `_`, `-`"
            }
            AuthUrlProblem::BadHost => {
                "its host is empty or invalid; the host carries no scheme (`test.my.salesforce.com`, not `https://...`)"
            }
        };
        f.write_str(what)
    }
}

impl std::str::FromStr for SfdxAuthUrl {
    type Err = AuthUrlProblem;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let rest = text
            .trim()
            .strip_prefix("force://")
            .ok_or(AuthUrlProblem::NotForceScheme)?;
        // The host is after the last `@`; tokens never contain `@`.
        let (credentials, host) = rest.rsplit_once('@').ok_or(AuthUrlProblem::MissingParts)?;
        let mut parts = credentials.splitn(3, ':');
        let (Some(client_id), Some(client_secret), Some(refresh_token)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(AuthUrlProblem::MissingParts);
        };
        if !token_chars(client_id, false) {
            return Err(AuthUrlProblem::BadClientId);
        }
        if !token_chars(client_secret, true) {
            return Err(AuthUrlProblem::BadClientSecret);
        }
        if !token_chars(refresh_token, false) {
            return Err(AuthUrlProblem::BadRefreshToken);
        }
        // sfdx-core's host group: letters, digits, `:`, `.`, `_`, `-`; anything after (a path)
        // is ignored there too.
        let host: String = host
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
            .collect();
        if host.is_empty()
            || host.starts_with(':')
            || host.starts_with("http") && host.contains("://")
        {
            return Err(AuthUrlProblem::BadHost);
        }
        Ok(SfdxAuthUrl {
            client_id: client_id.to_string(),
            client_secret: Secret::new(client_secret),
            refresh_token: Secret::new(refresh_token),
            host,
        })
    }
}

/// `[a-zA-Z0-9._-]+={0,2}` (or `*` when `may_be_empty`).
fn token_chars(part: &str, may_be_empty: bool) -> bool {
    let body = part.trim_end_matches('=');
    if part.len() - body.len() > 2 {
        return false;
    }
    if body.is_empty() {
        return may_be_empty && part.is_empty();
    }
    body.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Reads an auth URL from the text of a file: the bare URL, or the JSON that
/// `sf org auth show-sfdx-auth-url --json` writes (`result.sfdxAuthUrl`, else a top-level
/// `sfdxAuthUrl`), as `sf org login sfdx-url` accepts.
pub(crate) fn from_file_text(text: &str) -> Result<SfdxAuthUrl, AuthUrlProblem> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        let json: serde_json::Value =
            serde_json::from_str(trimmed).map_err(|_| AuthUrlProblem::NotForceScheme)?;
        let url = json
            .pointer("/result/sfdxAuthUrl")
            .or_else(|| json.get("sfdxAuthUrl"))
            .and_then(serde_json::Value::as_str)
            .ok_or(AuthUrlProblem::NotForceScheme)?;
        return url.parse();
    }
    trimmed.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str =
        "5Aep861_OKMvio5gy8xCNsXxybPdupY9fVEZyeVOvb4kpOZx5Z1QLB7k7n5flEqEWKcwUQEX1I.O5DCFwjlYUB.";

    #[test]
    fn parses_the_sf_cli_forms() {
        let url: SfdxAuthUrl = format!("force://PlatformCLI::{TOKEN}@test.my.salesforce.com")
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(url.client_id, "PlatformCLI");
        assert!(url.client_secret.is_empty());
        assert_eq!(url.refresh_token.expose(), TOKEN);
        assert_eq!(url.host, "test.my.salesforce.com");

        let with_port: SfdxAuthUrl =
            format!("force://PlatformCLI::{TOKEN}@test.my.salesforce.com:6101")
                .parse()
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(with_port.host, "test.my.salesforce.com:6101");

        let padded: SfdxAuthUrl =
            "force://3MVG9SemV5D8.Q2.4o=:438437816653243682==:5Aep861_YU==@test.my.salesforce.com"
                .parse()
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(padded.client_id, "3MVG9SemV5D8.Q2.4o=");
        assert_eq!(padded.client_secret.expose(), "438437816653243682==");
    }

    #[test]
    fn refuses_malformed_urls_without_quoting_them() {
        let cases = [
            ("https://x:y:z@host", AuthUrlProblem::NotForceScheme),
            ("force://onlyid@host", AuthUrlProblem::MissingParts),
            ("force://id:secret:token", AuthUrlProblem::MissingParts),
            ("force://:secret:token@host", AuthUrlProblem::BadClientId),
            ("force://id:secret:@host", AuthUrlProblem::BadRefreshToken),
            (
                "force://id:sec ret:token@host",
                AuthUrlProblem::BadClientSecret,
            ),
            (
                "force://id:secret:tok===@host",
                AuthUrlProblem::BadRefreshToken,
            ),
            ("force://id:secret:token@", AuthUrlProblem::BadHost),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<SfdxAuthUrl>(), Err(want.clone()), "{text}");
            let message = want.to_string();
            assert!(
                !message.contains(text) && !message.contains("token@"),
                "{message}"
            );
        }
    }

    #[test]
    fn reads_the_json_the_sf_cli_writes() {
        let json = format!(
            r#"{{"status":0,"result":{{"sfdxAuthUrl":"force://PlatformCLI::{TOKEN}@my.host","username":"u"}}}}"#
        );
        assert_eq!(
            from_file_text(&json).map(|u| u.host),
            Ok("my.host".to_string())
        );
        let flat = format!(r#"{{"sfdxAuthUrl":"force://PlatformCLI::{TOKEN}@other.host"}}"#);
        assert_eq!(
            from_file_text(&flat).map(|u| u.host),
            Ok("other.host".to_string())
        );
        assert_eq!(
            from_file_text(&format!("force://PlatformCLI::{TOKEN}@bare.host\n")).map(|u| u.host),
            Ok("bare.host".to_string())
        );
    }

    #[test]
    fn debug_never_shows_the_tokens() {
        let url: SfdxAuthUrl = format!("force://PlatformCLI:s3cr3t:{TOKEN}@h")
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let shown = format!("{url:?}");
        assert!(
            !shown.contains(TOKEN) && !shown.contains("s3cr3t"),
            "{shown}"
        );
    }
}
