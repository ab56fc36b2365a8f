//! The security model, checked in the source of every combination: the custom permission
//! is the one authority and comes before any effect in every entry point, users are read and
//! written in system mode from `without sharing` code only, and nothing logs to the debug
//! log unexplained.

use tree_sitter::Node;

use crate::generated_apex::apex::{self, Method, calls, descendants, field, parse, text};
use crate::generated_apex::combos::combos;
use crate::generated_apex::limited_operations;
use crate::support;

/// Statements that act: a query, DML, a database or enqueue call, or a call of the core.
fn effect(statement: Node, source: &str, core: &str, method: &str) -> bool {
    let core_call = format!("{core}.{method}(");
    descendants(statement).into_iter().any(|n| match n.kind() {
        "query_expression" | "dml_expression" => true,
        "method_invocation" => {
            let object = field(n, "object", source);
            let name = field(n, "name", source);
            object.eq_ignore_ascii_case("Database")
                || (object.eq_ignore_ascii_case("System") && name == "enqueueJob")
                || name == "enqueueIfRoom"
                || text(n, source).starts_with(&core_call)
        }
        _ => false,
    })
}

/// `Err` naming the first effect when a method acts before it checks the custom permission.
fn gate_before_effect(method: &Method, source: &str, core: &str, verb: &str) -> Result<(), String> {
    let statements = method.statements();
    let gate = statements.iter().position(|s| {
        let t = text(*s, source);
        t.contains("callerHasAccess()") || t.contains("requireAccess()")
    });
    let first_effect = statements
        .iter()
        .position(|s| effect(*s, source, core, verb));
    match (gate, first_effect) {
        (None, _) => Err(format!(
            "{}.{}: no permission check",
            method.class, method.name
        )),
        (Some(g), Some(e)) if e < g => Err(format!(
            "{}.{}: acts before the permission check: {}",
            method.class,
            method.name,
            text(statements[e], source)
        )),
        _ => Ok(()),
    }
}

#[test]
fn the_gate_check_finds_an_effect_before_the_permission_check() {
    let bad = "public class P {
        public static void m(Set<Id> ids) {
            update new List<User>();
            if (!P.callerHasAccess()) { return; }
        }
        public static void n(Set<Id> ids) { Database.update(new List<User>(), false); }
    }";
    let tree = parse(bad);
    let found: Vec<bool> = apex::methods(&tree, bad)
        .iter()
        .map(|m| gate_before_effect(m, bad, "P", "run").is_err())
        .collect();
    assert_eq!(found, [true, true]);
}

#[test]
fn every_entry_point_checks_the_custom_permission_before_it_acts() {
    for combo in combos() {
        let names = &combo.settings.names;
        let entry = combo.settings.entry_points;
        let verb = if combo.settings.mode.is_disable() {
            "disablePortalUsers"
        } else {
            "deactivatePortalUsers"
        };
        let mut wanted: Vec<(&str, &str)> = vec![(&names.core, verb)];
        if entry.invocable {
            wanted.push((&names.invocable, verb));
        }
        if entry.rest {
            wanted.push((&names.rest, verb));
        }
        if entry.queueable {
            wanted.push((&names.queueable, &names.queueable));
        }
        if entry.trigger {
            wanted.push((&names.queueable, "enqueueFlaggedContacts"));
        }
        if entry.batch {
            wanted.push((&names.batch, &names.batch));
        }
        for (class, method) in wanted {
            let source = combo
                .class(class)
                .unwrap_or_else(|| panic!("{}: no {class}", combo.name));
            let tree = parse(source);
            let methods = apex::methods(&tree, source);
            let found = methods
                .iter()
                .find(|m| m.class == class && m.name == method)
                .unwrap_or_else(|| panic!("{}: no {class}.{method}", combo.name));
            if let Err(problem) = gate_before_effect(found, source, &names.core, verb) {
                panic!("{}: {problem}", combo.name);
            }
        }
        // One authority: the custom permission, read through FeatureManagement.
        let core = combo.class(&names.core).unwrap_or_default();
        assert!(
            core.contains("return FeatureManagement.checkPermission(CUSTOM_PERMISSION);"),
            "{}: the core does not read the custom permission",
            combo.name
        );
        for (class, source) in combo.classes() {
            for other in [
                "UserPermissionAccess",
                "PermissionsManageUsers",
                "USER_MODE",
            ] {
                assert!(
                    !source.contains(other),
                    "{}: {class} consults {other}, a second authority",
                    combo.name
                );
            }
        }
    }
}

/// The innermost class declaration around a node.
fn enclosing_class(node: Node) -> Option<Node> {
    let mut current = node.parent();
    while let Some(parent) = current {
        if parent.kind() == "class_declaration" {
            return Some(parent);
        }
        current = parent.parent();
    }
    None
}

#[test]
fn users_are_read_and_written_in_system_mode_from_without_sharing_code_only() {
    for combo in combos() {
        for (class, source) in combo.classes() {
            let tree = parse(source);
            for (kind, node) in limited_operations(tree.root_node(), source) {
                if kind == "database.executebatch" || kind == "system.enqueuejob" {
                    continue;
                }
                let op = text(node, source);
                assert!(
                    op.contains("SYSTEM_MODE"),
                    "{}: {class}: {kind} not in system mode: {op}",
                    combo.name
                );
                let holder = enclosing_class(node)
                    .unwrap_or_else(|| panic!("{}: {class}: {kind} outside a class", combo.name));
                let header = text(holder, source).split('{').next().unwrap_or_default();
                assert!(
                    header.contains("without sharing"),
                    "{}: {class}: {kind} in a class with sharing, which could hide users: {header}",
                    combo.name
                );
                // The reason for system-level access is written down right above the class.
                let before = &source[..holder.start_byte()];
                let doc = before.rfind("/**").map_or("", |at| &before[at..]);
                assert!(
                    doc.contains("without sharing") && doc.contains("authority"),
                    "{}: {class}: the without-sharing class does not say why",
                    combo.name
                );
            }
        }
    }
}

#[test]
fn nothing_logs_to_the_debug_log_unexplained() {
    for combo in combos() {
        for file in combo.files.iter().filter(|f| support::is_apex(f)) {
            let source = file.body.as_str();
            let tree = parse(source);
            let is_test = source.contains("@IsTest");
            for method in apex::methods(&tree, source) {
                let debugs = calls(method.node, source)
                    .iter()
                    .any(|(o, n, _)| o.eq_ignore_ascii_case("System") && n == "debug");
                assert!(
                    !debugs || method.has_annotation("PMD.AvoidDebugStatements"),
                    "{}: {}.{} logs without an explained suppression (test class: {is_test})",
                    combo.name,
                    method.class,
                    method.name
                );
            }
            // Every suppression is explained on the line above it.
            let lines: Vec<&str> = source.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if line.trim_start().starts_with("@SuppressWarnings(") {
                    let above = lines[..i].last().map_or("", |l| l.trim_start());
                    assert!(
                        above.starts_with("//"),
                        "{}: {}: {} is not explained",
                        combo.name,
                        file.path.display(),
                        line.trim()
                    );
                }
            }
        }
    }
}
