//! Gap (c) of apex-ls 6.0.2: cross-class visibility. A method, field, constructor or inner
//! type used from another generated class (or the trigger) must be `public` or `global`, or
//! `@TestVisible` and used from the test class only: Salesforce refuses to compile "Method is
//! not visible" otherwise, and apex-ls checks it only from 6.1.0 on. Uses inside the declaring
//! file are not checked (Apex allows them).

use tree_sitter::Node;

use crate::apex_checks::classes::{Index, Kind, Member};
use crate::apex_checks::syntax::{
    Declaration, Source, declarations, declared_type, descendants, type_of, type_text,
};

fn argument_count(node: Node) -> usize {
    node.child_by_field_name("arguments")
        .map(|a| a.named_child_count())
        .unwrap_or(0)
}

/// Every use in `src` of another file's member that `src` may not see.
pub fn problems(src: &Source, index: &Index) -> Vec<String> {
    let decls = declarations(src);
    let unit = src.unit_name();
    let test = src.is_test_class();
    let field_type = |owner: &str, member: &str| index.field_type(owner, member);
    let mut out = Vec::new();
    let mut check = |node: Node, owner: &str, kind: Kind, name: &str, arity: Option<usize>| {
        let Some(class) = index.classes.get(owner).filter(|c| c.unit != unit) else {
            return;
        };
        let named: Vec<&Member> = class
            .members
            .iter()
            .filter(|m| m.kind == kind && m.name == name)
            .collect();
        let fitting: Vec<&Member> = named
            .iter()
            .copied()
            .filter(|m| arity.is_none_or(|a| m.arity == a))
            .collect();
        let candidates = if fitting.is_empty() { named } else { fitting };
        let Some(first) = candidates.first() else {
            if kind == Kind::Constructor && !class.public && arity == Some(0) {
                out.push(src.at(
                    node,
                    format!("new {}(): the class is not public", class.shown),
                ));
            }
            return;
        };
        if candidates
            .iter()
            .any(|m| m.public || (m.test_visible && test))
        {
            return;
        }
        let what = if kind == Kind::Constructor {
            format!("new {}({} argument(s))", class.shown, arity.unwrap_or(0))
        } else {
            format!("{}.{}", class.shown, first.shown)
        };
        let declared = first.at.trim_end_matches(": ");
        let why = if candidates.iter().any(|m| m.test_visible) {
            format!(
                "{what} is @TestVisible but not public (declared at {declared}), and {} is not the test class: make it public",
                src.path
            )
        } else {
            format!(
                "{what} is not public (declared at {declared}): make it public, or @TestVisible if only the test class uses it"
            )
        };
        out.push(src.at(node, why));
    };
    for node in descendants(src.root()) {
        match node.kind() {
            "method_invocation" => {
                let (Some(object), Some(name)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("name"),
                ) else {
                    continue;
                };
                if let Some(owner) = owner_class(src, &decls, index, object, &field_type) {
                    let name = src.text_of(name).to_ascii_lowercase();
                    check(
                        node,
                        &owner,
                        Kind::Method,
                        &name,
                        Some(argument_count(node)),
                    );
                }
            }
            "field_access" => {
                let (Some(object), Some(field)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("field"),
                ) else {
                    continue;
                };
                if let Some(owner) = owner_class(src, &decls, index, object, &field_type) {
                    let name = src.text_of(field).to_ascii_lowercase();
                    let is_type = index.classes.contains_key(&format!("{owner}.{name}"));
                    check(
                        node,
                        &owner,
                        if is_type { Kind::Type } else { Kind::Field },
                        &name,
                        None,
                    );
                }
            }
            "object_creation_expression" => {
                let Some(ty) = node.child_by_field_name("type") else {
                    continue;
                };
                let owner = type_text(src, ty).to_ascii_lowercase();
                check(
                    node,
                    &owner,
                    Kind::Constructor,
                    owner.rsplit('.').next().unwrap_or(&owner),
                    Some(argument_count(node)),
                );
            }
            "scoped_type_identifier"
                if node
                    .parent()
                    .is_none_or(|p| p.kind() != "scoped_type_identifier") =>
            {
                let text = type_text(src, node).to_ascii_lowercase();
                if let Some((outer, inner)) = text.rsplit_once('.') {
                    check(node, outer, Kind::Type, inner, None);
                }
            }
            _ => {}
        }
    }
    out
}

/// The generated class an expression refers to: a class name used statically (`Foo.bar()`,
/// `Foo.Inner.X`), or the declared type of a variable (`job.execute()`).
fn owner_class(
    src: &Source,
    decls: &[Declaration],
    index: &Index,
    object: Node,
    field_type: &dyn Fn(&str, &str) -> Option<String>,
) -> Option<String> {
    let text: String = src
        .text_of(object)
        .split_whitespace()
        .collect::<String>()
        .to_ascii_lowercase();
    let first = text.split('.').next().unwrap_or_default();
    let is_name = matches!(object.kind(), "identifier" | "field_access")
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if is_name
        && index.classes.contains_key(&text)
        && declared_type(decls, first, object.start_byte()).is_none()
    {
        return Some(text);
    }
    type_of(src, decls, object, field_type).filter(|t| index.classes.contains_key(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cross_class_use_in_every_combination_is_visible() {
        let mut found = Vec::new();
        let mut classes = 0;
        for project in crate::apex_checks::matrix() {
            let index = Index::new(&project.sources);
            classes += index.classes.len();
            for src in &project.sources {
                found.extend(
                    problems(src, &index)
                        .into_iter()
                        .map(|p| format!("{}: {p}", project.name)),
                );
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
        assert!(classes >= 40, "only {classes} classes indexed");
    }

    const CORE: &str = "public with sharing class Core {
        private static final Integer LIMIT_HIDDEN = 1;
        @TestVisible private static Integer peek = 0;
        public enum Outcome { DONE }
        private enum Secret { HIDDEN }
        public class Result { public Outcome status; private String note; }
        private Core(Integer size) {}
        public Core() {}
        public static void run() {}
        @TestVisible private static void stage(List<User> users) {}
        private static void save() {}
    }";

    fn found(path: &str, user: &str) -> Vec<String> {
        let sources = [
            Source::parse("classes/Core.cls", CORE),
            Source::parse(path, user),
        ];
        problems(&sources[1], &Index::new(&sources))
    }

    #[test]
    fn private_and_test_visible_members_used_from_another_class_are_found() {
        let other = "public with sharing class Other {
            public static void go() {
                Core.run();
                Core.save();
                Core.stage(null);
                Integer n = Core.LIMIT_HIDDEN + Core.peek;
                Core.Result r = new Core.Result();
                String s = r.note;
                Core.Outcome o = r.status;
                Object x = Core.Secret.HIDDEN;
                Core c = new Core(3);
                Core d = new Core();
            }
        }";
        let messages: Vec<String> = found("classes/Other.cls", other)
            .into_iter()
            .map(|m| m.split(" (declared").next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            messages,
            [
                "classes/Other.cls:4: Core.save is not public",
                "classes/Other.cls:5: Core.stage is @TestVisible but not public",
                "classes/Other.cls:6: Core.LIMIT_HIDDEN is not public",
                "classes/Other.cls:6: Core.peek is @TestVisible but not public",
                "classes/Other.cls:8: Core.Result.note is not public",
                "classes/Other.cls:10: Core.Secret is not public",
                "classes/Other.cls:11: new Core(1 argument(s)) is not public",
            ],
            "{messages:#?}"
        );
    }

    #[test]
    fn the_test_class_may_use_test_visible_members_but_not_private_ones() {
        let test = "@IsTest
        private class CoreTest {
            @IsTest
            static void t() {
                Core.stage(new List<User>());
                Integer n = Core.peek;
                Core.save();
            }
        }";
        let messages = found("classes/CoreTest.cls", test);
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(
            messages[0].starts_with("classes/CoreTest.cls:7: Core.save is not public"),
            "{messages:#?}"
        );
    }
}
