//! The zip's bytes: the same as the zip crate writes for the same options (the writer this one
//! replaced, so zips keep their hashes), the same with any number of threads, and readable.

use std::io::{Read, Write};
use std::path::Path;

use zip::write::{SimpleFileOptions, ZipFileBuilder, ZipWriter};
use zip::{CompressionMethod, DateTime};

use super::{pipeline, write_with};
use crate::package::layout::{Data, Entry};
use crate::source::{Content, SourceFile};

/// Text of `len` bytes that compresses somewhat, different for each `seed`.
fn text(len: usize, seed: u64) -> String {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let words = [
        "Contact",
        "User",
        "IsPortalEnabled",
        " = ",
        "false;\n",
        "{",
        "}",
        "  ",
    ];
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let word = words[(state >> 33) as usize % words.len()];
        out.push_str(word);
        if state >> 60 == 0 {
            out.push_str(&format!("{}", state >> 40));
        }
    }
    out.truncate(len);
    out
}

fn files(sizes: &[usize]) -> Vec<SourceFile> {
    sizes
        .iter()
        .enumerate()
        .map(|(i, &len)| SourceFile {
            display: format!("src/f{i}"),
            content: Content::Memory(text(len, i as u64)),
            size: len as u64,
        })
        .collect()
}

fn entries(files: &[SourceFile]) -> Vec<Entry<'_>> {
    files
        .iter()
        .enumerate()
        .map(|(i, file)| Entry {
            // One non-ASCII name: flagged UTF-8.
            name: if i == 3 {
                format!("classes/Ünïcödé{i}.cls")
            } else {
                format!("classes/C{i:05}.cls")
            },
            size: file.size,
            data: Data::File(file),
        })
        .collect()
}

/// The zip as the zip crate (9.8) writes it with this module's options: small entries
/// through `ZipFileBuilder`, large ones streamed with `start_file`.
fn zip_crate_bytes(entries: &[Entry<'_>], root: Option<&str>) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for entry in entries {
        let name = match root {
            Some(root) => format!("{root}/{}", entry.name),
            None => entry.name.clone(),
        };
        let mut bytes = Vec::new();
        entry
            .write_to(&mut bytes, Path::new("x"))
            .unwrap_or_else(|e| panic!("{e}"));
        if entry.size <= pipeline::IN_MEMORY_MAX {
            let mut builder = ZipFileBuilder::new(&name, options).unwrap_or_else(|e| panic!("{e}"));
            builder.write_all(&bytes).unwrap_or_else(|e| panic!("{e}"));
            let prepared = builder.finish().unwrap_or_else(|e| panic!("{e}"));
            zip.add_prepared_file(prepared)
                .unwrap_or_else(|e| panic!("{e}"));
        } else {
            zip.start_file(name.as_str(), options)
                .unwrap_or_else(|e| panic!("{e}"));
            for chunk in bytes.chunks(64 * 1024) {
                zip.write_all(chunk).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

fn ours(entries: &[Entry<'_>], root: Option<&str>, workers: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dest = dir.path().join("deploy.zip");
    let size = write_with(&dest, Path::new("deploy.zip"), entries, root, workers)
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = std::fs::read(&dest).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(size, bytes.len() as u64);
    bytes
}

#[test]
fn the_bytes_are_the_zip_crates_with_one_thread_or_several() {
    // Empty, tiny, a few KiB, incompressible-ish, and two over 1 MiB (streamed), among many
    // small ones so the threads take turns.
    let mut sizes = vec![0, 1, 100, 150, 4_000, 70_000, 1_500_000, 12, 2_200_000];
    sizes.extend((0..40).map(|i| 50 + i * 7));
    let files = files(&sizes);
    let entries = entries(&files);
    for root in [None, Some("unpackaged")] {
        let expected = zip_crate_bytes(&entries, root);
        for workers in [1, 2, 3] {
            let got = ours(&entries, root, workers);
            let first_difference = got.iter().zip(&expected).position(|(a, b)| a != b);
            assert!(
                got == expected,
                "{workers} workers, root {root:?}: not the zip crate's bytes ({} against {} bytes, first difference at {first_difference:?})",
                got.len(),
                expected.len()
            );
        }
    }
}

#[test]
fn what_is_written_reads_back() {
    let files = files(&[10, 0, 300, 1_200_000, 5]);
    let entries = entries(&files);
    let bytes = ours(&entries, None, 2);
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(archive.len(), entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let mut file = archive.by_index(i).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.name().unwrap_or_else(|e| panic!("{e}")), entry.name);
        assert_eq!(file.unix_mode(), Some(0o100_644));
        let mut content = String::new();
        file.read_to_string(&mut content)
            .unwrap_or_else(|e| panic!("{e}"));
        let Content::Memory(expected) = &files[i].content else {
            panic!("in memory")
        };
        assert_eq!(&content, expected, "{}", entry.name);
    }
}

#[test]
fn a_file_that_cannot_be_read_fails_with_its_path_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut files = files(&[10; 40]);
    files[25].content = Content::Disk(dir.path().join("gone.cls"));
    let entries = entries(&files);
    let dest = dir.path().join("deploy.zip");
    for workers in [1, 2] {
        let err = write_with(&dest, Path::new("deploy.zip"), &entries, None, workers)
            .err()
            .unwrap_or_else(|| panic!("no error"));
        assert!(err.to_string().contains("gone.cls"), "{err}");
        assert!(!dest.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
