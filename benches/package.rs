//! Packaging speed: SFDX sources -> deterministic deploy zip, for 500 generated classes (1,000
//! files of about 4 KB) and for 4,999 small classes (9,998 files of about 100 and 170 bytes,
//! where the per-file cost is everything). The whole-process comparison with `zip -9` is
//! `scripts/bench-package.sh`. Run with `cargo bench --bench package`.

use std::path::{Path, PathBuf};

use clap::Parser;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portal_disable::apex;
use portal_disable::cli::{Cli, Command};
use portal_disable::package;

const CLASSES: usize = 500;
/// The most classes a deploy takes (their 9,998 files plus package.xml).
const SMALL_CLASSES: usize = 4_999;

/// The Apex of class `name`, the `i`-th of its case.
type ClassBody<'a> = Box<dyn Fn(&str, usize) -> String + 'a>;

fn packaging(c: &mut Criterion) {
    let Ok(settings_dir) = tempfile::tempdir() else {
        panic!("no temporary folder")
    };
    let Ok(cli) = Cli::try_parse_from(["portal-disable", "generate", "--entry-points"]) else {
        panic!("bad flags")
    };
    let Command::Generate(generate) = cli.command else {
        panic!("not generate")
    };
    let settings =
        match portal_disable::settings::config::load(settings_dir.path(), &generate.overrides()) {
            Ok(settings) => settings,
            Err(e) => panic!("{e}"),
        };
    // One generated class and its meta file, copied under other names.
    let files = match apex::render(&settings) {
        Ok(files) => files,
        Err(e) => panic!("{e}"),
    };
    let class = &files[0].body;
    let meta = &files[1].body;
    let mut group = c.benchmark_group("package");
    group.sample_size(20);
    let cases: [(&str, usize, ClassBody<'_>); 2] = [
        (
            "classes to a zip",
            CLASSES,
            Box::new(|name, _| class.replace("PortalUserDisabler", name)),
        ),
        (
            "small classes to a zip",
            SMALL_CLASSES,
            Box::new(|name, i| {
                format!(
                    "public with sharing class {name} {{\n    public static Integer value() {{\n        return {i};\n    }}\n}}\n"
                )
            }),
        ),
    ];
    for (label, count, body) in cases {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("no temporary folder")
        };
        let classes = dir.path().join("src/classes");
        if let Err(e) = std::fs::create_dir_all(&classes) {
            panic!("{e}")
        }
        let mut bytes = 0;
        for i in 0..count {
            let name = format!("Bench{i:05}");
            let body = body(&name, i);
            bytes += body.len() + meta.len();
            let written = std::fs::write(classes.join(format!("{name}.cls")), body)
                .and_then(|()| std::fs::write(classes.join(format!("{name}.cls-meta.xml")), meta));
            if let Err(e) = written {
                panic!("{e}")
            }
        }
        let sources = [PathBuf::from("src")];
        let dest = dir.path().join("deploy.zip");
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{count} {label}"), |b| {
            b.iter(|| {
                let zipped = package::pack(
                    dir.path(),
                    package::Input::SourceDirs(&sources, settings.api_version),
                    package::Output::Zip {
                        dest: &dest,
                        shown: Path::new("deploy.zip"),
                        root: None,
                    },
                );
                if let Err(e) = zipped {
                    panic!("{e}")
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, packaging);
criterion_main!(benches);
