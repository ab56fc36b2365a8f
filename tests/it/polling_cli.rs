//! The polling schedule against the simulator: a deploy the org finishes after 20 seconds is
//! noticed within 4 seconds with at most 15 status requests, where a fixed 1-second poller (the
//! sf CLI's behaviour) needs about 20. Time is measured on the simulator's clock, in simulated
//! seconds: the test runs 10 times faster (`PORTAL_DISABLE_TIME_SCALE`), so what counts is
//! the number of requests and where they fall relative to the org's completion, not wall time.

use crate::support;

use std::time::Duration;

use portal_disable::auth::Session;
use portal_disable::metadata::archive::ZipSource;
use portal_disable::metadata::client::Client;
use portal_disable::metadata::envelope::DeployOptions;
use portal_disable::secret::Secret;
use support::cli::{Project, assert_one_clean_deploy, bin, run};
use support::simulator::{Scenario, Simulator, TOKEN};

/// 10 times faster than real time: slower than the rest of the suite (`SCALE`), because a
/// millisecond of scheduling noise on a loaded machine is then only 10 simulated ones.
const POLLING_SCALE: &str = "0.1";

fn scale() -> f64 {
    POLLING_SCALE.parse().unwrap_or(1.0)
}

/// A simulated duration on the scaled clock.
fn simulated(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds * scale())
}

/// A deploy the org accepts and finishes 20 simulated seconds later.
fn twenty_second_deploy() -> Scenario {
    Scenario {
        pending: simulated(2.0),
        running: simulated(18.0),
        ..Scenario::default()
    }
}

/// Status requests and the lag, in simulated seconds, between the org finishing and the first
/// status request after that.
fn polls_and_lag(sim: &Simulator, job_id: &str) -> (usize, f64) {
    let job = sim.job(job_id).unwrap_or_else(|| panic!("no job {job_id}"));
    let done_at = job.created + job.pending + job.running + job.finalizing;
    let polls = sim.calls("checkDeployStatus");
    let noticed = polls
        .iter()
        .find(|p| p.at >= done_at)
        .unwrap_or_else(|| panic!("no poll after the job finished"));
    let lag = noticed.at.duration_since(done_at).as_secs_f64() / scale();
    (polls.len(), lag)
}

#[test]
fn a_20_second_deploy_is_noticed_within_4_seconds_in_at_most_15_polls() {
    let sim = Simulator::start(twenty_second_deploy());
    let project = Project::default();
    let out = run(
        bin(&sim)
            .current_dir(project.root())
            .env("PORTAL_DISABLE_TIME_SCALE", POLLING_SCALE),
        &["deploy", "--zip", "deploy.zip"],
    );
    out.code(0);
    assert_one_clean_deploy(&sim);
    let (ours, lag) = polls_and_lag(&sim, &out.job_id());

    // The same deploy followed by a fixed 1-second poller, on the same simulator.
    let fixed_sim = Simulator::start(twenty_second_deploy());
    let session = Session {
        instance_url: url::Url::parse(&fixed_sim.url()).unwrap_or_else(|e| panic!("{e}")),
        access_token: Secret::new(TOKEN),
    };
    let client = Client::new(session, "62.0".parse().unwrap_or_else(|e| panic!("{e:?}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let zip = ZipSource::new(project.root().join("deploy.zip"), "deploy.zip");
    let options = DeployOptions {
        check_only: false,
        ignore_warnings: false,
        rollback_on_error: true,
        run_tests: Vec::new(),
        single_package: true,
        test_level: None,
    };
    let job = client
        .deploy(&zip, &options)
        .unwrap_or_else(|e| panic!("{e}"));
    // Every simulated second on the dot, as a timer would fire, whatever a request takes.
    let started = std::time::Instant::now();
    for tick in 1.. {
        let next = started + simulated(f64::from(tick));
        std::thread::sleep(next.saturating_duration_since(std::time::Instant::now()));
        let status = client
            .check_status(&job.id, false)
            .unwrap_or_else(|e| panic!("{e}"));
        if status.done {
            break;
        }
    }
    let (fixed, fixed_lag) = polls_and_lag(&fixed_sim, &job.id);

    eprintln!(
        "20 s deploy: portal-disable {ours} status requests, {lag:.1} s lag; fixed 1 s poller {fixed} requests, {fixed_lag:.1} s lag"
    );
    assert!(ours <= 15, "{ours} status requests");
    // The schedule alone keeps the lag under 4 s (src/metadata/schedule.rs tests it exactly);
    // here each request's real latency counts 10 times on the scaled clock, hence 0.3 s of
    // slack for a loaded CI machine.
    assert!(lag <= 4.3, "noticed {lag:.1} s after the org finished");
    assert!(fixed >= 19, "a fixed 1 s poller made only {fixed} requests");
    assert!(ours < fixed, "{ours} vs {fixed}");
}
