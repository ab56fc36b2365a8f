//! What an attacker, a broken proxy and a hostile org answer can do, each tried against the
//! binary: planted links, a hostile local org, a loopback proxy, an interrupt before the deploy,
//! and local input that never ends.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use support::cli::{Background, Project, bin, deploy, run, std_bin};
use support::simulator::{Injected, Injection, Scenario, Simulator, TOKEN};

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("creating a test folder");
    }
    std::fs::write(path, text).expect("writing a test file");
}

/// A SOAP envelope around `inner` as the body's first element.
fn envelope(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>{inner}</soapenv:Body></soapenv:Envelope>"#
    )
}

#[cfg(unix)]
#[test]
fn metadata_dir_links_out_of_the_folder_are_never_uploaded() {
    use std::os::unix::fs::symlink;
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let mdapi = project.root().join("mdapi");
    let outside = tempfile::tempdir().expect("a temporary folder");
    write(
        &outside.path().join("server.key"),
        "-----BEGIN PRIVATE KEY-----\n",
    );
    std::fs::create_dir_all(mdapi.join("staticresources")).expect("creating a test folder");
    symlink(
        "/proc/self/environ",
        mdapi.join("staticresources/env.resource"),
    )
    .expect("planting a symlink");
    symlink(
        outside.path().join("server.key"),
        mdapi.join("staticresources/key.resource"),
    )
    .expect("planting a symlink");
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--metadata-dir", "mdapi"],
    );
    out.code(2);
    assert!(
        out.stderr
            .contains("`mdapi/staticresources/env.resource` is a symlink to"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("outside the metadata folder `mdapi`"),
        "{}",
        out.stderr
    );
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn an_interrupt_before_deploy_sends_nothing() {
    // The org's version list takes seconds to come: the interrupt lands before deploy().
    let sim = Simulator::start(Scenario {
        injections: vec![Injection {
            operation: "versions",
            kind: Injected::Slow(Duration::from_millis(1500)),
            count: 1,
        }],
        ..Scenario::default()
    });
    let project = Project::default();
    let run = Background::start(std_bin(&sim).current_dir(project.root()).args([
        "deploy",
        "--zip",
        "deploy.zip",
    ]));
    run.when("connected", || {
        sim.requests()
            .iter()
            .any(|r| r.path.starts_with("/services/data"))
    })
    .signal("INT");
    let out = run.finish();
    assert_eq!(out.code, 130, "{}", out.stderr);
    assert!(sim.calls("deploy").is_empty(), "{:?}", sim.requests());
}

#[test]
fn a_deploy_answer_nested_50000_deep_is_an_unreadable_answer_not_a_crash() {
    let deep = envelope(&format!(
        "<deployResponse><result>{}{}</result></deployResponse>",
        "<a>".repeat(50_000),
        "</a>".repeat(50_000)
    ));
    let sim = Simulator::start(Scenario {
        injections: vec![Injection {
            operation: "deploy",
            kind: Injected::Body(deep),
            count: 1,
        }],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).args(&["--json"]).run();
    out.code(1);
    let doc = out.json();
    let message = doc["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("the org may have started the deploy anyway"),
        "{doc}"
    );
    assert_eq!(sim.calls("deploy").len(), 1);
}

#[test]
fn deep_and_flooded_status_answers_are_polled_through() {
    let deep = envelope(&format!(
        "<checkDeployStatusResponse><result>{}{}</result></checkDeployStatusResponse>",
        "<a>".repeat(40_000),
        "</a>".repeat(40_000)
    ));
    let flood = envelope(&format!(
        "<checkDeployStatusResponse><result>{}</result></checkDeployStatusResponse>",
        "<a/>".repeat(2_000_000)
    ));
    let sim = Simulator::start(Scenario {
        poll_failures: vec![Injected::Body(deep), Injected::Body(flood)],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project)
        .args(&[
            "--tests",
            "PortalUserDisablerTest",
            "--json",
            "--junit",
            "results/junit.xml",
        ])
        .run();
    out.code(0);
    assert_eq!(out.json()["result"]["status"], "Succeeded");
    assert!(project.junit().is_file());
    assert!(out.stderr.contains("nests deeper than"), "{}", out.stderr);
}

#[test]
fn remote_text_is_scrubbed_and_cannot_drive_the_terminal_or_ci() {
    let hostile = envelope(&format!(
        "<soapenv:Fault><faultcode>sf:INSUFFICIENT_ACCESS</faultcode><faultstring>denied for session {TOKEN} \u{1b}[31mred\u{1b}]0;title\u{7}\n::error::pwned</faultstring></soapenv:Fault>"
    ));
    let sim = Simulator::start(Scenario {
        injections: vec![Injection {
            operation: "deploy",
            kind: Injected::Body(hostile),
            count: 2,
        }],
        ..Scenario::default()
    });
    let project = Project::default();
    for json in [false, true] {
        let mut args = vec!["deploy", "--zip", "deploy.zip"];
        if json {
            args.push("--json");
        }
        // `run` itself fails the test if the token appears anywhere.
        let out = run(bin(&sim).current_dir(project.root()), &args);
        out.code(1);
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(all.contains("(redacted)"), "{all}");
        assert!(!all.contains('\u{1b}'), "raw escape: {all:?}");
        assert!(!all.contains('\u{7}'), "raw bell: {all:?}");
        assert!(
            !all.lines().any(|l| l.trim_start().starts_with("::")),
            "a workflow command line: {all}"
        );
    }
}

#[test]
fn a_huge_retry_after_neither_panics_nor_outlasts_the_wait() {
    let sim = Simulator::start(Scenario {
        poll_failures: vec![Injected::Http(503, Some(u64::MAX))],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).args(&["--wait", "1"]).run();
    out.code(0);
}

/// A proxy on loopback that counts the connections it gets and answers none.
fn counting_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (format!("http://{address}"), hits)
}

#[test]
fn loopback_requests_never_go_through_a_proxy() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let (proxy, hits) = counting_proxy();
    let host = sim.url().trim_start_matches("http://").to_string();
    let auth_url = format!(
        "force://3MVG9simulated.client.id:simulated-client-secret:5Aep-simulated-refresh@{host}"
    );
    let mut cmd = bin(&sim);
    cmd.current_dir(project.root())
        .env_remove("SF_ACCESS_TOKEN")
        .env_remove("SF_ORG_INSTANCE_URL")
        .env("SF_AUTH_URL", auth_url)
        .env("NO_PROXY", "")
        .env("no_proxy", "");
    for var in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env(var, &proxy);
    }
    let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
    out.code(0);
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the proxy saw a request");
}

#[cfg(unix)]
#[test]
fn outputs_are_never_written_through_planted_links() {
    use std::os::unix::fs::symlink;
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let victim = project.root().join("victim.txt");
    write(&victim, "precious");

    // generate's old fixed temporary name, planted as a link.
    let classes = project.root().join("force-app/main/default/classes");
    std::fs::create_dir_all(&classes).expect("creating a test folder");
    symlink(
        &victim,
        classes.join(".PortalUserDisabler.cls.portal-disable-tmp"),
    )
    .expect("planting a symlink");
    run(bin(&sim).current_dir(project.root()), &["generate"]).code(0);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap_or_default(),
        "precious"
    );

    // package --output and --junit that are links to the victim: replaced, not followed.
    symlink(&victim, project.root().join("out.zip")).expect("planting a symlink");
    run(
        bin(&sim).current_dir(project.root()),
        &["package", "--output", "out.zip"],
    )
    .code(0);
    std::fs::create_dir_all(project.root().join("results")).expect("creating a test folder");
    symlink(&victim, project.junit()).expect("planting a symlink");
    deploy(&sim, &project)
        .args(&[
            "--tests",
            "PortalUserDisablerTest",
            "--junit",
            "results/junit.xml",
        ])
        .run()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap_or_default(),
        "precious"
    );
    for path in [project.root().join("out.zip"), project.junit()] {
        let meta = std::fs::symlink_metadata(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(meta.is_file(), "{} is still a link", path.display());
    }
}

#[test]
fn a_folder_as_junit_is_refused_before_anything_is_sent() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    std::fs::create_dir_all(project.root().join("results")).expect("creating a test folder");
    let out = deploy(&sim, &project).args(&["--junit", "results"]).run();
    out.code(2);
    assert!(
        out.stderr.contains("--junit `results` is a folder"),
        "{}",
        out.stderr
    );
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[cfg(unix)]
#[test]
fn local_input_that_never_ends_is_refused() {
    use std::os::unix::fs::symlink;
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    symlink("/dev/zero", project.root().join("zero.zip")).expect("planting a symlink");
    let made = std::process::Command::new("mkfifo")
        .arg(project.root().join("fifo.zip"))
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(made.success());
    for zip in ["zero.zip", "fifo.zip"] {
        let out = run(
            bin(&sim).current_dir(project.root()),
            &["deploy", "--zip", zip],
        );
        out.code(2);
        assert!(
            out.stderr.contains("is not a file"),
            "{zip}: {}",
            out.stderr
        );
    }
    // A package.xml that inflates far past any manifest.
    let bomb = project.root().join("bomb.zip");
    {
        let file = std::fs::File::create(&bomb).unwrap_or_else(|e| panic!("{e}"));
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        zip.start_file("package.xml", options)
            .unwrap_or_else(|e| panic!("{e}"));
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..24 {
            zip.write_all(&block).unwrap_or_else(|e| panic!("{e}"));
        }
        zip.finish().unwrap_or_else(|e| panic!("{e}"));
    }
    let out = run(
        bin(&sim).current_dir(project.root()),
        &["deploy", "--zip", "bomb.zip"],
    );
    out.code(2);
    assert!(
        out.stderr.contains("inflates to more than"),
        "{}",
        out.stderr
    );
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn a_closed_stderr_is_no_panic() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portal-disable"))
        .args(["generate", "--mode", "remove"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the command starts");
    // The reader goes away before the error line is written.
    drop(child.stderr.take());
    let status = child.wait().expect("the command ends");
    assert_eq!(status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn a_readable_auth_url_file_gets_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let host = sim.url().trim_start_matches("http://").to_string();
    let file = project.root().join("auth.txt");
    write(
        &file,
        &format!(
            "force://3MVG9simulated.client.id:simulated-client-secret:5Aep-simulated-refresh@{host}"
        ),
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))
        .expect("setting a file\'s mode");
    let out = run(
        bin(&sim)
            .current_dir(project.root())
            .env_remove("SF_ACCESS_TOKEN"),
        &[
            "report",
            "0Af000000000001AAA",
            "--auth-url-file",
            "auth.txt",
        ],
    );
    assert!(
        out.stderr.contains(
            "the file --auth-url-file names can be read by other users (mode 644); `chmod 600` it"
        ),
        "{}",
        out.stderr
    );
    let mut text = String::new();
    std::fs::File::open(&file)
        .and_then(|mut f| f.read_to_string(&mut text))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.stderr.contains(&text), "the URL leaked");
}
