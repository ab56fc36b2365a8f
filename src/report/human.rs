//! The end report for people: what failed and where, first; then the summary and the job id.
//!
//! Shaped after the sf CLI's (component failures with type, name, file and line:column; test
//! failures as `Class.method` with message and stack trace; coverage per class), plain text
//! with no colour so CI logs read the same as terminals.

use std::fmt::Write;
use std::time::Duration;

use crate::metadata::model::{DeployResult, Outcome};

/// The whole report, ending with a newline.
pub fn render(result: &DeployResult, elapsed: Option<Duration>, verbose: bool) -> String {
    let mut out = String::new();
    let kind = if result.check_only {
        "Validation"
    } else {
        "Deploy"
    };
    let outcome = match result.outcome() {
        Outcome::Running => format!("{} (still running)", result.status),
        _ => result.status.clone(),
    };
    let _ = write!(out, "{kind} {}: {outcome}", result.id);
    if let Some(elapsed) = elapsed {
        let _ = write!(out, " in {}", seconds(elapsed));
    }
    out.push('\n');
    if let Some(message) = &result.error_message {
        let code = result.error_status_code.as_deref().unwrap_or("error");
        let _ = writeln!(out, "Error: {code}: {message}");
    } else if let Some(reason) = coverage_reason(result) {
        // The org gives no errorMessage when only coverage failed; say why it failed.
        let _ = writeln!(out, "Error: code coverage too low: {reason}");
    }
    let _ = writeln!(
        out,
        "Components: {}/{} deployed, {} failed",
        result.number_components_deployed,
        result.number_components_total,
        result.number_component_errors
    );
    if result.run_tests_enabled || result.number_tests_total > 0 {
        let _ = write!(
            out,
            "Tests: {}/{} passed, {} failed",
            result.number_tests_completed, result.number_tests_total, result.number_test_errors
        );
        if let Some(tests) = result.test_result() {
            let _ = write!(out, " ({:.2} s)", tests.total_time / 1000.0);
        }
        out.push('\n');
    } else {
        out.push_str("Tests: none run\n");
    }

    let failures = &result.details.component_failures;
    if !failures.is_empty() {
        let _ = writeln!(out, "\nComponent failures [{}]", failures.len());
        for f in failures {
            let kind = if f.component_type.is_empty() {
                "-"
            } else {
                &f.component_type
            };
            let mut place = f.file_name.clone();
            if let Some(line) = f.line_number {
                let _ = write!(place, ":{line}");
                if let Some(column) = f.column_number {
                    let _ = write!(place, ":{column}");
                }
            }
            let problem = f.problem.as_deref().unwrap_or("(no problem given)");
            let severity = f.problem_type.as_deref().unwrap_or("Error");
            let _ = writeln!(out, "  {kind} {}  {place}", f.full_name);
            let _ = writeln!(out, "    {severity}: {problem}");
        }
    }

    if verbose && !result.details.component_successes.is_empty() {
        let successes = &result.details.component_successes;
        let _ = writeln!(out, "\nDeployed components [{}]", successes.len());
        for s in successes {
            let kind = if s.component_type.is_empty() {
                "-"
            } else {
                &s.component_type
            };
            let _ = writeln!(out, "  {kind} {}  {}", s.full_name, s.file_name);
        }
    }

    if let Some(tests) = result.test_result() {
        if !tests.failures.is_empty() {
            let _ = writeln!(out, "\nTest failures [{}]", tests.failures.len());
            for f in &tests.failures {
                let method = f.method_name.as_deref().unwrap_or("(class)");
                let _ = writeln!(out, "  • {}.{method}", f.name);
                let _ = writeln!(out, "    message: {}", f.message);
                if let Some(stack) = f.stack_trace.as_deref().filter(|s| !s.is_empty()) {
                    let _ = writeln!(out, "    stack trace:");
                    for line in stack.lines() {
                        let _ = writeln!(out, "      {line}");
                    }
                }
            }
        }
        if !tests.code_coverage.is_empty() {
            let _ = writeln!(out, "\nCode coverage");
            let mut coverage: Vec<_> = tests.code_coverage.iter().collect();
            coverage.sort_by(|a, b| a.name.cmp(&b.name));
            for c in coverage {
                let mut lines: Vec<u32> = c.locations_not_covered.iter().map(|l| l.line).collect();
                lines.sort_unstable();
                lines.dedup();
                let uncovered = if lines.is_empty() {
                    String::new()
                } else {
                    let list: Vec<String> = lines.iter().map(u32::to_string).collect();
                    format!("  uncovered lines: {}", list.join(", "))
                };
                let _ = writeln!(
                    out,
                    "  {} {:>5.1} %  ({}/{} lines){uncovered}",
                    c.name,
                    c.percent(),
                    c.num_locations.saturating_sub(c.num_locations_not_covered),
                    c.num_locations
                );
            }
        }
        if !tests.code_coverage_warnings.is_empty() {
            let _ = writeln!(
                out,
                "\nCode coverage warnings [{}]",
                tests.code_coverage_warnings.len()
            );
            for w in &tests.code_coverage_warnings {
                match w.name.as_deref().filter(|n| !n.is_empty()) {
                    Some(name) => {
                        let _ = writeln!(out, "  {name}: {}", w.message);
                    }
                    None => {
                        let _ = writeln!(out, "  {}", w.message);
                    }
                }
            }
        }
    }

    out.push('\n');
    let _ = writeln!(out, "Job id: {}", result.id);
    match result.outcome() {
        Outcome::Running => {
            let _ = writeln!(
                out,
                "The job is still running on the org. Follow it with: {}",
                crate::wait::resume_command(&result.id)
            );
        }
        Outcome::Succeeded if result.check_only => {
            let _ = writeln!(
                out,
                "Deploy this validation without running the tests again: portal-disable quick-deploy {}",
                result.id
            );
        }
        _ => {}
    }
    out
}

/// The first coverage warning of a deploy that failed on coverage alone.
fn coverage_reason(result: &DeployResult) -> Option<&str> {
    let only_coverage = result.outcome() == Outcome::Failed
        && result.number_component_errors == 0
        && result.number_test_errors == 0
        && result.details.component_failures.is_empty();
    if !only_coverage {
        return None;
    }
    result
        .test_result()?
        .code_coverage_warnings
        .first()
        .map(|w| w.message.as_str())
}

/// `12.3 s` or `2 min 5 s`.
pub fn seconds(elapsed: Duration) -> String {
    let s = elapsed.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        format!("{} min {} s", (s / 60.0).floor(), (s % 60.0).floor())
    }
}
