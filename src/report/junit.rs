//! JUnit XML of a deploy's Apex test run, for CI test tabs: one `testcase` per test method,
//! failures with their message and stack trace, written whether the tests passed or failed.
//!
//! One suite named `force.apex` as the sf CLI writes it (apex-node's JUnit reporter); test
//! times come from the org in milliseconds.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::metadata::model::DeployResult;

/// The JUnit document for `result`.
pub fn render(result: &DeployResult) -> String {
    let mut suite = TestSuite::new("force.apex");
    if let Some(tests) = result.test_result() {
        for s in &tests.successes {
            let mut case = TestCase::new(s.method_name.clone(), TestCaseStatus::success());
            case.set_classname(s.name.clone());
            case.set_time(millis(s.time));
            suite.add_test_case(case);
        }
        for f in &tests.failures {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(f.message.clone());
            if let Some(kind) = &f.kind {
                status.set_type(kind.clone());
            }
            if let Some(stack) = &f.stack_trace {
                status.set_description(stack.clone());
            }
            let method = f.method_name.clone().unwrap_or_else(|| "(class)".into());
            let mut case = TestCase::new(method, status);
            case.set_classname(f.name.clone());
            case.set_time(millis(f.time));
            suite.add_test_case(case);
        }
        suite.set_time(millis(tests.total_time));
    }
    let mut report = Report::new(format!("portal-disable deploy {}", result.id));
    report.add_test_suite(suite);
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- JUnit serialization failed: {e} -->\n"))
}

fn millis(ms: f64) -> Duration {
    Duration::from_secs_f64((ms.max(0.0)) / 1000.0)
}
