//! Settings from config text and flags: precedence, defaults, and one-line errors.

use super::*;

fn file(toml: &str) -> std::result::Result<ConfigFile, String> {
    ConfigFile::parse(toml.to_string(), FILE_NAME.to_string()).map_err(|e| e.to_string())
}

fn settings(toml: &str, flags: &Overrides) -> std::result::Result<Settings, String> {
    file(toml)?.resolve(None, flags).map_err(|e| e.to_string())
}

#[test]
fn defaults_without_any_input() {
    let s = settings("", &Overrides::default());
    let Ok(s) = s else { panic!("{s:?}") };
    assert_eq!(s.api_version, api_version::NEWEST);
    assert_eq!(s.mode, Mode::Disable);
    assert_eq!(s.sharing, Sharing::With);
    assert_eq!(s.output_dir, PathBuf::from("force-app/main/default"));
    assert_eq!(s.names, ClassNames::from_prefix(DEFAULT_PREFIX));
    assert_eq!(s.entry_points, EntryPoints::default());
}

#[test]
fn flags_beat_the_file_and_the_file_beats_the_project() {
    let project = SfdxProject {
        default_package_dir: Some(PathBuf::from("app")),
        source_api_version: Some("60.0".into()),
    };
    let Ok(config) = file("api_version = \"62.0\"\nmode = \"deactivate\"\n") else {
        panic!()
    };
    let from_file = config.resolve(Some(&project), &Overrides::default());
    let Ok(from_file) = from_file else { panic!() };
    assert_eq!(from_file.api_version.to_string(), "62.0");
    assert_eq!(from_file.mode, Mode::Deactivate);
    assert_eq!(from_file.output_dir, PathBuf::from("app/main/default"));

    let flags = Overrides {
        api_version: "64.0".parse().ok(),
        mode: Some(Mode::Disable),
        ..Overrides::default()
    };
    let from_flags = config.resolve(Some(&project), &flags);
    let Ok(from_flags) = from_flags else { panic!() };
    assert_eq!(from_flags.api_version.to_string(), "64.0");
    assert_eq!(from_flags.mode, Mode::Disable);

    let only_project = ConfigFile::default().resolve(Some(&project), &Overrides::default());
    assert_eq!(
        only_project.map(|s| s.api_version.to_string()).ok(),
        Some("60.0".to_string())
    );
}

#[test]
fn unknown_keys_name_their_line() {
    let err = settings(
        "mode = \"disable\"\ncolour = \"red\"\n",
        &Overrides::default(),
    );
    let Err(err) = err else { panic!() };
    assert!(
        err.starts_with("portal-disable.toml:2:1: unknown field `colour`"),
        "{err}"
    );
    assert!(!err.contains('\n'), "{err}");
    for (toml, want) in [
        (
            "[classes]\nquueable = \"Q\"\n",
            "portal-disable.toml:2:1: unknown field `quueable` in [classes]",
        ),
        (
            "\n[entry_points]\nsoap = true",
            "portal-disable.toml:3:1: unknown entry point `soap`",
        ),
    ] {
        let err = settings(toml, &Overrides::default())
            .err()
            .unwrap_or_default();
        assert!(err.starts_with(want), "{toml}: {err}");
    }
}

#[test]
fn bad_values_are_one_line_with_the_fix() {
    let cases = [
        (
            "mode = \"delete\"",
            "portal-disable.toml:1:8: unknown variant `delete`",
        ),
        (
            "api_version = \"56.0\"",
            "API version `56.0` (api_version in portal-disable.toml) is older than 57.0",
        ),
        (
            "api_version = \"62\"",
            "API version `62` (api_version in portal-disable.toml) must look like `68.0`",
        ),
        (
            "[classes]\nprefix = \"1Bad\"",
            "core class name `1Bad` must start with a letter",
        ),
        (
            "[classes]\ncore = \"Trigger\"",
            "core class name `Trigger` is a reserved Apex keyword; change [classes] core",
        ),
        (
            "[classes]\ntest = \"PortalUserDisabler\"",
            "test and core would both be named `PortalUserDisabler`",
        ),
        ("[entry_points]\nsoap = true", "unknown entry point `soap`"),
        (
            "[entry_points]\ntrigger = true\nqueueable = false",
            "entry point `trigger` needs `queueable`",
        ),
        (
            "[trigger]\nfield = \"Disable\"",
            "trigger field `Disable` must be a custom field API name ending in `__c`",
        ),
        (
            "output_dir = \"../elsewhere\"",
            "portal-disable.toml:1:14: output_dir `../elsewhere` must be a folder inside the project",
        ),
    ];
    for (toml, want) in cases {
        let err = settings(toml, &Overrides::default());
        let Err(err) = err else {
            panic!("{toml} was accepted")
        };
        assert!(err.contains(want), "{toml}: {err}");
        assert!(!err.contains('\n'), "{err}");
    }
}

#[test]
fn the_output_dir_flag_may_point_anywhere() {
    let flags = Overrides {
        output_dir: Some(std::env::temp_dir().join("elsewhere")),
        ..Overrides::default()
    };
    assert_eq!(
        settings("", &flags).map(|s| s.output_dir),
        Ok(std::env::temp_dir().join("elsewhere"))
    );
}

#[test]
fn a_long_prefix_is_blamed_on_the_prefix() {
    let flags = Overrides {
        prefix: Some("A".repeat(35)),
        ..Overrides::default()
    };
    let err = settings("", &flags);
    let Err(err) = err else { panic!() };
    assert!(err.contains("invocable class name"), "{err}");
    assert!(
        err.contains("choose a shorter or different prefix"),
        "{err}"
    );
}

#[test]
fn names_of_entry_points_not_generated_are_not_checked() {
    let flags = Overrides {
        prefix: Some("A".repeat(36)),
        entry_points: Some(vec![]),
        ..Overrides::default()
    };
    assert!(settings("", &flags).is_ok());
}

#[test]
fn deploy_defaults_are_read_and_checked() {
    let defaults =
        |toml: &str| file(toml).and_then(|f| f.deploy_defaults().map_err(|e| e.to_string()));
    assert_eq!(defaults(""), Ok(DeployDefaults::default()));
    assert_eq!(
        defaults("[deploy]\ntest_level = \"RunLocalTests\"\nwait = 60\n"),
        Ok(DeployDefaults {
            test_level: Some(TestLevel::RunLocalTests),
            tests: Vec::new(),
            wait: Some(60),
        })
    );
    for (toml, want) in [
        (
            "[deploy]\ntest_level = \"Everything\"\n",
            "portal-disable.toml:2:14: [deploy] test_level `Everything` is not a test level",
        ),
        (
            "[deploy]\ntests = [\"1Bad\"]\n",
            "class name `1Bad` must start with a letter",
        ),
        ("[deploy]\nwait = 20000\n", "more than a week"),
        ("[deploy]\nwaiting = 1\n", "unknown field `waiting`"),
    ] {
        let err = defaults(toml);
        assert!(
            matches!(&err, Err(m) if m.contains(want)),
            "{toml}: {err:?}"
        );
    }
}

#[test]
fn positions_count_from_one() {
    assert_eq!(position("f", "ab\ncd", 0), "f:1:1");
    assert_eq!(position("f", "ab\ncd", 4), "f:2:2");
}
