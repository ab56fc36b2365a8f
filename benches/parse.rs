//! Parsing a large DeployResult: 5,000 component messages and 2,000 coverage entries (and the
//! same doubled, to show the cost grows linearly). Time comes from criterion; peak memory from
//! a counting allocator, printed once per size. Run with `cargo bench --bench parse`.

#![allow(unsafe_code)] // the counting allocator; the crate itself denies unsafe code

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use portal_disable::metadata::parse;

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same layout, as GlobalAlloc requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: ptr came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A checkDeployStatus answer with `components` component successes (one in ten a failure)
/// and `coverage` coverage entries with two uncovered lines each, as the org writes them.
fn deploy_result(components: usize, coverage: usize) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><checkDeployStatusResponse><result><checkOnly>false</checkOnly><completedDate>2026-11-27T10:00:09.000Z</completedDate><createdBy>005000000000001</createdBy><createdByName>Ci User</createdByName><createdDate>2026-11-27T10:00:00.000Z</createdDate><details>"#,
    );
    for i in 0..components {
        if i % 10 == 9 {
            xml.push_str(&format!("<componentFailures><changed>false</changed><columnNumber>5</columnNumber><componentType>ApexClass</componentType><created>false</created><createdDate>2026-11-27T10:00:05.000Z</createdDate><deleted>false</deleted><fileName>classes/Bench{i:05}.cls</fileName><fullName>Bench{i:05}</fullName><lineNumber>4</lineNumber><problem>Missing ';' at '}}'</problem><problemType>Error</problemType><success>false</success></componentFailures>"));
        } else {
            xml.push_str(&format!("<componentSuccesses><changed>true</changed><componentType>ApexClass</componentType><created>true</created><createdDate>2026-11-27T10:00:05.000Z</createdDate><deleted>false</deleted><fileName>classes/Bench{i:05}.cls</fileName><fullName>Bench{i:05}</fullName><id>01p00000000{i:05}AAA</id><success>true</success></componentSuccesses>"));
        }
    }
    xml.push_str("<runTestResult>");
    for i in 0..coverage {
        xml.push_str(&format!("<codeCoverage><id>01p00000000{i:05}AAA</id><locationsNotCovered><column>0</column><line>12</line><numExecutions>0</numExecutions><time>-1.0</time></locationsNotCovered><locationsNotCovered><column>0</column><line>30</line><numExecutions>0</numExecutions><time>-1.0</time></locationsNotCovered><name>Bench{i:05}</name><namespace xsi:nil=\"true\"/><numLocations>40</numLocations><numLocationsNotCovered>2</numLocationsNotCovered><type>Class</type></codeCoverage>"));
    }
    xml.push_str(&format!(
        "<numFailures>0</numFailures><numTestsRun>{coverage}</numTestsRun><totalTime>95.0</totalTime></runTestResult></details><done>true</done><id>0Af000000000001AAA</id><ignoreWarnings>false</ignoreWarnings><lastModifiedDate>2026-11-27T10:00:09.000Z</lastModifiedDate><numberComponentErrors>{}</numberComponentErrors><numberComponentsDeployed>{components}</numberComponentsDeployed><numberComponentsTotal>{components}</numberComponentsTotal><numberTestErrors>0</numberTestErrors><numberTestsCompleted>{coverage}</numberTestsCompleted><numberTestsTotal>{coverage}</numberTestsTotal><rollbackOnError>true</rollbackOnError><runTestsEnabled>true</runTestsEnabled><startDate>2026-11-27T10:00:01.000Z</startDate><status>Failed</status><success>false</success></result></checkDeployStatusResponse></soapenv:Body></soapenv:Envelope>",
        components / 10
    ));
    xml
}

/// Parses one answer into the typed DeployResult, as the client does.
fn parse(text: &str) -> usize {
    let Ok(parse::Response::Body(body)) = parse::envelope(text) else {
        panic!("not a body")
    };
    let Ok(result) = parse::result_of(&body, "checkDeployStatusResponse") else {
        panic!("no result")
    };
    match parse::deploy_result(result) {
        Ok(result) => result.number_components_total as usize,
        Err(e) => panic!("{e}"),
    }
}

fn large_deploy_results(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse DeployResult");
    group.sample_size(20);
    for factor in [1, 2] {
        let (components, coverage) = (5_000 * factor, 2_000 * factor);
        let text = deploy_result(components, coverage);
        // Peak memory of one parse, beyond the input text itself.
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        black_box(parse(&text));
        let peak = PEAK.load(Ordering::Relaxed) - base;
        eprintln!(
            "{components} components + {coverage} coverage entries: input {:.1} MiB, peak parse memory {:.1} MiB",
            text.len() as f64 / 1_048_576.0,
            peak as f64 / 1_048_576.0
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{components} components, {coverage} coverage")),
            &text,
            |b, text| b.iter(|| parse(black_box(text))),
        );
    }
    group.finish();
}

criterion_group!(benches, large_deploy_results);
criterion_main!(benches);
