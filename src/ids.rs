//! Salesforce record Ids: the 15-character case-sensitive form, the 18-character form with its
//! checksum suffix, and the key prefix that names the object.
//!
//! An 18-character Id is the 15 characters plus three suffix letters, one per 5-character
//! chunk, each encoding which of the chunk's characters are upper-case letters (Salesforce KB
//! 000004383; the algorithm as in rest-api reference §5). The 18-character form is
//! case-insensitive: its case is restored from the suffix, so `0036000000qkv5taat` is
//! `0036000000QKv5TAAT`; a suffix that cannot belong to the Id (a character outside `A`–`Z`,
//! `0`–`5`, or a bit that marks a digit as upper-case) is a wrong checksum. Every Id leaves here
//! in its 18-character form, so Ids compare as plain strings.

use std::fmt;

/// The suffix alphabet: the value of a chunk's bits indexes it.
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// Key prefixes of the standard objects an input file may hold by mistake (KB 000385203;
/// `0Af` and `01p` from the Metadata API reference): the first three characters of an Id.
const KNOWN_PREFIXES: &[(&str, &str)] = &[
    ("001", "an Account"),
    ("003", "a Contact"),
    ("005", "a User"),
    ("006", "an Opportunity"),
    ("00D", "an Organization"),
    ("00e", "a Profile"),
    ("00Q", "a Lead"),
    ("012", "a RecordType"),
    ("01p", "an ApexClass"),
    ("0Af", "a deploy job"),
];

/// The key prefix of Contact Ids.
pub(crate) const CONTACT_PREFIX: &str = "003";
/// The key prefix of User Ids.
pub(crate) const USER_PREFIX: &str = "005";

/// A record Id in its 18-character form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Id(String);

/// Why a text is not an Id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdProblem {
    /// Not 15 or 18 letters and digits.
    Form,
    /// 18 characters whose suffix cannot belong to the first 15.
    Checksum,
}

impl Id {
    /// Reads a 15- or 18-character Id (surrounding spaces ignored) into its 18-character form.
    pub(crate) fn parse(text: &str) -> Result<Id, IdProblem> {
        let text = text.trim();
        if !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(IdProblem::Form);
        }
        match text.len() {
            15 => {
                let mut id = text.to_string();
                id.push_str(&suffix(text));
                Ok(Id(id))
            }
            18 => restore_case(text).map(Id),
            _ => Err(IdProblem::Form),
        }
    }

    /// The 18 characters.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The key prefix: the first three characters, naming the object.
    pub(crate) fn prefix(&self) -> &str {
        &self.0[..3]
    }

    /// True for Contact Ids.
    pub(crate) fn is_contact(&self) -> bool {
        self.prefix() == CONTACT_PREFIX
    }

    /// True for User Ids.
    pub(crate) fn is_user(&self) -> bool {
        self.prefix() == USER_PREFIX
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What object a key prefix names, as in "an Account", when it is a standard one we know.
pub(crate) fn object_of_prefix(prefix: &str) -> Option<&'static str> {
    KNOWN_PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, name)| *name)
}

/// The three suffix characters of a 15-character Id.
pub(crate) fn suffix(id15: &str) -> String {
    id15.as_bytes()
        .chunks(5)
        .take(3)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .fold(0usize, |n, (i, _)| n | (1 << i));
            char::from(ALPHABET[bits])
        })
        .collect()
}

/// The 18-character Id with the case its suffix says, or a wrong checksum.
fn restore_case(text: &str) -> Result<String, IdProblem> {
    let (body, tail) = text.split_at(15);
    let mut restored = String::with_capacity(18);
    for (chunk, suffix_char) in body.as_bytes().chunks(5).zip(tail.bytes()) {
        let upper = suffix_char.to_ascii_uppercase();
        let bits = ALPHABET
            .iter()
            .position(|c| *c == upper)
            .ok_or(IdProblem::Checksum)?;
        for (i, b) in chunk.iter().enumerate() {
            let upper_here = bits & (1 << i) != 0;
            if upper_here && !b.is_ascii_alphabetic() {
                return Err(IdProblem::Checksum);
            }
            restored.push(char::from(if upper_here {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            }));
        }
    }
    restored.push_str(&tail.to_ascii_uppercase());
    // A 15-character body typed in one case and given a suffix it does not match: the
    // restored case must reproduce the suffix (it always does unless a letter was expected
    // where a digit is, caught above).
    if suffix(&restored[..15]) != restored[15..] {
        return Err(IdProblem::Checksum);
    }
    Ok(restored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> String {
        Id::parse(text)
            .map(|i| i.to_string())
            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn documented_examples_get_their_documented_suffix() {
        assert_eq!(id("003D0000001aH2A"), "003D0000001aH2AIAU");
        assert_eq!(id("0036000000QKv5T"), "0036000000QKv5TAAT");
        assert_eq!(id("003RO0000035WQg"), "003RO0000035WQgYAM");
        assert_eq!(id("001D000000IRFma"), "001D000000IRFmaIAH");
        assert_eq!(id("0Af3B00001CMyfA"), "0Af3B00001CMyfASAT");
        assert_eq!(id("a0RE000000IJmcN"), "a0RE000000IJmcNMAT");
        assert_eq!(suffix("aBcDEfgHIJKLMNO"), "025");
    }

    #[test]
    fn eighteen_characters_are_case_insensitive() {
        assert_eq!(id("0036000000qkv5taat"), "0036000000QKv5TAAT");
        assert_eq!(id("0036000000QKV5TAAT"), "0036000000QKv5TAAT");
        assert_eq!(id(" 003RO0000035WQgYAM "), "003RO0000035WQgYAM");
    }

    #[test]
    fn bad_forms_and_checksums_are_refused() {
        for text in [
            "",
            "003",
            "003D0000001aH2",
            "003D0000001aH2AIA",
            "003D0000001aH2A-AU",
        ] {
            assert_eq!(Id::parse(text), Err(IdProblem::Form), "{text}");
        }
        // `9` is outside the suffix alphabet; `Z` (25 = bits 0,3,4) marks the digits of
        // `00000` as upper-case.
        assert_eq!(Id::parse("003D0000001aH2AIA9"), Err(IdProblem::Checksum));
        assert_eq!(Id::parse("003D0000001aH2AZAU"), Err(IdProblem::Checksum));
    }

    #[test]
    fn prefixes_name_their_objects() {
        let contact = Id::parse("003D0000001aH2A").unwrap_or_else(|e| panic!("{e:?}"));
        assert!(contact.is_contact() && !contact.is_user());
        assert_eq!(object_of_prefix("001"), Some("an Account"));
        assert_eq!(object_of_prefix("a0R"), None);
    }
}
