//! A small, lenient XML tree for reading SOAP responses.
//!
//! Salesforce's responses are small (kilobytes), so a tree is simpler than a streaming parser
//! and lets the typed readers in `parse.rs` ask for "all `failures` children" or "the text of
//! `done`" without caring how the document spelled it. Leniency is the point: prefixes and
//! namespaces are dropped (only local names are kept), comments and processing instructions
//! are skipped, entity and character references are resolved, and `xsi:nil="true"` is kept
//! as a flag so a nil element reads as absent.
//!
//! Bounded, because the answer comes from the network: at most [`MAX_DEPTH`] levels (a
//! DeployResult is about ten deep; a hostile answer 50,000 deep would otherwise overflow the
//! stack when the tree is dropped) and [`MAX_ELEMENTS`] elements (64 MiB of empty elements
//! would otherwise take gigabytes). Over either bound, the document is unreadable, like any
//! malformed answer.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One element: its local name, whether it was `xsi:nil`, its text and its child elements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub nil: bool,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name, in document order (a SOAP list: 0, 1 or N siblings).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child with this name; `None` when absent or `xsi:nil`.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).filter(|c| !c.nil).map(|c| c.text.as_str())
    }

    /// Follows a path of local names from this element.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names
            .iter()
            .try_fold(self, |element, name| element.child(name))
    }
}

/// The deepest nesting read.
pub const MAX_DEPTH: usize = 100;
/// The most elements read in one document: a DeployResult of 10,000 components with their
/// tests and coverage stays well under it.
pub const MAX_ELEMENTS: usize = 1_000_000;

/// Parses a whole document and returns its root element.
pub fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut elements = 0usize;
    let mut count = |depth: usize| {
        elements += 1;
        if depth >= MAX_DEPTH {
            Err(format!(
                "the document nests deeper than {MAX_DEPTH} elements"
            ))
        } else if elements > MAX_ELEMENTS {
            Err(format!(
                "the document has more than {MAX_ELEMENTS} elements"
            ))
        } else {
            Ok(())
        }
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) => {
                count(stack.len())?;
                stack.push(open(&start)?);
            }
            Event::Empty(start) => {
                count(stack.len())?;
                let element = open(&start)?;
                if let Some(root) = close(&mut stack, element) {
                    return Ok(root);
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| "closing tag without an opening tag".to_string())?;
                if let Some(root) = close(&mut stack, element) {
                    return Ok(root);
                }
            }
            Event::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(top) = stack.last_mut() {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => predefined(&reference.xml10_content())
                            .ok_or_else(|| {
                                format!("unknown entity `&{};`", reference.xml10_content())
                            })?
                            .to_string(),
                    };
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => return Err("the document ends before its root element closes".into()),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn open(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let name = start.local_name().as_ref().to_string();
    let mut nil = false;
    for attribute in start.attributes().flatten() {
        if attribute.key.local_name().as_ref() == "nil" {
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            nil = matches!(value.trim(), "true" | "1");
        }
    }
    Ok(Element {
        name,
        nil,
        ..Element::default()
    })
}

/// Attaches a finished element to its parent, or returns it when it is the root.
fn close(stack: &mut [Element], mut element: Element) -> Option<Element> {
    if !element.children.is_empty() && element.text.trim().is_empty() {
        element.text.clear();
    }
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(element);
            None
        }
        None => Some(element),
    }
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_nil_entities_and_whitespace() {
        let root = parse(
            r#"<?xml version="1.0"?><a:Envelope xmlns:a="x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <!-- c --><b x="1">1 &lt; 2 &amp; &#65;</b><n xsi:nil="true"/><e></e><b>two</b></a:Envelope>"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root.name, "Envelope");
        assert_eq!(root.text, "");
        assert_eq!(root.text_of("b"), Some("1 < 2 & A"));
        assert_eq!(root.all("b").count(), 2);
        assert_eq!(root.text_of("n"), None);
        assert_eq!(root.text_of("e"), Some(""));
        assert_eq!(root.text_of("missing"), None);
    }

    #[test]
    fn depth_and_size_are_bounded() {
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        let err = parse(&deep).err().unwrap_or_default();
        assert!(err.contains("nests deeper than"), "{err}");
        let just = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&just).is_ok());
        let flood = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS));
        let err = parse(&flood).err().unwrap_or_default();
        assert!(err.contains("more than"), "{err}");
        // 50,000 deep, as a hostile deploy() answer: an error, not a stack overflow.
        let hostile = "<a>".repeat(50_000);
        assert!(parse(&hostile).is_err());
    }

    #[test]
    fn malformed_documents_are_errors() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("<h1>Bad Message 400</h1><pre>x</pre>").is_ok());
        assert!(parse("not xml").is_err());
    }
}
