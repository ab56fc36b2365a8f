//! A stand-in `sf` executable for the `--target-org` tests: a small shell script written into
//! a temporary folder that the tests put first on the PATH. It answers `sf org display` and
//! `sf org auth show-access-token` with the answers a real sf CLI gave
//! (`tests/fixtures/sf-cli/`), pointed at the simulator, and logs every call's arguments.
//!
//! Answers live in `answers/<target-org>/<command>[.<n>].{out,err,code,hang}`: the n-th call of
//! a command uses its numbered answer when there is one, else the plain one; `hang` makes it
//! sleep past any timeout; a command with no answer is one this CLI lacks (exit 127, oclif's
//! "is not a sf command"). A target-org with no folder gets `NamedOrgNotFoundError`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

use super::cli::{Project, Run, bin};
use super::simulator::{AuthConfig, Scenario, Simulator, TOKEN};

/// The fixtures' own instance URLs and token, replaced by the simulator's.
const FIXTURE_URL: &str = "http://127.0.0.1:8765/";
const FIXTURE_TLS_URL: &str = "https://127.0.0.1:8766";
const FIXTURE_TOKEN: &str = "00D000000000001!AQ.good";
const FIXTURE_STALE_TOKEN: &str = "00D000000000001!AQ.second";

pub const DISPLAY: &str = "display";
pub const SHOW_ACCESS_TOKEN: &str = "show-access-token";
/// The calls a run with `-o uat` makes, as the stand-in logs them.
pub const DISPLAY_UAT: &str = "org display --target-org=uat --json";
pub const TOKEN_UAT: &str = "org auth show-access-token --target-org=uat --json";

const SCRIPT: &str = r#"#!/bin/sh
# A stand-in for the Salesforce CLI, written by portal-disable's tests.
here='@HERE@'
printf '%s\n' "$*" >> "$here/calls.log"
target=''
for arg in "$@"; do
    case "$arg" in --target-org=*) target=${arg#--target-org=} ;; esac
done
case "$1 $2 $3" in
    'org display '*) command=display ;;
    'org auth show-access-token') command=show-access-token ;;
    *) command=unknown ;;
esac
answers="$here/answers/$target"
[ -n "$target" ] && [ -d "$answers" ] || answers="$here/answers/_unknown"
count="$answers/$command.count"
n=$(( $(cat "$count" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$count"
base="$answers/$command"
if [ -f "$base.$n.out" ] || [ -f "$base.$n.hang" ]; then base="$base.$n"; fi
if [ -f "$base.hang" ]; then exec sleep 60; fi
if [ ! -f "$base.out" ]; then
    cat "$here/not-a-command.stderr" >&2
    exit 127
fi
cat "$base.out"
if [ -f "$base.err" ]; then cat "$base.err" >&2; fi
exit "$(cat "$base.code" 2>/dev/null || echo 0)"
"#;

/// Which sf CLI the stand-in plays for an org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 2.136.8 and later: `org display` redacts the token, `org auth show-access-token` has it.
    New,
    /// Before 2.136.8: `org display` has the token; `org auth show-access-token` does not exist.
    Old,
}

pub struct StandIn {
    dir: PathBuf,
    /// The temporary folder `dir` is, when the stand-in owns it.
    _temp: Option<TempDir>,
    sim_url: String,
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sf-cli")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl StandIn {
    /// A stand-in pointing at the simulator at `sim_url` (`http://127.0.0.1:PORT`), knowing
    /// no org yet, in a temporary folder of its own.
    pub fn new(sim_url: &str) -> StandIn {
        let temp = tempfile::tempdir().expect("a temporary folder");
        let mut stand_in = StandIn::new_in(temp.path(), sim_url);
        stand_in._temp = Some(temp);
        stand_in
    }

    /// The same in `dir` (emptied first), which outlives the stand-in.
    pub fn new_in(dir: &Path, sim_url: &str) -> StandIn {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).expect("creating a test folder");
        let here = dir.display().to_string();
        assert!(!here.contains('\''), "{here}");
        let script = dir.join("sf");
        std::fs::write(&script, SCRIPT.replace("@HERE@", &here)).expect("writing a test file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
                .expect("setting a file\'s mode");
        }
        std::fs::write(
            dir.join("not-a-command.stderr"),
            fixture("not-a-command.stderr"),
        )
        .expect("writing a test file");
        let stand_in = StandIn {
            dir: dir.to_path_buf(),
            _temp: None,
            sim_url: sim_url.trim_end_matches('/').to_string(),
        };
        let unknown = fixture("org-display-named-org-not-found.json");
        for command in [DISPLAY, SHOW_ACCESS_TOKEN] {
            stand_in.answer("_unknown", command, None, &unknown, "", 2);
        }
        stand_in
    }

    /// `target` is an org this version of the CLI knows, logged in to the simulator with its
    /// static token.
    pub fn org(&self, target: &str, version: Version) -> &Self {
        match version {
            Version::New => {
                self.answer(
                    target,
                    DISPLAY,
                    None,
                    &self.pointed(&fixture("org-display.json")),
                    "",
                    0,
                );
                self.tokens(target, &[TOKEN]);
            }
            Version::Old => {
                let display = self
                    .pointed(&fixture("org-display-unredacted.json"))
                    .replace(FIXTURE_TOKEN, TOKEN);
                self.answer(target, DISPLAY, None, &display, "", 0);
            }
        }
        self
    }

    /// `show-access-token` answers these tokens, one per call (the last one from then on).
    pub fn tokens(&self, target: &str, tokens: &[&str]) -> &Self {
        let answer = fixture("org-auth-show-access-token.json");
        for (i, token) in tokens.iter().enumerate() {
            let text = answer.replace(FIXTURE_TOKEN, token);
            let n = (i + 1 < tokens.len()).then_some(i as u32 + 1);
            self.answer(target, SHOW_ACCESS_TOKEN, n, &text, "", 0);
        }
        self
    }

    /// The org's refresh fails (from call `from` on): exit 0, the warning, the stale token.
    pub fn refresh_fails(&self, target: &str, from: Option<u32>) -> &Self {
        let display = self.pointed(&fixture("org-display-refresh-failed.json"));
        let token = fixture("org-auth-show-access-token-refresh-failed.json")
            .replace(FIXTURE_STALE_TOKEN, TOKEN);
        self.answer(target, DISPLAY, from, &display, "", 0);
        self.answer(target, SHOW_ACCESS_TOKEN, from, &token, "", 0);
        self
    }

    /// An answer for one command of one org (for call `n` only, or every call).
    pub fn answer(
        &self,
        target: &str,
        command: &str,
        n: Option<u32>,
        stdout: &str,
        stderr: &str,
        code: i32,
    ) -> &Self {
        let base = self.base(target, command, n);
        std::fs::write(base.with_extension("out"), stdout).expect("writing a test file");
        std::fs::write(base.with_extension("err"), stderr).expect("writing a test file");
        std::fs::write(base.with_extension("code"), code.to_string()).expect("writing a test file");
        self
    }

    /// This CLI lacks the command (its plain answer is gone).
    pub fn lacks(&self, target: &str, command: &str) -> &Self {
        let base = self.base(target, command, None);
        for extension in ["out", "err", "code"] {
            let _ = std::fs::remove_file(base.with_extension(extension));
        }
        self
    }

    /// The command hangs (sleeps a minute).
    pub fn hang(&self, target: &str, command: &str) -> &Self {
        let base = self.base(target, command, None);
        std::fs::write(base.with_extension("hang"), "").expect("writing a test file");
        self
    }

    /// `answers/<target>/<command>[.<n>]`, its folder created. The extension is added later,
    /// so the call number must not look like one: `display.2` + `.out`.
    fn base(&self, target: &str, command: &str, n: Option<u32>) -> PathBuf {
        let folder = self.dir.as_path().join("answers").join(target);
        std::fs::create_dir_all(&folder).expect("creating a test folder");
        match n {
            Some(n) => folder.join(format!("{command}.{n}.x")),
            None => folder.join(format!("{command}.x")),
        }
    }

    /// A fixture's instance URLs replaced by the simulator's.
    fn pointed(&self, text: &str) -> String {
        text.replace(FIXTURE_URL, &format!("{}/", self.sim_url))
            .replace(FIXTURE_TLS_URL, &self.sim_url)
    }

    /// `PATH` with the stand-in first.
    pub fn path(&self) -> OsString {
        let mut paths = vec![self.dir.as_path().to_path_buf()];
        if let Some(path) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(paths).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The arguments of every call, in order.
    pub fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.as_path().join("calls.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// The binary in `project` with the stand-in first on the PATH, a home folder of its own, and
/// no other credentials.
pub fn with_sf(sim: &Simulator, sf: &StandIn, project: &Project, home: &Path) -> Command {
    let mut cmd = bin(sim);
    cmd.current_dir(project.root())
        .env_remove("SF_ACCESS_TOKEN")
        .env_remove("SF_ORG_INSTANCE_URL")
        .env("HOME", home)
        .env("PATH", sf.path());
    cmd
}

/// No token in the output (`run` checks the static one) nor in what sf was given.
pub fn checked(out: Run, sf: &StandIn) -> Run {
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains("AQ."), "a token leaked:\n{text}");
    }
    for call in sf.calls() {
        assert!(
            !call.contains("AQ."),
            "a token on sf's command line: {call}"
        );
    }
    out
}

pub fn one_line(out: &Run) -> &str {
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line:\n{}", out.stderr);
    lines[0]
}

/// A token the simulator issued (so it stays valid after the static one expires), obtained
/// with the simulator's refresh token the way the sf CLI refreshes.
pub fn issued_token(sim: &Simulator) -> String {
    let a = AuthConfig::default();
    let host = sim.url().trim_start_matches("http://").to_string();
    let url = format!(
        "force://{}:{}:{}@{host}",
        a.client_id, a.client_secret, a.refresh_token
    );
    let var = |name: &str| (name == "SF_AUTH_URL").then(|| url.clone());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let creds = portal_disable::auth::sources::resolve(
        &portal_disable::auth::AuthFlags::default(),
        &var,
        dir.path(),
        &mut |_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let session = creds.login().unwrap_or_else(|e| panic!("{e}"));
    session.access_token.expose().to_string()
}

pub fn setup() -> (Simulator, StandIn, Project, tempfile::TempDir) {
    setup_with(Scenario::default())
}

pub fn setup_with(scenario: Scenario) -> (Simulator, StandIn, Project, tempfile::TempDir) {
    let sim = Simulator::start(scenario);
    let sf = StandIn::new(&sim.url());
    let home = tempfile::tempdir().expect("a temporary folder");
    (sim, sf, Project::default(), home)
}
