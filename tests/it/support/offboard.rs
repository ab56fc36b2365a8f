//! Running `preview` and `run` against the simulator's org: a scratch project folder, the
//! Contacts file, and the results CSV read back.

use std::collections::HashMap;
use std::path::Path;

use tempfile::TempDir;

use super::cli::{Run, bin, run};
use super::simulator::org::OrgData;
use super::simulator::{Scenario, Simulator};

/// A simulator holding `data` and an empty project folder.
pub struct Org {
    pub sim: Simulator,
    pub dir: TempDir,
}

impl Org {
    pub fn start(data: OrgData) -> Org {
        let sim = Simulator::start(Scenario::default());
        sim.set_org(data);
        let dir = tempfile::tempdir().expect("a temporary folder");
        Org { sim, dir }
    }

    /// Writes `contacts.txt`, one Id per line; returns its name.
    pub fn contacts(&self, ids: &[&str]) -> String {
        let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
        std::fs::write(self.dir.path().join("contacts.txt"), text).expect("writing a test file");
        "contacts.txt".into()
    }

    /// Writes `contacts.csv` from a template whose `{0}`, `{1}`... are `ids`.
    pub fn contacts_csv(&self, template: &str, ids: &[&str]) -> String {
        let mut text = template.to_string();
        for (i, id) in ids.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), id);
        }
        std::fs::write(self.dir.path().join("contacts.csv"), text).expect("writing a test file");
        "contacts.csv".into()
    }

    /// Writes `portal-disable.toml`.
    pub fn config(&self, text: &str) {
        std::fs::write(self.dir.path().join("portal-disable.toml"), text)
            .expect("writing a test file");
    }

    /// The binary with the access token, in the project folder.
    pub fn offboard(&self, args: &[&str]) -> Run {
        run(bin(&self.sim).current_dir(self.dir.path()), args)
    }
}

/// The rows of a results CSV, by column name.
pub fn results(dir: &Path, name: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
