//! The OAuth token endpoint (`POST {login}/services/oauth2/token`): the form each grant
//! sends, and the answer turned into a token or into one line saying which flow failed and
//! the likely fix.

use serde::Deserialize;

use crate::secret::Secret;

/// One OAuth grant, with what it sends.
#[derive(Debug, Clone)]
pub(crate) enum Grant {
    /// The sfdx auth URL's refresh token.
    RefreshToken {
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
    },
    /// A signed JWT assertion.
    JwtBearer { assertion: Secret },
    /// The connected app's own credentials (needs a Run As user).
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
}

impl Grant {
    /// The flow's name in messages.
    pub(crate) fn flow(&self) -> &'static str {
        match self {
            Grant::RefreshToken { .. } => "sfdx auth URL (refresh token)",
            Grant::JwtBearer { .. } => "JWT bearer",
            Grant::ClientCredentials { .. } => "client credentials",
        }
    }

    /// The `application/x-www-form-urlencoded` fields. The values are secrets: the form is
    /// sent, never printed.
    pub(crate) fn form(&self) -> Vec<(&'static str, String)> {
        match self {
            Grant::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            } => {
                let mut form = vec![
                    ("grant_type", "refresh_token".to_string()),
                    ("refresh_token", refresh_token.expose().to_string()),
                    ("client_id", client_id.clone()),
                ];
                // jsforce and the sf CLI send the secret only when there is one.
                if !client_secret.is_empty() {
                    form.push(("client_secret", client_secret.expose().to_string()));
                }
                form
            }
            Grant::JwtBearer { assertion } => vec![
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:jwt-bearer".to_string(),
                ),
                ("assertion", assertion.expose().to_string()),
            ],
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => vec![
                ("grant_type", "client_credentials".to_string()),
                ("client_id", client_id.clone()),
                ("client_secret", client_secret.expose().to_string()),
            ],
        }
    }
}

/// A session: the access token and the instance to call with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub access_token: Secret,
    pub instance_url: String,
}

#[derive(Deserialize)]
struct RawToken {
    access_token: String,
    instance_url: String,
}

#[derive(Deserialize)]
struct RawError {
    error: String,
    #[serde(default)]
    error_description: String,
}

/// A refused login: which flow, Salesforce's error and description, and the likely fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    pub flow: &'static str,
    pub error: String,
    pub description: String,
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} login refused: {}",
            self.flow,
            if self.description.is_empty() {
                self.error.clone()
            } else {
                format!("{} ({})", self.error, self.description)
            }
        )?;
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl OAuthError {
    /// The usual cause of this error for this flow, as advice.
    fn hint(&self) -> Option<&'static str> {
        let description = self.description.to_ascii_lowercase();
        Some(match (self.error.as_str(), self.flow) {
            ("invalid_client_id", _) => {
                "check SF_CLIENT_ID (or the client id of the auth URL): it must be the connected app's consumer key"
            }
            ("invalid_client", _) => {
                "check SF_CLIENT_SECRET: it must be the connected app's consumer secret"
            }
            ("invalid_grant", _) if description.contains("expired") => {
                "the refresh token was revoked or has expired: print a new URL with `sf org auth show-sfdx-auth-url` and update the secret"
            }
            ("invalid_grant", _) if description.contains("approved") => {
                "pre-authorize the user for the connected app (Permitted Users: admin approved users are pre-authorized, and assign its profile or permission set), and check SF_USERNAME"
            }
            ("invalid_grant", _) if description.contains("audience") => {
                "the JWT audience must match the org: https://test.salesforce.com for sandboxes (--sandbox or SF_LOGIN_URL), or set SF_AUDIENCE_URL"
            }
            ("invalid_grant", _) if description.contains("client credentials") => {
                "set a Run As user in the connected app's Client Credentials Flow settings"
            }
            ("invalid_grant", "JWT bearer") => {
                "check SF_USERNAME, the certificate uploaded to the connected app, and SF_LOGIN_URL (https://test.salesforce.com for sandboxes)"
            }
            ("invalid_grant", "client credentials") => {
                "use the org's My Domain URL as SF_ORG_INSTANCE_URL and check the Run As user"
            }
            _ => return None,
        })
    }
}

/// Turns the token endpoint's answer into a token, or into the refusal.
pub(crate) fn parse_response(
    flow: &'static str,
    status: u16,
    body: &str,
) -> Result<Token, OAuthError> {
    if (200..300).contains(&status)
        && let Ok(raw) = serde_json::from_str::<RawToken>(body)
    {
        return Ok(Token {
            access_token: Secret::new(raw.access_token),
            instance_url: raw.instance_url,
        });
    }
    match serde_json::from_str::<RawError>(body) {
        Ok(raw) => Err(OAuthError {
            flow,
            error: raw.error,
            description: raw.error_description,
        }),
        // jsforce's fallback for non-JSON answers (an HTML error page, a proxy).
        Err(_) => Err(OAuthError {
            flow,
            error: format!("ERROR_HTTP_{status}"),
            description: String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_token() {
        let body = r#"{"access_token":"00D!AQ.x","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1","signature":"s"}"#;
        let token = parse_response("JWT bearer", 200, body);
        assert_eq!(
            token.map(|t| (t.access_token.expose().to_string(), t.instance_url)),
            Ok((
                "00D!AQ.x".to_string(),
                "https://acme.my.salesforce.com".to_string()
            ))
        );
    }

    #[test]
    fn refusals_name_the_flow_and_the_fix() {
        let cases = [
            (
                "sfdx auth URL (refresh token)",
                r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#,
                "sf org auth show-sfdx-auth-url",
            ),
            (
                "JWT bearer",
                r#"{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}"#,
                "pre-authorize the user",
            ),
            (
                "JWT bearer",
                r#"{"error":"invalid_grant","error_description":"audience is invalid"}"#,
                "https://test.salesforce.com for sandboxes",
            ),
            (
                "client credentials",
                r#"{"error":"invalid_grant","error_description":"no client credentials user enabled"}"#,
                "Run As user",
            ),
            (
                "JWT bearer",
                r#"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#,
                "SF_CLIENT_ID",
            ),
        ];
        for (flow, body, hint) in cases {
            let message = parse_response(flow, 400, body)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                message.starts_with(&format!("{flow} login refused: ")),
                "{message}"
            );
            assert!(message.contains(hint), "{message}");
        }
        let html = parse_response("JWT bearer", 502, "<html>Bad gateway</html>").err();
        assert_eq!(html.map(|e| e.error), Some("ERROR_HTTP_502".to_string()));
    }

    #[test]
    fn the_secret_goes_only_when_there_is_one() {
        let grant = Grant::RefreshToken {
            client_id: "PlatformCLI".into(),
            client_secret: Secret::new(""),
            refresh_token: Secret::new("rt"),
        };
        let keys: Vec<&str> = grant.form().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["grant_type", "refresh_token", "client_id"]);
        assert!(!format!("{grant:?}").contains("rt\""));
    }
}
