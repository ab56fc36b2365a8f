//! Apex identifier rules: what a class, trigger or field name may be.
//!
//! Names reach the Apex templates unescaped, so every name is validated here first. The rules
//! are Salesforce's own (the same the sf CLI applies to `template generate apex class`): start
//! with a letter, then letters, digits or underscores, no `__`, no trailing `_`, at most 40
//! characters, and not one of Apex's reserved keywords. This module is a leaf: it imports
//! nothing of ours.

/// Longest name Salesforce accepts for an Apex class or trigger.
pub(crate) const MAX_NAME_LEN: usize = 40;

/// Apex reserved keywords (Apex Developer Guide, "Reserved Keywords", release 262). They cannot
/// name a class, trigger or variable. Compared case-insensitively: Apex is case-insensitive.
const RESERVED: &[&str] = &[
    "abstract",
    "activate",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "autonomous",
    "begin",
    "bigdecimal",
    "blob",
    "boolean",
    "break",
    "bulk",
    "by",
    "byte",
    "case",
    "cast",
    "catch",
    "char",
    "class",
    "collect",
    "commit",
    "const",
    "continue",
    "currency",
    "date",
    "datetime",
    "decimal",
    "default",
    "delete",
    "desc",
    "do",
    "double",
    "else",
    "end",
    "enum",
    "exception",
    "exit",
    "export",
    "extends",
    "false",
    "final",
    "finally",
    "float",
    "for",
    "from",
    "global",
    "goto",
    "group",
    "having",
    "hint",
    "if",
    "implements",
    "import",
    "in",
    "inner",
    "insert",
    "instanceof",
    "int",
    "integer",
    "interface",
    "into",
    "join",
    "like",
    "limit",
    "list",
    "long",
    "loop",
    "map",
    "merge",
    "new",
    "not",
    "null",
    "nulls",
    "number",
    "object",
    "of",
    "on",
    "or",
    "outer",
    "override",
    "package",
    "parallel",
    "pragma",
    "private",
    "protected",
    "public",
    "retrieve",
    "return",
    "rollback",
    "select",
    "set",
    "short",
    "sobject",
    "sort",
    "static",
    "string",
    "super",
    "switch",
    "synchronized",
    "system",
    "testmethod",
    "then",
    "this",
    "throw",
    "time",
    "transaction",
    "trigger",
    "true",
    "try",
    "undelete",
    "update",
    "upsert",
    "using",
    "virtual",
    "void",
    "webservice",
    "when",
    "where",
    "while",
];

/// Why a name is not a valid Apex identifier; `Display` completes "name `X` ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameProblem {
    Empty,
    FirstNotLetter,
    BadCharacter(char),
    DoubleUnderscore,
    TrailingUnderscore,
    TooLong(usize),
    Reserved,
    NotCustomField,
}

impl std::fmt::Display for NameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameProblem::Empty => write!(f, "is empty"),
            NameProblem::FirstNotLetter => write!(f, "must start with a letter"),
            NameProblem::BadCharacter(c) => {
                write!(
                    f,
                    "contains `{c}`; use only letters, digits and underscores"
                )
            }
            NameProblem::DoubleUnderscore => write!(f, "must not contain `__`"),
            NameProblem::TrailingUnderscore => write!(f, "must not end with `_`"),
            NameProblem::TooLong(len) => {
                write!(f, "is {len} characters long; the limit is {MAX_NAME_LEN}")
            }
            NameProblem::Reserved => write!(f, "is a reserved Apex keyword"),
            NameProblem::NotCustomField => {
                write!(f, "must be a custom field API name ending in `__c`")
            }
        }
    }
}

/// Checks a class or trigger name against Salesforce's rules.
pub(crate) fn check_identifier(name: &str) -> Result<(), NameProblem> {
    let mut chars = name.chars();
    let first = chars.next().ok_or(NameProblem::Empty)?;
    if !first.is_ascii_alphabetic() {
        return Err(NameProblem::FirstNotLetter);
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(NameProblem::BadCharacter(bad));
    }
    if name.contains("__") {
        return Err(NameProblem::DoubleUnderscore);
    }
    if name.ends_with('_') {
        return Err(NameProblem::TrailingUnderscore);
    }
    let len = name.chars().count();
    if len > MAX_NAME_LEN {
        return Err(NameProblem::TooLong(len));
    }
    if is_reserved(name) {
        return Err(NameProblem::Reserved);
    }
    Ok(())
}

/// True when `word` is an Apex reserved keyword, in any letter case.
pub(crate) fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

/// Checks the API name of a custom field in the org's own namespace (`Something__c`): the part
/// before `__c` follows the identifier rules (a reserved word is fine there, the suffix makes
/// it unambiguous), and the whole name stays within 40 characters.
pub(crate) fn check_custom_field(name: &str) -> Result<(), NameProblem> {
    let stem = name
        .strip_suffix("__c")
        .ok_or(NameProblem::NotCustomField)?;
    match check_identifier(stem) {
        Ok(()) | Err(NameProblem::Reserved) | Err(NameProblem::TooLong(_)) => {}
        Err(other) => return Err(other),
    }
    let len = name.chars().count();
    if len > MAX_NAME_LEN {
        return Err(NameProblem::TooLong(len));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in ["PortalUserDisabler", "A", "Portal_User2", &"A".repeat(40)] {
            assert_eq!(check_identifier(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_each_rule() {
        let cases = [
            ("", NameProblem::Empty),
            ("1Bad", NameProblem::FirstNotLetter),
            ("_Bad", NameProblem::FirstNotLetter),
            ("Bad-Name", NameProblem::BadCharacter('-')),
            ("Bad Name", NameProblem::BadCharacter(' ')),
            ("Bad__Name", NameProblem::DoubleUnderscore),
            ("BadName_", NameProblem::TrailingUnderscore),
            ("Trigger", NameProblem::Reserved),
            ("sObject", NameProblem::Reserved),
        ];
        for (name, want) in cases {
            assert_eq!(check_identifier(name), Err(want), "{name}");
        }
        assert_eq!(
            check_identifier(&"A".repeat(41)),
            Err(NameProblem::TooLong(41))
        );
    }

    #[test]
    fn custom_fields_need_the_suffix() {
        assert_eq!(check_custom_field("Disable_Portal_User__c"), Ok(()));
        assert_eq!(check_custom_field("Delete__c"), Ok(()));
        assert_eq!(
            check_custom_field("Disable"),
            Err(NameProblem::NotCustomField)
        );
        assert_eq!(
            check_custom_field("Bad__Name__c"),
            Err(NameProblem::DoubleUnderscore)
        );
        assert_eq!(
            check_custom_field(&format!("{}__c", "A".repeat(38))),
            Err(NameProblem::TooLong(41))
        );
    }

    #[test]
    fn messages_say_how_to_fix() {
        assert_eq!(
            NameProblem::BadCharacter('-').to_string(),
            "contains `-`; use only letters, digits and underscores"
        );
    }
}
