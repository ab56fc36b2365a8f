//! What a running deploy shows on stderr.
//!
//! On a terminal: an indicatif spinner line with the status, components n/N and tests n/N,
//! redrawn in place. In CI (`CI` set, or stderr not a terminal): one plain line per status
//! change, never one per poll, so logs stay short. `--json` keeps stdout for the document;
//! this display only ever writes to stderr.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::metadata::model::{DeployResult, RunTestFailure};
use crate::metadata::watch::Observer;

/// The progress display of one job.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    last_status: Option<String>,
    show: bool,
}

impl Progress {
    /// Picks the bar or plain lines from the environment. `quiet` shows nothing at all.
    pub(crate) fn new(quiet: bool) -> Self {
        let bar = wants_bar(quiet).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            last_status: None,
            show: !quiet,
        }
    }

    /// A line that stays (above the bar on a terminal).
    pub(crate) fn line(&self, text: &str) {
        if !self.show {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(crate::output::clean(text)),
            None => crate::output::stderr_line(text),
        }
    }

    /// Removes the bar before the report prints.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Whether progress is drawn as a bar redrawn in place: on a terminal, outside CI (`CI` set),
/// unless `quiet`. Otherwise it is plain lines.
pub(crate) fn wants_bar(quiet: bool) -> bool {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    !quiet && !ci && std::io::stderr().is_terminal()
}

impl Drop for Progress {
    /// An error ends a command early: clear the bar so the error line stands alone.
    fn drop(&mut self) {
        self.finish();
    }
}

/// `InProgress: components 2/3, tests 0/5 (PortalUserDisablerTest)`.
fn summary(r: &DeployResult) -> String {
    let mut text = format!(
        "{}: components {}/{}",
        r.status, r.number_components_deployed, r.number_components_total
    );
    if r.number_component_errors > 0 {
        text.push_str(&format!(" ({} failed)", r.number_component_errors));
    }
    if r.number_tests_total > 0 {
        text.push_str(&format!(
            ", tests {}/{}",
            r.number_tests_completed + r.number_test_errors,
            r.number_tests_total
        ));
        if r.number_test_errors > 0 {
            text.push_str(&format!(" ({} failed)", r.number_test_errors));
        }
    }
    if let Some(detail) = r.state_detail.as_deref().filter(|d| !d.is_empty()) {
        text.push_str(&format!(" ({detail})"));
    }
    text
}

impl Observer for Progress {
    fn status(&mut self, result: &DeployResult) {
        let text = summary(result);
        match &self.bar {
            Some(bar) => bar.set_message(crate::output::clean(&text)),
            None => {
                if self.last_status.as_deref() != Some(result.status.as_str()) {
                    self.line(&text);
                }
            }
        }
        self.last_status = Some(result.status.clone());
    }

    fn new_test_failures(&mut self, failures: &[RunTestFailure]) {
        for f in failures {
            let method = f.method_name.as_deref().unwrap_or("(class)");
            self.line(&format!("test failed: {}.{method}: {}", f.name, f.message));
        }
    }

    fn retrying(&mut self, problem: &str) {
        self.line(&format!("warning: {problem}"));
    }

    fn recovered(&mut self, failures: u32) {
        self.line(&format!(
            "the org answers again after {failures} failed poll{}",
            if failures == 1 { "" } else { "s" }
        ));
    }
}
