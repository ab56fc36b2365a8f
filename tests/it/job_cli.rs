//! Following jobs: a deploy past `--wait` resumed by `report`, `--async`, `cancel`, a
//! validation quick-deployed, and Ctrl-C, with the binary against the simulator.

use crate::support;

use std::time::Duration;

use support::cli::{
    Background, Project, assert_one_clean_deploy, bin, deploy, option, run, std_bin,
};
use support::simulator::{Injected, Injection, Scenario, Simulator};

/// Runs `deploy` on a long job, sends SIGINT once it polls, and returns (exit code, stderr).
fn interrupt_deploy(sim: &Simulator, project: &Project, extra: &[&str]) -> (i32, String) {
    let run = Background::start(
        std_bin(sim)
            .current_dir(project.root())
            .args(["deploy", "--zip", "deploy.zip"])
            .args(extra),
    );
    run.when("polled", || !sim.calls("checkDeployStatus").is_empty())
        .signal("INT");
    let out = run.finish();
    (out.code, out.stderr)
}

#[test]
fn slow_deploy_past_wait_exits_69_and_report_resumes() {
    let sim = Simulator::start(Scenario {
        pending: Duration::from_millis(300),
        running: Duration::from_millis(2500),
        finalizing: Duration::from_millis(700),
        ..Scenario::default()
    });
    let project = Project::default();
    // --wait 1 is 60 simulated seconds = 1.2 s at this scale.
    let out = deploy(&sim, &project)
        .args(&["--tests", "PortalUserDisablerTest", "--wait", "1"])
        .run();
    out.code(69)
        .has("(still running)")
        .has("portal-disable report 0Af");
    let id = out.job_id();
    assert_one_clean_deploy(&sim);
    let polls_while_deploying = sim.calls("checkDeployStatus").len();
    // A fifth of the elapsed time, at least 1 s: about 15 polls in the first simulated minute.
    assert!(
        (8..=25).contains(&polls_while_deploying),
        "{polls_while_deploying} polls"
    );

    let out = run(&mut bin(&sim), &["report", &id, "--wait", "5", "--json"]);
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["result"]["id"], id.as_str());
    assert_eq!(doc["result"]["status"], "Succeeded");
    // The report went through Finalizing, a status not in the WSDL, and trusted `done`.
    assert!(out.stderr.contains("Finalizing"), "{}", out.stderr);
    assert_eq!(sim.calls("deploy").len(), 1);
}

#[test]
fn async_prints_the_job_id_and_report_without_wait_shows_the_state() {
    let sim = Simulator::start(Scenario {
        pending: Duration::from_secs(5),
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).args(&["--async"]).run();
    out.code(0)
        .has("accepted (Queued)")
        .has("portal-disable report 0Af");
    let id = out.job_id();
    assert_one_clean_deploy(&sim);
    assert!(sim.calls("checkDeployStatus").is_empty());

    let out = run(&mut bin(&sim), &["report", &id]);
    out.code(69)
        .has("Pending (still running)")
        .has(&format!("Job id: {id}"));

    let out = deploy(&sim, &project).args(&["--async", "--json"]).run();
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["result"]["status"], "Queued");
    assert_eq!(doc["result"]["done"], false);
}

#[test]
fn cancel_a_running_deploy() {
    let sim = Simulator::start(Scenario {
        pending: Duration::from_millis(50),
        running: Duration::from_secs(20),
        canceling: Duration::from_millis(1000),
        ..Scenario::default()
    });
    let project = Project::default();
    let out = deploy(&sim, &project).args(&["--async"]).run();
    let id = out.job_id();
    std::thread::sleep(Duration::from_millis(150));
    let out = run(&mut bin(&sim), &["cancel", &id]);
    out.code(0).has(": Canceled").has(&format!("Job id: {id}"));
    assert!(out.stderr.contains("Canceling"), "{}", out.stderr);
    assert_eq!(sim.calls("cancelDeploy").len(), 1);

    // A finished job cannot be canceled.
    let out = run(&mut bin(&sim), &["cancel", &id, "--json"]);
    out.code(1);
    let doc = out.json();
    assert_eq!(doc["error"]["name"], "INVALID_ID_FIELD");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already finished"))
    );
}

#[test]
fn validation_then_quick_deploy() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let out = deploy(&sim, &project)
        .args(&["--dry-run", "--tests", "PortalUserDisablerTest"])
        .run();
    out.code(0)
        .has("Validation 0Af")
        .has("portal-disable quick-deploy 0Af");
    assert_eq!(option(&sim, "checkOnly"), ["true"]);
    let validation = out.job_id();

    let out = run(&mut bin(&sim), &["quick-deploy", &validation, "--json"]);
    out.code(0);
    let doc = out.json();
    let new_id = doc["result"]["id"].as_str().unwrap_or_default().to_string();
    assert!(
        new_id.starts_with("0Af") && new_id != validation,
        "{new_id}"
    );
    assert_eq!(doc["result"]["validationId"], validation.as_str());
    assert_eq!(doc["result"]["checkOnly"], false);
    assert_eq!(sim.calls("deploy").len(), 1);
    assert_eq!(sim.calls("deployRecentValidation").len(), 1);

    // The quick deploy itself is no validation: it cannot be quick-deployed.
    let out = run(&mut bin(&sim), &["quick-deploy", &new_id]);
    out.code(1);
    assert!(out.stderr.contains("INVALID_ID_FIELD"), "{}", out.stderr);
    assert!(out.stderr.contains("last 10 days"), "{}", out.stderr);
}

#[test]
fn ctrl_c_prints_the_job_id_and_exits_130() {
    let sim = Simulator::start(Scenario {
        running: Duration::from_secs(60),
        ..Scenario::default()
    });
    let project = Project::default();
    let (code, stderr) = interrupt_deploy(&sim, &project, &[]);
    assert_eq!(code, 130, "{stderr}");
    let id = sim.calls("deploy").len();
    assert_eq!(id, 1);
    assert!(stderr.contains("interrupted (job 0Af"), "{stderr}");
    assert!(stderr.contains("`portal-disable report 0Af"), "{stderr}");
    assert!(sim.calls("cancelDeploy").is_empty(), "left running");

    let sim = Simulator::start(Scenario {
        running: Duration::from_secs(60),
        ..Scenario::default()
    });
    let (code, stderr) = interrupt_deploy(&sim, &project, &["--cancel-on-interrupt"]);
    assert_eq!(code, 130, "{stderr}");
    assert!(
        stderr.contains("interrupted; cancel requested (job 0Af"),
        "{stderr}"
    );
    assert_eq!(sim.calls("cancelDeploy").len(), 1);
    // It saw the cancel taken (at once, or by polling briefly) before leaving.
    assert!(
        stderr.contains(": Canceling") || stderr.contains(": Canceled"),
        "{stderr}"
    );

    // A running job takes a while to cancel: the command polls until the org shows it.
    let sim = Simulator::start(Scenario {
        pending: Duration::ZERO,
        running: Duration::from_secs(60),
        canceling: Duration::from_millis(400),
        ..Scenario::default()
    });
    let (code, stderr) = interrupt_deploy(&sim, &project, &["--cancel-on-interrupt"]);
    assert_eq!(code, 130, "{stderr}");
    assert!(stderr.contains(": Canceling"), "{stderr}");
    let operations: Vec<String> = sim.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(
        operations.last().map(String::as_str),
        Some("checkDeployStatus"),
        "{operations:?}"
    );
}

#[test]
fn sigterm_cancels_too_and_a_second_ctrl_c_exits_at_once() {
    // The org hangs on cancelDeploy far longer than the test waits.
    let sim = Simulator::start(Scenario {
        running: Duration::from_secs(60),
        injections: vec![Injection {
            operation: "cancelDeploy",
            kind: Injected::Slow(Duration::from_secs(20)),
            count: 1,
        }],
        ..Scenario::default()
    });
    let project = Project::default();
    let run = Background::start(std_bin(&sim).current_dir(project.root()).args([
        "deploy",
        "--zip",
        "deploy.zip",
        "--cancel-on-interrupt",
    ]));
    // SIGTERM, as a CI runner cancelling the job sends it, starts the cancel like Ctrl-C.
    run.when("polled", || !sim.calls("checkDeployStatus").is_empty())
        .signal("TERM")
        .when("sent cancelDeploy", || {
            !sim.calls("cancelDeploy").is_empty()
        });
    let second = std::time::Instant::now();
    run.signal("INT");
    let out = run.finish();
    let stderr = out.stderr;
    assert_eq!(out.code, 130, "{stderr}");
    assert!(
        second.elapsed() < Duration::from_secs(10),
        "waited for the hung cancel"
    );
    assert!(
        stderr.contains("interrupted again; exiting now"),
        "{stderr}"
    );
    assert_eq!(sim.calls("deploy").len(), 1);
}
