//! `generate --check`: unified diffs between the files on disk and what would be generated.

use super::plan::{Action, PlannedFile};

use std::path::PathBuf;

/// The unified diff of every planned file that differs from the disk (empty when clean).
/// A missing file diffs against nothing; a stale generated file (one the settings no longer
/// produce) diffs to nothing.
pub(crate) fn diffs(planned: &[PlannedFile], stale: &[(PathBuf, String)]) -> Vec<String> {
    let stale_diffs = stale.iter().map(|(path, content)| {
        let path = path.display().to_string();
        similar::TextDiff::from_lines(content.as_str(), "")
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), "/dev/null")
            .to_string()
    });
    planned
        .iter()
        .filter(|p| p.action != Action::Identical)
        .map(|p| {
            let path = p.display_path.display().to_string();
            let old = p.existing.as_deref().unwrap_or("");
            let old_header = if p.existing.is_some() {
                format!("a/{path}")
            } else {
                "/dev/null".to_string()
            };
            similar::TextDiff::from_lines(old, p.content.as_str())
                .unified_diff()
                .context_radius(3)
                .header(&old_header, &format!("b/{path}"))
                .to_string()
        })
        .chain(stale_diffs)
        .collect()
}
