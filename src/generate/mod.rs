//! Putting rendered files on disk: which files are new, changed, identical or in the way
//! ([`plan`]), writing all of them or none ([`write`]), and the `--check` drift diff
//! ([`drift`]).

pub(crate) mod drift;
pub(crate) mod plan;
pub(crate) mod write;
