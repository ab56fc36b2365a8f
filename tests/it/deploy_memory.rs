//! Memory of a deploy near the 39 MB zip limit: the zip is base64-encoded into the request
//! body as it streams from disk, so the process never holds the zip, let alone its base64
//! text. Ignored by default (it builds and uploads a 38 MB zip); run it through
//! `scripts/bench-deploy-memory.sh`, which prints the figures the README reports.

use crate::support;

use std::process::Command;

use support::cli::{SCALE, assert_one_clean_deploy};
use support::simulator::{Scenario, Simulator, TOKEN};

/// Deterministic, incompressible text (xorshift): 38 MB of it stays about 38 MB zipped.
fn noise(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

#[test]
#[ignore = "builds and uploads a 38 MB zip; run scripts/bench-deploy-memory.sh"]
fn a_zip_near_the_limit_deploys_in_about_twice_its_size() {
    let Ok(time) = which_time() else {
        eprintln!("skipped: GNU time (/usr/bin/time) is not installed");
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let classes = dir.path().join("src/classes");
    std::fs::create_dir_all(&classes).expect("creating a test folder");
    // 4,999 classes (the 10,000-file limit with package.xml) of ~9.2 KB of noise each.
    for i in 0..4_999u64 {
        let name = format!("Bulk{i:05}");
        let body = format!(
            "public with sharing class {name} {{\n    // {}\n}}\n",
            noise(i, 9_200)
        );
        std::fs::write(classes.join(format!("{name}.cls")), body).expect("writing a test file");
        std::fs::write(
            classes.join(format!("{name}.cls-meta.xml")),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n",
        ).expect("writing a test file");
    }
    let bin = assert_cmd::cargo::cargo_bin!("portal-disable");
    let packaged = Command::new(bin)
        .current_dir(dir.path())
        .args([
            "package",
            "--source-dir",
            "src",
            "--output",
            "big.zip",
            "--api-version",
            "62.0",
        ])
        .output()
        .expect("the command runs");
    assert!(
        packaged.status.success(),
        "{}",
        String::from_utf8_lossy(&packaged.stderr)
    );
    let zip_size = std::fs::metadata(dir.path().join("big.zip"))
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    assert!(zip_size > 36_000_000, "zip is only {zip_size} bytes");

    let sim = Simulator::start(Scenario::default());
    let out = Command::new(time)
        .current_dir(dir.path())
        .arg("-v")
        .arg(bin)
        .args(["deploy", "--zip", "big.zip"])
        .env("SF_ACCESS_TOKEN", TOKEN)
        .env("SF_ORG_INSTANCE_URL", sim.url())
        .env("PORTAL_DISABLE_TIME_SCALE", SCALE)
        .env("CI", "true")
        .output()
        .expect("the command runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_one_clean_deploy(&sim);
    let rss_kib: u64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no RSS in {stderr}"));
    let rss = rss_kib * 1024;
    let ratio = rss as f64 / zip_size as f64;
    eprintln!(
        "deploy of a {:.1} MB zip: peak RSS {:.1} MB, {ratio:.2}x the zip",
        zip_size as f64 / 1e6,
        rss as f64 / 1e6
    );
    assert!(
        ratio <= 2.0,
        "peak RSS {rss} is {ratio:.2}x the zip ({zip_size})"
    );
}

fn which_time() -> Result<&'static str, ()> {
    let path = "/usr/bin/time";
    if std::path::Path::new(path).exists() {
        Ok(path)
    } else {
        Err(())
    }
}
