//! Shared helpers of the integration tests: the option matrix and rendering from flags.

#![allow(dead_code)] // each test binary uses its own subset

pub mod cli;
pub mod jwt;
pub mod simulator;

use std::path::Path;

use clap::Parser;
use portal_disable::apex::{self, RenderedFile};
use portal_disable::cli::{Cli, Command};
use portal_disable::commands::generate::load_settings;

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
    let args = std::iter::once("portal-disable".to_string())
        .chain(std::iter::once("generate".to_string()))
        .chain(flags.iter().cloned());
    let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{flags:?}: {e}"));
    let Command::Generate(generate) = cli.command else {
        panic!("{flags:?}: not a generate command line");
    };
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let settings = load_settings(empty.path(), &generate.settings)
        .unwrap_or_else(|e| panic!("{flags:?}: {e}"));
    apex::render(&settings).unwrap_or_else(|e| panic!("{flags:?}: {e}"))
}

/// True for Apex source files (`.cls`, `.trigger`).
pub fn is_apex(file: &RenderedFile) -> bool {
    let path = file.path.to_string_lossy();
    path.ends_with(".cls") || path.ends_with(".trigger")
}

/// A client for the simulator's plain-HTTP endpoints, built as the product builds its own.
pub fn http() -> reqwest::blocking::Client {
    portal_disable::http::client_builder()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}
