//! The entry points: the optional ways into the core class, declared once.
//!
//! Every fact about an entry point is one row of the [`entry_points!`] table below: its key
//! (the `[entry_points]` and `[classes]` key of `portal-disable.toml` and the `--entry-points`
//! value), the suffix of its default name, whether it is on by default, what it needs, its
//! one-line summary (help and docs), and the templates of its source and of its part of the test class. From the table come the [`EntryPoint`] enum, the [`EntryPoints`] set, the
//! [`ClassNames`] of every generated class, config parsing, the CLI's values and the list of files
//! to render (`apex/templates.rs`). Adding an entry point is one row here and its two templates.

use std::fmt;

/// Declares the entry points; see the module documentation. Each row:
/// `Variant field => { key, suffix, on, needs, kind, summary, source, test }` where `field` is
/// the lower-case name used for the flag set and the class name (templates read
/// `c.entry.field` and `c.names.field`), `kind` is the Apex file type of its source, `source`
/// its template and `test` the template of its part of the test class.
macro_rules! entry_points {
    ($($variant:ident $field:ident => {
        key: $key:literal,
        suffix: $suffix:literal,
        on: $on:literal,
        needs: [$($needs:ident),*],
        kind: $kind:ident,
        summary: $summary:literal,
        source: $source:literal,
        test: $test:literal,
    })+) => {
        /// One optional way into the core class.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum EntryPoint {
            $(#[doc = $summary] $variant,)+
        }

        impl EntryPoint {
            /// Every entry point, in the order they are documented.
            pub const ALL: &'static [EntryPoint] = &[$(EntryPoint::$variant,)+];

            /// The entry point's row of the table.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $(EntryPoint::$variant => &Spec {
                        point: EntryPoint::$variant,
                        key: $key,
                        suffix: $suffix,
                        on_by_default: $on,
                        needs: &[$(EntryPoint::$needs),*],
                        kind: ApexKind::$kind,
                        summary: $summary,
                    },)+
                }
            }
        }

        /// Which entry points are generated besides the core class and its test. Templates
        /// read the flags by name (`c.entry.queueable`) so a misspelling fails to compile.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct EntryPoints {
            $(pub $field: bool,)+
        }

        impl EntryPoints {
            /// No entry point at all: the core class and its test only.
            pub const NONE: EntryPoints = EntryPoints { $($field: false,)+ };

            /// Whether one entry point is on.
            pub fn has(&self, point: EntryPoint) -> bool {
                match point {
                    $(EntryPoint::$variant => self.$field,)+
                }
            }

            /// Switches one entry point on or off.
            pub fn set(&mut self, point: EntryPoint, on: bool) {
                match point {
                    $(EntryPoint::$variant => self.$field = on,)+
                }
            }
        }

        impl Default for EntryPoints {
            /// The rows marked `on`.
            fn default() -> Self {
                EntryPoints { $($field: $on,)+ }
            }
        }

        /// The name of every class and trigger that may be generated: the core class, its test
        /// class and one per entry point (validated and distinct once `config` built them).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct ClassNames {
            pub core: String,
            pub test: String,
            $(pub $field: String,)+
        }

        impl ClassNames {
            /// The names derived from one prefix: `{prefix}`, `{prefix}Test`, and
            /// `{prefix}{suffix}` for each entry point.
            pub fn from_prefix(prefix: &str) -> Self {
                ClassNames {
                    core: prefix.to_string(),
                    test: format!("{prefix}Test"),
                    $($field: format!("{prefix}{}", $suffix),)+
                }
            }

            /// The name of a role.
            pub fn get(&self, role: Role) -> &str {
                match role {
                    Role::Core => &self.core,
                    Role::Test => &self.test,
                    $(Role::Entry(EntryPoint::$variant) => &self.$field,)+
                }
            }

            /// The name slot of a role, for overrides from `[classes]`.
            pub fn slot_mut(&mut self, role: Role) -> &mut String {
                match role {
                    Role::Core => &mut self.core,
                    Role::Test => &mut self.test,
                    $(Role::Entry(EntryPoint::$variant) => &mut self.$field,)+
                }
            }
        }

        /// The templates of each entry point: its source and its part of the test class.
        pub(crate) mod entry_templates {
            use crate::apex::ApexContext;

            $(
                pub(crate) mod $field {
                    use askama::Template;

                    use crate::apex::ApexContext;

                    #[derive(Template)]
                    #[template(path = $source)]
                    pub(crate) struct Source<'a> {
                        pub(crate) c: &'a ApexContext,
                    }

                    #[derive(Template)]
                    #[template(path = $test)]
                    pub(crate) struct Test<'a> {
                        pub(crate) c: &'a ApexContext,
                    }
                }
            )+

            /// Renders an entry point's source.
            pub(crate) fn source(
                point: super::EntryPoint,
                c: &ApexContext,
            ) -> askama::Result<String> {
                use askama::Template;
                match point {
                    $(super::EntryPoint::$variant => $field::Source { c }.render(),)+
                }
            }

            /// Renders an entry point's part of the test class.
            pub(crate) fn test(
                point: super::EntryPoint,
                c: &ApexContext,
            ) -> askama::Result<String> {
                use askama::Template;
                match point {
                    $(super::EntryPoint::$variant => $field::Test { c }.render(),)+
                }
            }
        }
    };
}

entry_points! {
    Invocable invocable => {
        key: "invocable",
        suffix: "Invocable",
        on: true,
        needs: [],
        kind: Class,
        summary: "@InvocableMethod for Flow, with a \"Run asynchronously\" option",
        source: "apex/invocable.cls",
        test: "apex/test/invocable.cls",
    }
    Queueable queueable => {
        key: "queueable",
        suffix: "Queueable",
        on: true,
        needs: [],
        kind: Class,
        summary: "Queueable for callers that already did DML (mixed DML)",
        source: "apex/queueable.cls",
        test: "apex/test/queueable.cls",
    }
    Rest rest => {
        key: "rest",
        suffix: "Rest",
        on: false,
        needs: [],
        kind: Class,
        summary: "@RestResource POST /services/apexrest/portal-users/<mode>",
        source: "apex/rest.cls",
        test: "apex/test/rest.cls",
    }
    Batch batch => {
        key: "batch",
        suffix: "Batch",
        on: false,
        needs: [],
        kind: Class,
        summary: "Database.Batchable for more than 10,000 Contacts",
        source: "apex/batch.cls",
        test: "apex/test/batch.cls",
    }
    Trigger trigger => {
        key: "trigger",
        suffix: "ContactTrigger",
        on: false,
        needs: [Queueable],
        kind: Trigger,
        summary: "Contact trigger + checkbox field; needs queueable",
        source: "apex/contact.trigger",
        test: "apex/test/trigger.cls",
    }
}

/// Which kind of Apex file an entry point's source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApexKind {
    /// `classes/<Name>.cls`.
    Class,
    /// `triggers/<Name>.trigger`.
    Trigger,
}

/// One row of the table.
#[derive(Debug)]
pub struct Spec {
    pub point: EntryPoint,
    /// The key in `[entry_points]`, `[classes]` and `--entry-points`.
    pub key: &'static str,
    /// The default name is the prefix followed by this.
    pub suffix: &'static str,
    pub on_by_default: bool,
    /// Entry points this one cannot work without.
    pub needs: &'static [EntryPoint],
    pub kind: ApexKind,
    /// One line for `--help` and the docs.
    pub summary: &'static str,
}

impl EntryPoint {
    /// The key in `portal-disable.toml` and on the command line.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The entry point with this key.
    pub fn from_key(key: &str) -> Option<EntryPoint> {
        EntryPoint::ALL.iter().copied().find(|p| p.key() == key)
    }

    /// The entry point's name role.
    pub fn role(self) -> Role {
        Role::Entry(self)
    }

    /// `invocable, queueable, ...`: for messages listing the choices.
    pub fn keys() -> String {
        let keys: Vec<&str> = EntryPoint::ALL.iter().map(|p| p.key()).collect();
        keys.join(", ")
    }
}

impl fmt::Display for EntryPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl EntryPoints {
    /// Exactly the given entry points.
    pub fn only(points: &[EntryPoint]) -> Self {
        let mut set = EntryPoints::NONE;
        for point in points {
            set.set(*point, true);
        }
        set
    }

    /// The entry points that are on, in table order.
    pub fn iter(&self) -> impl Iterator<Item = EntryPoint> + '_ {
        EntryPoint::ALL.iter().copied().filter(|p| self.has(*p))
    }

    /// The first entry point that is on while one it needs is off.
    pub fn missing_need(&self) -> Option<(EntryPoint, EntryPoint)> {
        self.iter().find_map(|point| {
            point
                .spec()
                .needs
                .iter()
                .find(|need| !self.has(**need))
                .map(|need| (point, *need))
        })
    }
}

/// What a generated class or trigger is for: the key of its name in `[classes]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Core,
    Test,
    Entry(EntryPoint),
}

impl Role {
    /// Every role, core and test first.
    pub fn all() -> impl Iterator<Item = Role> {
        [Role::Core, Role::Test]
            .into_iter()
            .chain(EntryPoint::ALL.iter().copied().map(Role::Entry))
    }

    /// The key in `[classes]`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Core => "core",
            Role::Test => "test",
            Role::Entry(point) => point.key(),
        }
    }

    /// The role with this `[classes]` key.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::all().find(|r| r.key() == key)
    }

    /// Whether a file of this role is generated with these entry points.
    pub fn generated(self, entry: &EntryPoints) -> bool {
        match self {
            Role::Core | Role::Test => true,
            Role::Entry(point) => entry.has(point),
        }
    }
}

impl ClassNames {
    /// The custom permission every entry point checks first: `{core}Access`. Derived from the
    /// core class name, so it is unique per configuration and within the name limit for any
    /// valid class name (the structural tests check the longest names).
    pub fn custom_permission(&self) -> String {
        format!("{}Access", self.core)
    }

    /// The permission set that grants the custom permission, API access and the entry points'
    /// class access: named as the core class (another metadata type, so no clash).
    pub fn permission_set(&self) -> String {
        self.core.clone()
    }
}
