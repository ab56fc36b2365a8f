//! The Metadata API deploy client: SOAP envelopes, responses, faults, the zip, polling.
//!
//! Flow: `archive` checks a zip; `envelope` writes requests and `client`
//! sends them; `xml` + `parse` turn answers into the typed `model`, or a `fault`; `schedule`
//! says when to poll and `watch` follows a job to its end.

pub mod archive;
pub mod client;
pub mod envelope;
pub mod fault;
pub(crate) mod model;
pub mod parse;
pub(crate) mod watch;
pub mod xml;
