//! The security model and the entry points, checked in the source of every combination:
//! the custom permission comes before any effect, users are read and written in system mode
//! from `without sharing` code only, classes never touch the trigger context, every enqueue
//! is guarded by the queueable limit, a re-fired trigger queues a Contact once, the
//! Queueable attaches its Finalizer, and nothing logs to the debug log unexplained.

use portal_disable::apex::RenderedFile;
use portal_disable::settings::Settings;
use tree_sitter::Node;

use crate::apex::{self, Method, calls, descendants, field, parse, text};
use crate::{limited_operations, support};

/// One combination of the matrix, rendered, with the settings that named its classes.
pub struct Combo {
    pub name: String,
    pub settings: Settings,
    pub files: Vec<RenderedFile>,
}

impl Combo {
    /// The source of `classes/{class}.cls`, when generated.
    pub fn class(&self, class: &str) -> Option<&str> {
        let path = format!("classes/{class}.cls");
        self.files
            .iter()
            .find(|f| f.path.to_string_lossy() == path)
            .map(|f| f.body.as_str())
    }

    /// Every generated class except the test class, as (name, source).
    pub fn classes(&self) -> Vec<(String, &str)> {
        self.files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "cls"))
            .filter_map(|f| {
                let stem = f.path.file_stem()?.to_string_lossy().into_owned();
                (stem != self.settings.names.test).then_some((stem, f.body.as_str()))
            })
            .collect()
    }
}

/// Every combination of the matrix.
pub fn combos() -> Vec<Combo> {
    support::combinations()
        .into_iter()
        .map(|(name, flags)| Combo {
            settings: support::settings(&flags),
            files: support::render(&flags),
            name,
        })
        .collect()
}

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
fn classes_never_read_the_trigger_context() {
    for combo in combos() {
        for (class, source) in combo.classes() {
            let tree = parse(source);
            let uses: Vec<&str> = descendants(tree.root_node())
                .into_iter()
                .filter(|n| n.kind() == "field_access")
                .filter(|n| field(*n, "object", source).eq_ignore_ascii_case("Trigger"))
                .map(|n| text(n, source))
                .collect();
            assert!(
                uses.is_empty(),
                "{}: {class} reads {uses:?}: outside a trigger Trigger.oldMap is a Map<Id, SObject>",
                combo.name
            );
        }
        if combo.settings.entry_points.trigger {
            let trigger = combo
                .files
                .iter()
                .find(|f| f.path.to_string_lossy().ends_with(".trigger"))
                .unwrap_or_else(|| panic!("{}: no trigger", combo.name));
            let call: String = trigger.body.split_whitespace().collect();
            assert!(
                call.contains(".enqueueFlaggedContacts(Trigger.new,Trigger.oldMap);"),
                "{}: the trigger must pass its own typed context",
                combo.name
            );
        }
    }
}

#[test]
fn every_enqueue_is_guarded_by_the_queueable_limit() {
    for combo in combos() {
        let mut sites = Vec::new();
        for (class, source) in combo.classes() {
            let tree = parse(source);
            for method in apex::methods(&tree, source) {
                for (object, name, _) in calls(method.node, source) {
                    if object.eq_ignore_ascii_case("System") && name == "enqueueJob" {
                        let first = method
                            .statements()
                            .first()
                            .map(|s| text(*s, source).to_string())
                            .unwrap_or_default();
                        sites.push((class.clone(), method.name.clone(), first));
                    }
                }
            }
        }
        let queueable = &combo.settings.names.queueable;
        if !combo.settings.entry_points.queueable {
            assert!(sites.is_empty(), "{}: {sites:?}", combo.name);
            continue;
        }
        assert_eq!(
            sites.len(),
            1,
            "{}: one place enqueues: {sites:?}",
            combo.name
        );
        let (class, method, first) = &sites[0];
        assert_eq!(
            (class, method.as_str()),
            (queueable, "enqueueIfRoom"),
            "{}",
            combo.name
        );
        assert!(
            first.starts_with("if (slotsLeft < 1)"),
            "{}: {first}",
            combo.name
        );
        let source = combo.class(queueable).unwrap_or_default();
        assert!(
            source.contains("Limits.getLimitQueueableJobs() - Limits.getQueueableJobs()"),
            "{}: the slots left are not measured",
            combo.name
        );
    }
}

#[test]
fn a_re_fired_trigger_queues_a_contact_once_and_the_job_has_a_finalizer() {
    for combo in combos()
        .into_iter()
        .filter(|c| c.settings.entry_points.queueable)
    {
        let source = combo
            .class(&combo.settings.names.queueable)
            .unwrap_or_default();
        let tree = parse(source);
        let methods = apex::methods(&tree, source);
        let execute = methods
            .iter()
            .find(|m| m.name == "execute" && !m.class.contains('.'))
            .unwrap_or_else(|| panic!("{}: no execute", combo.name));
        let attached = execute
            .statements()
            .iter()
            .take(2)
            .any(|s| text(*s, source).starts_with("System.attachFinalizer("));
        assert!(
            attached,
            "{}: the Finalizer is not attached first",
            combo.name
        );
        assert!(source.contains("implements Finalizer"), "{}", combo.name);
        if !combo.settings.entry_points.trigger {
            continue;
        }
        let guard = descendants(tree.root_node())
            .into_iter()
            .filter(|n| n.kind() == "field_declaration")
            .find(|n| {
                let t = text(*n, source);
                t.contains(" static ") && field(*n, "type", source) == "Set<Id>"
            })
            .and_then(|n| n.child_by_field_name("declarator"))
            .map(|d| field(d, "name", source).to_string())
            .unwrap_or_else(|| panic!("{}: no static guard", combo.name));
        let enqueue = methods
            .iter()
            .find(|m| m.name == "enqueueFlaggedContacts")
            .map(|m| text(m.node, source))
            .unwrap_or_default();
        for use_ in [format!("!{guard}.contains("), format!("{guard}.addAll(")] {
            assert!(
                enqueue.contains(&use_),
                "{}: the guard lacks {use_}",
                combo.name
            );
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

#[test]
fn the_core_checks_its_input_and_budget_before_the_query() {
    for combo in combos() {
        let names = &combo.settings.names;
        let source = combo.class(&names.core).unwrap_or_default();
        let tree = parse(source);
        let methods = apex::methods(&tree, source);
        let entry = methods
            .iter()
            .find(|m| m.is_public() && m.name.ends_with("PortalUsers"))
            .unwrap_or_else(|| panic!("{}: no core method", combo.name));
        let statements: Vec<&str> = entry
            .statements()
            .iter()
            .map(|s| text(*s, source))
            .collect();
        let at = |needle: &str| {
            statements
                .iter()
                .position(|s| s.contains(needle))
                .unwrap_or_else(|| panic!("{}: no statement with {needle}", combo.name))
        };
        // `{null}` returns before the query: null is removed, then an empty set returns.
        assert!(
            at("wanted.remove(null)") < at("wanted.isEmpty()"),
            "{}",
            combo.name
        );
        assert!(
            at("wanted.isEmpty()") < at("findPortalUsers"),
            "{}",
            combo.name
        );
        // The caller's own DML rows count against the same limit.
        assert!(
            at("Limits.getDmlRows()") < at("findPortalUsers"),
            "{}",
            combo.name
        );
        if let Some(rest) = combo.class(&names.rest) {
            assert!(
                !rest.contains("results.values()") && rest.contains("'results' => inOrder"),
                "{}: the REST answer must follow the request order",
                combo.name
            );
        }
    }
}

#[test]
fn no_query_limits_its_rows_without_an_order() {
    for combo in combos() {
        for file in combo.files.iter().filter(|f| support::is_apex(f)) {
            let tree = parse(&file.body);
            for query in descendants(tree.root_node())
                .into_iter()
                .filter(|n| n.kind() == "query_expression")
            {
                let soql = text(query, &file.body);
                assert!(
                    !soql.contains("LIMIT") || soql.contains("ORDER BY"),
                    "{}: {}: LIMIT without ORDER BY picks any row: {soql}",
                    combo.name,
                    file.path.display()
                );
            }
        }
    }
}
