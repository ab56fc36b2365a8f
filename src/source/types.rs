//! The metadata types the tool packages, declared once: how each is laid out in SFDX source
//! format and in Metadata API format, and its `package.xml` name.
//!
//! Classifying source files (`source/classify.rs`), laying out the deploy's entries
//! (`package/layout.rs`), writing `package.xml` and finding stale generated files all read
//! this table. Adding a metadata type is one row here (and, for a new [`Form`], the code for
//! that form).

use std::fmt;

/// A metadata type the tool packages; in the order of [`TYPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentType {
    ApexClass,
    ApexTrigger,
    CustomField,
    CustomPermission,
    PermissionSet,
}

/// How a type's files look in the two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A source file and its `-meta.xml` beside it (`classes/A.cls`, `classes/A.cls-meta.xml`),
    /// copied as they are into `folder/` of the deploy.
    Pair {
        folder: &'static str,
        suffix: &'static str,
    },
    /// One metadata file, `<Name><suffix>-meta.xml` in source format, copied as
    /// `folder/<Name><suffix>` into the deploy (`customPermissions/X.customPermission`).
    Single {
        folder: &'static str,
        suffix: &'static str,
    },
    /// One file of a parent object (`objects/Contact/fields/F__c.field-meta.xml`), composed with
    /// its siblings into the parent's file (`objects/Contact.object`) under `element`.
    Child {
        /// The folder, below `objects/<Object>/`, that holds the child files.
        folder: &'static str,
        /// The source file's suffix.
        suffix: &'static str,
        /// The deploy folder of the parent (`objects`) and its file suffix (`.object`).
        parent_folder: &'static str,
        parent_suffix: &'static str,
        /// The parent's element that holds each child (`fields`).
        element: &'static str,
    },
}

/// One row of the table.
#[derive(Debug)]
pub struct TypeSpec {
    pub kind: ComponentType,
    /// The Metadata API type name, as `package.xml` spells it.
    pub name: &'static str,
    /// What the files are, in words (the message refusing other files lists them).
    pub plural: &'static str,
    pub form: Form,
}

/// Every type, in `package.xml` order (by name).
pub(crate) const TYPES: &[TypeSpec] = &[
    TypeSpec {
        kind: ComponentType::ApexClass,
        name: "ApexClass",
        plural: "Apex classes",
        form: Form::Pair {
            folder: "classes",
            suffix: ".cls",
        },
    },
    TypeSpec {
        kind: ComponentType::ApexTrigger,
        name: "ApexTrigger",
        plural: "triggers",
        form: Form::Pair {
            folder: "triggers",
            suffix: ".trigger",
        },
    },
    TypeSpec {
        kind: ComponentType::CustomField,
        name: "CustomField",
        plural: "custom fields",
        form: Form::Child {
            folder: "fields",
            suffix: ".field-meta.xml",
            parent_folder: "objects",
            parent_suffix: ".object",
            element: "fields",
        },
    },
    TypeSpec {
        kind: ComponentType::CustomPermission,
        name: "CustomPermission",
        plural: "custom permissions",
        form: Form::Single {
            folder: "customPermissions",
            suffix: ".customPermission",
        },
    },
    TypeSpec {
        kind: ComponentType::PermissionSet,
        name: "PermissionSet",
        plural: "permission sets",
        form: Form::Single {
            folder: "permissionsets",
            suffix: ".permissionset",
        },
    },
];

/// The suffix of a meta file beside its source.
pub(crate) const META_SUFFIX: &str = "-meta.xml";

impl ComponentType {
    /// The type's row.
    pub fn spec(self) -> &'static TypeSpec {
        // Rows are in the enum's order (checked by a test), so the discriminant is the index.
        &TYPES[self as usize]
    }

    /// The Metadata API type name, as package.xml spells it.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// What can be packaged, in words, for the message refusing anything else: `Apex classes
    /// (.cls), triggers (.trigger) with their -meta.xml, custom fields (.field-meta.xml), ...
    /// and permission sets (.permissionset-meta.xml)`.
    pub fn supported() -> String {
        let suffixed = |t: &TypeSpec| match t.form {
            Form::Pair { suffix, .. } | Form::Child { suffix, .. } => {
                format!("{} ({suffix})", t.plural)
            }
            Form::Single { suffix, .. } => format!("{} ({suffix}{META_SUFFIX})", t.plural),
        };
        let pairs: Vec<String> = TYPES
            .iter()
            .filter(|t| matches!(t.form, Form::Pair { .. }))
            .map(suffixed)
            .collect();
        let mut parts = vec![format!("{} with their {META_SUFFIX}", pairs.join(", "))];
        parts.extend(
            TYPES
                .iter()
                .filter(|t| !matches!(t.form, Form::Pair { .. }))
                .map(suffixed),
        );
        match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => parts.join(""),
        }
    }
}

impl fmt::Display for ComponentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_one_row_in_name_order() {
        let names: Vec<&str> = TYPES.iter().map(|t| t.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        for (index, spec) in TYPES.iter().enumerate() {
            assert_eq!(spec.kind as usize, index, "{} is out of order", spec.name);
        }
    }
}
