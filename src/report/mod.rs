//! Deploy reports: the human end report, the `--json` document, the JUnit file, and the
//! progress display while a job runs, each reading the typed `DeployResult` and nothing else;
//! and [`deliver`], which writes them the ways the user asked.

pub(crate) mod deliver;
pub mod human;
pub mod json;
pub mod junit;
pub(crate) mod progress;
