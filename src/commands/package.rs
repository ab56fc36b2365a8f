//! `portal-disable package`: settings or SFDX source folders -> components -> a deploy zip (or
//! an unzipped metadata folder) with package.xml, checked against the deploy limits first.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use crate::cli::PackageArgs;
use crate::error::{Bad, Error, Result};
use crate::exit;
use crate::limits::thousands;
use crate::output;
use crate::package::{Input, Output, Packed};
use crate::settings::config;

/// The zip written when neither --output nor --output-dir is given.
const DEFAULT_OUTPUT: &str = "deploy.zip";

/// What was written, for the summary and `--json`.
struct Report {
    output: PathBuf,
    is_zip: bool,
    api_version: String,
    packed: Packed,
}

/// Runs `package` in folder `root`. With `--json`, errors are JSON on stdout too.
pub(crate) fn run(root: &Path, args: &PackageArgs) -> Result<ExitCode> {
    match package(root, args) {
        Ok(report) if args.json => {
            output::json(&report_json(&report))?;
            Ok(ExitCode::from(exit::SUCCESS))
        }
        Ok(report) => {
            print_summary(&report)?;
            Ok(ExitCode::from(exit::SUCCESS))
        }
        Err(err) if args.json => {
            output::json_error(&err, None)?;
            Ok(ExitCode::from(err.exit_code()))
        }
        Err(err) => Err(err),
    }
}

fn package(root: &Path, args: &PackageArgs) -> Result<Report> {
    if let Some(name) = &args.zip_root {
        check_zip_root(name)?;
    }
    let settings = config::load(root, &args.render.overrides())?;
    let input = if args.source_dir.is_empty() {
        Input::Generated(&settings)
    } else {
        Input::SourceDirs(&args.source_dir, settings.api_version)
    };
    let (output, is_zip) = match (&args.output_dir, &args.output) {
        (Some(dir), _) => (dir.clone(), false),
        (None, Some(file)) => (file.clone(), true),
        (None, None) => (PathBuf::from(DEFAULT_OUTPUT), true),
    };
    let dest = root.join(&output);
    let target = if is_zip {
        Output::Zip {
            dest: &dest,
            shown: &output,
            root: args.zip_root.as_deref(),
        }
    } else {
        Output::Folder {
            dest: &dest,
            shown: &output,
        }
    };
    let packed = crate::package::pack(root, input, target)?;
    Ok(Report {
        output,
        is_zip,
        api_version: settings.api_version.to_string(),
        packed,
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
        Err(Error::input(
            Bad::Usage,
            format!(
                "--zip-root `{name}` must be one folder name of letters, digits, `_`, `-` and `.`; pass a name such as unpackaged"
            ),
        ))
    }
}

fn print_summary(report: &Report) -> Result<()> {
    let packed = &report.packed;
    for warning in &packed.warnings {
        output::warning(warning);
    }
    let total: usize = packed.components.values().sum();
    let size = match packed.compressed {
        Some(zip) => format!(
            "{} bytes, {} compressed",
            thousands(packed.bytes),
            thousands(zip)
        ),
        None => format!("{} bytes", thousands(packed.bytes)),
    };
    let mut out = format!(
        "wrote {} ({}, API {}): {total} component{}, {} files, {size}\n",
        report.output.display(),
        if report.is_zip {
            "zip"
        } else {
            "metadata folder"
        },
        report.api_version,
        if total == 1 { "" } else { "s" },
        packed.files,
    );
    let width = packed
        .components
        .keys()
        .map(|k| k.name().len())
        .max()
        .unwrap_or(0);
    for (kind, count) in &packed.components {
        out.push_str(&format!("  {:<width$}  {count}\n", kind.name()));
    }
    output::stdout(&out)
}

fn report_json(report: &Report) -> serde_json::Value {
    let packed = &report.packed;
    let components: serde_json::Map<String, serde_json::Value> = packed
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
            "files": packed.files,
            "bytes": packed.bytes,
            "compressedBytes": packed.compressed,
        },
        "warnings": packed.warnings,
    })
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
