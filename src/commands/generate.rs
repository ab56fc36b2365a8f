//! `portal-disable generate`: settings -> rendered files -> the SFDX source folder.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::apex;
use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use crate::generate::{drift, plan, write};
use crate::settings::config;

/// Runs `generate` in folder `root`.
pub fn run(root: &Path, args: &GenerateArgs) -> Result<ExitCode> {
    let settings = config::load(root, &args.overrides())?;
    let files = apex::render(&settings)?;
    let planned = plan::plan(root, &settings.output_dir, &files)?;
    let stale = plan::stale(root, &settings.output_dir, &planned)?;

    let mut out = std::io::stdout().lock();
    if args.check {
        let stale_contents = stale
            .iter()
            .map(|path| {
                std::fs::read_to_string(root.join(path))
                    .map(|content| (path.clone(), content))
                    .map_err(|e| Error::io("read", root.join(path), e))
            })
            .collect::<Result<Vec<_>>>()?;
        let diffs = drift::diffs(&planned, &stale_contents);
        if diffs.is_empty() {
            writeln!(out, "{} files up to date", planned.len()).map_err(stdout_error)?;
            return Ok(ExitCode::SUCCESS);
        }
        for diff in &diffs {
            write!(out, "{diff}").map_err(stdout_error)?;
        }
        writeln!(
            out,
            "{} of {} files differ from what `portal-disable generate` writes; run it (and delete stale files) and commit the result",
            diffs.len(),
            planned.len() + stale.len()
        )
        .map_err(stdout_error)?;
        return Ok(ExitCode::from(1));
    }

    plan::refuse_conflicts(&planned, args.force)?;
    write::write_all(&planned)?;
    for file in &planned {
        let verb = match file.action {
            plan::Action::Create => "created",
            plan::Action::Update | plan::Action::Conflict(_) => "changed",
            plan::Action::Identical => "identical",
        };
        writeln!(out, "{verb:>9}  {}", file.display_path.display()).map_err(stdout_error)?;
    }
    for path in &stale {
        // Never deleted automatically: a second configuration may write into the same folder.
        writeln!(
            out,
            "{:>9}  {} (no longer generated with these settings: delete it)",
            "stale",
            path.display()
        )
        .map_err(stdout_error)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io("write to", "standard output", e)
}
