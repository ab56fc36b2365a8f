//! SOAP responses -> typed results.
//!
//! Lenient by design: prefixes and namespaces are ignored, a list may be absent, one element
//! or many, optional fields may be missing or `xsi:nil`, booleans may be `true`/`True`/`1`,
//! and elements we do not know are skipped. A value that is present but unreadable (a count
//! of `many`) is an error rather than a silent zero.

use super::fault::{self, Fault};
use super::model::*;
use super::xml;
pub use super::xml::Element;

/// What a response body turned out to be.
#[derive(Debug)]
pub enum Response {
    /// The first child of `Body` (`checkDeployStatusResponse`, ...).
    Body(Element),
    Fault(Fault),
}

/// Parses a SOAP envelope into its body's first element or a fault.
pub fn envelope(text: &str) -> Result<Response, String> {
    let root = xml::parse(text)?;
    if root.name != "Envelope" {
        return Err(format!("expected a SOAP Envelope, got <{}>", root.name));
    }
    // Taken out of the tree, not cloned: an answer of many MiB is held once.
    let body = root
        .children
        .into_iter()
        .find(|c| c.name == "Body")
        .ok_or_else(|| "the SOAP envelope has no Body".to_string())?;
    let first = body
        .children
        .into_iter()
        .next()
        .ok_or_else(|| "the SOAP Body is empty".to_string())?;
    if first.name == "Fault" {
        return Ok(Response::Fault(fault::from_element(&first)));
    }
    Ok(Response::Body(first))
}

/// `<xResponse><result>...</result></xResponse>` -> the `result` element.
pub fn result_of<'a>(body: &'a Element, response: &str) -> Result<&'a Element, String> {
    if body.name != response {
        return Err(format!("expected <{response}>, got <{}>", body.name));
    }
    body.child("result")
        .ok_or_else(|| format!("<{response}> has no <result>"))
}

pub fn async_result(result: &Element) -> Result<AsyncResult, String> {
    Ok(AsyncResult {
        done: boolean(result, "done")?,
        id: required(result, "id")?,
        state: opt(result, "state"),
        message: opt(result, "message"),
        status_code: opt(result, "statusCode"),
    })
}

pub fn cancel_result(result: &Element) -> Result<CancelDeployResult, String> {
    Ok(CancelDeployResult {
        done: boolean(result, "done")?,
        id: required(result, "id")?,
    })
}

pub fn deploy_result(r: &Element) -> Result<DeployResult, String> {
    let details = match r.child("details") {
        Some(d) => deploy_details(d)?,
        None => DeployDetails::default(),
    };
    Ok(DeployResult {
        id: required(r, "id")?,
        status: required(r, "status")?,
        done: boolean(r, "done")?,
        success: boolean(r, "success")?,
        check_only: boolean(r, "checkOnly")?,
        ignore_warnings: boolean(r, "ignoreWarnings")?,
        rollback_on_error: boolean(r, "rollbackOnError")?,
        run_tests_enabled: boolean(r, "runTestsEnabled")?,
        number_components_total: int(r, "numberComponentsTotal")?,
        number_components_deployed: int(r, "numberComponentsDeployed")?,
        number_component_errors: int(r, "numberComponentErrors")?,
        number_tests_total: int(r, "numberTestsTotal")?,
        number_tests_completed: int(r, "numberTestsCompleted")?,
        number_test_errors: int(r, "numberTestErrors")?,
        state_detail: opt(r, "stateDetail"),
        error_message: opt(r, "errorMessage"),
        error_status_code: opt(r, "errorStatusCode"),
        created_by: opt(r, "createdBy"),
        created_by_name: opt(r, "createdByName"),
        created_date: opt(r, "createdDate"),
        start_date: opt(r, "startDate"),
        last_modified_date: opt(r, "lastModifiedDate"),
        completed_date: opt(r, "completedDate"),
        canceled_by: opt(r, "canceledBy"),
        canceled_by_name: opt(r, "canceledByName"),
        details,
    })
}

fn deploy_details(d: &Element) -> Result<DeployDetails, String> {
    Ok(DeployDetails {
        component_failures: d
            .all("componentFailures")
            .map(deploy_message)
            .collect::<Result<_, _>>()?,
        component_successes: d
            .all("componentSuccesses")
            .map(deploy_message)
            .collect::<Result<_, _>>()?,
        run_test_result: d.child("runTestResult").map(run_tests).transpose()?,
    })
}

fn deploy_message(m: &Element) -> Result<DeployMessage, String> {
    Ok(DeployMessage {
        component_type: opt(m, "componentType").unwrap_or_default(),
        full_name: opt(m, "fullName").unwrap_or_default(),
        file_name: opt(m, "fileName").unwrap_or_default(),
        success: boolean(m, "success")?,
        changed: boolean(m, "changed")?,
        created: boolean(m, "created")?,
        deleted: boolean(m, "deleted")?,
        problem: opt(m, "problem"),
        problem_type: opt(m, "problemType"),
        line_number: opt_int(m, "lineNumber")?,
        column_number: opt_int(m, "columnNumber")?,
        id: opt(m, "id"),
        created_date: opt(m, "createdDate"),
    })
}

fn run_tests(t: &Element) -> Result<RunTestsResult, String> {
    Ok(RunTestsResult {
        num_tests_run: int(t, "numTestsRun")?,
        num_failures: int(t, "numFailures")?,
        total_time: double(t, "totalTime")?,
        apex_log_id: opt(t, "apexLogId"),
        successes: t
            .all("successes")
            .map(|s| {
                Ok(RunTestSuccess {
                    id: opt(s, "id"),
                    name: opt(s, "name").unwrap_or_default(),
                    method_name: opt(s, "methodName").unwrap_or_default(),
                    namespace: opt(s, "namespace"),
                    time: double(s, "time")?,
                })
            })
            .collect::<Result<_, String>>()?,
        failures: t
            .all("failures")
            .map(|f| {
                Ok(RunTestFailure {
                    id: opt(f, "id"),
                    name: opt(f, "name").unwrap_or_default(),
                    method_name: opt(f, "methodName"),
                    namespace: opt(f, "namespace"),
                    package_name: opt(f, "packageName"),
                    message: opt(f, "message").unwrap_or_default(),
                    stack_trace: opt(f, "stackTrace"),
                    time: double(f, "time")?,
                    kind: opt(f, "type"),
                })
            })
            .collect::<Result<_, String>>()?,
        code_coverage: t
            .all("codeCoverage")
            .map(|c| {
                Ok(CodeCoverageResult {
                    id: opt(c, "id"),
                    name: opt(c, "name").unwrap_or_default(),
                    namespace: opt(c, "namespace"),
                    kind: opt(c, "type"),
                    num_locations: int(c, "numLocations")?,
                    num_locations_not_covered: int(c, "numLocationsNotCovered")?,
                    locations_not_covered: c
                        .all("locationsNotCovered")
                        .map(|l| {
                            Ok(CodeLocation {
                                line: int(l, "line")?,
                                column: int(l, "column")?,
                                num_executions: int(l, "numExecutions")?,
                                time: double(l, "time")?,
                            })
                        })
                        .collect::<Result<_, String>>()?,
                })
            })
            .collect::<Result<_, String>>()?,
        code_coverage_warnings: t
            .all("codeCoverageWarnings")
            .map(|w| CodeCoverageWarning {
                id: opt(w, "id"),
                name: opt(w, "name"),
                namespace: opt(w, "namespace"),
                message: opt(w, "message").unwrap_or_default(),
            })
            .collect(),
    })
}

fn opt(e: &Element, name: &str) -> Option<String> {
    e.text_of(name).map(|t| t.trim().to_string())
}

fn required(e: &Element, name: &str) -> Result<String, String> {
    opt(e, name)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("<{}> has no <{name}>", e.name))
}

/// Absent or nil booleans are false, as Salesforce itself reads missing options.
fn boolean(e: &Element, name: &str) -> Result<bool, String> {
    match e.text_of(name).map(str::trim) {
        None | Some("") => Ok(false),
        Some(t) if t.eq_ignore_ascii_case("true") || t == "1" => Ok(true),
        Some(t) if t.eq_ignore_ascii_case("false") || t == "0" => Ok(false),
        Some(t) => Err(format!("<{name}> is `{t}`, not a boolean")),
    }
}

fn int(e: &Element, name: &str) -> Result<u32, String> {
    Ok(opt_int(e, name)?.unwrap_or(0))
}

fn opt_int(e: &Element, name: &str) -> Result<Option<u32>, String> {
    match e.text_of(name).map(str::trim) {
        None | Some("") => Ok(None),
        // Some clients' outputs spell whole numbers as doubles; accept `3.0`.
        Some(t) => t
            .parse::<u32>()
            .ok()
            .or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= f64::from(u32::MAX))
                    .map(|v| v as u32)
            })
            .map(Some)
            .ok_or_else(|| format!("<{name}> is `{t}`, not a count")),
    }
}

fn double(e: &Element, name: &str) -> Result<f64, String> {
    match e.text_of(name).map(str::trim) {
        None | Some("") => Ok(0.0),
        Some(t) => t
            .parse::<f64>()
            .map_err(|_| format!("<{name}> is `{t}`, not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONSTRUCTED_TEST_FAILURE: &str = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><checkDeployStatusResponse><result><checkOnly>true</checkOnly><completedDate>2025-01-15T10:00:09.000Z</completedDate><createdBy>005000000000001</createdBy><createdByName>Ci User</createdByName><createdDate>2025-01-15T10:00:00.000Z</createdDate><details><runTestResult><codeCoverage><id>01p000000000001AAA</id><locationsNotCovered><column>0</column><line>12</line><numExecutions>0</numExecutions><time>-1.0</time></locationsNotCovered><name>PortalUserDisabler</name><namespace xsi:nil="true"/><numLocations>40</numLocations><numLocationsNotCovered>1</numLocationsNotCovered><type>Class</type></codeCoverage><codeCoverageWarnings><id>01p000000000001AAA</id><message>Average test coverage across all Apex Classes and Triggers is 68%, at least 75% test coverage is required.</message><name xsi:nil="true"/><namespace></namespace></codeCoverageWarnings><failures><id>01p000000000002AAA</id><message>System.AssertException: Assertion Failed</message><methodName>disablesPortalUser</methodName><name>PortalUserDisablerTest</name><namespace xsi:nil="true"/><packageName>PortalUserDisablerTest</packageName><stackTrace>Class.PortalUserDisablerTest.disablesPortalUser: line 7, column 1</stackTrace><time>95.0</time><type>Class</type></failures><numFailures>1</numFailures><numTestsRun>1</numTestsRun><totalTime>95.0</totalTime></runTestResult></details><done>true</done><id>0Af000000000001AAA</id><ignoreWarnings>false</ignoreWarnings><lastModifiedDate>2025-01-15T10:00:09.000Z</lastModifiedDate><numberComponentErrors>0</numberComponentErrors><numberComponentsDeployed>2</numberComponentsDeployed><numberComponentsTotal>2</numberComponentsTotal><numberTestErrors>1</numberTestErrors><numberTestsCompleted>0</numberTestsCompleted><numberTestsTotal>1</numberTestsTotal><rollbackOnError>true</rollbackOnError><runTestsEnabled>true</runTestsEnabled><startDate>2025-01-15T10:00:01.000Z</startDate><status>Failed</status><success>false</success></result></checkDeployStatusResponse></soapenv:Body></soapenv:Envelope>"#;

    fn parse_status(text: &str) -> DeployResult {
        let Ok(Response::Body(body)) = envelope(text) else {
            panic!("not a body")
        };
        let result =
            result_of(&body, "checkDeployStatusResponse").unwrap_or_else(|e| panic!("{e}"));
        deploy_result(result).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_constructed_test_failure_of_the_reference() {
        let r = parse_status(CONSTRUCTED_TEST_FAILURE);
        assert_eq!(r.outcome(), Outcome::Failed);
        let tests = r.test_result().unwrap_or_else(|| panic!("no tests"));
        assert_eq!(tests.failures.len(), 1);
        assert_eq!(
            tests.failures[0].method_name.as_deref(),
            Some("disablesPortalUser")
        );
        assert_eq!(tests.failures[0].namespace, None);
        assert_eq!(tests.code_coverage[0].locations_not_covered[0].line, 12);
        assert_eq!(tests.code_coverage[0].locations_not_covered[0].time, -1.0);
        assert_eq!(tests.code_coverage_warnings[0].name, None);
        assert_eq!(
            tests.code_coverage_warnings[0].namespace.as_deref(),
            Some("")
        );
        assert_eq!(tests.total_time, 95.0);
    }

    #[test]
    fn lenient_booleans_and_counts() {
        let text = r#"<E:Envelope xmlns:E="e"><E:Body><m:checkDeployStatusResponse xmlns:m="m"><m:result><m:id>0Af000000000001AAA</m:id><m:status>Finalizing</m:status><m:done>False</m:done><m:numberComponentsTotal>3.0</m:numberComponentsTotal><m:unknownThing>x</m:unknownThing></m:result></m:checkDeployStatusResponse></E:Body></E:Envelope>"#;
        let r = parse_status(text);
        assert_eq!(r.outcome(), Outcome::Running);
        assert_eq!(r.number_components_total, 3);
        assert!(r.details.run_test_result.is_none());
    }

    #[test]
    fn bad_counts_are_errors() {
        let text = r#"<E:Envelope xmlns:E="e"><E:Body><checkDeployStatusResponse><result><id>0Af000000000001AAA</id><status>Pending</status><numberTestsTotal>many</numberTestsTotal></result></checkDeployStatusResponse></E:Body></E:Envelope>"#;
        let Ok(Response::Body(body)) = envelope(text) else {
            panic!("not a body")
        };
        let result =
            result_of(&body, "checkDeployStatusResponse").unwrap_or_else(|e| panic!("{e}"));
        assert!(deploy_result(result).is_err());
    }
}
