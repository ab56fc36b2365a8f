//! Rendering speed: settings -> every generated file in memory, for the default class set and
//! for every entry point. Run with `cargo bench --bench render`.

use std::hint::black_box;

use clap::Parser;
use criterion::{Criterion, criterion_group, criterion_main};
use portal_disable::apex;
use portal_disable::cli::{Cli, Command};
use portal_disable::settings::Settings;

fn settings(flags: &[&str]) -> Settings {
    let args = ["portal-disable", "generate"].iter().chain(flags.iter());
    let Ok(cli) = Cli::try_parse_from(args) else {
        panic!("bad benchmark flags {flags:?}")
    };
    let Command::Generate(generate) = cli.command else {
        panic!("not a generate command line: {flags:?}")
    };
    let Ok(empty) = tempfile::tempdir() else {
        panic!("no temporary folder")
    };
    match portal_disable::settings::config::load(empty.path(), &generate.overrides()) {
        Ok(settings) => settings,
        Err(e) => panic!("{e}"),
    }
}

fn render(c: &mut Criterion) {
    let default = settings(&[]);
    let all = settings(&["--entry-points", "invocable,queueable,rest,batch,trigger"]);
    c.bench_function("render default class set", |b| {
        b.iter(|| apex::render(black_box(&default)))
    });
    c.bench_function("render every entry point", |b| {
        b.iter(|| apex::render(black_box(&all)))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
