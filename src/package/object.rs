//! Custom fields in metadata format. SFDX source keeps one file per field
//! (`objects/Contact/fields/F__c.field-meta.xml`, root `<CustomField>`); the Metadata API takes
//! one `objects/Contact.object` per object, root `<CustomObject>`, with a `<fields>` element
//! per field. This is the conversion `sf project convert source` does, in its layout: 4-space
//! indent, one `<fields>` per field sorted by name, the field's children unchanged, and the
//! field's own `<fullName>` (the field name, not `Contact.F__c`) first.
//!
//! portal-disable's provenance marker (a comment inside the field's root) and comments around
//! the root are left out: the `.object` is a build artifact, not a file anyone edits, and the
//! sf CLI's converters drop or misplace such comments too.

use std::io::Write;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::apex::marker;
use crate::error::{Bad, Error, Result};
use crate::fs::read;
use crate::source::{Content, SourceFile};

/// The Metadata API namespace every metadata file declares.
pub(crate) const METADATA_NS: &str = "http://soap.sforce.com/2006/04/metadata";

/// One field of an object: its name (`F__c`) and its `.field-meta.xml`.
pub(crate) struct Field<'a> {
    pub name: &'a str,
    pub file: &'a SourceFile,
}

/// Writes `objects/<Object>.object` for `fields` (sorted by the caller) to `out`. `dest`
/// names the output in I/O errors.
pub(crate) fn write_object(fields: &[Field<'_>], out: impl Write, dest: &Path) -> Result<()> {
    let io = |e: std::io::Error| Error::io("write", dest, e);
    let mut writer = Writer::new_with_indent(out, b' ', 4);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    let mut root = BytesStart::new("CustomObject");
    root.push_attribute(("xmlns", METADATA_NS));
    writer.write_event(Event::Start(root)).map_err(io)?;
    for field in fields {
        let text = read_text(field.file)?;
        writer
            .write_event(Event::Start(BytesStart::new("fields")))
            .map_err(io)?;
        copy_children(&text, field, &mut writer)?;
        writer
            .write_event(Event::End(BytesEnd::new("fields")))
            .map_err(io)?;
    }
    writer
        .write_event(Event::End(BytesEnd::new("CustomObject")))
        .map_err(io)?;
    writer.get_mut().write_all(b"\n").map_err(io)
}

/// The field file's text; read only now, when its object is written.
fn read_text(file: &SourceFile) -> Result<String> {
    match &file.content {
        Content::Memory(text) => Ok(text.clone()),
        Content::Disk(path) => read::bytes(path, read::SMALL_FILE)
            .map_err(|e| e.into_error(Path::new(&file.display)))
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    Error::input(
                        Bad::UnsupportedSource,
                        format!("`{}` is not UTF-8 text; save it as UTF-8", file.display),
                    )
                })
            }),
    }
}

/// What the previous event written was, to tell indentation from a value's whitespace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    TextLike,
    Other,
}

/// Copies the children of the field file's `<CustomField>` root into `writer`, re-indented.
fn copy_children<W: Write>(text: &str, field: &Field<'_>, writer: &mut Writer<W>) -> Result<()> {
    let display = &field.file.display;
    let bad_xml = |reader: &Reader<&[u8]>, e: quick_xml::Error| {
        Error::input(
            Bad::UnsupportedSource,
            format!(
                "`{display}`: not well-formed XML at byte {}: {e}; fix the file",
                reader.error_position()
            ),
        )
    };
    let io = |e: std::io::Error| Error::io("write", display, e);
    let mut reader = Reader::from_reader(text.as_bytes());
    let mut depth = 0usize;
    let mut seen_root = false;
    // The first child of the root, checked to be <fullName>: (seen, inside it, its text).
    let mut first_child_done = false;
    let mut in_full_name = false;
    let mut full_name = String::new();
    // Whitespace-only text is indentation between elements, unless it sits inside a leaf
    // element (`<description> </description>`): decided by what comes before and after it.
    let mut pending: Option<String> = None;
    let mut last = Last::Other;

    loop {
        let event = reader.read_event().map_err(|e| bad_xml(&reader, e))?;
        if depth == 0 {
            match event {
                Event::Start(ref e) | Event::Empty(ref e) if !seen_root => {
                    if e.local_name().as_ref() != "CustomField" {
                        return Err(Error::input(
                            Bad::UnsupportedSource,
                            format!(
                                "`{display}`: the root element is <{}>, a field file needs <CustomField xmlns=\"{METADATA_NS}\">; fix the file",
                                e.name().as_ref()
                            ),
                        ));
                    }
                    seen_root = true;
                    if matches!(event, Event::Start(_)) {
                        depth = 1;
                    } else {
                        write_full_name(writer, field.name).map_err(io)?;
                    }
                }
                Event::Eof => break,
                // Declaration, comments, whitespace around the root: not part of the field.
                Event::Decl(_)
                | Event::Comment(_)
                | Event::PI(_)
                | Event::DocType(_)
                | Event::Text(_) => {}
                _ => {
                    return Err(Error::input(
                        Bad::UnsupportedSource,
                        format!(
                            "`{display}`: content outside the <CustomField> root; fix the file"
                        ),
                    ));
                }
            }
            continue;
        }

        let text_like = matches!(
            event,
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)
        );
        if let Event::Text(ref t) = event
            && t.chars().all(char::is_whitespace)
        {
            pending = Some(t.to_string());
            continue;
        }
        if let Some(ws) = pending.take() {
            let is_value = matches!(last, Last::Start | Last::TextLike)
                && (text_like || matches!(event, Event::End(_)));
            if is_value {
                writer
                    .write_event(Event::Text(BytesText::from_escaped(ws)))
                    .map_err(io)?;
            }
        }

        if depth == 1 && !first_child_done {
            if let Event::Start(ref e) | Event::Empty(ref e) = event {
                first_child_done = true;
                if e.local_name().as_ref() == "fullName" {
                    in_full_name = matches!(event, Event::Start(_));
                } else {
                    write_full_name(writer, field.name).map_err(io)?;
                }
            } else if matches!(event, Event::End(_)) {
                // `<CustomField></CustomField>`: the name is all there is.
                write_full_name(writer, field.name).map_err(io)?;
            }
        }

        match event {
            Event::Start(e) => {
                depth += 1;
                last = Last::Start;
                writer.write_event(Event::Start(e)).map_err(io)?;
            }
            Event::End(e) => {
                depth -= 1;
                if depth == 0 {
                    // The root's end: `</fields>` is the caller's.
                    continue;
                }
                if in_full_name && depth == 1 {
                    in_full_name = false;
                    check_full_name(&full_name, field)?;
                }
                last = Last::Other;
                writer.write_event(Event::End(e)).map_err(io)?;
            }
            Event::Text(t) => {
                if in_full_name {
                    full_name.push_str(&t);
                }
                last = Last::TextLike;
                writer.write_event(Event::Text(t)).map_err(io)?;
            }
            Event::GeneralRef(r) => {
                if in_full_name {
                    full_name.push_str(&format!("&{};", &*r));
                }
                last = Last::TextLike;
                // As text: the writer would break the line after a reference event, which
                // would change the value of an element ending in `&amp;`.
                let raw = format!("&{};", &*r);
                writer
                    .write_event(Event::Text(BytesText::from_escaped(raw)))
                    .map_err(io)?;
            }
            Event::CData(c) => {
                last = Last::TextLike;
                writer.write_event(Event::CData(c)).map_err(io)?;
            }
            Event::Empty(e) => {
                last = Last::Other;
                writer.write_event(Event::Empty(e)).map_err(io)?;
            }
            // portal-disable's provenance marker belongs to the source file, not the object.
            Event::Comment(c) if marker::is_marker_line(&c[..]) => {}
            Event::Comment(c) => {
                last = Last::Other;
                writer.write_event(Event::Comment(c)).map_err(io)?;
            }
            Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => {
                return Err(Error::input(
                    Bad::UnsupportedSource,
                    format!("`{display}`: the file ends inside <CustomField>; fix the file"),
                ));
            }
        }
    }
    if !seen_root {
        return Err(Error::input(
            Bad::UnsupportedSource,
            format!("`{display}`: no <CustomField> element; fix the file"),
        ));
    }
    Ok(())
}

fn write_full_name<W: Write>(writer: &mut Writer<W>, name: &str) -> std::io::Result<()> {
    writer
        .create_element("fullName")
        .write_text_content(BytesText::new(name))?;
    Ok(())
}

/// A field's `<fullName>` is its name within the object, and must match its file name: the
/// org would otherwise get a field other than the one package.xml lists.
fn check_full_name(full_name: &str, field: &Field<'_>) -> Result<()> {
    if full_name.trim() != field.name {
        return Err(Error::input(
            Bad::UnsupportedSource,
            format!(
                "`{}`: <fullName>{}</fullName> does not match the file name `{}`; make them the same",
                field.file.display,
                full_name.trim(),
                field.name
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compose(files: &[(&str, &str)]) -> Result<String, String> {
        let sources: Vec<SourceFile> = files
            .iter()
            .map(|(name, text)| SourceFile {
                display: format!("objects/Contact/fields/{name}.field-meta.xml"),
                content: Content::Memory((*text).to_string()),
                size: text.len() as u64,
            })
            .collect();
        let fields: Vec<Field<'_>> = files
            .iter()
            .zip(&sources)
            .map(|((name, _), file)| Field { name, file })
            .collect();
        let mut out = Vec::new();
        write_object(&fields, &mut out, Path::new("Contact.object")).map_err(|e| e.to_string())?;
        String::from_utf8(out).map_err(|e| e.to_string())
    }

    #[test]
    fn nests_fields_as_the_sf_cli_does() {
        let field = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
            <!-- a comment before the root -->\n\
            <CustomField xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\
            \x20   <!-- Generated by portal-disable (checksum 0). Do not edit. -->\n\
            \x20   <fullName>A__c</fullName>\n\
            \x20   <description>Tom &amp; Jerry\n  two lines</description>\n\
            \x20   <label> </label>\n\
            \x20   <type>Checkbox</type>\n\
            </CustomField>\n";
        let out = compose(&[("A__c", field)]);
        assert_eq!(
            out.as_deref(),
            Ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                <CustomObject xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\
                \x20   <fields>\n\
                \x20       <fullName>A__c</fullName>\n\
                \x20       <description>Tom &amp; Jerry\n  two lines</description>\n\
                \x20       <label> </label>\n\
                \x20       <type>Checkbox</type>\n\
                \x20   </fields>\n\
                </CustomObject>\n")
        );
    }

    #[test]
    fn adds_a_missing_full_name_and_refuses_a_wrong_one() {
        let out = compose(&[(
            "B__c",
            "<CustomField xmlns=\"http://soap.sforce.com/2006/04/metadata\"><type>Text</type></CustomField>",
        )])
        .unwrap_or_default();
        assert!(
            out.contains("<fields>\n        <fullName>B__c</fullName>\n        <type>Text</type>"),
            "{out}"
        );

        let err = compose(&[(
            "B__c",
            "<CustomField><fullName>C__c</fullName></CustomField>",
        )])
        .err()
        .unwrap_or_default();
        assert!(err.contains("does not match the file name `B__c`"), "{err}");

        let err = compose(&[("B__c", "<ApexClass/>")])
            .err()
            .unwrap_or_default();
        assert!(err.contains("the root element is <ApexClass>"), "{err}");

        let err = compose(&[("B__c", "<CustomField><type>")])
            .err()
            .unwrap_or_default();
        assert!(err.contains("B__c.field-meta.xml"), "{err}");
    }
}
