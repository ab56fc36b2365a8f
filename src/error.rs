//! The error type every command returns, and the exit code each kind maps to.
//!
//! Exit codes follow the sf CLI (DESIGN.md): 2 for anything the user can fix in their input
//! (flags, config, names, files in the way), 1 for failures at run time. Messages are one
//! line: what is wrong, where, and how to fix it.

use std::path::PathBuf;

/// What went wrong, sorted by who can fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: usage, configuration, names, a file in the way. Exit 2.
    #[error("{0}")]
    Input(String),
    /// A file could not be read or written. Exit 1.
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A template failed to render: a bug in portal-disable, not in the input. Exit 1.
    #[error("rendering `{file}` failed (please report this): {source}")]
    Render {
        file: String,
        #[source]
        source: askama::Error,
    },
    /// The org answered a call with a SOAP fault. Exit 1.
    #[error("{operation} failed: {code}: {message}")]
    Fault {
        operation: &'static str,
        code: String,
        message: String,
    },
    /// Something failed after the org accepted a deploy job: the job may still be running, so
    /// the message names it and how to look at it. Exit code and name are the cause's.
    #[error(
        "{source} (job {job_id} may still be running: `portal-disable report {job_id}` shows it)"
    )]
    Job { job_id: String, source: Box<Error> },
    /// The user pressed Ctrl-C (or CI sent SIGTERM) while a job was followed. Exit 130.
    #[error("interrupted{}", if *canceled { "; cancel requested" } else { "" })]
    Interrupted { canceled: bool },
    /// `--wait` ran out while the org did not answer the status polls: the job may be done or
    /// running. Exit 69, as when the wait runs out on a running job.
    #[error("the wait ran out while polling failed ({0})")]
    WaitExpired(String),
    /// The OAuth token endpoint refused the login: the flow, Salesforce's error and the likely
    /// fix. Exit 1.
    #[error("{0}")]
    Login(String),
    /// The org could not be reached or answered something we cannot read. Exit 1.
    #[error("{operation} failed: {message}")]
    Remote {
        operation: &'static str,
        message: String,
    },
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Job { source, .. } => source.exit_code(),
            Error::Interrupted { .. } => 130,
            Error::WaitExpired(_) => 69,
            Error::Io { .. }
            | Error::Render { .. }
            | Error::Fault { .. }
            | Error::Remote { .. }
            | Error::Login(_) => 1,
        }
    }

    /// The error's name in `--json` output (`{"status":2,"error":{"name":"InputError",...}}`),
    /// stable so CI scripts can branch on it.
    pub fn name(&self) -> &str {
        match self {
            Error::Input(_) => "InputError",
            Error::Io { .. } => "IoError",
            Error::Render { .. } => "RenderError",
            // A SOAP fault is named by its code (`INVALID_SESSION_ID`), as Salesforce names it.
            Error::Fault { code, .. } => code,
            Error::Remote { .. } => "RemoteError",
            Error::Login(_) => "LoginError",
            Error::Job { source, .. } => source.name(),
            Error::Interrupted { .. } => "Interrupted",
            Error::WaitExpired(_) => "WaitExpired",
        }
    }

    /// Shorthand for an I/O error on a path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
