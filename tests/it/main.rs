//! The integration tests, in one binary (as ripgrep and just keep theirs): one compile of the
//! support code and the simulator for all of them. Each module drives the built binary
//! against the simulator (`crates/simulator`), or checks the generated files.
//!
//! Run one area with `cargo test --test it deploy_cli::`, one test by its name.

// Test code says why it panics (`.expect("...")`); clippy.toml allows it in unit tests, and
// this whole crate is test code, helpers included.
#![allow(clippy::expect_used, clippy::unwrap_used)]
// The test crate is a binary: its `pub` items are for its own modules.
#![allow(unreachable_pub)]

mod support;

mod apex_checks;
mod auth_cli;
mod bad_input;
mod completions_cli;
mod deploy_cli;
mod deploy_memory;
mod faults_cli;
mod generate_cli;
mod generated_apex;
mod hardening_cli;
mod job_cli;
mod offboard_bench;
mod offboard_cli;
mod offboard_faults;
mod package_cli;
mod package_schema;
mod parser_props;
mod polling_cli;
mod readme;
mod simulator_fixtures;
mod simulator_oauth;
mod snapshots;
mod target_org_cli;
mod target_org_precedence_cli;
