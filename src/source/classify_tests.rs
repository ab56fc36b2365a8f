//! Classifying source files: pairs, children, refusals.

use super::*;
use crate::source::Content;

fn file(rel: &str) -> (String, SourceFile) {
    (
        rel.to_string(),
        SourceFile {
            display: rel.to_string(),
            content: Content::Memory(String::new()),
            size: 0,
        },
    )
}

fn names(files: &[&str]) -> Result<Vec<String>, String> {
    components(files.iter().map(|f| file(f)).collect())
        .map(|cs| {
            cs.iter()
                .map(|c| format!("{}:{}", c.kind, c.full_name))
                .collect()
        })
        .map_err(|e| e.to_string())
}

#[test]
fn pairs_sources_with_meta_files() {
    assert_eq!(
        names(&[
            "classes/B.cls",
            "classes/B.cls-meta.xml",
            "classes/A.cls-meta.xml",
            "classes/A.cls",
            "triggers/T.trigger",
            "triggers/T.trigger-meta.xml",
            "objects/Contact/fields/F__c.field-meta.xml",
        ]),
        Ok(vec![
            "ApexClass:A".to_string(),
            "ApexClass:B".to_string(),
            "ApexTrigger:T".to_string(),
            "CustomField:Contact.F__c".to_string(),
        ])
    );
}

#[test]
fn refuses_missing_halves_and_other_types() {
    let err = names(&["classes/A.cls"]).err().unwrap_or_default();
    assert!(
        err.starts_with("`classes/A.cls` has no `A.cls-meta.xml` beside it"),
        "{err}"
    );
    let err = names(&["triggers/T.trigger-meta.xml"])
        .err()
        .unwrap_or_default();
    assert!(
        err.starts_with("`triggers/T.trigger-meta.xml` has no `T.trigger` beside it"),
        "{err}"
    );
    let err = names(&["lwc/x/x.js"]).err().unwrap_or_default();
    assert!(
        err.starts_with("`lwc/x/x.js`: unsupported file type"),
        "{err}"
    );
    // The meta file must sit beside its source.
    assert!(names(&["classes/A.cls", "other/A.cls-meta.xml"]).is_err());
    let err = names(&["F__c.field-meta.xml"]).err().unwrap_or_default();
    assert!(err.contains("objects/<Object>/fields/"), "{err}");
}

#[test]
fn refuses_duplicates_across_folders() {
    let err = names(&["a/A.cls", "a/A.cls-meta.xml", "b/a.cls", "b/a.cls-meta.xml"])
        .err()
        .unwrap_or_default();
    assert!(err.contains("is defined twice"), "{err}");
}
