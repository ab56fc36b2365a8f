//! A usage error as one line, built from clap's error kind and context rather than from its
//! rendered English text: CI logs grep well on one line per error, and a clap upgrade that
//! rewords its messages cannot garble ours.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// Whether the raw command line asks for JSON output: a usage error happens before clap has
/// parsed `--json`, and must still be one JSON document then.
pub fn wants_json<I, S>(args: I) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    args.into_iter()
        .take_while(|a| a.as_ref() != "--")
        .any(|a| a.as_ref() == "--json")
}

/// The one line for a usage error: what is wrong, the choices when clap knows them, and where
/// to read more.
pub fn usage_error_line(err: &clap::Error) -> String {
    let arg = context(err, ContextKind::InvalidArg).map(|a| flag_only(&a));
    let value = context(err, ContextKind::InvalidValue).unwrap_or_default();
    let mut parts = Vec::new();
    match err.kind() {
        ErrorKind::InvalidValue => {
            parts.push(format!(
                "invalid value '{value}' for '{}'",
                arg.unwrap_or_default()
            ));
            if let Some(valid) = context(err, ContextKind::ValidValue) {
                parts.push(format!("possible values: {valid}"));
            }
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(err)
                .map(ToString::to_string)
                .unwrap_or_else(|| "not valid".to_string());
            parts.push(format!(
                "invalid value '{value}' for '{}': {reason}",
                arg.unwrap_or_default()
            ));
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(err, ContextKind::PriorArg)
                .map(|p| flag_only(&p))
                .unwrap_or_else(|| "another argument".to_string());
            parts.push(format!(
                "the argument '{}' cannot be used with '{prior}'",
                arg.unwrap_or_default()
            ));
        }
        ErrorKind::UnknownArgument => {
            parts.push(format!("unexpected argument '{}'", arg.unwrap_or_default()));
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            parts.push(format!("unrecognized subcommand '{sub}'"));
        }
        ErrorKind::MissingRequiredArgument => {
            parts.push(format!(
                "the following required arguments were not provided: {}",
                arg.unwrap_or_default()
            ));
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            parts.push("a command is required".to_string());
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            parts.push(format!(
                "wrong number of values for '{}'",
                arg.unwrap_or_default()
            ));
        }
        ErrorKind::InvalidUtf8 => parts.push("an argument is not valid UTF-8".to_string()),
        ErrorKind::NoEquals => parts.push(format!(
            "'{}' needs its value after `=`",
            arg.unwrap_or_default()
        )),
        other => parts.push(other.as_str().unwrap_or("invalid usage").to_string()),
    }
    for kind in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand] {
        if let Some(suggestion) = context(err, kind) {
            parts.push(format!("did you mean '{suggestion}'?"));
        }
    }
    parts.push("see `portal-disable --help`".to_string());
    parts.join("; ")
}

/// A context value as text: one string, or a list joined with `, `.
fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => Some(list.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(list) => Some(
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// `--wait <MINUTES>` -> `--wait`, `<JOB_ID>` -> `JOB_ID`: the flag is what to look up.
fn flag_only(arg: &str) -> String {
    arg.split(", ")
        .map(|one| {
            let first = one.split(' ').next().unwrap_or(one);
            first
                .strip_prefix('<')
                .and_then(|s| s.strip_suffix('>'))
                .unwrap_or(first)
        })
        .collect::<Vec<_>>()
        .join(", ")
}
