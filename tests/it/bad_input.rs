//! Bad input across every command, as one table: each case exits 2 with one line on stderr
//! naming the problem, writes nothing in the project folder, and sends no request (the
//! simulator's log stays empty, and the credentials point at it).
//!
//! Cases already checked elsewhere are not repeated: class-name rules, API versions and
//! config types of `generate` (`generate_cli.rs`), package limits and refused files of
//! `package` (`package_cli.rs`), malformed credentials (`auth_cli.rs`), and deploy flags and
//! job ids (`deploy_cli.rs`).

use crate::support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use support::cli::{Project, bin, run};
use support::simulator::{Scenario, Simulator};

const JOB: &str = "0Af000000000001AAA";

/// What a case puts in the project folder before running.
enum Setup {
    File(&'static str, &'static str),
    Dir(&'static str),
    /// A Metadata API zip with a package.xml and this many classes.
    Zip(&'static str, usize),
}

struct Case {
    /// What kind of input is bad, and how.
    name: &'static str,
    setup: &'static [Setup],
    /// Environment changes: None removes the variable.
    env: &'static [(&'static str, Option<&'static str>)],
    args: &'static [&'static str],
    expected: &'static str,
}

const CASES: &[Case] = &[
    // Names
    Case {
        name: "names: an empty prefix",
        setup: &[],
        env: &[],
        args: &["generate", "--prefix", ""],
        expected: "core class name `` is empty",
    },
    Case {
        name: "names: a test class with a space",
        setup: &[],
        env: &[],
        args: &["deploy", "--zip", "deploy.zip", "--tests", "A B"],
        expected: "--tests `A B` is not a class name",
    },
    Case {
        name: "names: an empty test class",
        setup: &[],
        env: &[],
        args: &["deploy", "--zip", "deploy.zip", "--tests", ""],
        expected: "--tests `` is not a class name",
    },
    // Versions
    Case {
        name: "versions: report",
        setup: &[],
        env: &[],
        args: &["report", JOB, "--api-version", "62"],
        expected: "API version `62` must look like `68.0`",
    },
    Case {
        name: "versions: cancel",
        setup: &[],
        env: &[],
        args: &["cancel", JOB, "--api-version", "x"],
        expected: "API version `x` must look like `68.0`",
    },
    Case {
        name: "versions: quick-deploy",
        setup: &[],
        env: &[],
        args: &["quick-deploy", JOB, "--api-version", "99"],
        expected: "API version `99` must look like `68.0`",
    },
    Case {
        name: "versions: package",
        setup: &[Setup::File("src/classes/A.cls", "public class A {}\n")],
        env: &[],
        args: &["package", "--source-dir", "src", "--api-version", "62"],
        expected: "invalid value '62' for '--api-version': API version `62` must look like `68.0`",
    },
    // Config keys and types, in the commands that read the config besides generate
    Case {
        name: "config: an unknown key stops deploy",
        setup: &[Setup::File("portal-disable.toml", "clases = 1\n")],
        env: &[],
        args: &["deploy"],
        expected: "portal-disable.toml:1:1: unknown field `clases`",
    },
    Case {
        name: "config: a wrong type stops package",
        setup: &[Setup::File("portal-disable.toml", "mode = 5\n")],
        env: &[],
        args: &["package", "--output", "out.zip"],
        expected: "portal-disable.toml:1:8:",
    },
    // Paths
    Case {
        name: "paths: a file where the output folder goes",
        setup: &[Setup::File("out", "not a folder\n")],
        env: &[],
        args: &["generate", "--output-dir", "out/apex"],
        expected: "`out` is a file where a folder must be",
    },
    Case {
        name: "paths: --metadata-dir is a file",
        setup: &[],
        env: &[],
        args: &["deploy", "--metadata-dir", "deploy.zip"],
        expected: "--metadata-dir `deploy.zip` is not a folder",
    },
    Case {
        name: "paths: --source-dir does not exist",
        setup: &[],
        env: &[],
        args: &["package", "--source-dir", "nowhere"],
        expected: "source folder `nowhere` does not exist",
    },
    // Credentials
    Case {
        name: "credentials: none",
        setup: &[],
        env: &[("SF_ACCESS_TOKEN", None)],
        args: &["report", JOB],
        expected: "no org credentials",
    },
    Case {
        name: "credentials: a token without its instance",
        setup: &[],
        env: &[("SF_ORG_INSTANCE_URL", None)],
        args: &["cancel", JOB],
        expected: "incomplete org credentials",
    },
    // URLs
    Case {
        name: "URLs: not a URL",
        setup: &[],
        env: &[("SF_ORG_INSTANCE_URL", Some("notaurl"))],
        args: &["quick-deploy", JOB],
        expected: "SF_ORG_INSTANCE_URL is not a URL",
    },
    Case {
        name: "URLs: not https",
        setup: &[],
        env: &[("SF_ORG_INSTANCE_URL", Some("ftp://acme.my.salesforce.com"))],
        args: &["report", JOB],
        expected: "has scheme `ftp`; use https://",
    },
    // Zip limits
    Case {
        name: "zip limits: more files than a deploy takes",
        setup: &[Setup::Zip("big.zip", 10_001)],
        env: &[],
        args: &["deploy", "--zip", "big.zip"],
        expected: "a deploy takes at most 10000",
    },
    // Unsupported files
    Case {
        name: "unsupported files: deploy --source-dir",
        setup: &[
            Setup::File("src/classes/A.cls", "public class A {}\n"),
            Setup::File("src/classes/notes.txt", "todo\n"),
        ],
        env: &[],
        args: &["deploy", "--source-dir", "src"],
        expected: "`src/classes/notes.txt`: unsupported file type",
    },
    // Conflicting flags
    Case {
        name: "conflicting flags: --zip and --metadata-dir",
        setup: &[],
        env: &[],
        args: &["deploy", "--zip", "deploy.zip", "--metadata-dir", "mdapi"],
        expected: "'--zip' cannot be used with '--metadata-dir'",
    },
    Case {
        name: "conflicting flags: --zip and --source-dir",
        setup: &[],
        env: &[],
        args: &["deploy", "--zip", "deploy.zip", "--source-dir", "mdapi"],
        expected: "'--zip' cannot be used with '--source-dir'",
    },
    Case {
        name: "conflicting flags: package --output and --output-dir",
        setup: &[],
        env: &[],
        args: &["package", "--output", "x.zip", "--output-dir", "y"],
        expected: "'--output' cannot be used with '--output-dir'",
    },
    Case {
        name: "conflicting flags: quick-deploy --async and --wait",
        setup: &[],
        env: &[],
        args: &["quick-deploy", JOB, "--async", "--wait", "3"],
        expected: "cannot be used with",
    },
    Case {
        name: "conflicting flags: a --wait beyond a week",
        setup: &[],
        env: &[],
        args: &["report", JOB, "--wait", "20000"],
        expected: "20000 is not in 0..=10080",
    },
    // Empty input
    Case {
        name: "empty input: an empty zip file",
        setup: &[Setup::File("empty.zip", "")],
        env: &[],
        args: &["deploy", "--zip", "empty.zip"],
        expected: "is not a readable zip",
    },
    Case {
        name: "empty input: an empty --source-dir for deploy",
        setup: &[Setup::Dir("empty")],
        env: &[],
        args: &["deploy", "--source-dir", "empty"],
        expected: "no files to package in `empty`",
    },
    Case {
        name: "empty input: an empty --source-dir for package",
        setup: &[Setup::Dir("empty")],
        env: &[],
        args: &["package", "--source-dir", "empty"],
        expected: "no files to package in `empty`",
    },
    Case {
        name: "empty input: an empty --metadata-dir",
        setup: &[Setup::Dir("empty")],
        env: &[],
        args: &["deploy", "--metadata-dir", "empty"],
        expected: "has no package.xml",
    },
    Case {
        name: "empty input: an empty job id",
        setup: &[],
        env: &[],
        args: &["report", ""],
        expected: "job id `` is not a deploy job id",
    },
    // Credentials that would leak or never end (issue: hardening)
    Case {
        name: "credentials: a PEM key in SF_JWT_KEY_FILE instead of its path",
        setup: &[],
        env: &[
            ("SF_ACCESS_TOKEN", None),
            ("SF_ORG_INSTANCE_URL", None),
            ("SF_CLIENT_ID", Some("3MVG9id")),
            ("SF_USERNAME", Some("ci@acme.example")),
            (
                "SF_JWT_KEY_FILE",
                Some(
                    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
                ),
            ),
        ],
        args: &["report", JOB],
        expected: "SF_JWT_KEY_FILE holds a PEM key itself, not the path of a key file",
    },
    Case {
        name: "credentials: a key file that never ends",
        setup: &[],
        env: &[
            ("SF_ACCESS_TOKEN", None),
            ("SF_ORG_INSTANCE_URL", None),
            ("SF_CLIENT_ID", Some("3MVG9id")),
            ("SF_USERNAME", Some("ci@acme.example")),
            ("SF_JWT_KEY_FILE", Some("/dev/zero")),
        ],
        args: &["report", JOB],
        expected: "SF_JWT_KEY_FILE names a file that cannot be read (it is a device, not a regular file)",
    },
    Case {
        name: "credentials: an auth URL file that never ends",
        setup: &[],
        env: &[],
        args: &["report", JOB, "--auth-url-file", "/dev/zero"],
        expected: "cannot read --auth-url-file `/dev/zero`: it is a device, not a regular file",
    },
    Case {
        name: "credentials: a user and password in the instance URL",
        setup: &[],
        env: &[(
            "SF_ORG_INSTANCE_URL",
            Some("https://admin:hunter22@acme.my.salesforce.com"),
        )],
        args: &["report", JOB],
        expected: "SF_ORG_INSTANCE_URL carries a user name or password (`user:password@`)",
    },
    Case {
        name: "credentials: a token pasted as the instance URL",
        setup: &[],
        env: &[(
            "SF_ORG_INSTANCE_URL",
            Some("00D5g000004XYZ!AQ.pasted-token"),
        )],
        args: &["report", JOB],
        expected: "SF_ORG_INSTANCE_URL is not a URL",
    },
    // Contact lists (preview, run)
    Case {
        name: "contacts: a list that does not exist",
        setup: &[],
        env: &[],
        args: &["preview", "--contacts", "leavers.csv"],
        expected: "leavers.csv",
    },
    Case {
        name: "contacts: an Account Id and a bad checksum",
        setup: &[Setup::File(
            "leavers.csv",
            "ContactId\n001D000000IRFmaIAH\n003D0000001aH2AIA9\n",
        )],
        env: &[],
        args: &["run", "--contacts", "leavers.csv"],
        expected: "2 bad lines in --contacts `leavers.csv` (leavers.csv:2: `001D000000IRFmaIAH` is an Account Id, not a Contact Id; leavers.csv:3:",
    },
    Case {
        name: "contacts: an empty list",
        setup: &[Setup::File("leavers.txt", "\n")],
        env: &[],
        args: &["run", "--contacts", "leavers.txt"],
        expected: "lists no Contacts",
    },
    Case {
        name: "contacts: a chunk of nothing",
        setup: &[Setup::File("leavers.txt", "0036000000QKv5TAAT\n")],
        env: &[],
        args: &["run", "--contacts", "leavers.txt", "--chunk-size", "0"],
        expected: "--chunk-size",
    },
    // Outputs checked before anything is sent
    Case {
        name: "outputs: a folder as --junit",
        setup: &[Setup::Dir("results")],
        env: &[],
        args: &["deploy", "--zip", "deploy.zip", "--junit", "results"],
        expected: "--junit `results` is a folder",
    },
    Case {
        name: "outputs: output_dir outside the project in the config file",
        setup: &[Setup::File(
            "portal-disable.toml",
            "output_dir = \"../elsewhere\"\n",
        )],
        env: &[],
        args: &["generate"],
        expected: "output_dir `../elsewhere` must be a folder inside the project",
    },
];

/// Every path under `root` with its size (folders: None).
fn listing(root: &Path) -> BTreeMap<String, Option<u64>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let meta = std::fs::symlink_metadata(&path).unwrap_or_else(|e| panic!("{e}"));
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            if meta.is_dir() {
                found.insert(name, None);
                stack.push(path);
            } else {
                found.insert(name, Some(meta.len()));
            }
        }
    }
    found
}

fn big_zip(path: &Path, classes: usize) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"));
    let mut zip = zip::ZipWriter::new(file);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, body: &str| {
        zip.start_file(name, options)
            .unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(body.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    };
    add(
        "package.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <types>\n        <members>*</members>\n        <name>ApexClass</name>\n    </types>\n    <version>62.0</version>\n</Package>\n",
    );
    for i in 0..classes {
        add(&format!("classes/C{i}.cls"), "public class C {}\n");
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn bad_input_exits_2_with_one_line_writes_nothing_and_sends_nothing() {
    let sim = Simulator::start(Scenario::default());
    let mut failures = Vec::new();
    for case in CASES {
        let project = Project::default();
        let root = project.root();
        for setup in case.setup {
            match setup {
                Setup::File(path, text) => {
                    let path = root.join(path);
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).expect("creating a test folder");
                    }
                    std::fs::write(path, text).expect("writing a test file");
                }
                Setup::Dir(path) => {
                    std::fs::create_dir_all(root.join(path)).expect("creating a test folder")
                }
                Setup::Zip(path, classes) => big_zip(&root.join(path), *classes),
            }
        }
        let before = listing(root);
        let mut cmd = bin(&sim);
        cmd.current_dir(root);
        for (name, value) in case.env {
            match value {
                Some(v) => cmd.env(name, v),
                None => cmd.env_remove(name),
            };
        }
        let out = run(&mut cmd, case.args);
        let lines: Vec<&str> = out.stderr.lines().collect();
        let leaked = [
            "hunter22",
            "pasted-token",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        ]
        .into_iter()
        .find(|value| out.stderr.contains(value) || out.stdout.contains(value));
        let problems = [
            leaked.map(|value| format!("the value `{value}` leaked")),
            (out.code != 2).then(|| format!("exit {}", out.code)),
            (lines.len() != 1).then(|| format!("{} stderr lines", lines.len())),
            (!out.stderr.contains(case.expected)).then(|| format!("no {:?}", case.expected)),
            (listing(root) != before).then(|| "the folder changed".to_string()),
            (!sim.requests().is_empty()).then(|| format!("requests: {:?}", sim.requests())),
        ];
        let problems: Vec<String> = problems.into_iter().flatten().collect();
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({:?}): {}\n  stderr: {}",
                case.name,
                case.args,
                problems.join("; "),
                out.stderr.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
