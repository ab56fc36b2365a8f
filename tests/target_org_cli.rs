//! `--target-org` end to end: the binary against the simulator, with a stand-in `sf` on the
//! PATH answering as each sf CLI version does (`support/sf_cli.rs`). Found on a new and an old
//! CLI, an unknown alias, sf missing, sf failing or hanging, a refresh that fails, a session
//! that expires mid-deploy (sf is asked again and the same job carries on), and the
//! precedence between `--target-org`, `SF_TARGET_ORG`, `--auth-url-file`, the environment and
//! the sf CLI's configured default. The token never reaches any output nor sf's arguments.

mod support;

use std::path::Path;

use assert_cmd::Command;
use support::cli::{Project, Run, assert_one_clean_deploy, bin, run};
use support::sf_cli::{DISPLAY, SHOW_ACCESS_TOKEN, StandIn, Version};
use support::simulator::{AuthConfig, Scenario, Simulator, TOKEN};

const DEPLOY: [&str; 3] = ["deploy", "--zip", "deploy.zip"];
const DISPLAY_UAT: &str = "org display --target-org=uat --json";
const TOKEN_UAT: &str = "org auth show-access-token --target-org=uat --json";

/// The binary in `project` with the stand-in first on the PATH, a home folder of its own, and
/// no other credentials.
fn with_sf(sim: &Simulator, sf: &StandIn, project: &Project, home: &Path) -> Command {
    let mut cmd = bin(sim);
    cmd.current_dir(project.root())
        .env_remove("SF_ACCESS_TOKEN")
        .env_remove("SF_ORG_INSTANCE_URL")
        .env("HOME", home)
        .env("PATH", sf.path());
    cmd
}

/// No token in the output (`run` checks the static one) nor in what sf was given.
fn checked(out: Run, sf: &StandIn) -> Run {
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

fn one_line(out: &Run) -> &str {
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line:\n{}", out.stderr);
    lines[0]
}

/// A token the simulator issued (so it stays valid after the static one expires), obtained
/// with the simulator's refresh token the way the sf CLI refreshes.
fn issued_token(sim: &Simulator) -> String {
    let a = AuthConfig::default();
    let host = sim.url().trim_start_matches("http://").to_string();
    let url = format!(
        "force://{}:{}:{}@{host}",
        a.client_id, a.client_secret, a.refresh_token
    );
    let var = |name: &str| (name == "SF_AUTH_URL").then(|| url.clone());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
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

fn setup() -> (Simulator, StandIn, Project, tempfile::TempDir) {
    setup_with(Scenario::default())
}

fn setup_with(scenario: Scenario) -> (Simulator, StandIn, Project, tempfile::TempDir) {
    let sim = Simulator::start(scenario);
    let sf = StandIn::new(&sim.url());
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    (sim, sf, Project::default(), home)
}

#[test]
fn found_on_a_new_cli_by_flag_short_flag_and_variable() {
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::New);
    let runs: [(&[&str], Option<&str>); 3] = [
        (&["--target-org", "uat"], None),
        (&["-o", "uat"], None),
        (&[], Some("uat")),
    ];
    for (flags, variable) in runs {
        let mut cmd = with_sf(&sim, &sf, &project, home.path());
        if let Some(value) = variable {
            cmd.env("SF_TARGET_ORG", value);
        }
        let args: Vec<&str> = DEPLOY
            .iter()
            .copied()
            .chain(flags.iter().copied())
            .collect();
        let out = checked(run(&mut cmd, &args), &sf);
        out.code(0).has(": Succeeded in ");
        assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    }
    assert_eq!(sim.calls("deploy").len(), 3);
    assert!(sim.logins().is_empty(), "sf's session, no OAuth login");
    // Each run: display for the instance, then show-access-token for the token.
    assert_eq!(sf.calls(), [DISPLAY_UAT, TOKEN_UAT].repeat(3));
}

#[test]
fn found_on_an_old_cli_from_display_alone() {
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::Old);
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "uat"]].concat(),
        ),
        &sf,
    );
    out.code(0).has(": Succeeded in ");
    assert_one_clean_deploy(&sim);
    // The token came with `org display`: show-access-token (which this CLI lacks) is not run.
    assert_eq!(sf.calls(), [DISPLAY_UAT]);
}

#[test]
fn an_old_cli_without_the_token_asks_for_an_update() {
    // `org display` redacts, `show-access-token` is unknown: no such real CLI, but no hang
    // or panic either.
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::New);
    sf.lacks("uat", SHOW_ACCESS_TOKEN);
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "uat"]].concat(),
        ),
        &sf,
    );
    out.code(1);
    assert!(
        one_line(&out).contains("npm install -g @salesforce/cli"),
        "{}",
        out.stderr
    );
    assert!(sim.requests().is_empty());
}

#[test]
fn an_unknown_alias_exits_2_naming_the_login_command() {
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::New);
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "nope"]].concat(),
        ),
        &sf,
    );
    out.code(2);
    let line = one_line(&out);
    assert!(
        line.contains("the sf CLI knows no org `nope` (from --target-org)")
            && line.contains("`sf org login web --alias nope`")
            && line.contains("Did you mean"),
        "{line}"
    );
    assert!(sim.requests().is_empty(), "nothing sent");
    // --json: one document naming the kind.
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "nope", "--json"]].concat(),
        ),
        &sf,
    );
    out.code(2);
    let json = out.json();
    assert_eq!(json["status"], 2);
    assert_eq!(json["error"]["name"], "InvalidCredentials");
}

#[test]
fn sf_missing_exits_2_naming_the_install_command() {
    let (sim, _sf, project, home) = setup();
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = bin(&sim);
    cmd.current_dir(project.root())
        .env_remove("SF_ACCESS_TOKEN")
        .env_remove("SF_ORG_INSTANCE_URL")
        .env("HOME", home.path())
        .env("PATH", empty.path());
    let out = run(&mut cmd, &[&DEPLOY[..], &["-o", "uat"]].concat());
    out.code(2);
    let line = one_line(&out);
    assert!(
        line.contains("the sf CLI (`sf`) is not on the PATH")
            && line.contains("`npm install -g @salesforce/cli`")
            && line.contains("`sf org login web --alias uat`"),
        "{line}"
    );
    assert!(sim.requests().is_empty());
}

#[test]
fn sf_failing_crashing_or_hanging_exits_1_with_one_line() {
    let (sim, sf, project, home) = setup();
    let crash = "/usr/lib/node_modules/@salesforce/cli/node_modules/undici/lib/interceptor/decompress.js:17\n  const x = y.bind(z)\nTypeError: Cannot read properties of undefined (reading 'bind')\n";
    sf.answer("crash", DISPLAY, None, "", crash, 1);
    let generic = r#"{"name":"SfError","message":"Something broke\n\tinside","exitCode":1,"status":1,"warnings":[]}"#;
    sf.answer("broken", DISPLAY, None, generic, "", 1);
    sf.org("slow", Version::New).hang("slow", SHOW_ACCESS_TOKEN);
    let cases = [
        (
            "crash",
            "`sf org display --target-org crash --json` failed (exit 1) without a JSON answer: /usr/lib/node_modules",
        ),
        (
            "broken",
            "`sf org display --target-org broken --json` failed (exit 1, status 1): SfError: Something broke inside",
        ),
        (
            "slow",
            "`sf org auth show-access-token --target-org slow --json` did not answer within 2 s and was stopped",
        ),
    ];
    for (target, want) in cases {
        let mut cmd = with_sf(&sim, &sf, &project, home.path());
        cmd.env("PORTAL_DISABLE_SF_TIMEOUT_SECS", "2");
        let started = std::time::Instant::now();
        let out = checked(run(&mut cmd, &[&DEPLOY[..], &["-o", target]].concat()), &sf);
        out.code(1);
        assert!(one_line(&out).contains(want), "{target}: {}", out.stderr);
        assert!(
            started.elapsed().as_secs() < 20,
            "{target} took {:?}",
            started.elapsed()
        );
    }
    assert!(sim.requests().is_empty());
}

#[test]
fn a_failed_refresh_is_an_expired_login_naming_the_fix() {
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::New).refresh_fails("uat", None);
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "uat"]].concat(),
        ),
        &sf,
    );
    out.code(2);
    let line = one_line(&out);
    let login = format!(
        "`sf org login web --alias refr --instance-url {}`",
        sim.url()
    );
    assert!(
        line.contains("the sf CLI could not refresh the session of org `uat` (from --target-org)")
            && line.contains("expired access/refresh token")
            && line.contains(&login),
        "{line}"
    );
    // Seen in org display already: the stale token is never fetched nor sent.
    assert_eq!(sf.calls(), [DISPLAY_UAT]);
    assert!(sim.requests().is_empty());

    // Seen only by show-access-token (its own warning, with the stale token in the answer):
    // refused too, in every output mode, and the stale token is not printed (`run` checks).
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::New);
    let stale = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sf-cli/org-auth-show-access-token-refresh-failed.json"
    ))
    .unwrap_or_else(|e| panic!("{e}"))
    .replace("00D000000000001!AQ.second", TOKEN);
    sf.answer("uat", SHOW_ACCESS_TOKEN, None, &stale, "", 0);
    for mode in [&[][..], &["--json"][..], &["--verbose"][..]] {
        let args = [&DEPLOY[..], &["-o", "uat"], mode].concat();
        let out = checked(
            run(&mut with_sf(&sim, &sf, &project, home.path()), &args),
            &sf,
        );
        out.code(2);
        let text = if mode == ["--json"] {
            out.json()["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        } else {
            one_line(&out).to_string()
        };
        assert!(text.contains("could not refresh the session"), "{text}");
    }
    assert!(sim.requests().is_empty());
}

#[test]
fn an_expired_session_mid_deploy_asks_sf_again_and_carries_on() {
    let mut scenario = Scenario::default();
    scenario.auth.expire_after_polls = Some(1);
    let (sim, sf, project, home) = setup_with(scenario);
    let fresh = issued_token(&sim);
    sf.org("uat", Version::New).tokens("uat", &[TOKEN, &fresh]);
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "uat"]].concat(),
        ),
        &sf,
    );
    out.code(0).has(": Succeeded in ");
    assert!(out.stderr.contains("logged in again"), "{}", out.stderr);
    assert_one_clean_deploy(&sim);
    assert_eq!(sf.calls(), [DISPLAY_UAT, TOKEN_UAT, DISPLAY_UAT, TOKEN_UAT]);
    // The polls after the re-login carry the fresh session.
    let last = sim.calls("checkDeployStatus");
    assert_eq!(last.last().and_then(|r| r.session.clone()), Some(fresh));
}

#[test]
fn when_sf_cannot_renew_the_session_the_job_is_named() {
    // Asked again, sf gives the same refused token: the org refuses it once more.
    let mut scenario = Scenario::default();
    scenario.auth.expire_after_polls = Some(1);
    let (sim, sf, project, home) = setup_with(scenario);
    sf.org("uat", Version::New);
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "uat"]].concat(),
        ),
        &sf,
    );
    out.code(1);
    assert!(
        out.stderr.contains("INVALID_SESSION_ID")
            && out.stderr.contains("even after asking it again")
            && out.stderr.contains("`sf org login web --alias uat`")
            && out.stderr.contains("portal-disable report 0Af"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);

    // Asked again, sf's refresh fails: exit 2 naming the fix, and the job.
    let mut scenario = Scenario::default();
    scenario.auth.expire_after_polls = Some(1);
    let (sim, sf, project, home) = setup_with(scenario);
    sf.org("uat", Version::New).refresh_fails("uat", Some(2));
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "uat"]].concat(),
        ),
        &sf,
    );
    out.code(2);
    assert!(
        out.stderr.contains("could not refresh the session")
            && out.stderr.contains("portal-disable report 0Af"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);
}

/// Command-line flags of one case.
type Flags<'a> = &'a [&'a str];
/// Environment variables of one case.
type Vars<'a> = &'a [(&'a str, &'a str)];

/// `-o uat` with each other source, and the configured default against each source: which
/// one is used, or the error naming both.
#[test]
fn precedence_between_target_org_auth_url_file_the_environment_and_the_default() {
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::New).org("dflt", Version::New);
    let a = AuthConfig::default();
    let host = sim.url().trim_start_matches("http://").to_string();
    let auth_url = format!(
        "force://{}:{}:{}@{host}",
        a.client_id, a.client_secret, a.refresh_token
    );
    let auth_file = project.root().join("auth.txt");
    std::fs::write(&auth_file, &auth_url).unwrap_or_else(|e| panic!("{e}"));
    let auth_file = auth_file.display().to_string();

    // Two explicit sources: exit 2 naming both, nothing asked of sf, nothing sent.
    let conflicts: [(Flags, Vars, &str); 4] = [
        (
            &["-o", "uat", "--auth-url-file", &auth_file],
            &[],
            "two org credential sources are given: --target-org `uat` and --auth-url-file; use one",
        ),
        (
            &["-o", "uat"],
            &[("SF_AUTH_URL", &auth_url)],
            "--target-org `uat` and the sfdx auth URL in SF_AUTH_URL",
        ),
        (
            &[],
            &[
                ("SF_TARGET_ORG", "uat"),
                ("SF_ACCESS_TOKEN", TOKEN),
                ("SF_ORG_INSTANCE_URL", &sim.url()),
            ],
            "SF_TARGET_ORG `uat` and the access token in SF_ACCESS_TOKEN + SF_ORG_INSTANCE_URL",
        ),
        (
            &["--auth-url-file", &auth_file],
            &[("SF_TARGET_ORG", "uat")],
            "SF_TARGET_ORG `uat` and --auth-url-file",
        ),
    ];
    for (flags, vars, want) in conflicts {
        let mut cmd = with_sf(&sim, &sf, &project, home.path());
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let out = checked(run(&mut cmd, &[&DEPLOY[..], flags].concat()), &sf);
        out.code(2);
        assert!(
            one_line(&out).contains(want),
            "{flags:?} {vars:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains(a.refresh_token), "{}", out.stderr);
    }
    assert!(sf.calls().is_empty(), "{:?}", sf.calls());
    assert!(sim.requests().is_empty());

    // Nothing given and no default anywhere: no credentials, naming --target-org.
    let out = checked(
        run(&mut with_sf(&sim, &sf, &project, home.path()), &DEPLOY),
        &sf,
    );
    out.code(2);
    assert!(
        one_line(&out).contains("no org credentials: pass --target-org ALIAS"),
        "{}",
        out.stderr
    );

    // The global default (home folder), then the project's, which wins.
    std::fs::create_dir_all(home.path().join(".sf")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        home.path().join(".sf/config.json"),
        r#"{"target-org": "dflt"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = checked(
        run(&mut with_sf(&sim, &sf, &project, home.path()), &DEPLOY),
        &sf,
    );
    out.code(0);
    assert_eq!(
        sf.calls().last().map(String::as_str),
        Some("org auth show-access-token --target-org=dflt --json")
    );
    std::fs::write(
        project.root().join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"force-app","default":true}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(project.root().join(".sf")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        project.root().join(".sf/config.json"),
        r#"{"target-org": "uat"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = checked(
        run(&mut with_sf(&sim, &sf, &project, home.path()), &DEPLOY),
        &sf,
    );
    out.code(0);
    assert_eq!(sf.calls().last().map(String::as_str), Some(TOKEN_UAT));
    // A default naming an org sf does not know: the error names the file to fix.
    std::fs::write(
        project.root().join(".sf/config.json"),
        r#"{"target-org": "gone"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = checked(
        run(&mut with_sf(&sim, &sf, &project, home.path()), &DEPLOY),
        &sf,
    );
    out.code(2);
    assert!(
        one_line(&out)
            .contains("the sf CLI knows no org `gone` (the sf CLI's default: target-org in"),
        "{}",
        out.stderr
    );
    std::fs::write(
        project.root().join(".sf/config.json"),
        r#"{"target-org": "uat"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));

    // With a default configured, any given source wins over it and sf is not asked.
    let asked = sf.calls().len();
    let winners: [(Flags, Vars); 3] = [
        (&["--auth-url-file", &auth_file], &[]),
        (&[], &[("SF_AUTH_URL", &auth_url)]),
        (
            &[],
            &[
                ("SF_ACCESS_TOKEN", TOKEN),
                ("SF_ORG_INSTANCE_URL", &sim.url()),
            ],
        ),
    ];
    for (flags, vars) in winners {
        let mut cmd = with_sf(&sim, &sf, &project, home.path());
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let out = checked(run(&mut cmd, &[&DEPLOY[..], flags].concat()), &sf);
        out.code(0);
    }
    assert_eq!(sf.calls().len(), asked, "sf was asked: {:?}", sf.calls());
    // --target-org wins over the default.
    let out = checked(
        run(
            &mut with_sf(&sim, &sf, &project, home.path()),
            &[&DEPLOY[..], &["-o", "dflt"]].concat(),
        ),
        &sf,
    );
    out.code(0);
    assert_eq!(
        sf.calls().last().map(String::as_str),
        Some("org auth show-access-token --target-org=dflt --json")
    );
    // A half-set source with a default configured is an error, not the default org.
    let mut cmd = with_sf(&sim, &sf, &project, home.path());
    cmd.env("SF_CLIENT_SECRET", "x");
    let out = checked(run(&mut cmd, &DEPLOY), &sf);
    out.code(2);
    assert!(
        one_line(&out).contains("incomplete org credentials"),
        "{}",
        out.stderr
    );
}
