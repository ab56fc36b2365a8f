//! The captured real responses against our code: the client's parser reads every one, and the
//! simulator answers the same situations with the same element structure.
//!
//! Captures live in `tests/fixtures/metadata-api/` (see its README). Structure means the set
//! of element paths (repeated siblings merged) in document order; the simulator may add only
//! elements the WSDL marks optional that the capture happens not to have.

use crate::support;

use std::path::Path;
use std::time::Duration;

use base64::Engine;
use portal_disable::metadata::envelope::{self, DeployOptions, TestLevel};
use portal_disable::metadata::parse::{self, Response};
use portal_disable::metadata::xml::{self, Element};
use portal_disable::secret::Secret;
use support::simulator::{Scenario, Simulator, TOKEN};

mod schema;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/metadata-api")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

#[test]
fn the_parser_reads_every_capture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/metadata-api");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.ends_with(".xml") {
            continue;
        }
        seen += 1;
        let text = std::fs::read_to_string(&path).expect("reading a test file");
        if name.contains("package.xml") || name.contains("-meta.xml") {
            xml::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            continue;
        }
        match parse::envelope(&text).unwrap_or_else(|e| panic!("{name}: {e}")) {
            Response::Fault(fault) => {
                assert!(name.contains("fault"), "{name}");
                let expected = ["INVALID_SESSION_ID", "INSUFFICIENT_ACCESS", "INVALID_LOGIN"];
                assert!(expected.contains(&fault.code.as_str()), "{name}: {fault:?}");
                assert!(
                    !fault.message.is_empty() && !fault.message.starts_with(&fault.code),
                    "{name}: {fault:?}"
                );
            }
            Response::Body(body) if name.contains("checkDeployStatus") => {
                let result = parse::result_of(&body, "checkDeployStatusResponse")
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let r = parse::deploy_result(result).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(r.id.starts_with("0Af"), "{name}");
                assert!(r.details.run_test_result.is_some(), "{name}");
                if name.contains("succeeded") {
                    assert_eq!(r.details.component_successes.len(), 5);
                    assert_eq!(r.number_components_deployed, 4);
                    assert!(r.success && r.done);
                }
                if name.contains("failed") {
                    assert_eq!(
                        r.details.component_failures[0].problem.as_deref(),
                        Some("No package.xml found")
                    );
                    assert_eq!(r.details.component_failures[0].component_type, "");
                }
                if name.contains("pending") {
                    assert_eq!(r.start_date, None);
                    assert!(!r.done);
                }
            }
            Response::Body(body) => {
                let result = parse::result_of(&body, "deployResponse")
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let r = parse::async_result(result).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(r.state.as_deref(), Some("Queued"));
            }
        }
    }
    assert_eq!(seen, 12);
}

/// Unique element paths in first-appearance order.
fn paths(root: &Element) -> Vec<String> {
    fn walk(e: &Element, prefix: &str, out: &mut Vec<String>) {
        let path = format!("{prefix}/{}", e.name);
        if !out.contains(&path) {
            out.push(path.clone());
        }
        for c in &e.children {
            walk(c, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(root, "", &mut out);
    out
}

/// `ours` has every element path of `capture`, in the same order, and beyond them only
/// optional elements listed in `extra`.
fn assert_same_structure(capture: &str, ours: &str, extra: &[&str]) {
    let capture_paths = paths(&xml::parse(capture).unwrap_or_else(|e| panic!("{e}")));
    let our_paths = paths(&xml::parse(ours).unwrap_or_else(|e| panic!("{e}")));
    let missing: Vec<_> = capture_paths
        .iter()
        .filter(|p| !our_paths.contains(p))
        .collect();
    assert!(
        missing.is_empty(),
        "the simulator lacks {missing:?}\n{ours}"
    );
    let added: Vec<_> = our_paths
        .iter()
        .filter(|p| !capture_paths.contains(p))
        .filter(|p| !extra.iter().any(|e| p.ends_with(e)))
        .collect();
    assert!(added.is_empty(), "the simulator adds {added:?}\n{ours}");
    let shared: Vec<_> = our_paths
        .iter()
        .filter(|p| capture_paths.contains(p))
        .collect();
    let capture_order: Vec<_> = capture_paths.iter().collect();
    assert_eq!(shared, capture_order, "element order differs");
}

const PREFIX: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>"#;

fn post(sim: &Simulator, body: String) -> (u16, String) {
    let client = support::http();
    let response = client
        .post(format!("{}/services/Soap/m/62.0", sim.url()))
        .header("Content-Type", "text/xml")
        .body(body)
        .send()
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    (status, response.text().unwrap_or_else(|e| panic!("{e}")))
}

fn zip_of(files: &[(&str, &str)]) -> String {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        std::io::Write::write_all(&mut writer, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    let bytes = writer
        .finish()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

const PACKAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>Sample</members><name>ApexClass</name></types><version>57.0</version></Package>"#;

fn good_zip() -> String {
    zip_of(&[
        ("package.xml", PACKAGE),
        ("classes/Sample.cls", "public class Sample {}"),
        (
            "classes/Sample.cls-meta.xml",
            &fixture("sfcli-nut_Sample.cls-meta.xml"),
        ),
    ])
}

/// A deploy the way our client writes it; returns the job id.
fn deploy(sim: &Simulator, zip: &str) -> (String, String) {
    let options = DeployOptions {
        check_only: false,
        ignore_warnings: false,
        rollback_on_error: true,
        run_tests: Vec::new(),
        single_package: true,
        test_level: Some(TestLevel::NoTestRun),
    };
    let (before, after) = envelope::deploy(&Secret::new(TOKEN), &options);
    let (status, text) = post(sim, format!("{before}{zip}{after}"));
    assert_eq!(status, 200, "{text}");
    let Ok(Response::Body(body)) = parse::envelope(&text) else {
        panic!("{text}")
    };
    let id = body
        .path(&["result", "id"])
        .map(|e| e.text.clone())
        .unwrap_or_default();
    (id, text)
}

fn status(sim: &Simulator, id: &str, details: bool) -> (u16, String) {
    post(
        sim,
        envelope::check_deploy_status(&Secret::new(TOKEN), id, details),
    )
}

#[test]
fn deploy_response_matches_the_capture_byte_for_byte_but_the_id() {
    let sim = Simulator::start(Scenario::default());
    let (id, text) = deploy(&sim, &good_zip());
    let capture = fixture("simple-salesforce_deployResponse_queued.xml");
    assert_eq!(text.replace(&id, "0Af3B00001CMyfASAT"), capture.trim_end());
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn pending_in_progress_and_succeeded_match_the_captures() {
    let sim = Simulator::start(Scenario {
        pending: Duration::from_secs(30),
        ..Scenario::default()
    });
    let (id, _) = deploy(&sim, &good_zip());
    let (code, text) = status(&sim, &id, false);
    assert_eq!(code, 200);
    assert!(text.starts_with(PREFIX), "{text}");
    assert_same_structure(
        &fixture("simple-salesforce_checkDeployStatus_pending.xml"),
        &text,
        &[],
    );

    let sim = Simulator::start(Scenario {
        pending: Duration::ZERO,
        running: Duration::from_secs(30),
        ..Scenario::default()
    });
    let (id, _) = deploy(&sim, &good_zip());
    let (_, text) = status(&sim, &id, false);
    assert!(text.contains("<status>InProgress</status>"), "{text}");
    assert_same_structure(
        &fixture("simple-salesforce_checkDeployStatus_inprogress.xml"),
        &text,
        &[],
    );

    let sim = Simulator::start(Scenario {
        pending: Duration::ZERO,
        running: Duration::ZERO,
        ..Scenario::default()
    });
    let (id, _) = deploy(&sim, &good_zip());
    let (_, text) = status(&sim, &id, true);
    assert!(text.contains("<status>Succeeded</status>"), "{text}");
    // The capture deployed settings, which carry no component id; classes do.
    assert_same_structure(
        &fixture("simple-salesforce_checkDeployStatus_succeeded_settings.xml"),
        &text,
        &["/componentSuccesses/id"],
    );
    assert!(
        text.contains("<componentType></componentType>"),
        "package.xml pseudo-component: {text}"
    );
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn a_zip_without_package_xml_fails_like_the_capture() {
    let sim = Simulator::start(Scenario {
        pending: Duration::ZERO,
        running: Duration::ZERO,
        ..Scenario::default()
    });
    let zip = zip_of(&[("classes/Sample.cls", "public class Sample {}")]);
    // Sent as jsforce / the sf CLI does: default namespace on Header and Body, DeployOptions in
    // JavaScript key order, missing booleans. Accepted, and the order noted.
    let request = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>{TOKEN}</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><deploy><ZipFile>{zip}</ZipFile><DeployOptions><rollbackOnError>True</rollbackOnError><ignoreWarnings>False</ignoreWarnings><checkOnly>false</checkOnly><singlePackage>true</singlePackage><testLevel>NoTestRun</testLevel><runAllTests>false</runAllTests></DeployOptions></deploy></soapenv:Body></soapenv:Envelope>"#
    );
    let (code, text) = post(&sim, request);
    assert_eq!(code, 200, "{text}");
    let Ok(Response::Body(body)) = parse::envelope(&text) else {
        panic!("{text}")
    };
    let id = body
        .path(&["result", "id"])
        .map(|e| e.text.clone())
        .unwrap_or_default();
    let (_, text) = status(&sim, &id, true);
    assert_same_structure(
        &fixture("simple-salesforce_checkDeployStatus_failed_no_package_xml.xml"),
        &text,
        &[],
    );
    assert!(
        text.contains("<problem>No package.xml found</problem>"),
        "{text}"
    );
    let violations = sim.violations();
    assert!(
        violations.iter().any(|v| v.contains("not in WSDL order")),
        "{violations:?}"
    );
    assert!(
        violations.iter().any(|v| v.contains("no package.xml")),
        "{violations:?}"
    );
}

#[test]
fn faults_match_the_captures() {
    let sim = Simulator::start(Scenario::default());
    let (code, text) = post(
        &sim,
        envelope::check_deploy_status(&Secret::new("wrong"), "0Af3D00001NViC1SAL", false),
    );
    assert_eq!(code, 500);
    assert_same_structure(
        &fixture("jsforce-test_metadata_ns_fault_INVALID_SESSION_ID.xml"),
        &text,
        &[],
    );
    assert!(
        text.contains(r#"xmlns:sf="http://soap.sforce.com/2006/04/metadata""#),
        "{text}"
    );
    assert!(
        text.contains("<faultcode>sf:INVALID_SESSION_ID</faultcode>"),
        "{text}"
    );

    // jsforce's `<id>` child is accepted (and noted); the id is unknown either way.
    let jsforce_cancel = envelope::cancel_deploy(&Secret::new(TOKEN), "0Af3D00001NViC1SAL")
        .replace("<met:String>", "<met:id>")
        .replace("</met:String>", "</met:id>");
    let (code, text) = post(&sim, jsforce_cancel);
    assert_eq!(code, 500);
    assert!(text.contains("Invalid deploy ID"), "{text}");
    assert!(
        sim.violations()
            .iter()
            .any(|v| v.contains(r#"children ["id"]"#)),
        "{:?}",
        sim.violations()
    );
    let (code, text) = post(
        &sim,
        envelope::cancel_deploy(&Secret::new(TOKEN), "0Af3D00001NViC1SAL"),
    );
    assert_eq!(code, 500);
    assert_same_structure(
        &fixture("sfetlmap-log_metadata_fault_INSUFFICIENT_ACCESS_http500.xml"),
        &text,
        &[],
    );
    assert!(
        text.contains("<faultcode>sf:INVALID_ID_FIELD</faultcode>"),
        "{text}"
    );
}

#[test]
fn the_oauth_token_endpoint_answers_like_salesforce() {
    // Not used by the access-token source; here for the refresh-token, JWT and
    // client-credentials sources of the auth change (metadata-api.md §9 shapes).
    let sim = Simulator::start(Scenario::default());
    let client = support::http();
    let token = |form: &str| {
        let response = client
            .post(format!("{}/services/oauth2/token", sim.url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_string())
            .send()
            .unwrap_or_else(|e| panic!("{e}"));
        let status = response.status().as_u16();
        let text = response.text().unwrap_or_else(|e| panic!("{e}"));
        let body: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (status, body)
    };
    let (status, body) = token(
        "grant_type=refresh_token&client_id=3MVG9simulated.client.id&refresh_token=5Aep-simulated-refresh",
    );
    assert_eq!(status, 200);
    assert!(
        body["access_token"]
            .as_str()
            .is_some_and(|t| t.starts_with("00D000000000001!AQ.issued-")),
        "{body}"
    );
    assert_eq!(body["instance_url"], sim.url());
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["instance_url"].is_string() && body["issued_at"].is_string());
    let (status, body) =
        token("grant_type=refresh_token&client_id=3MVG9simulated.client.id&refresh_token=revoked");
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "expired access/refresh token");
    let (status, body) = token("client_id=PlatformCLI");
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");

    // The versions list the client reads before deploying.
    let text = client
        .get(format!("{}/services/data/", sim.url()))
        .send()
        .and_then(|r| r.text())
        .unwrap_or_else(|e| panic!("{e}"));
    let versions: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let last = versions
        .as_array()
        .and_then(|v| v.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["version"], "68.0");
    assert_eq!(last["url"], "/services/data/v68.0");
}
