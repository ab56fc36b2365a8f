//! The README's lists that the code declares: they must say what the tables say.

use portal_disable::settings::EntryPoint;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("reading README.md")
}

/// The `[entry_points]` block of the configuration reference lists every row of the
/// entry-point table, with its default and its summary, and nothing else.
#[test]
fn the_configuration_reference_lists_every_entry_point() {
    let text = readme();
    let block: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "[entry_points]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    let listed: Vec<(String, String, String)> = block
        .iter()
        .map(|line| {
            let (setting, summary) = line.split_once('#').unwrap_or((line, ""));
            let (key, on) = setting.split_once('=').unwrap_or((setting, ""));
            (
                key.trim().to_string(),
                on.trim().to_string(),
                summary.trim().to_string(),
            )
        })
        .collect();
    let table: Vec<(String, String, String)> = EntryPoint::ALL
        .iter()
        .map(|point| {
            let spec = point.spec();
            (
                spec.key.to_string(),
                spec.on_by_default.to_string(),
                spec.summary.to_string(),
            )
        })
        .collect();
    assert_eq!(listed, table);
}

/// Every `[classes]` key the README shows is one the configuration takes.
#[test]
fn the_configuration_reference_names_every_class_key() {
    let text = readme();
    let keys: Vec<String> = text
        .lines()
        .skip_while(|l| *l != "[classes]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| {
            let l = l.trim_start_matches('#').trim();
            l.split_once(" = ").map(|(k, _)| k.trim().to_string())
        })
        .collect();
    let mut want = vec!["prefix".to_string(), "core".to_string(), "test".to_string()];
    want.extend(EntryPoint::ALL.iter().map(|p| p.key().to_string()));
    assert_eq!(keys, want);
}
