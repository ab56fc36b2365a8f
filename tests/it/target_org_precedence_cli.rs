//! Which credential source a run uses when `--target-org`, `SF_TARGET_ORG`,
//! `--auth-url-file`, the environment and the sf CLI's configured default meet: the one used,
//! or the error naming both, end to end with a stand-in `sf` on the PATH.

use crate::support;

use support::cli::run;
use support::sf_cli::{TOKEN_UAT, Version, checked, one_line, setup, with_sf};
use support::simulator::{AuthConfig, TOKEN};

const DEPLOY: [&str; 3] = ["deploy", "--zip", "deploy.zip"];

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
    std::fs::write(&auth_file, &auth_url).expect("writing a test file");
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
    std::fs::create_dir_all(home.path().join(".sf")).expect("creating a test folder");
    std::fs::write(
        home.path().join(".sf/config.json"),
        r#"{"target-org": "dflt"}"#,
    )
    .expect("writing a test file");
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
    .expect("writing a test file");
    std::fs::create_dir_all(project.root().join(".sf")).expect("creating a test folder");
    std::fs::write(
        project.root().join(".sf/config.json"),
        r#"{"target-org": "uat"}"#,
    )
    .expect("writing a test file");
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
    .expect("writing a test file");
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
    .expect("writing a test file");

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
