//! `--target-org` end to end: the binary against the simulator, with a stand-in `sf` on the
//! PATH answering as each sf CLI version does (`support/sf_cli.rs`). Found on a new and an old
//! CLI, an unknown alias, sf missing, sf failing or hanging, a refresh that fails, a session
//! that expires mid-deploy (sf is asked again and the same job carries on). Precedence is in
//! `target_org_precedence_cli.rs`. The token never reaches any output nor sf's arguments.

use crate::support;

use std::path::Path;

use support::cli::{Background, Project, Run, assert_one_clean_deploy, bin, run};
use support::sf_cli::{
    DISPLAY, DISPLAY_UAT, SHOW_ACCESS_TOKEN, StandIn, TOKEN_UAT, Version, checked, issued_token,
    one_line, setup, setup_with, with_sf,
};
use support::simulator::{Scenario, Simulator, TOKEN};

const DEPLOY: [&str; 3] = ["deploy", "--zip", "deploy.zip"];

/// `deploy` of the test zip with `-o ORG`, its output checked for leaked tokens.
fn deploy_to(sim: &Simulator, sf: &StandIn, project: &Project, home: &Path, org: &str) -> Run {
    checked(
        run(
            &mut with_sf(sim, sf, project, home),
            &[&DEPLOY[..], &["-o", org]].concat(),
        ),
        sf,
    )
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
    let out = deploy_to(&sim, &sf, &project, home.path(), "uat");
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
    let out = deploy_to(&sim, &sf, &project, home.path(), "uat");
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
    let out = deploy_to(&sim, &sf, &project, home.path(), "nope");
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
    let empty = tempfile::tempdir().expect("a temporary folder");
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
    let crash = "<sf>/node_modules/undici/lib/interceptor/decompress.js:17\n  const x = y.bind(z)\nTypeError: Cannot read properties of undefined (reading 'bind')\n";
    sf.answer("crash", DISPLAY, None, "", crash, 1);
    let generic = r#"{"name":"SfError","message":"Something broke\n\tinside","exitCode":1,"status":1,"warnings":[]}"#;
    sf.answer("broken", DISPLAY, None, generic, "", 1);
    sf.org("slow", Version::New).hang("slow", SHOW_ACCESS_TOKEN);
    let cases = [
        (
            "crash",
            "`sf org display --target-org crash --json` failed (exit 1) without a JSON answer: <sf>/node_modules/undici",
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
    let out = deploy_to(&sim, &sf, &project, home.path(), "uat");
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
    .expect("reading a test file")
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
    let out = deploy_to(&sim, &sf, &project, home.path(), "uat");
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
    let out = deploy_to(&sim, &sf, &project, home.path(), "uat");
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
    let out = deploy_to(&sim, &sf, &project, home.path(), "uat");
    out.code(2);
    assert!(
        out.stderr.contains("could not refresh the session")
            && out.stderr.contains("portal-disable report 0Af"),
        "{}",
        out.stderr
    );
    assert_one_clean_deploy(&sim);
}

#[test]
fn ctrl_c_while_sf_runs_stops_it_and_exits_130() {
    let (sim, sf, project, home) = setup();
    sf.org("uat", Version::New).hang("uat", SHOW_ACCESS_TOKEN);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_portal-disable"));
    cmd.current_dir(project.root())
        .env_clear()
        .env("PATH", sf.path())
        .env("HOME", home.path())
        .env("CI", "true")
        .args(["deploy", "--zip", "deploy.zip", "-o", "uat"]);
    let run = Background::start(&mut cmd);
    // Once the hanging show-access-token is running.
    let started = std::time::Instant::now();
    run.when("asked sf twice", || sf.calls().len() >= 2)
        .signal("INT");
    let out = run.finish();
    let stderr = out.stderr;
    assert_eq!(out.code, 130, "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    // Well before the 60 s timeout.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    assert!(sim.requests().is_empty());
}
