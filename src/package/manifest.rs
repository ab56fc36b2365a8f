//! `package.xml`: the manifest that tells `deploy()` which components the zip holds.
//!
//! Written with quick-xml's writer in the shape `sf project convert source` writes: 4-space
//! indent, one `<types>` per type sorted by name, members sorted, `<version>` last (the WSDL's
//! `Package` sequence puts `types*` before `version`), trailing newline. Sorting makes it
//! deterministic, so the zip is too.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::object::METADATA_NS;
use crate::api_version::ApiVersion;
use crate::error::{Error, Result};
use crate::source::{Component, ComponentType};

/// The package.xml text for `components`.
pub(crate) fn render(components: &[Component], version: ApiVersion) -> Result<String> {
    let mut types: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in components {
        types.entry(c.kind.name()).or_default().insert(&c.full_name);
    }
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 4);
    write(&mut writer, &types, version).map_err(|e| Error::io("write", "package.xml", e))?;
    let mut out = writer.into_inner();
    out.push(b'\n');
    // Every piece written above is a `&str`, so this is the same text.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn write(
    writer: &mut Writer<Vec<u8>>,
    types: &BTreeMap<&str, BTreeSet<&str>>,
    version: ApiVersion,
) -> std::io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("Package");
    root.push_attribute(("xmlns", METADATA_NS));
    writer.write_event(Event::Start(root))?;
    for (name, members) in types {
        writer.create_element("types").write_inner_content(|w| {
            for member in members {
                w.create_element("members")
                    .write_text_content(BytesText::new(member))?;
            }
            w.create_element("name")
                .write_text_content(BytesText::new(name))?;
            Ok(())
        })?;
    }
    writer
        .create_element("version")
        .write_text_content(BytesText::new(&version.to_string()))?;
    writer.write_event(Event::End(BytesEnd::new("Package")))
}

/// Component counts by type, for the summary.
pub(crate) fn counts(components: &[Component]) -> BTreeMap<ComponentType, usize> {
    let mut counts = BTreeMap::new();
    for c in components {
        *counts.entry(c.kind).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api_version::NEWEST;
    use crate::source::{Content, SourceFile};

    fn component(kind: ComponentType, name: &str) -> Component {
        Component {
            kind,
            full_name: name.to_string(),
            files: vec![SourceFile {
                display: String::new(),
                content: Content::Memory(String::new()),
                size: 0,
            }],
        }
    }

    #[test]
    fn matches_the_sf_cli_layout() {
        let xml = render(
            &[
                component(ComponentType::CustomField, "Contact.B__c"),
                component(ComponentType::ApexClass, "Zed"),
                component(ComponentType::ApexClass, "Alpha"),
            ],
            NEWEST,
        )
        .map_err(|e| e.to_string());
        assert_eq!(
            xml.as_deref(),
            Ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\
             \x20   <types>\n\
             \x20       <members>Alpha</members>\n\
             \x20       <members>Zed</members>\n\
             \x20       <name>ApexClass</name>\n\
             \x20   </types>\n\
             \x20   <types>\n\
             \x20       <members>Contact.B__c</members>\n\
             \x20       <name>CustomField</name>\n\
             \x20   </types>\n\
             \x20   <version>68.0</version>\n\
             </Package>\n")
        );
    }
}
