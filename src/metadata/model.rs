//! The typed results of the Metadata API deploy calls, as the WSDL defines them.
//!
//! These are what the parser produces from any response (one-element or many-element lists,
//! omitted or `xsi:nil` fields, numbers and booleans as text) and what `--json` prints: serde
//! gives every list as an array, every number as a number, every boolean as a boolean and
//! every absent optional as `null`, with the WSDL's camelCase names. That is the
//! normalization: there is no second shape to keep in sync.

use serde::Serialize;

use crate::exit;

/// `deploy()`'s answer: the job id and its first state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsyncResult {
    pub done: bool,
    pub id: String,
    pub state: Option<String>,
    pub message: Option<String>,
    pub status_code: Option<String>,
}

/// `cancelDeploy()`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelDeployResult {
    pub done: bool,
    pub id: String,
}

/// `checkDeployStatus()`'s answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployResult {
    pub id: String,
    pub status: String,
    pub done: bool,
    pub success: bool,
    pub check_only: bool,
    pub ignore_warnings: bool,
    pub rollback_on_error: bool,
    pub run_tests_enabled: bool,
    pub number_components_total: u32,
    pub number_components_deployed: u32,
    pub number_component_errors: u32,
    pub number_tests_total: u32,
    pub number_tests_completed: u32,
    pub number_test_errors: u32,
    pub state_detail: Option<String>,
    pub error_message: Option<String>,
    pub error_status_code: Option<String>,
    pub created_by: Option<String>,
    pub created_by_name: Option<String>,
    pub created_date: Option<String>,
    pub start_date: Option<String>,
    pub last_modified_date: Option<String>,
    pub completed_date: Option<String>,
    pub canceled_by: Option<String>,
    pub canceled_by_name: Option<String>,
    pub details: DeployDetails,
}

/// The components and tests of a deploy. While it runs, only failures are filled in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployDetails {
    pub component_failures: Vec<DeployMessage>,
    pub component_successes: Vec<DeployMessage>,
    pub run_test_result: Option<RunTestsResult>,
}

/// One component's outcome (also the `package.xml` pseudo-component, whose type is empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployMessage {
    pub component_type: String,
    pub full_name: String,
    pub file_name: String,
    pub success: bool,
    pub changed: bool,
    pub created: bool,
    pub deleted: bool,
    pub problem: Option<String>,
    pub problem_type: Option<String>,
    pub line_number: Option<u32>,
    pub column_number: Option<u32>,
    pub id: Option<String>,
    pub created_date: Option<String>,
}

/// The Apex test run of a deploy.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTestsResult {
    pub num_tests_run: u32,
    pub num_failures: u32,
    pub total_time: f64,
    pub apex_log_id: Option<String>,
    pub successes: Vec<RunTestSuccess>,
    pub failures: Vec<RunTestFailure>,
    pub code_coverage: Vec<CodeCoverageResult>,
    pub code_coverage_warnings: Vec<CodeCoverageWarning>,
}

/// A passed test method.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTestSuccess {
    pub id: Option<String>,
    pub name: String,
    pub method_name: String,
    pub namespace: Option<String>,
    pub time: f64,
}

/// A failed test method (or a class-level failure, where `methodName` is nil).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTestFailure {
    pub id: Option<String>,
    pub name: String,
    pub method_name: Option<String>,
    pub namespace: Option<String>,
    pub package_name: Option<String>,
    pub message: String,
    pub stack_trace: Option<String>,
    pub time: f64,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// Coverage of one class or trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeCoverageResult {
    pub id: Option<String>,
    pub name: String,
    pub namespace: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub num_locations: u32,
    pub num_locations_not_covered: u32,
    pub locations_not_covered: Vec<CodeLocation>,
}

impl CodeCoverageResult {
    /// Covered percentage, 100 for a class with no locations.
    pub fn percent(&self) -> f64 {
        if self.num_locations == 0 {
            return 100.0;
        }
        let covered = self
            .num_locations
            .saturating_sub(self.num_locations_not_covered);
        f64::from(covered) * 100.0 / f64::from(self.num_locations)
    }
}

/// A line of code (for coverage: an uncovered one).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeLocation {
    pub line: u32,
    pub column: u32,
    pub num_executions: u32,
    pub time: f64,
}

/// A coverage requirement that was not met; with no component or test error, this alone
/// fails a deploy.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeCoverageWarning {
    pub id: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub message: String,
}

/// How a deploy ended, by the exit code DESIGN.md assigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    SucceededPartial,
    /// Failed or Canceled (or a terminal state we do not know that did not succeed).
    Failed,
    /// `done` is false: still running (Pending, InProgress, Canceling, Finalizing, ...).
    Running,
}

impl Outcome {
    /// Exit code of the sf CLI for this outcome.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Succeeded => exit::SUCCESS,
            Outcome::Failed => exit::FAILURE,
            Outcome::SucceededPartial => exit::PARTIAL,
            Outcome::Running => exit::STILL_RUNNING,
        }
    }
}

impl DeployResult {
    /// The outcome. `done` decides whether the job is finished, never the status name:
    /// Salesforce adds statuses (Finalizing...) that older lists do not know.
    pub fn outcome(&self) -> Outcome {
        if !self.done {
            Outcome::Running
        } else if self.status == "SucceededPartial" {
            Outcome::SucceededPartial
        } else if self.success {
            Outcome::Succeeded
        } else {
            Outcome::Failed
        }
    }

    /// The Apex test run, when the answer carried one.
    pub fn test_result(&self) -> Option<&RunTestsResult> {
        self.details.run_test_result.as_ref()
    }
}
