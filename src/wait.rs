//! How long a command follows a deploy job, in whole minutes: the default and the bound,
//! declared once for `--wait`, `[deploy] wait` and the messages that say how to resume.

/// The sf CLI's default wait for a deploy: 33 minutes.
pub(crate) const DEFAULT_MINUTES: u64 = 33;

/// The longest wait: a week. Job ids outlive that only by days, and the deadline must stay a
/// representable instant.
pub(crate) const MAX_MINUTES: u64 = 7 * 24 * 60;

/// `portal-disable report ID --wait 33`: how to pick a job up again.
pub(crate) fn resume_command(job_id: &str) -> String {
    format!("portal-disable report {job_id} --wait {DEFAULT_MINUTES}")
}
