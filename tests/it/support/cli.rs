//! Running the binary against the simulator: credentials, a scratch metadata project and
//! its zip, and the checks every deploy test shares (exit code, report lines, JSON, exactly
//! one clean `deploy()`). Time runs 50x faster (`PORTAL_DISABLE_TIME_SCALE`), so "minutes"
//! of polling take a second or two.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

use super::simulator::{Simulator, TOKEN, WSDL_ORDER};

pub const SCALE: &str = "0.02";

/// The binary with the simulator's credentials, in CI mode (plain progress lines). Nothing
/// of the machine's sf CLI setup reaches it: no `SF_TARGET_ORG`, and a home folder without
/// `.sf/config.json`, so a test without credentials never falls back to a real default org.
pub fn bin(sim: &Simulator) -> Command {
    let mut cmd = Command::from_std(std_bin(sim));
    cmd.timeout(Duration::from_secs(30));
    cmd
}

/// [`bin`] as a plain `std::process::Command`, for runs in the background.
pub fn std_bin(sim: &Simulator) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_portal-disable"));
    cmd.env_remove("SF_TARGET_ORG")
        .env("HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/no-home"))
        .env("SF_ACCESS_TOKEN", TOKEN)
        .env("SF_ORG_INSTANCE_URL", sim.url())
        .env("PORTAL_DISABLE_TIME_SCALE", SCALE)
        .env("CI", "true");
    cmd
}

/// A run in the background, to be interrupted: `cmd` started with its output piped.
pub struct Background {
    child: std::process::Child,
}

impl Background {
    /// Starts `cmd` (e.g. [`std_bin`] with arguments) in the background.
    pub fn start(cmd: &mut std::process::Command) -> Background {
        let child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary starts");
        Background { child }
    }

    /// Waits, 20 seconds at most, until `ready` holds; `what` names it in the failure.
    pub fn when(&self, what: &str, ready: impl Fn() -> bool) -> &Self {
        let started = std::time::Instant::now();
        while !ready() {
            assert!(started.elapsed() < Duration::from_secs(20), "never {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
        self
    }

    /// Sends `signal` (`INT`, `TERM`) to the process.
    pub fn signal(&self, signal: &str) -> &Self {
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{signal} failed");
        self
    }

    /// Waits for the end: exit code, stdout, stderr.
    pub fn finish(self) -> Run {
        let output = self.child.wait_with_output().expect("the binary ends");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command, args: &[&str]) -> Run {
    let output = cmd.args(args).output().expect("the binary runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    // The token never shows, whatever happened.
    assert!(
        !run.stdout.contains("simulated-session-token")
            && !run.stderr.contains("simulated-session-token"),
        "token leaked:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    run
}

impl Run {
    pub fn has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}\n--- stderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }
    /// The job id from the `Job id: ...` line.
    pub fn job_id(&self) -> String {
        self.stdout
            .lines()
            .find_map(|l| l.strip_prefix("Job id: "))
            .unwrap_or_else(|| panic!("no job id in:\n{}", self.stdout))
            .trim()
            .to_string()
    }
}

/// A metadata-format folder with these classes (tests end in `Test`) and its zip.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    pub fn new(classes: &[&str], version: &str) -> Project {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mdapi = dir.path().join("mdapi");
        std::fs::create_dir_all(mdapi.join("classes")).expect("creating a test folder");
        let members: String = classes
            .iter()
            .map(|c| format!("        <members>{c}</members>\n"))
            .collect();
        std::fs::write(
            mdapi.join("package.xml"),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <types>\n{members}        <name>ApexClass</name>\n    </types>\n    <version>{version}</version>\n</Package>\n"),
        ).expect("writing a test file");
        for class in classes {
            std::fs::write(
                mdapi.join(format!("classes/{class}.cls")),
                format!("public with sharing class {class} {{}}\n"),
            )
            .expect("writing a test file");
            std::fs::write(
                mdapi.join(format!("classes/{class}.cls-meta.xml")),
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>{version}</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"),
            ).expect("writing a test file");
        }
        let zip = dir.path().join("deploy.zip");
        portal_disable::package::pack(
            dir.path(),
            portal_disable::package::Input::MetadataDir(Path::new("mdapi")),
            portal_disable::package::Output::Zip {
                dest: &zip,
                shown: Path::new("deploy.zip"),
                root: None,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Project { dir }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn default() -> Project {
        Project::new(&["PortalUserDisabler", "PortalUserDisablerTest"], "62.0")
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn junit(&self) -> PathBuf {
        self.dir.path().join("results/junit.xml")
    }
}

/// The simulator saw exactly one deploy(), in WSDL order, with a clean zip.
pub fn assert_one_clean_deploy(sim: &Simulator) {
    let deploys = sim.calls("deploy");
    assert_eq!(deploys.len(), 1, "deploy() calls: {:?}", sim.requests());
    let names: Vec<&str> = deploys[0].options.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected: Vec<&str> = Vec::new();
    for name in WSDL_ORDER {
        let count = names.iter().filter(|n| **n == name).count();
        expected.extend(std::iter::repeat_n(name, count));
    }
    assert_eq!(names, expected, "not WSDL order");
    assert_eq!(sim.violations(), Vec::<String>::new());
}

pub fn option(sim: &Simulator, name: &str) -> Vec<String> {
    sim.calls("deploy")[0]
        .options
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// `portal-disable deploy --zip deploy.zip` in a [`Project`] against the simulator, the
/// invocation most deploy tests repeat: add flags, then [`Deploy::run`].
pub struct Deploy<'a> {
    sim: &'a Simulator,
    project: &'a Project,
    args: Vec<String>,
}

/// Starts a [`Deploy`] of `project`'s zip against `sim`.
pub fn deploy<'a>(sim: &'a Simulator, project: &'a Project) -> Deploy<'a> {
    Deploy {
        sim,
        project,
        args: ["deploy", "--zip", "deploy.zip"].map(String::from).to_vec(),
    }
}

impl Deploy<'_> {
    /// More flags.
    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// Runs it (checking, as [`run`] does, that no token leaks).
    pub fn run(self) -> Run {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        run(bin(self.sim).current_dir(self.project.root()), &args)
    }
}
