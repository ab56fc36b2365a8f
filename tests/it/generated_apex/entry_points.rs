//! The entry points, checked in the source of every combination: classes never touch the
//! trigger context, every enqueue is guarded by the queueable limit, a re-fired trigger
//! queues a Contact once, the Queueable attaches its Finalizer first, the core checks its
//! input and budget before it queries, the REST answer keeps the request order, and no query
//! limits its rows without an order.

use crate::generated_apex::apex::{self, calls, descendants, field, parse, text};
use crate::generated_apex::combos::combos;
use crate::support;

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
