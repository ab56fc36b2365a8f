//! Deploy reports: the human end report, the `--json` document, the JUnit file, and the
//! progress display while a job runs. Each reads the typed `DeployResult` and nothing else.

pub mod human;
pub mod json;
pub mod junit;
pub mod progress;
