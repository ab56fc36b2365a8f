//! insta snapshots of every generated file, for the default settings and for every entry
//! point in deactivate mode, in the top-level `snapshots/` folder: a change to the generated
//! Apex shows up as a reviewed snapshot diff.

use crate::support;

fn snapshot_all(label: &str, flags: &[&str]) {
    let flags: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(format!("portal-disable generate {}", flags.join(" ")));
    settings.bind(|| {
        for file in support::render(&flags) {
            let name = file
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // The file exactly as written to disk, provenance marker included.
            insta::assert_snapshot!(format!("{label}__{name}"), file.contents());
        }
    });
}

#[test]
fn default_settings() {
    snapshot_all("default", &[]);
}

#[test]
fn every_entry_point_in_deactivate_mode() {
    snapshot_all(
        "deactivate_all",
        &[
            "--mode",
            "deactivate",
            "--entry-points",
            "invocable,queueable,rest,batch,trigger",
        ],
    );
}
