//! The response parser never panics: random bytes, random XML-ish text, random trees of the
//! DeployResult's own element names with random values, and mutations of every captured
//! answer under `tests/fixtures/metadata-api/` (truncated at every byte, elements deleted or
//! duplicated, spans replaced with random text) go through the envelope, fault and result
//! parsers and the reports built from what they return. `Err` is fine; a panic is a bug, as
//! a proxy or a flaky network can send any of these.

use std::path::Path;
use std::time::Duration;

use portal_disable::metadata::fault;
use portal_disable::metadata::parse::{self, Response};
use portal_disable::metadata::xml;
use portal_disable::report::{human, json, junit};
use proptest::prelude::*;

/// Everything the client does with an answer body, as the deploy, report, cancel and
/// quick-deploy commands do it.
fn digest(text: &str) {
    if let Ok(root) = xml::parse(text) {
        // Any element may be taken for a fault.
        let _ = fault::from_element(&root).to_string();
    }
    match parse::envelope(text) {
        Ok(Response::Fault(fault)) => {
            let _ = (fault.to_string(), fault.is_transient());
        }
        Ok(Response::Body(body)) => {
            if let Ok(result) = parse::result_of(&body, "checkDeployStatusResponse")
                && let Ok(deployed) = parse::deploy_result(result)
            {
                let outcome = deployed.outcome();
                let _ = outcome.exit_code();
                let _ = deployed.test_result();
                let _ = human::render(&deployed, Some(Duration::from_secs(3)), true);
                let _ = json::result(outcome.exit_code(), &deployed, Some(3.0), None);
                let _ = junit::render(&deployed);
            }
            if let Ok(result) = parse::result_of(&body, "deployResponse") {
                let _ = parse::async_result(result);
            }
            if let Ok(result) = parse::result_of(&body, "cancelDeployResponse") {
                let _ = parse::cancel_result(result);
            }
            let _ = parse::deploy_result(&body);
        }
        Err(_) => {}
    }
}

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/metadata-api");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir:?}: {e}"))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            (
                p.file_name().unwrap_or_default().to_string_lossy().into(),
                text,
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 8, "captures missing: {files:?}");
    files
}

#[test]
fn every_capture_truncated_at_every_byte() {
    for (name, text) in fixtures() {
        digest(&text);
        for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let part = &text[..cut];
            let outcome = std::panic::catch_unwind(|| digest(part));
            assert!(outcome.is_ok(), "{name} cut at byte {cut} panicked");
        }
    }
}

/// Byte offsets of every `<` in `text`: where elements start and end.
fn tags(text: &str) -> Vec<usize> {
    text.match_indices('<').map(|(i, _)| i).collect()
}

/// The DeployResult's element names, so random trees reach deep into the parser.
const NAMES: &[&str] = &[
    "Envelope",
    "soapenv:Envelope",
    "Body",
    "soapenv:Body",
    "Fault",
    "faultcode",
    "faultstring",
    "detail",
    "checkDeployStatusResponse",
    "deployResponse",
    "cancelDeployResponse",
    "result",
    "id",
    "status",
    "done",
    "success",
    "details",
    "componentFailures",
    "componentSuccesses",
    "runTestResult",
    "failures",
    "successes",
    "codeCoverage",
    "codeCoverageWarnings",
    "locationsNotCovered",
    "numLocations",
    "numLocationsNotCovered",
    "numberComponentsTotal",
    "numberComponentsDeployed",
    "numberComponentErrors",
    "numberTestsTotal",
    "numberTestsCompleted",
    "numberTestErrors",
    "numTestsRun",
    "numFailures",
    "totalTime",
    "time",
    "lineNumber",
    "columnNumber",
    "line",
    "column",
    "createdDate",
    "problem",
    "problemType",
    "fileName",
    "fullName",
    "componentType",
    "name",
    "methodName",
    "message",
    "stackTrace",
    "stateDetail",
];

/// Values that break naive parsers: empty, negative, huge, fractional, not numbers, entities.
const VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "true",
    "True",
    "false",
    "many",
    "18446744073709551616",
    "4294967295",
    "1e308",
    "NaN",
    "0.5",
    "2020-10-28T13:33:25.000Z",
    "9999-99-99T99:99:99Z",
    "&amp;&lt;",
    "&bogus;",
    "\u{0}",
    "é漢🙂",
    "Succeeded",
    "InProgress",
    "sf:INVALID_SESSION_ID",
];

fn tree() -> impl Strategy<Value = String> {
    let leaf = (
        prop::sample::select(NAMES),
        prop::sample::select(VALUES),
        any::<bool>(),
    )
        .prop_map(|(name, value, nil)| {
            if nil {
                format!("<{name} xsi:nil=\"true\"/>")
            } else {
                format!("<{name}>{value}</{name}>")
            }
        });
    leaf.prop_recursive(5, 64, 8, |inner| {
        (
            prop::sample::select(NAMES),
            prop::collection::vec(inner, 0..8),
        )
            .prop_map(|(name, children)| format!("<{name}>{}</{name}>", children.concat()))
    })
}

fn envelope_around(inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"http://soap.sforce.com/2006/04/metadata\"><soapenv:Body><checkDeployStatusResponse><result>{inner}</result></checkDeployStatusResponse></soapenv:Body></soapenv:Envelope>"
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]


    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        digest(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_xmlish_text(text in "(<[a-zA-Z:]{0,8}( [a-z:]{1,6}=\"[^\"<]{0,6}\")?/?>|</[a-zA-Z:]{0,8}>|[^<>&]{0,8}|<!\\[CDATA\\[|\\]\\]>|<!--|-->|<\\?xml|\\?>|&[a-z#0-9]{0,6};?){0,60}") {
        digest(&text);
        digest(&envelope_around(&text));
    }

    #[test]
    fn random_deploy_result_trees(children in prop::collection::vec(tree(), 0..24)) {
        digest(&envelope_around(&children.concat()));
    }

    #[test]
    fn captures_with_an_element_deleted_or_duplicated(
        pick in any::<prop::sample::Index>(),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        duplicate in any::<bool>(),
    ) {
        let files = fixtures();
        let (_, text) = &files[pick.index(files.len())];
        let marks = tags(text);
        prop_assume!(marks.len() >= 2);
        let (x, y) = (marks[a.index(marks.len())], marks[b.index(marks.len())]);
        let (from, to) = (x.min(y), x.max(y));
        let mutated = if duplicate {
            format!("{}{}{}", &text[..to], &text[from..to], &text[to..])
        } else {
            format!("{}{}", &text[..from], &text[to..])
        };
        digest(&mutated);
    }

    #[test]
    fn captures_with_a_span_replaced(
        pick in any::<prop::sample::Index>(),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        replacement in "[<>/a-zA-Z0-9:=\" &;#.-]{0,24}",
    ) {
        let files = fixtures();
        let (_, text) = &files[pick.index(files.len())];
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let (x, y) = (bounds[a.index(bounds.len())], bounds[b.index(bounds.len())]);
        let (from, to) = (x.min(y), x.max(y));
        digest(&format!("{}{replacement}{}", &text[..from], &text[to..]));
    }

    /// Nesting floods: any depth is either read (within the bound) or refused as nested too
    /// deep, never a crash, and a capture wrapped in a deep nest is still digested.
    #[test]
    fn depth_floods_are_bounded(depth in 1usize..3 * xml::MAX_DEPTH, name in "[a-z]{1,6}") {
        let open = format!("<{name}>").repeat(depth);
        let close = format!("</{name}>").repeat(depth);
        let result = xml::parse(&format!("{open}{close}"));
        prop_assert_eq!(result.is_ok(), depth <= xml::MAX_DEPTH, "depth {}", depth);
        digest(&envelope_around(&format!("{open}{close}")));
        digest(&format!("{open}{}", &close[..close.len() / 2]));
    }
}

/// Element floods: wide documents up to the element bound are read, past it refused (a table,
/// not a property: each case parses a million elements).
#[test]
fn element_floods_are_bounded() {
    for (extra, one) in [(0, "<a/>"), (1, "<a></a>")] {
        let count = xml::MAX_ELEMENTS - 1 + extra;
        let result = xml::parse(&format!("<r>{}</r>", one.repeat(count)));
        // The root counts too.
        assert_eq!(
            result.is_ok(),
            count < xml::MAX_ELEMENTS,
            "{} elements",
            count + 1
        );
    }
}
