//! The harness of `scratch_org`: a project with generated sources, a stand-in `sf` first on
//! the PATH that answers as the Salesforce CLI's `--json` does and records every call, and one
//! run of `scripts/scratch-org-check.sh` with the checks every run shares (no secret printed,
//! no temporary file left).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::simulator::{AuthConfig, Simulator, TOKEN};

/// The stand-in: logs its arguments (unit-separated, one call per line) and answers by command.
const STANDIN_SF: &str = r#"#!/usr/bin/env bash
printf '%s\037' "$@" >>"$STANDIN_LOG"; printf '\n' >>"$STANDIN_LOG"
case "$1 $2" in
"org create") echo '{"status":0,"result":{"username":"test-scratch@example.com","orgId":"00D000000000002AAA","authFields":{"accessToken":"SCRATCH-CREATE-SECRET"}}}' ;;
"org auth")
    if [ -n "$STANDIN_AUTH_URL" ]; then
        printf '{"status":0,"result":{"sfdxAuthUrl":"%s","username":"test-scratch@example.com"}}\n' "$STANDIN_AUTH_URL"
    else
        echo '{"status":1,"name":"NoAuthUrlError","message":"no refresh token for this org"}'; exit 1
    fi ;;
"org display")
    if [ "$3" = user ]; then echo '{"status":0,"result":{"id":"005000000000001AAA","username":"test-scratch@example.com"}}'
    else printf '{"status":0,"result":{"accessToken":"%s","instanceUrl":"%s"}}\n' "$STANDIN_TOKEN" "$STANDIN_INSTANCE"; fi ;;
"data create") echo '{"status":0,"result":{"id":"7dl000000000001AAA","success":true,"errors":[]}}' ;;
"apex run") echo "{\"status\":$STANDIN_RUN_STATUS,\"result\":{\"summary\":{\"testRunId\":\"707000000000001AAA\"},\"tests\":[]}}"; exit "$STANDIN_RUN_STATUS" ;;
"data query") cat "$STANDIN_RESULTS" ;;
"apex get")
    while [ $# -gt 0 ] && [ "$1" != --log-id ]; do shift; done
    jq -n --rawfile log "$STANDIN_LOGS/$2.log" '{status: 0, result: [{log: $log}]}' ;;
"org delete") echo '{"status":0,"result":{"orgId":"00D000000000002AAA"}}' ;;
*) echo "stand-in sf: unexpected call: $*" >&2; exit 3 ;;
esac
"#;

pub const SKIP_LOG: &str = "12:00:00.1 (1)|USER_DEBUG|[1014]|WARN|Portal user test skipped: No Experience Cloud profile: the org has no portal licence.\n";

/// One run of the script.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Every `sf` call, its arguments.
    pub calls: Vec<Vec<String>>,
}

impl Outcome {
    pub fn commands(&self) -> Vec<String> {
        self.calls
            .iter()
            .map(|c| {
                c.iter()
                    .take(3)
                    .filter(|a| !a.starts_with('-'))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }
    pub fn call(&self, command: &str) -> &Vec<String> {
        let i = self.commands().iter().position(|c| c == command);
        i.map(|i| &self.calls[i])
            .unwrap_or_else(|| panic!("no `sf {command}` in {:?}", self.commands()))
    }
}

/// A project with the default generated sources, the stand-in, and where the script writes.
pub struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    pub fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        for sub in ["project", "bin", "tmp", "logs"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap_or_else(|e| panic!("{sub}: {e}"));
        }
        let generated = Command::new(env!("CARGO_BIN_EXE_portal-disable"))
            .arg("generate")
            .current_dir(dir.path().join("project"))
            .status()
            .unwrap_or_else(|e| panic!("portal-disable generate: {e}"));
        assert!(generated.success(), "portal-disable generate failed");
        let sf = dir.path().join("bin/sf");
        std::fs::write(&sf, STANDIN_SF).expect("writing a test file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&sf, std::fs::Permissions::from_mode(0o755))
                .expect("setting a file\'s mode");
            std::os::unix::fs::symlink(
                env!("CARGO_BIN_EXE_portal-disable"),
                dir.path().join("bin/portal-disable"),
            )
            .expect("planting a symlink");
        }
        Setup { dir }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    /// Test results the org reports: (method, outcome, debug log, message).
    pub fn results(&self, tests: &[(&str, &str, Option<&str>, &str)]) {
        let records: Vec<serde_json::Value> = tests
            .iter()
            .map(|(method, outcome, log, message)| {
                if let Some(log) = log {
                    let id = format!("07L{method}");
                    std::fs::write(self.path("logs").join(format!("{id}.log")), log).expect("writing a test file");
                    serde_json::json!({"MethodName": method, "Outcome": outcome, "ApexLogId": id, "Message": null})
                } else {
                    let message = (!message.is_empty()).then_some(message);
                    serde_json::json!({"MethodName": method, "Outcome": outcome, "ApexLogId": null, "Message": message})
                }
            })
            .collect();
        let answer = serde_json::json!({"status": 0, "result": {"totalSize": records.len(), "done": true, "records": records}});
        std::fs::write(self.path("results.json"), answer.to_string()).expect("writing a test file");
    }

    pub fn run(&self, sim: &Simulator, auth_url: bool, args: &[&str]) -> Outcome {
        let jq = Command::new("jq").arg("--version").output();
        assert!(
            jq.is_ok_and(|o| o.status.success()),
            "jq is needed by scripts/scratch-org-check.sh: apt-get install jq"
        );
        let a = AuthConfig::default();
        let host = sim.url().trim_start_matches("http://").to_string();
        let url = format!(
            "force://{}:{}:{}@{host}",
            a.client_id, a.client_secret, a.refresh_token
        );
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/scratch-org-check.sh");
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("bash")
            .arg(script)
            .args(args)
            .current_dir(self.path("project"))
            .env("PATH", path)
            .env("TMPDIR", self.path("tmp"))
            .env("STANDIN_LOG", self.path("calls.log"))
            .env(
                "STANDIN_AUTH_URL",
                if auth_url { url } else { String::new() },
            )
            .env("STANDIN_TOKEN", TOKEN)
            .env("STANDIN_INSTANCE", sim.url())
            .env("STANDIN_RESULTS", self.path("results.json"))
            .env("STANDIN_LOGS", self.path("logs"))
            .env("STANDIN_RUN_STATUS", "0")
            // The caller's own credentials must not be used: the script unsets them.
            .env("SF_AUTH_URL", "force://some:other:org@example.invalid")
            .env("PORTAL_DISABLE_TIME_SCALE", crate::support::cli::SCALE)
            .env("CI", "true")
            .output()
            .unwrap_or_else(|e| panic!("bash scripts/scratch-org-check.sh: {e}"));
        let log = std::fs::read_to_string(self.path("calls.log")).unwrap_or_default();
        let outcome = Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            calls: log
                .lines()
                .map(|l| {
                    l.split('\u{1f}')
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .collect(),
        };
        let all = format!("{}{}", outcome.stdout, outcome.stderr);
        for secret in [
            a.refresh_token,
            a.client_secret,
            TOKEN,
            "SCRATCH-CREATE-SECRET",
        ] {
            assert!(!all.contains(secret), "a secret was printed:\n{all}");
        }
        let left: Vec<_> = std::fs::read_dir(self.path("tmp"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(
            left.is_empty(),
            "the script left {left:?} (the auth file may be among them)"
        );
        outcome
    }
}

/// (checkOnly, testLevel, runTests) of every deploy() the simulator received.
pub fn deploys(sim: &Simulator) -> Vec<(String, String, String)> {
    sim.calls("deploy")
        .iter()
        .map(|d| {
            let get = |name: &str| {
                d.options
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            (get("checkOnly"), get("testLevel"), get("runTests"))
        })
        .collect()
}
