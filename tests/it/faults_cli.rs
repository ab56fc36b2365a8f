//! Fault injection: the simulator breaks the network or the org in every way the peers' users
//! meet (5xx, 420, 429 with Retry-After, HTML error pages, transient faults, resets mid-answer,
//! truncated bodies, dropped connections, stalled answers), and the deploy must neither fail
//! nor lie: a fault while polling is polled through (exit 0, one `deploy()`), a fault of
//! `deploy()` itself is never retried (exit 1, the job may exist), and a wait that runs out
//! while the org does not answer exits 69 with the job to `report`.

use crate::support;

use std::time::{Duration, Instant};

use support::cli::{Project, Run, assert_one_clean_deploy, bin, deploy, run};
use support::simulator::{DETAILED_POLL, Injected, Injection, Scenario, Simulator};

/// A deploy whose first `count` status polls meet `kind`.
fn deploy_through(kind: Injected, count: u32) -> (Simulator, Run) {
    let sim = Simulator::start(Scenario {
        injections: vec![Injection::polls(kind, count)],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).run();
    (sim, out)
}

/// Exit 0, one `deploy()`, one notice for the whole streak and one line when it ends.
fn polled_through(kind: Injected, count: u32) {
    let (sim, out) = deploy_through(kind.clone(), count);
    out.code(0).has(": Succeeded");
    assert_one_clean_deploy(&sim);
    let notices = out
        .stderr
        .lines()
        .filter(|l| l.contains("polling again with backoff"))
        .count();
    assert_eq!(
        notices, 1,
        "{kind:?}: one notice per streak:\n{}",
        out.stderr
    );
    let plural = if count == 1 { "" } else { "s" };
    assert!(
        out.stderr.contains(&format!(
            "answers again after {count} failed poll{plural}\n"
        )),
        "{kind:?}:\n{}",
        out.stderr
    );
    assert!(
        sim.calls("checkDeployStatus").len() > count as usize,
        "{kind:?}"
    );
}

#[test]
fn http_500_is_polled_through() {
    polled_through(Injected::Http(500, None), 3);
}

#[test]
fn http_502_and_504_html_pages_are_polled_through() {
    polled_through(Injected::Html(502), 3);
    polled_through(Injected::Html(504), 2);
}

#[test]
fn http_503_is_polled_through() {
    polled_through(Injected::Http(503, None), 3);
}

#[test]
fn http_420_is_polled_through() {
    polled_through(Injected::Http(420, None), 3);
}

#[test]
fn http_429_is_polled_through() {
    polled_through(Injected::Http(429, None), 3);
}

#[test]
fn transient_faults_are_polled_through() {
    polled_through(Injected::Fault("UNKNOWN_EXCEPTION"), 2);
    // Salesforce's answer to a status poll just after deploy(): the job is not visible yet.
    polled_through(Injected::Fault("INVALID_CROSS_REFERENCE_KEY"), 3);
}

#[test]
fn a_reset_mid_answer_is_polled_through() {
    polled_through(Injected::Reset, 3);
}

#[test]
fn a_truncated_body_is_polled_through() {
    polled_through(Injected::Truncated, 3);
}

#[test]
fn a_dropped_connection_is_polled_through() {
    polled_through(Injected::Refuse, 3);
}

#[test]
fn a_stalled_answer_times_out_and_is_polled_through() {
    // The status call's 120 s timeout is 2.4 s at the tests' time scale.
    polled_through(Injected::Slow(Duration::from_millis(4000)), 1);
}

#[test]
fn retry_after_is_honoured() {
    // Retry-After: 40 s is 0.8 s at this scale; the backoff alone would pause 0.02 + 0.04 s.
    let started = Instant::now();
    let (sim, out) = deploy_through(Injected::Http(429, Some(40)), 2);
    out.code(0).has(": Succeeded");
    assert_one_clean_deploy(&sim);
    assert!(
        started.elapsed() >= Duration::from_millis(1600),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn retry_after_never_outlasts_the_wait() {
    // An hour asked, a minute (1.2 s here) allowed: the last poll happens when the wait ends.
    let sim = Simulator::start(Scenario {
        injections: vec![Injection::polls(Injected::Http(503, Some(3600)), 1)],
        ..Scenario::default()
    });
    let project = Project::default();
    let started = Instant::now();
    let out = deploy(&sim, &project).args(&["--wait", "1"]).run();
    out.code(0).has(": Succeeded");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_one_clean_deploy(&sim);
}

#[test]
fn the_wait_running_out_while_the_org_fails_exits_69_and_report_resumes() {
    let sim = Simulator::start(Scenario {
        injections: vec![Injection::polls(Injected::Http(503, None), 10_000)],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).args(&["--wait", "1"]).run();
    out.code(69);
    assert!(
        out.stderr.contains("the wait ran out while polling failed"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`portal-disable report 0Af"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);

    sim.heal();
    let job = out
        .stderr
        .split("`portal-disable report ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no job id in:\n{}", out.stderr))
        .to_string();
    let out = run(&mut bin(&sim), &["report", &job, "--wait", "1"]);
    out.code(0).has(": Succeeded");
    assert_eq!(sim.calls("deploy").len(), 1, "never deployed twice");
}

/// `deploy()` itself meets `kind` after the org took the zip.
fn deploy_call_fails(kind: Injected) {
    deploy_call_fails_with(kind, &[]);
}

fn deploy_call_fails_with(kind: Injected, env: &[(&str, &str)]) {
    let sim = Simulator::start(Scenario {
        injections: vec![Injection {
            operation: "deploy",
            kind: kind.clone(),
            count: 1,
        }],
        ..Scenario::default()
    });
    let project = Project::default();
    let mut cmd = bin(&sim);
    cmd.current_dir(project.root());
    for (name, value) in env {
        cmd.env(name, value);
    }
    let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("the org may have started the deploy anyway"),
        "{kind:?}:\n{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Deployment Status"),
        "{kind:?}:\n{}",
        out.stderr
    );
    assert_eq!(
        sim.calls("deploy").len(),
        1,
        "{kind:?}: never deployed twice"
    );
    assert!(sim.calls("checkDeployStatus").is_empty(), "{kind:?}");
}

#[test]
fn an_ambiguous_deploy_failure_is_never_retried() {
    for kind in [
        Injected::Reset,
        Injected::Refuse,
        Injected::Truncated,
        Injected::Http(503, Some(1)),
        Injected::Html(502),
    ] {
        deploy_call_fails(kind);
    }
}

#[test]
fn a_deploy_upload_that_times_out_is_never_retried() {
    // The upload's 10-minute timeout, cut to 1 s through the test-only variable.
    deploy_call_fails_with(
        Injected::Slow(Duration::from_secs(4)),
        &[("PORTAL_DISABLE_UPLOAD_TIMEOUT_SECS", "1")],
    );
}

#[test]
fn connections_refused_mid_poll_are_polled_through() {
    // The first poll is answered, then the org refuses connections for 0.3 s (15 s nominal).
    let (sim, out) = deploy_through(Injected::Down(Duration::from_millis(300)), 1);
    out.code(0).has(": Succeeded");
    assert_one_clean_deploy(&sim);
    let notices: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("polling again with backoff"))
        .collect();
    assert_eq!(notices.len(), 1, "{}", out.stderr);
    assert!(notices[0].contains("onnect"), "{}", out.stderr);
    assert!(out.stderr.contains("answers again after"), "{}", out.stderr);
}

/// Refuses connections for `down` right after the version probe, so `deploy()` cannot connect.
fn deploy_meets_a_refused_connection(down: Duration, scale: &str) -> (Simulator, Run) {
    let sim = Simulator::start(Scenario {
        injections: vec![Injection {
            operation: "versions",
            kind: Injected::Down(down),
            count: 1,
        }],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = run(
        bin(&sim)
            .current_dir(project.root())
            .env("PORTAL_DISABLE_TIME_SCALE", scale),
        &["deploy", "--zip", "deploy.zip"],
    );
    (sim, out)
}

#[test]
fn deploy_retries_a_connection_that_was_never_made() {
    // In real time: the first attempt comes well within the 0.5 s the org is unreachable, the
    // retry after 0.8 s or more, when it listens again.
    let (sim, out) = deploy_meets_a_refused_connection(Duration::from_millis(500), "1");
    out.code(0).has(": Succeeded");
    assert!(
        out.stderr.contains("nothing was sent, trying again"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);
}

#[test]
fn deploy_gives_up_on_an_unreachable_org_and_says_nothing_was_sent() {
    let (sim, out) = deploy_meets_a_refused_connection(Duration::from_secs(60), "0.02");
    out.code(1);
    assert!(
        out.stderr.contains("3 attempts; nothing was sent"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("may have started"),
        "no job can exist:\n{}",
        out.stderr
    );
    assert!(sim.calls("deploy").is_empty());
}

#[test]
fn a_finished_deploy_whose_details_never_come_still_reports_its_outcome() {
    let sim = Simulator::start(Scenario {
        injections: vec![Injection {
            operation: DETAILED_POLL,
            kind: Injected::Http(503, None),
            count: 10_000,
        }],
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).run();
    out.code(0).has("Succeeded");
    assert!(
        out.stderr
            .contains("cannot fetch the job's details (HTTP 503"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("reporting its status only"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);
}
