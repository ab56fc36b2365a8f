//! Metadata API deploy packages: components -> `package.xml` ([`manifest`]) and the entries
//! of a metadata-format deploy ([`layout`], custom fields composed into `.object` files by
//! [`object`]), checked against the deploy limits ([`limits`]), written as a deterministic zip
//! ([`zip`]) or an unzipped folder ([`folder`]), never half-written ([`output`]).

pub mod folder;
pub mod layout;
pub mod limits;
pub mod manifest;
pub mod object;
pub mod output;
pub mod zip;
