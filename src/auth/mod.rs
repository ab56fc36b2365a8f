//! Credentials: where CI's login comes from, and the OAuth flows that turn it into a session.

pub mod endpoint;
pub mod jwt;
pub mod sfdx_auth_url;
pub mod token;
