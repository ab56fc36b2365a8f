//! The sf CLI as a credential source: `--target-org ALIAS|USERNAME` (or `SF_TARGET_ORG`, or the
//! sf CLI's configured default) names an org that `sf org login web` logged in on this machine,
//! and the installed sf CLI hands over its session. Its token files are never read.
//!
//! Two commands, each checked for its exit code, its JSON `status` and its warnings:
//! `sf org display --target-org X --json` gives the instance URL (and the token on CLIs older
//! than 2.136.8, which do not redact it), then `sf org auth show-access-token --target-org X
//! --json` gives the token. Both refresh an expired token first; a refresh that fails still
//! exits 0, with the warning "Unable to refresh auth for org" and the stale token, which is
//! refused here as an expired login, naming `sf org login web`. Each command is bounded
//! ([`process::Limits`]): 1 MiB of output and [`TIMEOUT`] seconds. The token never goes on a
//! command line and is never printed.

mod answer;
mod config;
mod process;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::Session;
use super::endpoint::parse_instance_url;
use crate::error::{Bad, Error, Result};

use answer::{Answer, Refusal, connection_expired, interpret, one_line, usable_token};

pub(crate) use config::default_target_org;

/// The variable of `--target-org`, as the sf CLI names it.
pub(crate) const TARGET_ORG_VAR: &str = "SF_TARGET_ORG";

/// How long one sf command may take before it is stopped. The sf CLI answers in 1 to 3 s (plus
/// one HTTP round trip when it refreshes the token); its first run after an install or an
/// update builds caches and can take much longer.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);

/// The most stdout read from one sf command (an answer is about 1 KB).
const MAX_STDOUT: u64 = 1024 * 1024;
/// The most stderr read (only its first line is ever used).
const MAX_STDERR: u64 = 64 * 1024;

/// The program: on Windows npm installs `sf.cmd`.
#[cfg(windows)]
const PROGRAM: &str = "sf.cmd";
#[cfg(not(windows))]
const PROGRAM: &str = "sf";

/// Where the org's name came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--target-org` (`-o`).
    Flag,
    /// `SF_TARGET_ORG`.
    Env,
    /// The sf CLI's configured default `target-org`, in this settings file.
    Config(PathBuf),
}

/// An org the sf CLI knows, by alias or username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SfOrg {
    pub target: String,
    pub origin: Origin,
}

impl fmt::Display for SfOrg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Origin::Flag => write!(f, "org `{}` (from --target-org)", self.target),
            Origin::Env => write!(f, "org `{}` (from {TARGET_ORG_VAR})", self.target),
            Origin::Config(file) => write!(
                f,
                "org `{}` (the sf CLI's default: target-org in `{}`)",
                self.target,
                file.display()
            ),
        }
    }
}

impl SfOrg {
    /// The command that logs this org in again: with its alias when it has one, else for its
    /// username, at its instance when known.
    pub fn login_command(&self, alias: Option<&str>, instance: Option<&Url>) -> String {
        let mut command = String::from("sf org login web");
        match alias {
            Some(alias) => command.push_str(&format!(" --alias {alias}")),
            None if !self.target.contains('@') => {
                command.push_str(&format!(" --alias {}", self.target))
            }
            None => {}
        }
        if let Some(url) = instance {
            command.push_str(&format!(
                " --instance-url {}",
                url.as_str().trim_end_matches('/')
            ));
        }
        command
    }
}

/// A session for `org` from the installed sf CLI.
pub(crate) fn session(org: &SfOrg) -> Result<Session> {
    let display = ask(org, &["org", "display"]).map_err(|r| r.into_error(org))?;
    let result = &display.result;
    let alias = result.get("alias").and_then(Value::as_str);
    let instance_text = result
        .get("instanceUrl")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Error::Login(format!(
                "`sf org display` gave no instanceUrl for {org}; check `sf org display --target-org {}`",
                org.target
            ))
        })?;
    let instance_url = parse_instance_url(
        instance_text,
        &format!("the instance URL the sf CLI gave for {org}"),
    )?;
    // CLIs older than 2.136.8 (or SF_TEMP_SHOW_SECRETS=true) still show the token here.
    let shown_token = usable_token(result);
    if display.refresh_failed() || connection_expired(result) {
        return Err(refresh_failed(org, alias, &instance_url, result));
    }
    let access_token = match shown_token {
        Some(token) => token,
        None => {
            let answer = ask(org, &["org", "auth", "show-access-token"]).map_err(|r| match r {
                Refusal::NotACommand => Error::Login(format!(
                    "this sf CLI redacts the token of `sf org display` but has no `sf org auth show-access-token`; update it: `npm install -g @salesforce/cli` (needed for {org})"
                )),
                other => other.into_error(org),
            })?;
            // Made a Secret before anything else: even a stale token is scrubbed from output.
            let token = usable_token(&answer.result);
            if answer.refresh_failed() {
                return Err(refresh_failed(org, alias, &instance_url, result));
            }
            token.ok_or_else(|| {
                Error::Login(format!(
                    "`sf org auth show-access-token` gave no access token for {org}; log in again: `{}`",
                    org.login_command(alias, Some(&instance_url))
                ))
            })?
        }
    };
    Ok(Session {
        instance_url,
        access_token,
    })
}

/// The error for a refresh the sf CLI could not make: its refresh token is expired or revoked
/// (or the org was logged in with a bare access token, which cannot be refreshed). `display`
/// is `org display`'s result, whose `connectedStatus` says why.
fn refresh_failed(org: &SfOrg, alias: Option<&str>, instance: &Url, display: &Value) -> Error {
    let why = display
        .get("connectedStatus")
        .and_then(Value::as_str)
        .filter(|s| *s != "Connected")
        .map(|s| format!(" (sf: {})", one_line(s)))
        .unwrap_or_default();
    Error::input(
        Bad::InvalidCredentials,
        format!(
            "the sf CLI could not refresh the session of {org}{why}: the org is unreachable, or its login expired or was revoked; log in again: `{}`",
            org.login_command(alias, Some(instance))
        ),
    )
}

impl Refusal {
    fn into_error(self, org: &SfOrg) -> Error {
        match self {
            Refusal::NotInstalled => Error::input(
                Bad::MissingCredentials,
                format!(
                    "the sf CLI (`{PROGRAM}`) is not on the PATH, and {org} needs it; install it: `npm install -g @salesforce/cli`, then log in: `{}`",
                    org.login_command(None, None)
                ),
            ),
            Refusal::UnknownOrg(suggestion) => Error::input(
                Bad::InvalidCredentials,
                format!(
                    "the sf CLI knows no {org}{}; log in to it: `{}` (`sf org list` shows the orgs it knows)",
                    suggestion
                        .map(|s| format!(" (sf: {s})"))
                        .unwrap_or_default(),
                    org.login_command(None, None)
                ),
            ),
            Refusal::Expired => Error::input(
                Bad::InvalidCredentials,
                format!(
                    "the sf CLI has no valid login for {org}: it is expired or revoked; log in again: `{}`",
                    org.login_command(None, None)
                ),
            ),
            Refusal::NotACommand => Error::Login(format!(
                "this sf CLI does not know a command it needs for {org}; update it: `npm install -g @salesforce/cli`"
            )),
            Refusal::Failed(message) => Error::Login(message),
            Refusal::Interrupted => Error::Interrupted { canceled: false },
        }
    }
}

/// Runs `sf <words> --target-org=<target> --json` and reads its answer.
fn ask(org: &SfOrg, words: &[&str]) -> std::result::Result<Answer, Refusal> {
    let mut args: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    // `=`: a name that starts with `-` stays a value.
    args.push(format!("--target-org={}", org.target));
    args.push("--json".to_string());
    let shown = format!(
        "`sf {} --target-org {} --json`",
        words.join(" "),
        org.target
    );
    let limits = process::Limits {
        stdout: MAX_STDOUT,
        stderr: MAX_STDERR,
        timeout: timeout(),
    };
    // No self-update or update check in the middle of a deploy: they fetch from the network
    // and can keep running after the command.
    let env = [
        ("SF_DISABLE_AUTOUPDATE", "true"),
        ("SF_AUTOUPDATE_DISABLE", "true"),
        ("SF_SKIP_NEW_VERSION_CHECK", "true"),
    ];
    let stop = crate::interrupt::interrupted;
    let output = process::run(PROGRAM, &args, &env, limits, &stop).map_err(|e| match e {
        process::RunError::NotFound => Refusal::NotInstalled,
        process::RunError::Stopped => Refusal::Interrupted,
        process::RunError::Spawn(e) => Refusal::Failed(format!("cannot run {shown}: {e}")),
        process::RunError::TimedOut(after) => Refusal::Failed(format!(
            "{shown} did not answer within {} s and was stopped; run it yourself to see what it waits for",
            after.as_secs()
        )),
        process::RunError::TooLarge(stream, limit) => Refusal::Failed(format!(
            "{shown} wrote more than {limit} bytes to {stream}; that is no answer of the sf CLI"
        )),
        process::RunError::OutputNotClosed => Refusal::Failed(format!(
            "{shown} ended, but a process it started keeps its output open"
        )),
    })?;
    // Ctrl-C reaches sf too (same terminal): whatever it printed, the user stopped the run.
    if stop() {
        return Err(Refusal::Interrupted);
    }
    interpret(&shown, &output)
}

/// [`TIMEOUT`]; the tests shorten it (`PORTAL_DISABLE_SF_TIMEOUT_SECS`, debug builds only).
fn timeout() -> Duration {
    crate::knobs::get().sf_timeout.unwrap_or(TIMEOUT)
}

/// The user's home folder, where the sf CLI keeps its global settings (`HOME`; on Windows
/// `USERPROFILE`, as Node's `os.homedir()` reads them).
pub(crate) fn home_folder(var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let name = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    var(name)
        .filter(|h| !h.trim().is_empty())
        .map(PathBuf::from)
}

/// The configured default org for a run in `cwd`, as an [`SfOrg`].
pub(crate) fn configured(
    cwd: &Path,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<SfOrg>> {
    let home = home_folder(var);
    Ok(
        default_target_org(cwd, home.as_deref())?.map(|found| SfOrg {
            target: found.target,
            origin: Origin::Config(found.file),
        }),
    )
}

#[cfg(test)]
mod tests;
