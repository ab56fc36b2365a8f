//! The error type every command returns, what each kind is called in `--json`, and the exit
//! code each maps to (`exit.rs`).
//!
//! Bad input is one variant with a [`Bad`] kind, so that `--json` names what went wrong
//! (`MissingCredentials`, `LimitExceeded`, ...) for CI scripts to branch on, while every kind
//! still exits 2. Messages are one line: what is wrong, where, and how to fix it.

use std::path::PathBuf;

use crate::exit;

/// What kind of bad input: the `error.name` of the `--json` document. Each exits 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bad {
    /// A flag clap refused, or flags that do not go together.
    Usage,
    /// `portal-disable.toml` or `sfdx-project.json`: syntax, unknown keys, bad values.
    Config,
    /// A class, trigger, field, permission or test class name that Salesforce would refuse.
    Name,
    /// An API version of the wrong form, or outside what can be generated.
    ApiVersion,
    /// No credential source, or an incomplete one.
    MissingCredentials,
    /// A credential source that is complete but malformed (a URL, a key file, an auth URL).
    InvalidCredentials,
    /// A path that does not exist where one must.
    MissingPath,
    /// A path that exists but is the wrong thing (a file where a folder must be, a link out of
    /// its folder, a FIFO, `..`), or a file that `generate` may not replace.
    InvalidPath,
    /// A file in a source folder that cannot be packaged (type, missing half, duplicate).
    UnsupportedSource,
    /// Over a Metadata API limit (files, bytes, compressed size).
    LimitExceeded,
    /// A deploy zip or metadata folder the org would refuse (unreadable, no package.xml).
    InvalidPackage,
    /// A job, validation or record id of the wrong form.
    InvalidId,
    /// An org whose release is older than the version asked for.
    OrgTooOld,
    /// A Contact list that cannot be read or has bad lines.
    InvalidContacts,
}

impl Bad {
    /// The name in `--json` output, stable so CI scripts can branch on it.
    pub fn name(self) -> &'static str {
        match self {
            Bad::Usage => "UsageError",
            Bad::Config => "ConfigError",
            Bad::Name => "InvalidName",
            Bad::ApiVersion => "InvalidApiVersion",
            Bad::MissingCredentials => "MissingCredentials",
            Bad::InvalidCredentials => "InvalidCredentials",
            Bad::MissingPath => "MissingPath",
            Bad::InvalidPath => "InvalidPath",
            Bad::UnsupportedSource => "UnsupportedSource",
            Bad::LimitExceeded => "LimitExceeded",
            Bad::InvalidPackage => "InvalidPackage",
            Bad::InvalidId => "InvalidId",
            Bad::OrgTooOld => "OrgTooOld",
            Bad::InvalidContacts => "InvalidContacts",
        }
    }
}

/// What went wrong, sorted by who can fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input the user can fix: usage, configuration, names, files in the way. Exit 2.
    #[error("{message}")]
    Input { kind: Bad, message: String },
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
    /// The org answered a call with a fault (SOAP, or a REST error body). Exit 1.
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
    /// The user pressed Ctrl-C (or CI sent SIGTERM). Exit 130.
    #[error("interrupted{}", if *canceled { "; cancel requested" } else { "" })]
    Interrupted { canceled: bool },
    /// `--wait` ran out while the org did not answer the status polls: the job may be done or
    /// running. Exit 69, as when the wait runs out on a running job.
    #[error("the wait ran out while polling failed ({0})")]
    WaitExpired(String),
    /// The OAuth token endpoint (or the sf CLI) refused the login: the flow, the reason and
    /// the likely fix. Exit 1.
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
    /// Bad input of `kind`, with its one-line message.
    pub fn input(kind: Bad, message: impl Into<String>) -> Self {
        Error::Input {
            kind,
            message: message.into(),
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input { .. } => exit::BAD_INPUT,
            Error::Job { source, .. } => source.exit_code(),
            Error::Interrupted { .. } => exit::INTERRUPTED,
            Error::WaitExpired(_) => exit::STILL_RUNNING,
            Error::Io { .. }
            | Error::Render { .. }
            | Error::Fault { .. }
            | Error::Remote { .. }
            | Error::Login(_) => exit::FAILURE,
        }
    }

    /// The error's name in `--json` output (`{"status":2,"error":{"name":"ConfigError",...}}`),
    /// stable so CI scripts can branch on it.
    pub fn name(&self) -> &str {
        match self {
            Error::Input { kind, .. } => kind.name(),
            Error::Io { .. } => "IoError",
            Error::Render { .. } => "RenderError",
            // A fault is named by its code (`INVALID_SESSION_ID`), as Salesforce names it.
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

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
