//! The prettier layout pass (`src/apex/layout.rs`), proven without Node. The templates are
//! laid out for the default class names and the pass re-fits the lines whose length depends on
//! the names; `scripts/apex-gate/name-length-sweep.sh --record` ran prettier-plugin-apex over
//! the generated Apex at 80 sweep points (every prefix length 1 to 26, every core class name
//! length 27 to 40, both modes, every entry point) and wrote, per point, its flags and the
//! sha256 of prettier's formatting into `tests/fixtures/prettier/sweep.tsv`. Here each point is
//! rendered in process: our output must hash exactly as prettier's did, so it is what prettier
//! prints. A template change makes this fail until the fixture is re-recorded (with Node).

use ring::digest::{SHA256, digest};

use crate::support;

/// One line of the fixture.
struct Point {
    name: String,
    flags: Vec<String>,
    /// `[classes] core` of portal-disable.toml, when the point sets it.
    core: Option<String>,
    sha256: String,
}

fn points() -> Vec<Point> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prettier/sweep.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let [name, flags, core, sha256] = columns.as_slice() else {
                panic!("{}: not 4 tab-separated columns: {line}", path.display());
            };
            Point {
                name: name.to_string(),
                flags: flags.split_whitespace().map(str::to_string).collect(),
                core: (*core != "-").then(|| core.to_string()),
                sha256: sha256.to_string(),
            }
        })
        .collect()
}

/// What `generate` writes for a point: (path in the source folder, bytes), Apex files only.
fn render(point: &Point) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    if let Some(core) = &point.core {
        let config = format!("[classes]\ncore = \"{core}\"\n");
        std::fs::write(dir.path().join("portal-disable.toml"), config)
            .unwrap_or_else(|e| panic!("{}: {e}", point.name));
    }
    support::render_in(dir.path(), &point.flags)
        .into_iter()
        .filter(support::is_apex)
        .map(|file| {
            let path = file.path.to_string_lossy().replace('\\', "/");
            (path, file.contents().to_string())
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sweep script's hash of a point: sha256 over `<path> <sha256 of the file>\n` lines, in
/// byte order of the paths.
fn point_hash(files: &[(String, String)]) -> String {
    let mut files: Vec<&(String, String)> = files.iter().collect();
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let listing: String = files
        .iter()
        .map(|(path, bytes)| {
            format!(
                "{path} {}\n",
                hex(digest(&SHA256, bytes.as_bytes()).as_ref())
            )
        })
        .collect();
    hex(digest(&SHA256, listing.as_bytes()).as_ref())
}

#[test]
fn every_sweep_point_renders_what_prettier_printed() {
    let points = points();
    // (26 prefix lengths + 14 core name lengths) x 2 modes, as name-length-sweep.sh defines.
    assert_eq!(points.len(), 80, "the fixture lost sweep points");
    let stale: Vec<String> = points
        .iter()
        .filter(|p| point_hash(&render(p)) != p.sha256)
        .map(|p| {
            format!(
                "  {} (generate {}{})",
                p.name,
                p.flags.join(" "),
                p.core
                    .as_ref()
                    .map(|c| format!(", core {c}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{} of {} sweep points render Apex other than what prettier printed when tests/fixtures/prettier/sweep.tsv was recorded:\n{}\n\
         The generated Apex changed (templates or src/apex/layout.rs). With Node, run\n  bash scripts/apex-gate/name-length-sweep.sh --record target/apex-name-sweep\n\
         which fails if prettier disagrees with the layout, and commit the fixture.",
        stale.len(),
        points.len(),
        stale.join("\n")
    );
}

#[test]
fn the_point_hash_is_the_sweep_scripts_and_changes_with_any_byte() {
    let files = vec![
        ("classes/A.cls".to_string(), "a\n".to_string()),
        ("triggers/T.trigger".to_string(), "t\n".to_string()),
    ];
    let reversed: Vec<(String, String)> = files.iter().rev().cloned().collect();
    assert_eq!(point_hash(&files), point_hash(&reversed));
    let mut changed = files.clone();
    changed[1].1.push(' ');
    assert_ne!(point_hash(&files), point_hash(&changed));
    // What the sweep script's shell pipeline gives for these two files (computed with
    // find | LC_ALL=C sort | sha256sum, as in name-length-sweep.sh).
    assert_eq!(
        point_hash(&files),
        "72853cdf34ba31f18cb5955231454cf69eb76a16303c70998b76fd11f4eab91f"
    );
}
