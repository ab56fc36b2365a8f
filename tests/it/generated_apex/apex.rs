//! A small reading of generated Apex for the structural checks: parsing with
//! tree-sitter-sfapex, walking nodes, and the methods of a class with the class they belong
//! to, their modifiers and the calls they make.

use tree_sitter::{Node, Parser, Tree};

pub fn parse(source: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_sfapex::apex::LANGUAGE.into())
        .unwrap_or_else(|e| panic!("grammar version: {e}"));
    parser
        .parse(source, None)
        .unwrap_or_else(|| panic!("parser has a language"))
}

/// Every descendant of `node` (itself included), breadth first.
pub fn descendants(node: Node) -> Vec<Node> {
    let mut out = vec![node];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        let mut cursor = current.walk();
        out.extend(current.children(&mut cursor));
        i += 1;
    }
    out
}

/// The source text of a node.
pub fn text<'s>(node: Node, source: &'s str) -> &'s str {
    &source[node.byte_range()]
}

/// The text of a node's field, or "".
pub fn field<'s>(node: Node, name: &str, source: &'s str) -> &'s str {
    node.child_by_field_name(name)
        .map_or("", |child| text(child, source))
}

/// A method or constructor, with the classes around it.
pub struct Method<'t> {
    /// `Outer` or `Outer.Inner`.
    pub class: String,
    pub name: String,
    pub node: Node<'t>,
    /// The modifiers and annotations, as written.
    pub modifiers: String,
    /// The modifiers of the class it is declared in.
    pub class_modifiers: String,
}

impl Method<'_> {
    /// True for `public` or `global` methods of a class that is itself reachable from
    /// outside (every enclosing class public or global).
    pub fn is_public(&self) -> bool {
        let open = |m: &str| m.split_whitespace().any(|w| w == "public" || w == "global");
        open(&self.modifiers) && open(&self.class_modifiers)
    }

    pub fn has_annotation(&self, name: &str) -> bool {
        self.modifiers
            .to_ascii_lowercase()
            .contains(&name.to_ascii_lowercase())
    }

    /// The statements of the method's body, in order.
    pub fn statements(&self) -> Vec<Node<'_>> {
        let Some(body) = self.node.child_by_field_name("body") else {
            return Vec::new();
        };
        let mut cursor = body.walk();
        body.named_children(&mut cursor)
            .filter(|n| n.kind() != "line_comment" && n.kind() != "block_comment")
            .collect()
    }
}

fn modifiers_of(node: Node, source: &str) -> String {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .filter(|c| c.kind() == "modifiers")
        .map(|c| text(c, source).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every method and constructor of every class in the file, inner classes included.
pub fn methods<'t>(tree: &'t Tree, source: &str) -> Vec<Method<'t>> {
    let mut out = Vec::new();
    let root = tree.root_node();
    let mut cursor = root.walk();
    for class in root.children(&mut cursor) {
        if class.kind() == "class_declaration" {
            collect(class, "", "public global", source, &mut out);
        }
    }
    out
}

fn collect<'t>(
    class: Node<'t>,
    outer: &str,
    outer_modifiers: &str,
    source: &str,
    out: &mut Vec<Method<'t>>,
) {
    let name = field(class, "name", source);
    let path = if outer.is_empty() {
        name.to_string()
    } else {
        format!("{outer}.{name}")
    };
    let own = modifiers_of(class, source);
    // An inner class is reachable only through an outer one that is.
    let reachable = if outer_modifiers.contains("public") || outer_modifiers.contains("global") {
        own.clone()
    } else {
        String::new()
    };
    let Some(body) = class.child_by_field_name("body") else {
        return;
    };
    let mut cursor = body.walk();
    for member in body.children(&mut cursor) {
        match member.kind() {
            "method_declaration" | "constructor_declaration" => out.push(Method {
                class: path.clone(),
                name: field(member, "name", source).to_string(),
                node: member,
                modifiers: modifiers_of(member, source),
                class_modifiers: reachable.clone(),
            }),
            "class_declaration" => collect(member, &path, &reachable, source, out),
            _ => {}
        }
    }
}

/// The method invocations under `node`: (object text, method name, node).
pub fn calls<'t>(node: Node<'t>, source: &str) -> Vec<(String, String, Node<'t>)> {
    descendants(node)
        .into_iter()
        .filter(|n| n.kind() == "method_invocation")
        .map(|n| {
            (
                field(n, "object", source).to_string(),
                field(n, "name", source).to_string(),
                n,
            )
        })
        .collect()
}
