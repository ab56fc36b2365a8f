//! The generated Apex as tree-sitter-sfapex trees, and the small type resolution the gap
//! checks need: the type a name was declared with where it is used, and the type of simple
//! expressions built on it (`users[0]`, `results.get(id)`, `new Contact(...)`, casts).
//!
//! Apex names are case-insensitive, so every name is compared lowercased.

use std::ops::Range;

use tree_sitter::{Node, Parser, Tree};

/// One Apex file, parsed.
pub struct Source {
    /// Shown in findings: `classes/Foo.cls`.
    pub path: String,
    pub text: String,
    pub tree: Tree,
}

impl Source {
    pub fn parse(path: &str, text: &str) -> Source {
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_sfapex::apex::LANGUAGE.into())
            .unwrap_or_else(|e| panic!("tree-sitter-sfapex grammar: {e}"));
        let tree = parser
            .parse(text, None)
            .unwrap_or_else(|| panic!("{path}: the parser has a language but gave no tree"));
        Source {
            path: path.to_string(),
            text: text.to_string(),
            tree,
        }
    }

    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }

    pub fn text_of(&self, node: Node) -> &str {
        &self.text[node.byte_range()]
    }

    /// `path:line: message` for a finding at `node` (1-based line).
    pub fn at(&self, node: Node, message: impl std::fmt::Display) -> String {
        format!("{}:{}: {message}", self.path, node.start_position().row + 1)
    }

    /// The name of the file's top-level class or trigger, lowercased.
    pub fn unit_name(&self) -> String {
        let root = self.root();
        let mut cursor = root.walk();
        root.children(&mut cursor)
            .find(|n| matches!(n.kind(), "class_declaration" | "trigger_declaration"))
            .and_then(|n| n.child_by_field_name("name"))
            .map(|n| self.text_of(n).to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// True when the top-level class carries `@IsTest`.
    pub fn is_test_class(&self) -> bool {
        let root = self.root();
        let mut cursor = root.walk();
        root.children(&mut cursor)
            .filter(|n| n.kind() == "class_declaration")
            .any(|class| annotations(self, class).contains(&"istest".to_string()))
    }
}

/// Every descendant of `node` (itself included), in document order.
pub fn descendants(node: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        out.push(current);
        let mut cursor = current.walk();
        let children: Vec<Node> = current.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// The nearest ancestor of `node` of one of these kinds.
pub fn ancestor<'t>(node: Node<'t>, kinds: &[&str]) -> Option<Node<'t>> {
    let mut current = node.parent();
    while let Some(parent) = current {
        if kinds.contains(&parent.kind()) {
            return Some(parent);
        }
        current = parent.parent();
    }
    None
}

/// The annotation names of a declaration (lowercased, without `@`).
pub fn annotations(src: &Source, declaration: Node) -> Vec<String> {
    modifier_nodes(declaration)
        .into_iter()
        .filter(|n| n.kind() == "annotation")
        .filter_map(|n| n.child_by_field_name("name"))
        .map(|n| src.text_of(n).to_ascii_lowercase())
        .collect()
}

/// The access and other keywords of a declaration (lowercased: `public`, `static`, ...).
pub fn modifiers(src: &Source, declaration: Node) -> Vec<String> {
    modifier_nodes(declaration)
        .into_iter()
        .filter(|n| n.kind() == "modifier")
        .map(|n| src.text_of(n).to_ascii_lowercase())
        .collect()
}

fn modifier_nodes(declaration: Node) -> Vec<Node> {
    let mut cursor = declaration.walk();
    let Some(modifiers) = declaration
        .children(&mut cursor)
        .find(|n| n.kind() == "modifiers")
    else {
        return Vec::new();
    };
    let mut cursor = modifiers.walk();
    modifiers.children(&mut cursor).collect()
}

/// A type as written, without whitespace: `Map<Id,PortalUserDisabler.Result>`.
pub fn type_text(src: &Source, node: Node) -> String {
    src.text_of(node).split_whitespace().collect()
}

/// The type arguments of a generic type text: `Map<Id,X.Y>` -> (`map`, [`id`, `x.y`]).
pub fn generic_parts(ty: &str) -> (String, Vec<String>) {
    let ty = ty.to_ascii_lowercase();
    let Some(open) = ty.find('<') else {
        return (ty, Vec::new());
    };
    let base = ty[..open].to_string();
    let inner = ty[open + 1..].trim_end_matches('>');
    let (mut args, mut depth, mut start) = (Vec::new(), 0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                args.push(inner[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(inner[start..].to_string());
    (base, args)
}

/// A declared name, its type (as written) and the bytes it is visible in.
pub struct Declaration {
    pub name: String,
    pub ty: String,
    pub scope: Range<usize>,
}

/// Every parameter, local variable, loop variable and field declared in the file.
pub fn declarations(src: &Source) -> Vec<Declaration> {
    let mut out = Vec::new();
    for node in descendants(src.root()) {
        let (ty, names, scope) = match node.kind() {
            "formal_parameter" => {
                let method = ancestor(node, &["method_declaration", "constructor_declaration"]);
                let names: Vec<Node> = node.child_by_field_name("name").into_iter().collect();
                (
                    node.child_by_field_name("type"),
                    names,
                    method.map(|m| m.byte_range()),
                )
            }
            "local_variable_declaration" | "field_declaration" => {
                let scope = if node.kind() == "field_declaration" {
                    node.parent().map(|body| body.byte_range())
                } else {
                    node.parent()
                        .map(|block| node.start_byte()..block.end_byte())
                };
                let mut cursor = node.walk();
                let names = node
                    .children_by_field_name("declarator", &mut cursor)
                    .filter_map(|d| d.child_by_field_name("name"))
                    .collect();
                (node.child_by_field_name("type"), names, scope)
            }
            "enhanced_for_statement" => {
                let names: Vec<Node> = node.child_by_field_name("name").into_iter().collect();
                (
                    node.child_by_field_name("type"),
                    names,
                    Some(node.byte_range()),
                )
            }
            _ => continue,
        };
        let (Some(ty), Some(scope)) = (ty, scope) else {
            continue;
        };
        for name in names {
            out.push(Declaration {
                name: src.text_of(name).to_ascii_lowercase(),
                ty: type_text(src, ty),
                scope: scope.clone(),
            });
        }
    }
    out
}

/// The declared type of `name` where it is used (innermost declaration around `at`).
pub fn declared_type<'d>(decls: &'d [Declaration], name: &str, at: usize) -> Option<&'d str> {
    let name = name.to_ascii_lowercase();
    decls
        .iter()
        .filter(|d| d.name == name && d.scope.contains(&at))
        .min_by_key(|d| d.scope.end - d.scope.start)
        .map(|d| d.ty.as_str())
}

/// The type of a simple expression, lowercased, when it can be told from declarations alone.
/// `member` gives the type of `owner.member` (an SObject relationship, a class's field).
pub fn type_of(
    src: &Source,
    decls: &[Declaration],
    expr: Node,
    member: &dyn Fn(&str, &str) -> Option<String>,
) -> Option<String> {
    let lower = |s: &str| s.to_ascii_lowercase();
    match expr.kind() {
        "identifier" => declared_type(decls, src.text_of(expr), expr.start_byte()).map(lower),
        "parenthesized_expression" => type_of(src, decls, expr.named_child(0)?, member),
        "cast_expression" | "object_creation_expression" => expr
            .child_by_field_name("type")
            .map(|t| lower(&type_text(src, t))),
        "array_access" => {
            let array = type_of(src, decls, expr.child_by_field_name("array")?, member)?;
            element_type(&array)
        }
        "field_access" => {
            let owner = type_of(src, decls, expr.child_by_field_name("object")?, member)?;
            member(
                &owner,
                &lower(src.text_of(expr.child_by_field_name("field")?)),
            )
        }
        "method_invocation" => {
            let owner = type_of(src, decls, expr.child_by_field_name("object")?, member)?;
            let name = lower(src.text_of(expr.child_by_field_name("name")?));
            let (base, args) = generic_parts(&owner);
            match (base.as_str(), name.as_str(), args.as_slice()) {
                ("map", "get" | "remove", [_, value]) => Some(value.clone()),
                ("map", "values", [_, value]) => Some(format!("list<{value}>")),
                ("list", "get" | "remove", [element]) => Some(element.clone()),
                (_, "clone", _) => Some(owner),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `list<x>` or `x[]` -> `x`.
pub fn element_type(ty: &str) -> Option<String> {
    if let Some(element) = ty.strip_suffix("[]") {
        return Some(element.to_string());
    }
    match generic_parts(ty) {
        (base, args) if base == "list" && args.len() == 1 => args.into_iter().next(),
        _ => None,
    }
}
