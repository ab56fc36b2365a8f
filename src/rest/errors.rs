//! What a failed REST answer means, as a [`CallError`].
//!
//! Salesforce writes REST errors as a JSON array `[{"message", "errorCode", "fields"?}]`
//! (REST API Developer Guide, "Status Codes and Error Responses"); clients also meet a single
//! object, HTML pages from proxies and empty bodies, so this reads all of them. 5xx, 420 and 429
//! are transient whatever the body says (with the server's `Retry-After`); other statuses with
//! an error body are faults named by their code (`INVALID_SESSION_ID` on 401 makes
//! [`crate::org::Org`] log in again); anything else is an HTTP status with an excerpt.

use std::time::Duration;

use serde::Deserialize;

use crate::http::{CallError, Fault, excerpt};

#[derive(Deserialize)]
struct Item {
    #[serde(rename = "errorCode", alias = "statusCode")]
    error_code: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Body {
    Many(Vec<Item>),
    One(Item),
}

/// The error body's fault: the first element's code, every element's message.
pub(crate) fn fault_of(text: &str) -> Option<Fault> {
    let items = match serde_json::from_str::<Body>(text).ok()? {
        Body::Many(items) => items,
        Body::One(item) => vec![item],
    };
    let code = items.iter().find_map(|i| i.error_code.clone())?;
    let message = items
        .iter()
        .filter_map(|i| i.message.as_deref())
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    Some(Fault { code, message })
}

/// The failure an answer of `status` with body `text` stands for.
pub(crate) fn classify(status: u16, text: &str, retry_after: Option<Duration>) -> CallError {
    let fault = fault_of(text);
    if status >= 500 || matches!(status, 420 | 429) {
        return CallError::Status {
            status,
            excerpt: fault.map_or_else(|| excerpt(text), |f| f.to_string()),
            retry_after,
        };
    }
    match fault {
        Some(fault) => CallError::Fault(fault),
        // A 401 without a readable body is still the org refusing the session.
        None if status == 401 => CallError::Fault(Fault {
            code: "INVALID_SESSION_ID".into(),
            message: format!("HTTP 401 {}", excerpt(text)).trim().to_string(),
        }),
        None => CallError::Status {
            status,
            excerpt: excerpt(text),
            retry_after,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_bodies_become_faults() {
        let e = classify(
            401,
            r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#,
            None,
        );
        assert!(e.is_invalid_session(), "{e}");
        let e = classify(
            403,
            r#"{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}"#,
            None,
        );
        assert_eq!(
            e.to_string(),
            "API_DISABLED_FOR_ORG: The REST API is not enabled for this Organization."
        );
        assert!(!e.is_transient());
        let e = classify(
            400,
            r#"[{"message":"a","errorCode":"MALFORMED_QUERY"},{"message":"b","errorCode":"X"}]"#,
            None,
        );
        assert_eq!(e.to_string(), "MALFORMED_QUERY: a; b");
    }

    #[test]
    fn server_trouble_is_transient_with_its_retry_after() {
        let e = classify(
            503,
            r#"[{"message":"down","errorCode":"SERVER_UNAVAILABLE"}]"#,
            Some(Duration::from_secs(3)),
        );
        assert!(e.is_transient());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert!(e.to_string().contains("SERVER_UNAVAILABLE"), "{e}");
        assert!(classify(429, "", None).is_transient());
        assert!(classify(502, "<html>Bad Gateway</html>", None).is_transient());
        assert!(classify(401, "", None).is_invalid_session());
        assert!(matches!(
            classify(404, "<html/>", None),
            CallError::Status { status: 404, .. }
        ));
    }
}
