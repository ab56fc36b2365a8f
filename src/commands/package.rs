//! `portal-disable package`: settings or SFDX source folders -> components -> a deploy zip (or
//! an unzipped metadata folder) with package.xml, checked against the deploy limits first.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use crate::cli::PackageArgs;
use crate::commands::generate::load_render_settings;
use crate::error::{Error, Result};
use crate::package::limits::{self, thousands};
use crate::package::{folder, layout, manifest, zip};
use crate::source::ComponentType;

/// The zip written when neither --output nor --output-dir is given.
const DEFAULT_OUTPUT: &str = "deploy.zip";

/// What was written, for the summary and `--json`.
struct Report {
    output: PathBuf,
    is_zip: bool,
    api_version: String,
    components: BTreeMap<ComponentType, usize>,
    files: usize,
    bytes: u64,
    compressed: Option<u64>,
    warnings: Vec<String>,
}

/// Runs `package` in folder `root`. With `--json`, errors are JSON on stdout too.
pub fn run(root: &Path, args: &PackageArgs) -> Result<ExitCode> {
    match package(root, args) {
        Ok(report) if args.json => {
            print_json(&report_json(&report))?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(report) => {
            print_summary(&report)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(err) if args.json => {
            print_json(&error_json(&err))?;
            Ok(ExitCode::from(err.exit_code()))
        }
        Err(err) => Err(err),
    }
}

fn package(root: &Path, args: &PackageArgs) -> Result<Report> {
    if let Some(name) = &args.zip_root {
        check_zip_root(name)?;
    }
    let settings = load_render_settings(root, &args.render, None)?;
    let components = crate::package::components(root, &settings, &args.source_dir)?;
    let manifest = manifest::render(&components, settings.api_version)?;
    let entries = layout::entries(&components, manifest)?;
    let uncompressed: u64 = entries.iter().map(|e| e.size).sum();
    let mut warnings = limits::preflight(entries.len() as u64, uncompressed)?;

    let (output, is_zip) = match (&args.output_dir, &args.output) {
        (Some(dir), _) => (dir.clone(), false),
        (None, Some(file)) => (file.clone(), true),
        (None, None) => (PathBuf::from(DEFAULT_OUTPUT), true),
    };
    let dest = root.join(&output);
    let (bytes, compressed) = if is_zip {
        let size = zip::write(&dest, &output, &entries, args.zip_root.as_deref())?;
        warnings.extend(limits::compressed_warning(size));
        (uncompressed, Some(size))
    } else {
        (folder::write(&dest, &output, &entries)?, None)
    };
    Ok(Report {
        output,
        is_zip,
        api_version: settings.api_version.to_string(),
        components: manifest::counts(&components),
        files: entries.len(),
        bytes,
        compressed,
        warnings,
    })
}

/// The folder name inside the zip becomes every entry's first path segment: keep it one
/// plain segment.
fn check_zip_root(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "--zip-root `{name}` must be one folder name of letters, digits, `_`, `-` and `.`; pass a name such as unpackaged"
        )))
    }
}

fn print_summary(report: &Report) -> Result<()> {
    for warning in &report.warnings {
        eprintln!("portal-disable: warning: {warning}");
    }
    let mut out = std::io::stdout().lock();
    let total: usize = report.components.values().sum();
    let size = match report.compressed {
        Some(zip) => format!(
            "{} bytes, {} compressed",
            thousands(report.bytes),
            thousands(zip)
        ),
        None => format!("{} bytes", thousands(report.bytes)),
    };
    writeln!(
        out,
        "wrote {} ({}, API {}): {total} component{}, {} files, {size}",
        report.output.display(),
        if report.is_zip {
            "zip"
        } else {
            "metadata folder"
        },
        report.api_version,
        if total == 1 { "" } else { "s" },
        report.files,
    )
    .map_err(stdout_error)?;
    let width = report
        .components
        .keys()
        .map(|k| k.name().len())
        .max()
        .unwrap_or(0);
    for (kind, count) in &report.components {
        writeln!(out, "  {:<width$}  {count}", kind.name()).map_err(stdout_error)?;
    }
    Ok(())
}

fn report_json(report: &Report) -> serde_json::Value {
    let components: serde_json::Map<String, serde_json::Value> = report
        .components
        .iter()
        .map(|(k, v)| (k.name().to_string(), json!(v)))
        .collect();
    json!({
        "status": 0,
        "result": {
            "output": report.output.to_string_lossy(),
            "format": if report.is_zip { "zip" } else { "folder" },
            "apiVersion": report.api_version,
            "components": components,
            "files": report.files,
            "bytes": report.bytes,
            "compressedBytes": report.compressed,
        },
        "warnings": report.warnings,
    })
}

fn error_json(err: &Error) -> serde_json::Value {
    json!({
        "status": err.exit_code(),
        "error": { "name": err.name(), "message": err.to_string() },
    })
}

/// One JSON document on stdout, and nothing else there.
pub fn print_json(value: &serde_json::Value) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{value}").map_err(stdout_error)
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io("write to", "standard output", e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_root_is_one_plain_segment() {
        assert!(check_zip_root("unpackaged").is_ok());
        assert!(check_zip_root("my-app_1.0").is_ok());
        for bad in ["", ".", "..", "a/b", "a b", "../x"] {
            assert!(check_zip_root(bad).is_err(), "{bad:?}");
        }
    }
}
