//! Checks of the generated Apex that no offline tool makes, for every option combination of
//! `tests/fixtures/matrix/combinations.txt`, each proven able to fail on a bad snippet:
//!
//! - `soql_fields`: every field of every SOQL query exists on its object (apex-ls does not
//!   check SOQL field names);
//! - `object_fields`: every field read or written on a standard object in Apex is standard or
//!   defined by a generated field file (apex-ls treats an object the project extends as
//!   incomplete and reports nothing on it);
//! - `visibility`: a member used from another generated class is public or global, or
//!   `@TestVisible` and used from the test class only (apex-ls 6.0.2 does not check it);
//! - `prettier_sweep`: the layout pass matches prettier for every class-name length, against
//!   hashes recorded with prettier (`tests/fixtures/prettier/`), so no Node is needed here;
//! - `scratch_org`: the logic of `scripts/scratch-org-check.sh` against a stand-in `sf` and the
//!   Metadata API simulator.

use crate::support;

mod classes;
mod object_fields;
mod prettier_sweep;
mod scratch_org;
mod scratch_org_harness;
mod sobjects;
mod soql_fields;
mod syntax;
mod visibility;

use syntax::Source;

/// One option combination, rendered and parsed.
pub struct Project {
    pub name: String,
    /// Every generated Apex file.
    pub sources: Vec<Source>,
    /// Every generated file's path (`classes/Foo.cls`, `objects/Contact/fields/X__c.field-meta.xml`).
    pub files: Vec<String>,
}

impl Project {
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }
}

/// Every combination of the matrix.
pub fn matrix() -> Vec<Project> {
    support::combinations()
        .into_iter()
        .map(|(name, flags)| {
            let rendered = support::render(&flags);
            let files = rendered
                .iter()
                .map(|f| f.path.to_string_lossy().replace('\\', "/"))
                .collect();
            let sources = rendered
                .iter()
                .filter(|f| support::is_apex(f))
                .map(|f| Source::parse(&f.path.to_string_lossy(), f.contents()))
                .collect();
            Project {
                name,
                sources,
                files,
            }
        })
        .collect()
}
