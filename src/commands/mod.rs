//! One module per subcommand: each turns parsed arguments into work and an exit code.

pub(crate) mod completions;
pub(crate) mod deploy;
pub(crate) mod generate;
pub(crate) mod job;
pub(crate) mod offboard;

pub(crate) mod package;
