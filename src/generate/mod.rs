//! Putting rendered files on disk: which files are new, changed, identical or in the way
//! ([`plan`]), writing all of them or none ([`write`]), and the `--check` drift diff
//! ([`drift`]).

pub mod drift;
pub mod plan;
pub mod write;
