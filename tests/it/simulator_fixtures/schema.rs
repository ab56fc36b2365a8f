//! The simulator's answers validate against the official Metadata API schema.

use super::*;

/// The Metadata API WSDL vendored with the repository (or `$APEX_GATE_WSDL`).
fn wsdl() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("APEX_GATE_WSDL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/metadata-api/metadata-v66.0.wsdl")
        });
    path.is_file().then_some(path)
}

/// The first child of the SOAP Body as a standalone document, for schema validation.
fn body_document(envelope: &str) -> String {
    let start = envelope
        .find("<soapenv:Body>")
        .map(|i| i + "<soapenv:Body>".len())
        .unwrap_or(0);
    let end = envelope.find("</soapenv:Body>").unwrap_or(envelope.len());
    let body = &envelope[start..end];
    let name_end = body.find(['>', ' ']).unwrap_or(body.len());
    format!(
        r#"{} xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"{}"#,
        &body[..name_end],
        &body[name_end..]
    )
}

#[test]
fn simulator_answers_validate_against_the_wsdl_schema() {
    let tools = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok()
        && std::process::Command::new("python3")
            .arg("--version")
            .output()
            .is_ok();
    let Some(wsdl) = wsdl().filter(|_| tools) else {
        // CI installs xmllint and python3: there, this must run.
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint, python3 or the WSDL is missing in CI"
        );
        eprintln!("skipped: needs xmllint, python3 and the Metadata API WSDL");
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let xsd = dir.path().join("metadata.xsd");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/apex-gate/wsdl2xsd.py");
    let cut = std::process::Command::new("python3")
        .arg(&script)
        .arg(&wsdl)
        .arg(&xsd)
        .status()
        .expect("the command runs");
    assert!(cut.success());

    let mut answers: Vec<(String, String)> = Vec::new();
    let zip = zip_of(&[
        (
            "package.xml",
            &PACKAGE.replace(
                "<members>Sample</members>",
                "<members>Sample</members><members>SampleTest</members>",
            ),
        ),
        ("classes/Sample.cls", "public class Sample {}"),
        (
            "classes/Sample.cls-meta.xml",
            &fixture("sfcli-nut_Sample.cls-meta.xml"),
        ),
        ("classes/SampleTest.cls", "@IsTest class SampleTest {}"),
        (
            "classes/SampleTest.cls-meta.xml",
            &fixture("sfcli-nut_Sample.cls-meta.xml"),
        ),
    ]);
    for ending in [
        support::simulator::Ending::TestFailure,
        support::simulator::Ending::CoverageFailure,
        support::simulator::Ending::CompileFailure,
    ] {
        let sim = Simulator::start(Scenario {
            ending,
            pending: Duration::ZERO,
            running: Duration::ZERO,
            ..Scenario::default()
        });
        let options = DeployOptions {
            check_only: true,
            ignore_warnings: false,
            rollback_on_error: true,
            run_tests: vec!["SampleTest".into()],
            single_package: true,
            test_level: Some(TestLevel::RunSpecifiedTests),
        };
        let (before, after) = envelope::deploy(&Secret::new(TOKEN), &options);
        let (_, text) = post(&sim, format!("{before}{zip}{after}"));
        answers.push((format!("deploy {ending:?}"), text.clone()));
        let Ok(Response::Body(body)) = parse::envelope(&text) else {
            panic!("{text}")
        };
        let id = body
            .path(&["result", "id"])
            .map(|e| e.text.clone())
            .unwrap_or_default();
        answers.push((format!("status {ending:?}"), status(&sim, &id, true).1));
    }
    let sim = Simulator::start(Scenario {
        running: Duration::from_secs(30),
        ..Scenario::default()
    });
    let (id, _) = deploy(&sim, &good_zip());
    answers.push(("pending".into(), status(&sim, &id, false).1));
    std::thread::sleep(Duration::from_millis(100));
    answers.push(("in progress".into(), status(&sim, &id, false).1));
    answers.push((
        "cancel".into(),
        post(&sim, envelope::cancel_deploy(&Secret::new(TOKEN), &id)).1,
    ));
    answers.push(("canceling".into(), status(&sim, &id, true).1));

    for (name, answer) in answers {
        let file = dir.path().join("answer.xml");
        std::fs::write(&file, body_document(&answer)).expect("writing a test file");
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()
            .expect("the command runs");
        assert!(
            out.status.success(),
            "{name}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            body_document(&answer)
        );
    }
}
