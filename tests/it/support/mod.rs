//! Shared helpers of the integration tests: the option matrix and rendering from flags.

#![allow(dead_code)] // each test binary uses its own subset

pub mod cli;
pub use simulator::jwt;
pub mod offboard;
pub mod sf_cli;
pub use simulator;

use std::path::Path;

use clap::Parser;
use portal_disable::apex::{self, RenderedFile};
use portal_disable::cli::{Cli, Command};
use portal_disable::settings::Settings;

/// `(name, flags)` for every line of `tests/fixtures/matrix/combinations.txt`.
pub fn combinations() -> Vec<(String, Vec<String>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/matrix/combinations.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, flags) = line.split_once(':').unwrap_or((line, ""));
            let flags = flags.split_whitespace().map(str::to_string).collect();
            (name.to_string(), flags)
        })
        .collect()
}

/// Renders what `portal-disable generate FLAGS` would write in an empty folder.
pub fn render(flags: &[String]) -> Vec<RenderedFile> {
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    render_in(empty.path(), flags)
}

/// Renders what `portal-disable generate FLAGS` would write in `root` (its
/// portal-disable.toml and sfdx-project.json apply).
pub fn render_in(root: &Path, flags: &[String]) -> Vec<RenderedFile> {
    apex::render(&settings_in(root, flags)).unwrap_or_else(|e| panic!("{flags:?}: {e}"))
}

/// The settings `portal-disable generate FLAGS` uses in an empty folder.
pub fn settings(flags: &[String]) -> Settings {
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    settings_in(empty.path(), flags)
}

/// The settings `portal-disable generate FLAGS` uses in `root`.
pub fn settings_in(root: &Path, flags: &[String]) -> Settings {
    let args = std::iter::once("portal-disable".to_string())
        .chain(std::iter::once("generate".to_string()))
        .chain(flags.iter().cloned());
    let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{flags:?}: {e}"));
    let Command::Generate(generate) = cli.command else {
        panic!("{flags:?}: not a generate command line");
    };
    portal_disable::settings::config::load(root, &generate.overrides())
        .unwrap_or_else(|e| panic!("{flags:?}: {e}"))
}

/// True for Apex source files (`.cls`, `.trigger`).
pub fn is_apex(file: &RenderedFile) -> bool {
    let path = file.path.to_string_lossy();
    path.ends_with(".cls") || path.ends_with(".trigger")
}

/// A client for the simulator's plain-HTTP endpoints, on the product's TLS provider.
pub fn http() -> reqwest::blocking::Client {
    portal_disable::http::install_tls_provider();
    reqwest::blocking::Client::new()
}
