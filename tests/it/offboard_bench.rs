//! `run` over many Contacts against the simulator: requests made, wall time and peak memory
//! (GNU time). Ignored by default; `scripts/bench-run.sh` runs it for 10,000 and 100,000
//! Contacts and prints the figures the README reports. `OFFBOARD_BENCH_CONTACTS` sets the
//! count, `OFFBOARD_BENCH_CHUNK` the chunk size (default 200), `OFFBOARD_BENCH_RESULTS=0` runs
//! without `--results`.

use crate::support;

use std::process::Command;
use std::time::Instant;

use support::offboard::{Org, results};
use support::simulator::TOKEN;
use support::simulator::org::OrgData;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
#[ignore = "runs the action over 10,000+ Contacts; run scripts/bench-run.sh"]
fn run_over_many_contacts() {
    let time = "/usr/bin/time";
    assert!(
        std::path::Path::new(time).exists(),
        "GNU time is missing: apt-get install -y time"
    );
    let count = env_number("OFFBOARD_BENCH_CONTACTS", 10_000);
    let chunk = env_number("OFFBOARD_BENCH_CHUNK", 200);
    let keep_results = env_number("OFFBOARD_BENCH_RESULTS", 1) == 1;
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..count).map(|_| data.portal_contact().0).collect();
    let org = Org::start(data);
    let list: String = std::iter::once("ContactId\n".to_string())
        .chain(contacts.iter().map(|c| format!("{c}\n")))
        .collect();
    std::fs::write(org.dir.path().join("contacts.csv"), list).expect("writing a test file");
    let started = Instant::now();
    let out = Command::new(time)
        .current_dir(org.dir.path())
        .arg("-v")
        .arg(assert_cmd::cargo::cargo_bin!("portal-disable"))
        .args(["run", "--contacts", "contacts.csv"])
        .args(if keep_results {
            &["--results", "results.csv"][..]
        } else {
            &[][..]
        })
        .args(["--chunk-size", &chunk.to_string()])
        .env("SF_ACCESS_TOKEN", TOKEN)
        .env("SF_ORG_INSTANCE_URL", org.sim.url())
        .env("CI", "true")
        .output()
        .expect("the command runs");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let rss_kib: u64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no RSS in {stderr}"));
    let seconds = |label: &str| -> f64 {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0.0)
    };
    let cpu = seconds("User time (seconds): ") + seconds("System time (seconds): ");
    let requests = org.sim.requests();
    let count_of = |op: &str| requests.iter().filter(|r| r.operation == op).count();
    if keep_results {
        let rows = results(org.dir.path(), "results.csv");
        assert_eq!(rows.len(), count);
        assert!(rows.iter().all(|r| r["status"] == "DISABLED"));
    }
    assert_eq!(org.sim.org().invocations.len(), count.div_ceil(chunk));
    eprintln!(
        "run of {count} Contacts in chunks of {chunk}{}: {} requests ({} action calls, {} queries, {} other), {:.1} s ({cpu:.1} s CPU in portal-disable), peak RSS {:.1} MiB, results file {:.1} MB",
        if keep_results {
            ", --results"
        } else {
            ", no --results"
        },
        requests.len(),
        count_of("invoke"),
        count_of("query") + count_of("queryMore"),
        requests.len() - count_of("invoke") - count_of("query") - count_of("queryMore"),
        elapsed.as_secs_f64(),
        rss_kib as f64 / 1024.0,
        std::fs::metadata(org.dir.path().join("results.csv")).map_or(0, |m| m.len()) as f64 / 1e6,
    );
}
