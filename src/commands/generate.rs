//! `portal-disable generate`: settings -> rendered files -> the SFDX source folder.

use std::path::Path;
use std::process::ExitCode;

use crate::apex;
use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::generate::{drift, plan, write};
use crate::output;
use crate::settings::config;

/// Runs `generate` in folder `root`.
pub(crate) fn run(root: &Path, args: &GenerateArgs) -> Result<ExitCode> {
    let settings = config::load(root, &args.overrides())?;
    let files = apex::render(&settings)?;
    let planned = plan::plan(root, &settings.output_dir, &files)?;
    let stale = plan::stale(root, &settings.output_dir, &planned)?;

    let mut out = String::new();
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
            output::stdout(&format!("{} files up to date\n", planned.len()))?;
            return Ok(ExitCode::from(exit::SUCCESS));
        }
        for diff in &diffs {
            out.push_str(diff);
        }
        out.push_str(&format!(
            "{} of {} files differ from what `portal-disable generate` writes; run it (and delete stale files) and commit the result\n",
            diffs.len(),
            planned.len() + stale.len()
        ));
        output::stdout(&out)?;
        return Ok(ExitCode::from(exit::FAILURE));
    }

    plan::refuse_conflicts(&planned, args.force)?;
    write::write_all(&planned)?;
    for file in &planned {
        let verb = match file.action {
            plan::Action::Create => "created",
            plan::Action::Update | plan::Action::Conflict(_) => "changed",
            plan::Action::Identical => "identical",
        };
        out.push_str(&format!("{verb:>9}  {}\n", file.display_path.display()));
    }
    for path in &stale {
        // Never deleted automatically: a second configuration may write into the same folder.
        out.push_str(&format!(
            "{:>9}  {} (no longer generated with these settings: delete it)\n",
            "stale",
            path.display()
        ));
    }
    output::stdout(&out)?;
    Ok(ExitCode::from(exit::SUCCESS))
}
