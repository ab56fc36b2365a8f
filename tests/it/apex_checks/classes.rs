//! The generated classes as the visibility check sees them: every top-level and inner class,
//! enum and interface, by qualified name, with its methods, fields, constructors and inner
//! types, whether each is public (or global) and whether it is `@TestVisible`.

use std::collections::BTreeMap;

use tree_sitter::Node;

use crate::apex_checks::syntax::{Source, annotations, modifiers, type_text};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Method,
    Field,
    Constructor,
    Type,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub kind: Kind,
    pub name: String,
    /// As written, for messages.
    pub shown: String,
    pub arity: usize,
    pub public: bool,
    pub test_visible: bool,
    /// Declared type (fields), for `result.status.name()` chains.
    pub ty: String,
    pub at: String,
}

#[derive(Debug, Default)]
pub struct Class {
    /// The file's top-level class, lowercased.
    pub unit: String,
    /// The qualified name as written, for messages.
    pub shown: String,
    pub public: bool,
    pub members: Vec<Member>,
}

/// Every generated class (top-level and inner), by qualified lowercased name (`outer.inner`).
#[derive(Debug, Default)]
pub struct Index {
    pub classes: BTreeMap<String, Class>,
}

impl Index {
    pub fn new(sources: &[Source]) -> Index {
        let mut index = Index::default();
        for src in sources {
            let root = src.root();
            let mut cursor = root.walk();
            for class in root
                .children(&mut cursor)
                .filter(|n| n.kind() == "class_declaration")
            {
                index.add(src, class, ("", ""), &src.unit_name());
            }
        }
        index
    }

    /// Indexes a class and its inner types; `outer` is the enclosing class (lowercased, as
    /// written), empty for a top-level class.
    fn add(&mut self, src: &Source, decl: Node, outer: (&str, &str), unit: &str) {
        let (outer, outer_shown) = outer;
        let Some(name) = decl.child_by_field_name("name") else {
            return;
        };
        let shown_name = src.text_of(name).to_string();
        let name = shown_name.to_ascii_lowercase();
        let qualified = if outer.is_empty() {
            name
        } else {
            format!("{outer}.{name}")
        };
        let shown = if outer.is_empty() {
            shown_name
        } else {
            format!("{outer_shown}.{shown_name}")
        };
        let interface = decl.kind() == "interface_declaration";
        let mut class = Class {
            unit: unit.to_string(),
            shown: shown.clone(),
            public: is_public(src, decl),
            members: Vec::new(),
        };
        let Some(body) = decl.child_by_field_name("body") else {
            self.classes.insert(qualified, class);
            return;
        };
        let mut cursor = body.walk();
        for child in body.named_children(&mut cursor) {
            let member = |kind, name: Node, arity, ty: String| Member {
                kind,
                name: src.text_of(name).to_ascii_lowercase(),
                shown: src.text_of(name).to_string(),
                arity,
                public: interface || is_public(src, child),
                test_visible: annotations(src, child).contains(&"testvisible".to_string()),
                ty: ty.to_ascii_lowercase(),
                at: src.at(name, ""),
            };
            match child.kind() {
                "method_declaration" | "constructor_declaration" => {
                    let kind = if child.kind() == "method_declaration" {
                        Kind::Method
                    } else {
                        Kind::Constructor
                    };
                    if let Some(name) = child.child_by_field_name("name") {
                        class
                            .members
                            .push(member(kind, name, arity(child), String::new()));
                    }
                }
                "field_declaration" => {
                    let ty = child
                        .child_by_field_name("type")
                        .map(|t| type_text(src, t))
                        .unwrap_or_default();
                    let mut c = child.walk();
                    for declarator in child.children_by_field_name("declarator", &mut c) {
                        if let Some(name) = declarator.child_by_field_name("name") {
                            class.members.push(member(Kind::Field, name, 0, ty.clone()));
                        }
                    }
                }
                "class_declaration" | "enum_declaration" | "interface_declaration" => {
                    if let Some(name) = child.child_by_field_name("name") {
                        class
                            .members
                            .push(member(Kind::Type, name, 0, String::new()));
                    }
                    self.add(src, child, (&qualified, &shown), unit);
                }
                _ => {}
            }
        }
        self.classes.insert(qualified, class);
    }

    /// The type of `owner.member` when `owner` is a generated class with such a field.
    pub fn field_type(&self, owner: &str, member: &str) -> Option<String> {
        let class = self.classes.get(owner)?;
        let field = class
            .members
            .iter()
            .find(|m| m.kind == Kind::Field && m.name == member)?;
        Some(field.ty.clone())
    }
}

fn is_public(src: &Source, decl: Node) -> bool {
    modifiers(src, decl)
        .iter()
        .any(|m| m == "public" || m == "global")
}

fn arity(decl: Node) -> usize {
    decl.child_by_field_name("parameters")
        .map(|p| {
            let mut cursor = p.walk();
            p.named_children(&mut cursor)
                .filter(|n| n.kind() == "formal_parameter")
                .count()
        })
        .unwrap_or(0)
}
