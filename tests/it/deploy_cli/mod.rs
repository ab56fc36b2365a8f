//! `deploy` as a CI job runs it: the built binary against the local Metadata API simulator,
//! one simulator per test, for every way a deploy ends and every input it refuses.
//!
//! Every test asserts the exit code and what a reader looks for (the human report's key lines,
//! the JSON document, the JUnit file) and that the simulator saw exactly one `deploy()` with
//! the WSDL order and a zip matching its package.xml. `job_cli.rs` covers following jobs.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::cli::{Project, assert_one_clean_deploy, bin, deploy, option, run};
use support::simulator::{Ending, Injected, Scenario, Simulator};

mod failures;
mod outcomes;
