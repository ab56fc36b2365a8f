//! The file system as the tool touches it, one way for each job: reading local input with a
//! bound and only from regular files ([`read`]), walking a folder with one set of rules
//! ([`walk`]), and writing output atomically under a random, exclusively created temporary name
//! ([`atomic`]). Every command that reads a file, walks a folder or writes output goes
//! through these, so a rule (links stay inside, no FIFO, nothing half-written) holds everywhere
//! once it holds here.

pub(crate) mod atomic;
pub(crate) mod read;
pub(crate) mod walk;
