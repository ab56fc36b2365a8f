//! Every generated Apex file, for every option combination, parses with tree-sitter-sfapex
//! without ERROR or MISSING nodes, keeps SOQL and DML out of loops, states its access mode,
//! and writes only the flag of the chosen mode. The modules check the rest structurally: the
//! security model ([`security`]), the entry points ([`entry_points`]), which tests insert
//! what and what they cover ([`test_class`]), and the permission metadata ([`metadata`]).

use crate::support;

mod apex;
mod combos;
mod entry_points;
mod metadata;
mod security;
mod test_class;

use apex::{descendants, parse};
use tree_sitter::Node;

/// First ERROR or MISSING node, depth first, as "line:column: what" (1-based).
fn first_problem(node: Node) -> Option<String> {
    if node.is_error() || node.is_missing() {
        let p = node.start_position();
        let what = if node.is_missing() {
            format!("missing {}", node.kind())
        } else {
            "syntax error".to_string()
        };
        return Some(format!("{}:{}: {what}", p.row + 1, p.column + 1));
    }
    if !node.has_error() {
        return None;
    }
    let mut cursor = node.walk();
    node.children(&mut cursor).find_map(first_problem)
}

const LOOPS: [&str; 4] = [
    "for_statement",
    "enhanced_for_statement",
    "while_statement",
    "do_statement",
];
/// `Database.*` and `System.*` calls that spend a governor limit per call.
const LIMITED_CALLS: [&str; 12] = [
    "database.insert",
    "database.update",
    "database.upsert",
    "database.delete",
    "database.undelete",
    "database.merge",
    "database.query",
    "database.countquery",
    "database.getquerylocator",
    "database.executebatch",
    "system.enqueuejob",
    "database.convertlead",
];

/// SOQL, DML statements and limit-spending calls, as (kind, node), in source order.
pub fn limited_operations<'t>(root: Node<'t>, source: &str) -> Vec<(String, Node<'t>)> {
    let mut found: Vec<(String, Node<'t>)> = descendants(root)
        .into_iter()
        .filter_map(|node| {
            let text = &source[node.byte_range()];
            match node.kind() {
                "query_expression" => Some(("SOQL".to_string(), node)),
                "dml_expression" => Some(("DML".to_string(), node)),
                "method_invocation" => {
                    let object = node.child_by_field_name("object")?;
                    let name = node.child_by_field_name("name")?;
                    let call = format!(
                        "{}.{}",
                        &source[object.byte_range()],
                        &source[name.byte_range()]
                    )
                    .to_ascii_lowercase();
                    LIMITED_CALLS
                        .contains(&call.as_str())
                        .then_some((call, node))
                }
                _ => None,
            }
            .filter(|_| !text.is_empty())
        })
        .collect();
    found.sort_by_key(|(_, node)| node.start_byte());
    found
}

pub fn inside_loop(node: Node) -> bool {
    let mut cursor = node.parent();
    while let Some(parent) = cursor {
        if LOOPS.contains(&parent.kind()) {
            return true;
        }
        cursor = parent.parent();
    }
    false
}

/// Every Apex file of every matrix combination, as (combination name, file).
pub fn matrix_apex_files() -> Vec<(String, portal_disable::apex::RenderedFile)> {
    support::combinations()
        .into_iter()
        .flat_map(|(name, flags)| {
            support::render(&flags)
                .into_iter()
                .filter(support::is_apex)
                .map(move |file| (name.clone(), file))
        })
        .collect()
}

#[test]
fn every_generated_file_parses_without_errors() {
    let mut checked = 0;
    for (name, file) in matrix_apex_files() {
        let tree = parse(&file.body);
        if let Some(problem) = first_problem(tree.root_node()) {
            panic!("{name}: {}:{problem}\n{}", file.path.display(), file.body);
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} files checked");
}

#[test]
fn no_soql_dml_or_enqueue_inside_a_loop() {
    for (name, file) in matrix_apex_files() {
        let tree = parse(&file.body);
        for (kind, node) in limited_operations(tree.root_node(), &file.body) {
            assert!(
                !inside_loop(node),
                "{name}: {} line {}: {kind} inside a loop",
                file.path.display(),
                node.start_position().row + 1
            );
        }
    }
}

#[test]
fn the_loop_check_finds_what_it_looks_for() {
    // Guards the checker itself: each of these must be flagged.
    let bad = "public class Bad {
        void a(List<Id> ids) { for (Id i : ids) { User u = [SELECT Id FROM User]; } }
        void b(List<User> us) { while (true) { update us; } }
        void c(List<User> us) { for (Integer i = 0; i < 2; i++) { Database.update(us, false); } }
        void d(List<User> us) { do { System.enqueueJob(null); } while (false); }
    }";
    let tree = parse(bad);
    let flagged: Vec<String> = limited_operations(tree.root_node(), bad)
        .into_iter()
        .filter(|(_, node)| inside_loop(*node))
        .map(|(kind, _)| kind)
        .collect();
    assert_eq!(
        flagged,
        ["SOQL", "DML", "database.update", "system.enqueuejob"],
        "{flagged:?}"
    );
}

#[test]
fn the_core_class_spends_one_query_and_one_dml() {
    for (name, flags) in support::combinations() {
        let files = support::render(&flags);
        let core = files
            .iter()
            .find(|f| f.path.to_string_lossy().starts_with("classes/") && support::is_apex(f))
            .unwrap_or_else(|| panic!("{name}: no core class"));
        let tree = parse(&core.body);
        let kinds: Vec<String> = limited_operations(tree.root_node(), &core.body)
            .into_iter()
            .map(|(kind, _)| kind)
            .collect();
        // The portal users: one query, one update. Then the Tasks for an admin, which an
        // asynchronous run records in a transaction of its own.
        assert_eq!(
            kinds,
            ["SOQL", "database.update", "database.insert"],
            "{name}"
        );
    }
}

#[test]
fn every_query_and_dml_states_its_access_mode() {
    for (name, file) in matrix_apex_files() {
        let tree = parse(&file.body);
        for (kind, node) in limited_operations(tree.root_node(), &file.body) {
            let text = &file.body[node.byte_range()];
            let explicit = match kind.as_str() {
                "SOQL" => text.contains("WITH USER_MODE") || text.contains("WITH SYSTEM_MODE"),
                "DML" => text.contains(" as user") || text.contains(" as system"),
                "database.insert" | "database.update" | "database.upsert" | "database.delete"
                | "database.undelete" | "database.merge" | "database.query" => {
                    text.contains("AccessLevel.USER_MODE")
                        || text.contains("AccessLevel.SYSTEM_MODE")
                }
                _ => true,
            };
            assert!(
                explicit,
                "{name}: {}: {kind} without access mode: {text}",
                file.path.display()
            );
        }
        assert!(
            !file.body.contains("SECURITY_ENFORCED"),
            "{name}: {} uses WITH SECURITY_ENFORCED, which API 67.0 no longer compiles",
            file.path.display()
        );
    }
}

#[test]
fn every_class_declares_its_sharing() {
    for (name, flags) in support::combinations() {
        for file in support::render(&flags)
            .iter()
            .filter(|f| f.path.to_string_lossy().ends_with(".cls"))
        {
            let tree = parse(&file.body);
            let root = tree.root_node();
            let mut cursor = root.walk();
            let classes: Vec<Node> = root
                .children(&mut cursor)
                .filter(|n| n.kind() == "class_declaration")
                .collect();
            assert_eq!(
                classes.len(),
                1,
                "{name}: {}: one top-level class expected",
                file.path.display()
            );
            for class in classes {
                let header = &file.body[class.byte_range()];
                let header = header.split('{').next().unwrap_or_default();
                assert!(
                    header.contains(" sharing class "),
                    "{name}: {}: top-level class without a sharing keyword: {header}",
                    file.path.display()
                );
            }
        }
    }
}

#[test]
fn each_mode_writes_only_its_own_flag() {
    for (name, flags) in support::combinations() {
        let deactivate = flags
            .windows(2)
            .any(|w| w[0] == "--mode" && w[1] == "deactivate");
        let files = support::render(&flags);
        let core = &files[0];
        let (written, never) = if deactivate {
            ("IsActive = false", "IsPortalEnabled = false")
        } else {
            ("IsPortalEnabled = false", "IsActive = false")
        };
        assert!(
            core.body.contains(written),
            "{name}: core class does not set {written}"
        );
        let code: String = core
            .body
            .lines()
            .filter(|l| !l.trim_start().starts_with('*') && !l.trim_start().starts_with("//"))
            .collect();
        assert!(
            !code.contains(never),
            "{name}: core class sets {never} in code"
        );
    }
}
