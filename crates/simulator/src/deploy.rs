//! `deploy()`: reads the options leniently, notes what breaks the WSDL, checks the zip and
//! builds the job the scenario asks for.

use std::time::{Instant, SystemTime};

use crate::xml::Element;
use base64::Engine;

use super::http::Response;
use super::job::{self, Component, Coverage, Job, TestMethod};
use super::zipcheck::read_zip;
use super::{Ending, Recorded, Scenario, State, WSDL_ORDER, new_id, respond};

pub(super) fn boolean(value: Option<&str>) -> bool {
    value.is_some_and(|v| matches!(v.trim(), "true" | "True" | "TRUE" | "1"))
}

pub(super) fn deploy(
    state: &mut State,
    scenario: &Scenario,
    operation: &Element,
    record: &mut Recorded,
    now: Instant,
) -> Response {
    let options = operation
        .child("DeployOptions")
        .cloned()
        .unwrap_or_default();
    record.options = options
        .children
        .iter()
        .map(|c| (c.name.clone(), c.text.trim().to_string()))
        .collect();
    // Accept any order, but note when the known elements are out of WSDL order.
    let ranks: Vec<usize> = options
        .children
        .iter()
        .filter_map(|c| WSDL_ORDER.iter().position(|n| *n == c.name))
        .collect();
    if ranks.windows(2).any(|w| w[0] > w[1]) {
        record.violations.push(format!(
            "DeployOptions not in WSDL order: {:?}",
            options
                .children
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
        ));
    }
    if let Some((code, message)) = scenario.deploy_fault {
        return Response::xml(500, respond::fault(code, message));
    }
    let get = |name: &str| options.text_of(name);
    let single_package = boolean(get("singlePackage"));
    let run_tests: Vec<String> = options
        .all("runTests")
        .map(|t| t.text.trim().to_string())
        .collect();
    let test_level = get("testLevel")
        .map(str::trim)
        .unwrap_or("NoTestRun")
        .to_string();

    let zip_text: String = operation
        .text_of("ZipFile")
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let zip = match base64::engine::general_purpose::STANDARD.decode(zip_text.as_bytes()) {
        Ok(bytes) => bytes,
        Err(e) => {
            record
                .violations
                .push(format!("ZipFile is not base64: {e}"));
            Vec::new()
        }
    };
    let contents = read_zip(&zip, single_package, &mut record.violations);

    let id = new_id(state);
    let mut job = Job {
        id: id.clone(),
        check_only: boolean(get("checkOnly")),
        ignore_warnings: boolean(get("ignoreWarnings")),
        // Missing booleans are false, except rollbackOnError, which production forces.
        rollback_on_error: get("rollbackOnError").is_none_or(|v| boolean(Some(v))),
        created: now,
        created_date: job::timestamp(SystemTime::now()),
        folder: contents.folder.clone(),
        no_package_xml: !contents.has_package_xml,
        components: Vec::new(),
        tests: Vec::new(),
        run_tests: test_level != "NoTestRun",
        coverage: Vec::new(),
        coverage_warnings: Vec::new(),
        final_status: "Succeeded",
        pending: scenario.pending,
        running: scenario.running,
        finalizing: scenario.finalizing,
        cancel_requested: None,
        canceling: scenario.canceling,
    };
    if job.no_package_xml {
        job.final_status = "Failed";
        state.jobs.insert(id.clone(), job);
        return Response::xml(200, respond::deploy_response(&id));
    }
    for class in &contents.classes {
        let mut failure = None;
        if !contents.files.contains(&format!("classes/{class}.cls")) {
            failure = Some((
                0,
                0,
                format!(
                    "An object '{class}' of type ApexClass was named in package.xml, but was not found in zipped directory"
                ),
            ));
        } else if !contents
            .files
            .contains(&format!("classes/{class}.cls-meta.xml"))
        {
            failure = Some((
                0,
                0,
                format!("Apex class '{class}' has no meta file classes/{class}.cls-meta.xml"),
            ));
        }
        job.components.push(Component {
            kind: "ApexClass".into(),
            name: class.clone(),
            file: format!("classes/{class}.cls"),
            failure,
        });
    }
    let is_test = |name: &str| name.ends_with("Test") || name.ends_with("Tests");
    let test_classes: Vec<String> = match test_level.as_str() {
        "RunSpecifiedTests" => run_tests.clone(),
        "RunLocalTests" | "RunAllTestsInOrg" => contents
            .classes
            .iter()
            .filter(|c| is_test(c))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    for class in &test_classes {
        for method in ["testDisablePositive", "testDisableNegativeSelf"] {
            job.tests.push(TestMethod {
                class: class.clone(),
                method: method.into(),
                failure: None,
                time: 42.0,
            });
        }
    }
    for class in contents.classes.iter().filter(|c| !is_test(c)) {
        job.coverage.push(Coverage {
            name: class.clone(),
            kind: "Class",
            locations: 40,
            uncovered: vec![12, 30],
        });
    }
    let first_class = contents.classes.iter().position(|c| !is_test(c));
    match scenario.ending {
        Ending::Success => {}
        Ending::CompileFailure | Ending::Partial => {
            if let Some(i) = first_class {
                job.components[i].failure = Some((4, 5, "Missing ';' at '}'".into()));
            }
        }
        Ending::TestFailure => {
            if let Some(t) = job.tests.first_mut() {
                t.failure = Some((
                    "System.AssertException: Assertion Failed: Expected: DISABLED, Actual: FAILED"
                        .into(),
                    format!("Class.{}.{}: line 7, column 1", t.class, t.method),
                ));
            }
        }
        Ending::CoverageFailure => {
            for c in &mut job.coverage {
                c.uncovered = (1..=13).map(|l| l * 3).collect();
            }
            job.coverage_warnings.push("Average test coverage across all Apex Classes and Triggers is 68%, at least 75% test coverage is required.".into());
        }
    }
    let component_failed = job.components.iter().any(|c| c.failure.is_some());
    let test_failed = job.tests.iter().any(|t| t.failure.is_some()) && job.run_tests;
    let coverage_failed =
        !job.coverage_warnings.is_empty() && job.run_tests && !job.tests.is_empty();
    job.final_status = if component_failed
        && !job.rollback_on_error
        && job.components.iter().any(|c| c.failure.is_none())
    {
        "SucceededPartial"
    } else if component_failed || test_failed || coverage_failed {
        "Failed"
    } else {
        "Succeeded"
    };
    state.jobs.insert(id.clone(), job);
    if let Some(status) = scenario.deploy_lost {
        return Response::html(
            status,
            "<html><body><h1>504 Gateway Time-out</h1></body></html>",
        );
    }
    Response::xml(200, respond::deploy_response(&id))
}
