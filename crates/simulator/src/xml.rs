//! The simulator's own XML reader, on roxmltree: a different parser from the client's
//! (quick-xml), so a parsing bug cannot cancel out on both sides of a test.
//!
//! Lenient as Salesforce is: prefixes and default namespaces are dropped (local names only),
//! comments and processing instructions are skipped, entities are resolved, and
//! `xsi:nil="true"` is kept as a flag. A document type declaration is refused (roxmltree's
//! default): our client never sends one.

/// One element: its local name, whether it was `xsi:nil`, its text and its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

    /// Every child with this local name, in document order.
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

/// Parses a whole document and returns its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let document = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    Ok(convert(document.root_element()))
}

fn convert(node: roxmltree::Node<'_, '_>) -> Element {
    let nil = node
        .attributes()
        .any(|a| a.name() == "nil" && matches!(a.value().trim(), "true" | "1"));
    let mut element = Element {
        name: node.tag_name().name().to_string(),
        nil,
        ..Element::default()
    };
    for child in node.children() {
        if child.is_element() {
            element.children.push(convert(child));
        } else if child.is_text() {
            element.text.push_str(child.text().unwrap_or(""));
        }
    }
    if !element.children.is_empty() && element.text.trim().is_empty() {
        element.text.clear();
    }
    element
}

/// `text` escaped for XML character data and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
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
        assert_eq!(
            root.path(&["b"]).map(|b| b.text.as_str()),
            Some("1 < 2 & A")
        );
    }

    #[test]
    fn malformed_documents_and_doctypes_are_refused() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("not xml").is_err());
        assert!(parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").is_err());
    }

    #[test]
    fn escapes_what_xml_needs() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(
            parse(&format!("<a>{}</a>", escape("x<&>y"))).map(|a| a.text),
            Ok("x<&>y".into())
        );
    }
}
