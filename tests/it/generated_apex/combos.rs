//! The option matrix as the structural checks see it: each combination rendered, with the
//! settings that named its classes.

use portal_disable::apex::RenderedFile;
use portal_disable::settings::Settings;

use crate::support;

/// One combination of the matrix, rendered, with the settings that named its classes.
pub struct Combo {
    pub name: String,
    pub settings: Settings,
    pub files: Vec<RenderedFile>,
}

impl Combo {
    /// The source of `classes/{class}.cls`, when generated.
    pub fn class(&self, class: &str) -> Option<&str> {
        let path = format!("classes/{class}.cls");
        self.files
            .iter()
            .find(|f| f.path.to_string_lossy() == path)
            .map(|f| f.body.as_str())
    }

    /// Every generated class except the test class, as (name, source).
    pub fn classes(&self) -> Vec<(String, &str)> {
        self.files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "cls"))
            .filter_map(|f| {
                let stem = f.path.file_stem()?.to_string_lossy().into_owned();
                (stem != self.settings.names.test).then_some((stem, f.body.as_str()))
            })
            .collect()
    }
}

/// Every combination of the matrix.
pub fn combos() -> Vec<Combo> {
    support::combinations()
        .into_iter()
        .map(|(name, flags)| Combo {
            settings: support::settings(&flags),
            files: support::render(&flags),
            name,
        })
        .collect()
}
