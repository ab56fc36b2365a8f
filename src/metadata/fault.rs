//! SOAP faults: what the org says when a call fails as a whole.
//!
//! Salesforce sends them with HTTP 500, in the metadata namespace without `<detail>` or in the
//! partner namespace with one; the code may carry a prefix (`sf:INVALID_SESSION_ID`) or not
//! (`INVALID_LOGIN`). We keep the code's local part and the faultstring, and never require the
//! detail.

use std::fmt;

use super::xml::Element;

/// A SOAP fault: its code without prefix and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: String,
    pub message: String,
}

impl Fault {
    /// Reads a `Fault` element.
    pub fn from_element(fault: &Element) -> Fault {
        let code = fault
            .text_of("faultcode")
            .or_else(|| fault.path(&["detail"]).and_then(find_exception_code))
            .unwrap_or("UNKNOWN_FAULT")
            .trim();
        let code = code.rsplit(':').next().unwrap_or(code).to_string();
        let message = fault.text_of("faultstring").unwrap_or("").trim();
        // faultstring repeats the code ("CODE: message"); keep the message once.
        let message = message
            .strip_prefix(&format!("{code}: "))
            .unwrap_or(message)
            .to_string();
        Fault { code, message }
    }

    /// The org refused the session (expired, revoked, or a JWT-format token SOAP won't take).
    pub fn is_invalid_session(&self) -> bool {
        self.code == "INVALID_SESSION_ID"
    }

    /// A fault worth polling through: server hiccups and the short window after Pending in
    /// which the job id is not yet visible.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.code.as_str(),
            "UNKNOWN_EXCEPTION" | "INVALID_CROSS_REFERENCE_KEY" | "REQUEST_LIMIT_EXCEEDED"
        )
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

fn find_exception_code(detail: &Element) -> Option<&str> {
    detail
        .children
        .iter()
        .find_map(|fault| fault.text_of("exceptionCode"))
}
