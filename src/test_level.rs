//! The Metadata API's `TestLevel` (which Apex tests a deploy runs), declared once for the
//! configuration (`[deploy] test_level`), `--test-level` and the SOAP envelope.

use crate::choice::Choice;

/// `TestLevel` of the WSDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestLevel {
    NoTestRun,
    RunSpecifiedTests,
    RunLocalTests,
    RunAllTestsInOrg,
}

impl Choice for TestLevel {
    const ALL: &'static [TestLevel] = &[
        TestLevel::NoTestRun,
        TestLevel::RunSpecifiedTests,
        TestLevel::RunLocalTests,
        TestLevel::RunAllTestsInOrg,
    ];

    /// The WSDL's spelling, which the sf CLI's `--test-level` uses too.
    fn key(self) -> &'static str {
        match self {
            TestLevel::NoTestRun => "NoTestRun",
            TestLevel::RunSpecifiedTests => "RunSpecifiedTests",
            TestLevel::RunLocalTests => "RunLocalTests",
            TestLevel::RunAllTestsInOrg => "RunAllTestsInOrg",
        }
    }

    fn help(self) -> &'static str {
        match self {
            TestLevel::NoTestRun => "no tests (not allowed in production for Apex)",
            TestLevel::RunSpecifiedTests => "the --tests classes; each class needs 75 % coverage",
            TestLevel::RunLocalTests => "every test of the org outside managed packages",
            TestLevel::RunAllTestsInOrg => "every test of the org, managed packages included",
        }
    }
}

impl TestLevel {
    /// The WSDL's spelling.
    pub fn as_str(self) -> &'static str {
        self.key()
    }
}
