//! Which source a run uses: every precedence rule, and messages that name variables, never
//! values.

use super::*;

fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

/// A folder with no sf CLI project above it (no `sfdx-project.json` in a temp folder).
fn nowhere() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn resolve_in(
    flags: &AuthFlags,
    pairs: &[(&str, &str)],
    cwd: &Path,
) -> std::result::Result<Credentials, String> {
    resolve(flags, &env(pairs), cwd, &mut |_| {}).map_err(|e| e.to_string())
}

fn resolve_env(pairs: &[(&str, &str)]) -> std::result::Result<Credentials, String> {
    resolve_in(&AuthFlags::default(), pairs, nowhere().path())
}

const AUTH_URL: &str = "force://PlatformCLI::5Aep861.refresh@test.my.salesforce.com";

#[test]
fn exactly_one_complete_source_is_used() {
    let access = resolve_env(&[
        (ACCESS_TOKEN_VAR, "00D!secret"),
        (INSTANCE_URL_VAR, "https://acme.my.salesforce.com"),
    ]);
    assert!(
        matches!(access, Ok(Credentials::AccessToken { .. })),
        "{access:?}"
    );
    let auth_url = resolve_env(&[(AUTH_URL_VAR, AUTH_URL)]);
    match auth_url {
        Ok(Credentials::AuthUrl {
            login_url,
            client_id,
            ..
        }) => {
            assert_eq!(login_url.as_str(), "https://test.my.salesforce.com/");
            assert_eq!(client_id, "PlatformCLI");
        }
        other => panic!("{other:?}"),
    }
    let cc = resolve_env(&[
        (CLIENT_ID_VAR, "id"),
        (CLIENT_SECRET_VAR, "s3cret"),
        (INSTANCE_URL_VAR, "https://acme.my.salesforce.com"),
    ]);
    assert!(
        matches!(cc, Ok(Credentials::ClientCredentials { .. })),
        "{cc:?}"
    );
}

#[test]
fn missing_several_or_malformed_name_the_variables_not_the_values() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], "no org credentials: pass --target-org ALIAS"),
        (
            &[(ACCESS_TOKEN_VAR, "00D!secret")],
            "access token needs SF_ORG_INSTANCE_URL",
        ),
        (
            &[(USERNAME_VAR, "ci@acme.com")],
            "JWT bearer needs SF_CLIENT_ID and SF_JWT_KEY_FILE",
        ),
        (
            &[(CLIENT_SECRET_VAR, "s3cret")],
            "client credentials needs SF_CLIENT_ID and SF_ORG_INSTANCE_URL",
        ),
        (
            &[
                (ACCESS_TOKEN_VAR, "00D!secret"),
                (INSTANCE_URL_VAR, "https://a.my.salesforce.com"),
                (AUTH_URL_VAR, AUTH_URL),
            ],
            "several org credential sources are set (access token, sfdx auth URL)",
        ),
        (
            &[(AUTH_URL_VAR, "https://PlatformCLI::5Aep861.refresh@host")],
            "SF_AUTH_URL is not a valid sfdx auth URL: it does not start with `force://`",
        ),
        (
            &[(AUTH_URL_VAR, "force://PlatformCLI::5Aep861.refresh@")],
            "its host is empty",
        ),
        (
            &[
                (ACCESS_TOKEN_VAR, "00D!secret"),
                (INSTANCE_URL_VAR, "http://acme.my.salesforce.com"),
            ],
            "plain http",
        ),
        (
            &[
                (CLIENT_ID_VAR, "id"),
                (USERNAME_VAR, "u"),
                (JWT_KEY_FILE_VAR, "/nonexistent/key.pem"),
            ],
            "SF_JWT_KEY_FILE names a file that cannot be read (no such file)",
        ),
    ];
    for (pairs, want) in cases {
        let message = match resolve_env(pairs) {
            Ok(c) => panic!("{pairs:?} gave {c:?}"),
            Err(message) => message,
        };
        assert!(message.contains(want), "{pairs:?}: {message}");
        for secret in ["00D!secret", "s3cret", "5Aep861.refresh"] {
            assert!(!message.contains(secret), "{message}");
        }
    }
}

#[test]
fn jwt_login_url_audience_and_key_checks() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let key = dir.path().join("key.pem");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/auth/test-key-pkcs8.pem"
    );
    std::fs::copy(fixture, &key).unwrap_or_else(|e| panic!("{e}"));
    let key_text = key.display().to_string();
    let base = [
        (CLIENT_ID_VAR, "id"),
        (USERNAME_VAR, "ci@acme.com"),
        (JWT_KEY_FILE_VAR, key_text.as_str()),
    ];
    let mut warnings = Vec::new();
    let sandbox = AuthFlags {
        sandbox: true,
        ..AuthFlags::default()
    };
    let cwd = nowhere();
    let creds = resolve(&sandbox, &env(&base), cwd.path(), &mut |w| {
        warnings.push(w.to_string())
    });
    match creds {
        Ok(Credentials::Jwt {
            login_url,
            audience,
            ..
        }) => {
            assert_eq!(login_url.as_str(), "https://test.salesforce.com/");
            assert_eq!(audience, "https://test.salesforce.com");
        }
        other => panic!("{other:?}"),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644))
            .unwrap_or_else(|e| panic!("{e}"));
        warnings.clear();
        let _ = resolve(&AuthFlags::default(), &env(&base), cwd.path(), &mut |w| {
            warnings.push(w.to_string())
        });
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("chmod 600"), "{warnings:?}");
    }
    let with_audience: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .chain([(AUDIENCE_URL_VAR, "https://acme.my.site.com/")])
        .collect();
    match resolve(
        &AuthFlags::default(),
        &env(&with_audience),
        cwd.path(),
        &mut |_| {},
    ) {
        Ok(Credentials::Jwt {
            login_url,
            audience,
            ..
        }) => {
            assert_eq!(login_url.as_str(), "https://login.salesforce.com/");
            assert_eq!(audience, "https://acme.my.site.com");
        }
        other => panic!("{other:?}"),
    }
    std::fs::write(
        &key,
        "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = resolve_in(&AuthFlags::default(), &base, cwd.path());
    assert!(
        matches!(&err, Err(m) if m.contains("is not an RSA private key")),
        "{err:?}"
    );
}

#[test]
fn the_auth_url_file_wins_and_may_be_json() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("auth.json");
    std::fs::write(
        &file,
        format!(r#"{{"status":0,"result":{{"sfdxAuthUrl":"{AUTH_URL}"}}}}"#),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let flags = AuthFlags {
        auth_url_file: Some(file),
        ..AuthFlags::default()
    };
    // The access token in the environment is ignored: the flag names the source.
    let creds = resolve_in(&flags, &[(ACCESS_TOKEN_VAR, "x")], dir.path());
    assert!(
        matches!(creds, Ok(Credentials::AuthUrl { .. })),
        "{creds:?}"
    );
    let missing = AuthFlags {
        auth_url_file: Some(dir.path().join("nope")),
        ..AuthFlags::default()
    };
    let err = resolve_in(&missing, &[], dir.path());
    assert!(
        matches!(&err, Err(m) if m.starts_with("cannot read --auth-url-file")),
        "{err:?}"
    );
}

/// Variables as `(name, value)` pairs.
type Env = Vec<(&'static str, &'static str)>;

fn target(name: &str) -> AuthFlags {
    AuthFlags {
        target_org: Some(name.to_string()),
        ..AuthFlags::default()
    }
}

fn sf_org(creds: &std::result::Result<Credentials, String>) -> Option<SfOrg> {
    match creds {
        Ok(Credentials::SfCli { org }) => Some(org.clone()),
        _ => None,
    }
}

const ACCESS: [(&str, &str); 2] = [
    (ACCESS_TOKEN_VAR, "00D!secret"),
    (INSTANCE_URL_VAR, "https://acme.my.salesforce.com"),
];

#[test]
fn target_org_alone_is_the_sf_cli_and_names_its_origin() {
    let cwd = nowhere();
    let flag = resolve_in(&target("uat"), &[], cwd.path());
    assert_eq!(
        sf_org(&flag),
        Some(SfOrg {
            target: "uat".into(),
            origin: Origin::Flag
        })
    );
    // clap fills the flag from SF_TARGET_ORG: the variable is named when it holds the value.
    let from_env = resolve_in(&target("uat"), &[(TARGET_ORG_VAR, "uat")], cwd.path());
    assert_eq!(sf_org(&from_env).map(|o| o.origin), Some(Origin::Env));
    // A half-set environment source is no source: the named org is used.
    let half = resolve_in(&target("uat"), &[(USERNAME_VAR, "ci@acme.com")], cwd.path());
    assert!(sf_org(&half).is_some(), "{half:?}");
    // Empty or blank is unset.
    let blank = resolve_in(&target("  "), &ACCESS, cwd.path());
    assert!(
        matches!(blank, Ok(Credentials::AccessToken { .. })),
        "{blank:?}"
    );
}

#[test]
fn target_org_with_another_source_is_an_error_naming_both() {
    let cwd = nowhere();
    let file = cwd.path().join("auth.txt");
    std::fs::write(
        &file,
        "force://PlatformCLI::5Aep861.refresh@test.my.salesforce.com",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let with_file = AuthFlags {
        auth_url_file: Some(file),
        ..target("uat")
    };
    let cases: Vec<(AuthFlags, Env, &str)> = vec![
        (
            with_file,
            vec![],
            "two org credential sources are given: --target-org `uat` and --auth-url-file; use one",
        ),
        (
            target("uat"),
            ACCESS.to_vec(),
            "--target-org `uat` and the access token in SF_ACCESS_TOKEN + SF_ORG_INSTANCE_URL",
        ),
        (
            target("uat"),
            vec![(AUTH_URL_VAR, AUTH_URL), (TARGET_ORG_VAR, "uat")],
            "SF_TARGET_ORG `uat` and the sfdx auth URL in SF_AUTH_URL; use one (drop SF_TARGET_ORG",
        ),
        (
            target("uat"),
            vec![
                (CLIENT_ID_VAR, "id"),
                (CLIENT_SECRET_VAR, "s3cret"),
                (INSTANCE_URL_VAR, "https://acme.my.salesforce.com"),
            ],
            "the client credentials in SF_CLIENT_ID + SF_CLIENT_SECRET + SF_ORG_INSTANCE_URL",
        ),
    ];
    for (flags, pairs, want) in cases {
        let err = resolve_in(&flags, &pairs, cwd.path());
        match err {
            Err(message) => {
                assert!(message.contains(want), "{message}");
                for secret in ["00D!secret", "s3cret", "5Aep861.refresh"] {
                    assert!(!message.contains(secret), "{message}");
                }
            }
            Ok(c) => panic!("{pairs:?} gave {c:?}"),
        }
    }
}

#[test]
fn the_configured_default_is_used_only_when_nothing_is_given() {
    let dir = nowhere();
    let home = dir.path().join("home");
    let project = dir.path().join("project");
    std::fs::create_dir_all(home.join(".sf")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(project.join(".sf")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(home.join(".sf/config.json"), r#"{"target-org":"prod"}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let home_text = home.display().to_string();
    let with_home = |extra: &[(&'static str, &'static str)]| -> Vec<(String, String)> {
        std::iter::once(("HOME".to_string(), home_text.clone()))
            .chain(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .collect()
    };
    let run = |flags: &AuthFlags, pairs: &[(String, String)], cwd: &Path| {
        let var = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        resolve(flags, &var, cwd, &mut |_| {}).map_err(|e| e.to_string())
    };

    // Nothing given: the global default.
    let global = run(&AuthFlags::default(), &with_home(&[]), &project);
    assert_eq!(
        sf_org(&global),
        Some(SfOrg {
            target: "prod".into(),
            origin: Origin::Config(home.join(".sf/config.json"))
        })
    );
    // Inside a project, its own default wins.
    std::fs::write(project.join("sfdx-project.json"), "{}").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(project.join(".sf/config.json"), r#"{"target-org":"uat"}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let local = run(&AuthFlags::default(), &with_home(&[]), &project);
    assert_eq!(sf_org(&local).map(|o| o.target), Some("uat".into()));
    // --target-org and SF_TARGET_ORG win over the default.
    let flag = run(&target("dev"), &with_home(&[]), &project);
    assert_eq!(sf_org(&flag).map(|o| o.target), Some("dev".into()));
    // Any other source wins over the default, silently.
    let access = run(&AuthFlags::default(), &with_home(&ACCESS), &project);
    assert!(
        matches!(access, Ok(Credentials::AccessToken { .. })),
        "{access:?}"
    );
    // A half-set source is an error, not a fallback to the laptop's default org.
    let half = run(
        &AuthFlags::default(),
        &with_home(&[(ACCESS_TOKEN_VAR, "00D!secret")]),
        &project,
    );
    assert!(
        matches!(&half, Err(m) if m.contains("access token needs SF_ORG_INSTANCE_URL")),
        "{half:?}"
    );
    // No default anywhere: no credentials.
    let none = run(&AuthFlags::default(), &[], dir.path());
    assert!(
        matches!(&none, Err(m) if m.starts_with("no org credentials: pass --target-org")),
        "{none:?}"
    );
}
