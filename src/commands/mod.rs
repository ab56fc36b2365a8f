//! One module per subcommand: each turns parsed arguments into work and an exit code.

pub mod completions;
pub mod deploy;
pub mod generate;
pub mod job;
pub mod offboard;

pub mod package;
