//! SOAP faults: what the org says when a call fails as a whole.
//!
//! Salesforce sends them with HTTP 500, in the metadata namespace without `<detail>` or in the
//! partner namespace with one; the code may carry a prefix (`sf:INVALID_SESSION_ID`) or not
//! (`INVALID_LOGIN`). We keep the code's local part and the faultstring, and never require the
//! detail.

use super::xml::Element;
pub use crate::http::Fault;

/// Reads a SOAP `Fault` element.
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

fn find_exception_code(detail: &Element) -> Option<&str> {
    detail
        .children
        .iter()
        .find_map(|fault| fault.text_of("exceptionCode"))
}
