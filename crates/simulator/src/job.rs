//! A simulated deploy job: what the zip held, how the scenario ends, and its state at any
//! moment (Pending -> InProgress [-> Finalizing] -> terminal, or Canceling -> Canceled).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// One component in the job.
#[derive(Debug, Clone)]
pub struct Component {
    pub kind: String,
    pub name: String,
    pub file: String,
    /// (line, column, problem) of a compile error.
    pub failure: Option<(u32, u32, String)>,
}

/// One test method.
#[derive(Debug, Clone)]
pub struct TestMethod {
    pub class: String,
    pub method: String,
    /// (message, stack trace).
    pub failure: Option<(String, String)>,
    pub time: f64,
}

/// Coverage of one class.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub name: String,
    pub kind: &'static str,
    pub locations: u32,
    pub uncovered: Vec<u32>,
}

/// Everything about a job; the simulator fills it at deploy() time.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub check_only: bool,
    pub ignore_warnings: bool,
    pub rollback_on_error: bool,
    pub created: Instant,
    pub created_date: String,
    /// Top folder of the zip ("" when singlePackage), prefixed to file names.
    pub folder: String,
    /// `No package.xml found`: the job fails with the package.xml pseudo-component.
    pub no_package_xml: bool,
    pub components: Vec<Component>,
    pub tests: Vec<TestMethod>,
    pub run_tests: bool,
    pub coverage: Vec<Coverage>,
    pub coverage_warnings: Vec<String>,
    /// Terminal status when not canceled.
    pub final_status: &'static str,
    pub pending: Duration,
    pub running: Duration,
    pub finalizing: Duration,
    pub cancel_requested: Option<Instant>,
    pub canceling: Duration,
}

/// Which phase a job is in at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    Pending,
    InProgress(f64),
    Finalizing,
    Canceling,
    Canceled { started: bool },
    Done,
}

impl Job {
    pub fn phase(&self, now: Instant) -> Phase {
        let t = now.saturating_duration_since(self.created);
        if let Some(at) = self.cancel_requested {
            let at_offset = at.saturating_duration_since(self.created);
            if at_offset < self.pending {
                return Phase::Canceled { started: false };
            }
            return if t < at_offset + self.canceling {
                Phase::Canceling
            } else {
                Phase::Canceled { started: true }
            };
        }
        if t < self.pending {
            Phase::Pending
        } else if t < self.pending + self.running {
            let fraction = (t - self.pending).as_secs_f64() / self.running.as_secs_f64().max(1e-9);
            Phase::InProgress(fraction)
        } else if t < self.pending + self.running + self.finalizing {
            Phase::Finalizing
        } else {
            Phase::Done
        }
    }

    pub fn is_finished(&self, now: Instant) -> bool {
        matches!(self.phase(now), Phase::Done | Phase::Canceled { .. })
    }
}

/// `2026-11-27T08:40:00.000Z` for a moment (civil-from-days, no date crate needed).
pub fn timestamp(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let millis = since.subsec_millis();
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if mo <= 2 { y + 1 } else { y };
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}.{millis:03}Z")
}

/// The wall-clock time of an Instant (approximate, for dates in responses).
pub fn date_of(at: Instant) -> String {
    let now = Instant::now();
    let wall = SystemTime::now();
    let moment = if at <= now {
        wall - (now - at)
    } else {
        wall + (at - now)
    };
    timestamp(moment)
}
