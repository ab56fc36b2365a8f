//! The simulator's responses, written the way Salesforce writes them (the captures in the
//! reference fixtures): one line, the `soapenv` prefix, the metadata namespace as the default
//! on the Envelope, WSDL element order, optional nulls omitted, nillable nulls as `xsi:nil`,
//! lists as repeated siblings, faults with HTTP 500 and no `<detail>`.

use std::time::Instant;

use crate::xml::escape;

use super::job::{Job, Phase, date_of};

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata""#;
const XSI: &str = r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#;
const TAIL: &str = "</soapenv:Body></soapenv:Envelope>";

/// The created-by user of every job, like the captures' 15-character ids.
pub const USER_ID: &str = "0053D0000052Xaq";
pub const USER_NAME: &str = "User User";

fn envelope(body: &str) -> String {
    let xsi = if body.contains("xsi:nil") { XSI } else { "" };
    format!("{HEAD}{xsi}><soapenv:Body>{body}{TAIL}")
}

/// XML text builder.
#[derive(Default)]
struct X(String);

impl X {
    fn el(&mut self, name: &str, value: impl std::fmt::Display) -> &mut Self {
        let text = value.to_string();
        self.0
            .push_str(&format!("<{name}>{}</{name}>", escape(text.as_str())));
        self
    }
    fn nillable(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.el(name, v),
            None => {
                self.0.push_str(&format!("<{name} xsi:nil=\"true\"/>"));
                self
            }
        }
    }
    fn open(&mut self, name: &str) -> &mut Self {
        self.0.push_str(&format!("<{name}>"));
        self
    }
    fn close(&mut self, name: &str) -> &mut Self {
        self.0.push_str(&format!("</{name}>"));
        self
    }
}

pub fn fault(code: &str, message: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault><faultcode>sf:{code}</faultcode><faultstring>{code}: {}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#,
        escape(message)
    )
}

pub fn deploy_response(id: &str) -> String {
    envelope(&format!(
        "<deployResponse><result><done>false</done><id>{id}</id><state>Queued</state></result></deployResponse>"
    ))
}

pub fn cancel_response(id: &str, done: bool) -> String {
    envelope(&format!(
        "<cancelDeployResponse><result><done>{done}</done><id>{id}</id></result></cancelDeployResponse>"
    ))
}

pub fn quick_deploy_response(id: &str) -> String {
    envelope(&format!(
        "<deployRecentValidationResponse><result>{id}</result></deployRecentValidationResponse>"
    ))
}

/// `checkDeployStatusResponse` for `job` at `now`.
pub fn status_response(job: &Job, now: Instant, include_details: bool) -> String {
    let phase = job.phase(now);
    let done = matches!(phase, Phase::Done | Phase::Canceled { .. });
    let status: &str = match phase {
        Phase::Pending => "Pending",
        Phase::InProgress(_) => "InProgress",
        Phase::Finalizing => "Finalizing",
        Phase::Canceling => "Canceling",
        Phase::Canceled { .. } => "Canceled",
        Phase::Done => job.final_status,
    };
    let started = !matches!(phase, Phase::Pending | Phase::Canceled { started: false });
    let fraction = match phase {
        Phase::Pending | Phase::Canceled { started: false } => 0.0,
        Phase::InProgress(f) => f,
        _ => 1.0,
    };
    let finished = matches!(phase, Phase::Done);
    let failed_components: Vec<_> = job
        .components
        .iter()
        .filter(|c| c.failure.is_some())
        .collect();
    let total = job.components.len() as u32;
    let component_errors = if finished || fraction >= 0.5 {
        failed_components.len() as u32
    } else {
        0
    };
    let deployed = if finished {
        total - failed_components.len() as u32
    } else {
        ((f64::from(total) * (fraction * 2.0).min(1.0)) as u32)
            .min(total - failed_components.len() as u32)
    };
    // Tests run in the second half of InProgress, after the components.
    let compile_failed = !failed_components.is_empty() && job.rollback_on_error;
    let tests_run =
        job.run_tests && !job.tests.is_empty() && !compile_failed && !job.no_package_xml;
    let tests_total = if tests_run { job.tests.len() as u32 } else { 0 };
    let tests_done_count = if !tests_run {
        0
    } else if finished {
        tests_total
    } else {
        ((f64::from(tests_total) * ((fraction - 0.5) * 2.0).max(0.0)) as u32).min(tests_total)
    };
    let done_tests = &job.tests[..tests_done_count as usize];
    let test_errors = done_tests.iter().filter(|t| t.failure.is_some()).count() as u32;
    let test_passes = tests_done_count - test_errors;
    let success = matches!(phase, Phase::Done) && job.final_status.starts_with("Succeeded");
    let end = date_of(job.created + job.pending + job.running + job.finalizing);

    let mut x = X::default();
    x.open("checkDeployStatusResponse").open("result");
    if let Phase::Canceling | Phase::Canceled { .. } = phase {
        x.el("canceledBy", USER_ID).el("canceledByName", USER_NAME);
    }
    x.el("checkOnly", job.check_only);
    if done {
        x.el("completedDate", &end);
    }
    x.el("createdBy", USER_ID)
        .el("createdByName", USER_NAME)
        .el("createdDate", &job.created_date);

    // details: failures while running, everything once done (and asked for).
    x.open("details");
    let folder = &job.folder;
    if job.no_package_xml {
        if finished {
            x.open("componentFailures")
                .el("changed", false)
                .el("componentType", "")
                .el("created", false)
                .el("createdDate", &end)
                .el("deleted", false)
                .el("fileName", "package.xml")
                .el("fullName", "package.xml")
                .el("problem", "No package.xml found")
                .el("problemType", "Error")
                .el("success", false)
                .close("componentFailures");
        }
    } else {
        if component_errors > 0 {
            for c in &failed_components {
                let Some((line, column, problem)) = &c.failure else {
                    continue;
                };
                x.open("componentFailures")
                    .el("changed", false)
                    .el("columnNumber", column)
                    .el("componentType", &c.kind)
                    .el("created", false)
                    .el("createdDate", &end)
                    .el("deleted", false)
                    .el("fileName", format!("{folder}{}", c.file))
                    .el("fullName", &c.name)
                    .el("lineNumber", line)
                    .el("problem", problem)
                    .el("problemType", "Error")
                    .el("success", false)
                    .close("componentFailures");
            }
        }
        if finished && include_details {
            let all_rolled_back = job.final_status == "Failed";
            let mut successes: Vec<(String, String, String)> = Vec::new();
            if !all_rolled_back || job.check_only || failed_components.is_empty() {
                for c in job.components.iter().filter(|c| c.failure.is_none()) {
                    successes.push((
                        c.kind.clone(),
                        c.name.clone(),
                        format!("{folder}{}", c.file),
                    ));
                }
            }
            successes.push((
                String::new(),
                "package.xml".into(),
                format!("{folder}package.xml"),
            ));
            for (i, (kind, name, file)) in successes.iter().enumerate() {
                x.open("componentSuccesses")
                    .el("changed", true)
                    .el("componentType", kind)
                    .el("created", true)
                    .el("createdDate", &end)
                    .el("deleted", false)
                    .el("fileName", file)
                    .el("fullName", name);
                if !kind.is_empty() {
                    x.el("id", format!("01p3D000000{i:07}"));
                }
                x.el("success", true).close("componentSuccesses");
            }
        }
    }
    // runTestResult is always there (a zero one at least), with failures while running.
    x.open("runTestResult");
    let total_time: f64 = done_tests.iter().map(|t| t.time).sum();
    if finished && include_details && tests_run {
        for c in &job.coverage {
            let covered_id = format!("01p3D00000{:08}", c.name.len());
            x.open("codeCoverage").el("id", &covered_id);
            for line in &c.uncovered {
                x.open("locationsNotCovered")
                    .el("column", 0)
                    .el("line", line)
                    .el("numExecutions", 0)
                    .el("time", "-1.0")
                    .close("locationsNotCovered");
            }
            x.el("name", &c.name)
                .nillable("namespace", None)
                .el("numLocations", c.locations)
                .el("numLocationsNotCovered", c.uncovered.len())
                .el("type", c.kind)
                .close("codeCoverage");
        }
        for w in &job.coverage_warnings {
            x.open("codeCoverageWarnings")
                .el("id", "01p3D0000000000AAA")
                .el("message", w)
                .nillable("name", None)
                .el("namespace", "")
                .close("codeCoverageWarnings");
        }
    }
    for t in done_tests.iter().filter(|t| t.failure.is_some()) {
        let Some((message, stack)) = &t.failure else {
            continue;
        };
        x.open("failures")
            .el("id", "01p3D0000000TESTAA")
            .el("message", message)
            .el("methodName", &t.method)
            .el("name", &t.class)
            .nillable("namespace", None)
            .el("packageName", &t.class)
            .el("stackTrace", stack)
            .el("time", format!("{:.1}", t.time))
            .el("type", "Class")
            .close("failures");
    }
    x.el("numFailures", test_errors)
        .el("numTestsRun", tests_done_count);
    if finished && include_details {
        for t in done_tests.iter().filter(|t| t.failure.is_none()) {
            x.open("successes")
                .el("id", "01p3D0000000TESTAA")
                .el("methodName", &t.method)
                .el("name", &t.class)
                .nillable("namespace", None)
                .el("time", format!("{:.1}", t.time))
                .close("successes");
        }
    }
    x.el("totalTime", format!("{total_time:.1}"))
        .close("runTestResult")
        .close("details");

    x.el("done", done)
        .el("id", &job.id)
        .el("ignoreWarnings", job.ignore_warnings)
        .el(
            "lastModifiedDate",
            if done { end.clone() } else { date_of(now) },
        )
        .el("numberComponentErrors", component_errors)
        .el("numberComponentsDeployed", deployed)
        .el(
            "numberComponentsTotal",
            if job.no_package_xml { 0 } else { total },
        )
        .el("numberTestErrors", test_errors)
        .el("numberTestsCompleted", test_passes)
        .el("numberTestsTotal", tests_total)
        .el("rollbackOnError", job.rollback_on_error)
        .el("runTestsEnabled", tests_run);
    if started {
        x.el("startDate", date_of(job.created + job.pending));
    }
    if let Phase::InProgress(f) = phase
        && f >= 0.5
        && tests_run
        && let Some(t) = job.tests.get(tests_done_count as usize)
    {
        x.el("stateDetail", &t.class);
    }
    x.el("status", status).el("success", success);
    x.close("result").close("checkDeployStatusResponse");
    envelope(&x.0)
}
