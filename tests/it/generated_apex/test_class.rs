//! Which tests insert what, read from the rendered test class: a test whose name ends in
//! `InOrg` creates real records (through any helper), every other test inserts nothing and
//! calls no helper that does; together the tests that insert nothing call every public
//! method of every generated class, so the deploy's coverage never depends on the org. The
//! InOrg bulk proof compares two sizes instead of asserting counts the org can change.

use std::collections::{BTreeMap, BTreeSet};

use tree_sitter::Node;

use crate::generated_apex::apex::{self, Method, calls, descendants, field, parse, text};
use crate::generated_apex::combos::combos;

/// What one method of the test class does.
struct Info<'t> {
    method: &'t Method<'t>,
    /// DML in its own body.
    dml: bool,
    /// Methods of the test class it calls by name.
    callees: BTreeSet<String>,
}

fn direct_dml(node: Node, source: &str) -> bool {
    descendants(node).into_iter().any(|n| match n.kind() {
        "dml_expression" => true,
        "method_invocation" => {
            let object = field(n, "object", source);
            let name = field(n, "name", source).to_ascii_lowercase();
            (object.eq_ignore_ascii_case("Database")
                && ["insert", "update", "upsert", "delete", "undelete", "merge"]
                    .contains(&name.as_str()))
                || (object.eq_ignore_ascii_case("Test") && name == "loaddata")
        }
        _ => false,
    })
}

/// The test class's own top-level methods by name, with what each does.
fn analyse<'t>(methods: &'t [Method<'t>], class: &str, source: &str) -> BTreeMap<String, Info<'t>> {
    methods
        .iter()
        .filter(|m| m.class == class)
        .map(|m| {
            let callees = calls(m.node, source)
                .into_iter()
                .filter(|(object, _, _)| object.is_empty() || object == class)
                .map(|(_, name, _)| name)
                .collect();
            let info = Info {
                method: m,
                dml: direct_dml(m.node, source),
                callees,
            };
            (m.name.clone(), info)
        })
        .collect()
}

/// `start` and every method it reaches through calls of the test class's own methods.
fn reachable(infos: &BTreeMap<String, Info>, start: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut todo = vec![start.to_string()];
    while let Some(name) = todo.pop() {
        for callee in infos.get(&name).map(|i| &i.callees).into_iter().flatten() {
            if infos.contains_key(callee) && seen.insert(callee.clone()) {
                todo.push(callee.clone());
            }
        }
    }
    seen
}

fn inserts(infos: &BTreeMap<String, Info>, start: &str) -> bool {
    reachable(infos, start).iter().any(|m| infos[m].dml)
}

fn is_test(method: &Method) -> bool {
    method.has_annotation("@IsTest")
}

#[test]
fn the_classification_sees_dml_through_helpers() {
    let src = "@IsTest private class T {
        @IsTest static void testA() { helper(); }
        @IsTest static void testB() { Integer x = 1; }
        static void helper() { deeper(); }
        static void deeper() { Database.insert(new List<Account>(), false); }
    }";
    let tree = parse(src);
    let methods = apex::methods(&tree, src);
    let infos = analyse(&methods, "T", src);
    assert!(inserts(&infos, "testA"));
    assert!(!inserts(&infos, "testB"));
}

#[test]
fn only_in_org_tests_insert_records() {
    for combo in combos() {
        let class = &combo.settings.names.test;
        let source = combo.class(class).unwrap_or_default();
        let tree = parse(source);
        let methods = apex::methods(&tree, source);
        let infos = analyse(&methods, class, source);
        let mut independent = 0;
        let mut in_org = 0;
        for (name, info) in infos.iter().filter(|(_, i)| is_test(i.method)) {
            let claims = name.ends_with("InOrg");
            assert_eq!(
                inserts(&infos, name),
                claims,
                "{}: {name} {} records",
                combo.name,
                if claims {
                    "is named InOrg but inserts no"
                } else {
                    "inserts"
                }
            );
            if claims {
                in_org += 1;
                assert!(
                    info.callees.contains("assertSkipped"),
                    "{}: {name} must assert why it skips",
                    combo.name
                );
            } else {
                independent += 1;
            }
        }
        assert!(
            independent >= 10 && in_org >= 4,
            "{}: {independent} / {in_org}",
            combo.name
        );
    }
}

/// Local variable, parameter and loop variable types of a method, by lower-case name.
fn local_types(node: Node, source: &str) -> BTreeMap<String, String> {
    let mut types = BTreeMap::new();
    for n in descendants(node) {
        let (ty, name) = match n.kind() {
            "local_variable_declaration" => (
                field(n, "type", source),
                n.child_by_field_name("declarator")
                    .map_or("", |d| field(d, "name", source)),
            ),
            "formal_parameter" | "enhanced_for_statement" => {
                (field(n, "type", source), field(n, "name", source))
            }
            _ => continue,
        };
        types.insert(name.to_ascii_lowercase(), ty.to_string());
    }
    types
}

/// (class, method) pairs a method calls: static calls, calls on typed local variables, and
/// constructors (`new C.Inner(` is `(C.Inner, Inner)`).
fn called(method: &Method, source: &str) -> BTreeSet<(String, String)> {
    let types = local_types(method.node, source);
    let mut out = BTreeSet::new();
    for (object, name, _) in calls(method.node, source) {
        let owner = types
            .get(&object.to_ascii_lowercase())
            .cloned()
            .unwrap_or(object);
        out.insert((owner, name));
    }
    for n in descendants(method.node) {
        if n.kind() == "object_creation_expression" {
            let ty = field(n, "type", source).to_string();
            let simple = ty.rsplit('.').next().unwrap_or_default().to_string();
            out.insert((ty, simple));
        }
    }
    out
}

#[test]
fn tests_that_insert_nothing_call_every_public_method() {
    for combo in combos() {
        let test_class = &combo.settings.names.test;
        let source = combo.class(test_class).unwrap_or_default();
        let tree = parse(source);
        let methods = apex::methods(&tree, source);
        let infos = analyse(&methods, test_class, source);
        let mut covered = BTreeSet::new();
        for (name, _) in infos
            .iter()
            .filter(|(n, i)| is_test(i.method) && !n.ends_with("InOrg"))
        {
            for reached in reachable(&infos, name) {
                covered.extend(called(infos[&reached].method, source));
            }
        }
        for (class, class_source) in combo.classes() {
            let class_tree = parse(class_source);
            let public: Vec<Method> = apex::methods(&class_tree, class_source)
                .into_iter()
                .filter(Method::is_public)
                .collect();
            for method in &public {
                let key = (method.class.clone(), method.name.clone());
                let platform_run = method.name == "execute"
                    && class_source.contains("implements Queueable")
                    && method.class == class
                    && enqueued_by_a_covered_method(&public, &covered, class_source);
                assert!(
                    covered.contains(&key) || platform_run,
                    "{}: no test that inserts nothing calls {}.{}",
                    combo.name,
                    method.class,
                    method.name
                );
            }
        }
    }
}

/// A Queueable's `execute` is run by the platform: it counts as called when a test calls a
/// method of the class that enqueues the job.
fn enqueued_by_a_covered_method(
    public: &[Method],
    covered: &BTreeSet<(String, String)>,
    source: &str,
) -> bool {
    public.iter().any(|m| {
        covered.contains(&(m.class.clone(), m.name.clone()))
            && text(m.node, source).contains("enqueueIfRoom(")
    })
}

#[test]
fn in_org_bulk_proofs_compare_sizes_instead_of_counts() {
    for combo in combos() {
        let class = &combo.settings.names.test;
        let source = combo.class(class).unwrap_or_default();
        let tree = parse(source);
        for method in apex::methods(&tree, source) {
            if !method.name.ends_with("InOrg") {
                continue;
            }
            // Variables that hold a Limits count.
            let mut counts = BTreeSet::new();
            for n in descendants(method.node) {
                let (name, value) = match n.kind() {
                    "variable_declarator" => (field(n, "name", source), field(n, "value", source)),
                    "assignment_expression" => {
                        (field(n, "left", source), field(n, "right", source))
                    }
                    _ => continue,
                };
                if value.contains("Limits.get") {
                    counts.insert(name.to_string());
                }
            }
            for (object, name, call) in calls(method.node, source) {
                if object != "Assert" || name != "areEqual" {
                    continue;
                }
                let Some(args) = call.child_by_field_name("arguments") else {
                    continue;
                };
                let mut cursor = args.walk();
                let values: Vec<Node> = args.named_children(&mut cursor).collect();
                let literal_vs_count = values.len() >= 2
                    && values[0].kind() == "int"
                    && counts.contains(text(values[1], source))
                    && text(values[0], source) != "0";
                assert!(
                    !literal_vs_count,
                    "{}: {}: the org's own automation changes {}",
                    combo.name,
                    method.name,
                    text(call, source)
                );
            }
        }
        // Whether ContactId is already null in the same transaction is not documented.
        assert!(
            !source
                .lines()
                .any(|l| l.contains("Assert.isNull(") && l.contains("ContactId")),
            "{}: asserts ContactId after the update",
            combo.name
        );
    }
}
