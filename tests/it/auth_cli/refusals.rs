//! Refused logins and malformed credentials: one line naming the fix, and never a secret.

use super::*;

#[test]
fn refused_logins_name_the_flow_and_the_fix() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let a = auth();
    let host = host_of(&sim);
    // (source to start from, variable to override, value, expected text)
    let cases: Vec<(Source, &str, String, &str)> = vec![
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            format!("force://{}::5Aep-revoked@{host}", a.client_id),
            "sfdx auth URL (refresh token) login refused: invalid_grant",
        ),
        (
            Source::Jwt,
            "SF_USERNAME",
            "someone.else@acme.example".into(),
            "pre-authorize the user",
        ),
        (
            Source::Jwt,
            "SF_AUDIENCE_URL",
            "https://acme.my.site.com".into(),
            "https://test.salesforce.com for sandboxes",
        ),
        (
            Source::Jwt,
            "SF_CLIENT_ID",
            "3MVG9unknown".into(),
            "SF_CLIENT_ID",
        ),
        (
            Source::ClientCredentials,
            "SF_CLIENT_SECRET",
            "wrong-secret".into(),
            "client credentials login refused: invalid_client",
        ),
    ];
    for (source, name, value, expected) in cases {
        let (mut cmd, _) = login_as(&sim, source, &project);
        cmd.env(name, &value);
        let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
        assert_no_secret(&out);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
    }
    assert!(
        sim.calls("deploy").is_empty(),
        "no deploy after a refused login"
    );
}

#[test]
fn malformed_credentials_exit_2_before_any_request() {
    let sim = Simulator::start(Scenario::default());
    let project = Project::default();
    let not_a_key = project.root().join("not-a-key.pem");
    std::fs::write(
        &not_a_key,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .expect("writing a test file");
    let cases: Vec<(Source, &str, String, &str)> = vec![
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "https://x:y:z@host".into(),
            "does not start with `force://`",
        ),
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "force://id:secret@host".into(),
            "needs a client id, a client secret",
        ),
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "force://id::token@".into(),
            "its host is empty",
        ),
        (
            Source::AuthUrl,
            "SF_AUTH_URL",
            "force://id::to ken@host".into(),
            "refresh token",
        ),
        (
            Source::Jwt,
            "SF_JWT_KEY_FILE",
            "missing.pem".into(),
            "SF_JWT_KEY_FILE names a file that cannot be read (no such file)",
        ),
        (
            Source::Jwt,
            "SF_JWT_KEY_FILE",
            not_a_key.display().to_string(),
            "is not an RSA private key",
        ),
        (
            Source::Jwt,
            "SF_LOGIN_URL",
            "http://login.salesforce.com".into(),
            "plain http",
        ),
        (
            Source::ClientCredentials,
            "SF_ORG_INSTANCE_URL",
            "http://acme.my.salesforce.com".into(),
            "plain http",
        ),
        (
            Source::Jwt,
            "SF_USERNAME",
            String::new(),
            "JWT bearer needs SF_USERNAME",
        ),
    ];
    for (source, name, value, expected) in cases {
        let (mut cmd, _) = login_as(&sim, source, &project);
        if value.is_empty() {
            cmd.env_remove(name);
        } else {
            cmd.env(name, &value);
        }
        let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
        assert_no_secret(&out);
        assert_eq!(out.code, 2, "{name}={value}: {}", out.stderr);
        assert!(
            out.stderr.contains(expected),
            "{name}={value}: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains(&value) || value.len() < 12 || name != "SF_AUTH_URL",
            "{}",
            out.stderr
        );
    }
    // Two complete sources at once.
    let (mut cmd, _) = login_as(&sim, Source::AuthUrl, &project);
    cmd.env("SF_ACCESS_TOKEN", "00D!AQ.x")
        .env("SF_ORG_INSTANCE_URL", sim.url());
    let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
    out.code(2);
    assert!(
        out.stderr.contains("several org credential sources"),
        "{}",
        out.stderr
    );
    // A key others may read: a warning, and the deploy still runs.
    let (mut cmd, _) = login_as(&sim, Source::Jwt, &project);
    let loose = project.root().join("loose.pem");
    std::fs::copy(PRIVATE_KEY, &loose).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644))
            .expect("setting a file\'s mode");
    }
    cmd.env("SF_JWT_KEY_FILE", &loose);
    let out = run(&mut cmd, &["deploy", "--zip", "deploy.zip"]);
    assert_no_secret(&out);
    out.code(0);
    assert!(out.stderr.contains("chmod 600"), "{}", out.stderr);
    assert_eq!(sim.calls("deploy").len(), 1, "only the last case deploys");
}

/// Every command, every output mode, success and failure, with every source: no secret in any
/// output (`run_as` checks each run).
#[test]
fn no_secret_in_any_output() {
    for source in ALL {
        let sim = Simulator::start(Scenario::default());
        let project = Project::default();
        for mode in [&[][..], &["--json"][..], &["--verbose"][..]] {
            let mut args = vec!["deploy", "--zip", "deploy.zip", "--junit", "junit.xml"];
            args.extend_from_slice(mode);
            let deploy = run_as(&sim, source, &project, &args);
            deploy.code(0);
            let junit =
                std::fs::read_to_string(project.root().join("junit.xml")).unwrap_or_default();
            assert!(!junit.contains("AQ."), "{junit}");
            let id = if mode == ["--json"] {
                deploy.json()["result"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            } else {
                deploy.job_id()
            };
            for command in [
                vec!["report", id.as_str()],
                vec!["cancel", id.as_str()],
                vec!["quick-deploy", id.as_str()],
            ] {
                let mut args = command.clone();
                args.extend_from_slice(mode);
                // Cancel of a finished job and quick deploy of a non-validation fail: the
                // failing paths print errors, which must be clean too.
                let out = run_as(&sim, source, &project, &args);
                assert!(matches!(out.code, 0 | 1), "{args:?}: {}", out.stderr);
            }
            let refused = run_as(&sim, source, &project, &["report", "0Af000000000000AAA"]);
            assert_eq!(refused.code, 1, "{}", refused.stderr);
        }
    }
}
