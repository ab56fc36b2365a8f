//! A closed set of named values (`--mode disable|deactivate`, a test level), declared once by
//! the type that owns it and read by the command line (possible values and their help), the
//! configuration file and the messages that list the choices. The domain types stay free of
//! any command-line crate: `cli.rs` turns a [`Choice`] into a parser.

/// A value chosen by name from a fixed list.
pub trait Choice: Copy + Sized + 'static {
    /// Every value, in the order they are documented.
    const ALL: &'static [Self];

    /// The name users type.
    fn key(self) -> &'static str;

    /// One line saying what the value means.
    fn help(self) -> &'static str;

    /// The value named `key`, exactly as written.
    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.key() == key)
    }

    /// `a, b or c`, for messages.
    fn choices() -> String {
        let keys: Vec<&str> = Self::ALL.iter().map(|v| v.key()).collect();
        match keys.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => keys.join(""),
        }
    }
}
