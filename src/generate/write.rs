//! Writing a plan: every file or none, through the one atomic writer (`fs::atomic`).
//!
//! Each file is staged under a random temporary name beside its target, then all are renamed
//! into place; a failure before that leaves the project as it was.

use super::plan::{Action, PlannedFile};
use crate::error::Result;
use crate::fs::atomic::FileSet;

/// Writes every planned file that is not identical already.
pub(crate) fn write_all(planned: &[PlannedFile]) -> Result<()> {
    let mut set = FileSet::default();
    for file in planned.iter().filter(|p| p.action != Action::Identical) {
        set.stage(&file.disk_path, &file.display_path, file.content.as_bytes())?;
    }
    set.commit()
}
