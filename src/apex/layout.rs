//! Re-fits calls and method declarations to the 80-column width the way prettier-plugin-apex
//! prints them, so the generated Apex stays prettier-clean whatever the length of the names.
//!
//! The templates are laid out for the default names. A statement that ends in a call with
//! one argument is printed by prettier on one line when it fits in 80 columns, and otherwise
//! "hugged": the argument alone on the next line, indented once more, and `);` below; a
//! method or constructor declaration that does not fit gets one parameter per line and
//! `) {` below. Class names shorter or longer than the default move such lines across the
//! edge, so this pass makes the same decision prettier makes, for those shapes only.
//! Anything else is left as written; the option matrix in CI runs prettier itself over names
//! of several lengths to prove the two agree.

mod declaration;

use declaration::{break_declaration, join_declaration};

/// prettier-plugin-apex's default `printWidth`, which the project's `.prettierrc.json` keeps.
const WIDTH: usize = 80;

/// Joins hugged calls that fit on one line and hugs one-line calls that do not.
pub(super) fn refit(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let starts_statement = out
            .last()
            .is_none_or(|prev| ends_statement(prev) || prev.trim_start().starts_with('@'));
        if starts_statement {
            if let Some((joined, consumed)) =
                join_hug(&lines[i..]).or_else(|| join_declaration(&lines[i..]))
            {
                out.push(joined);
                i += consumed;
                continue;
            }
            if let Some(hugged) = hug(lines[i])
                .or_else(|| break_header(lines[i]))
                .or_else(|| break_declaration(lines[i]))
            {
                out.extend(hugged);
                i += 1;
                continue;
            }
        }
        out.push(lines[i].to_string());
        i += 1;
    }
    let mut text = out.join("\n");
    if source.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// True when the line ends a statement, a block opener or a comment, so the next line
/// starts a new statement (and not a continuation prettier would lay out differently).
fn ends_statement(line: &str) -> bool {
    let trimmed = line.trim_end();
    trimmed.is_empty()
        || trimmed.ends_with(';')
        || trimmed.ends_with('{')
        || trimmed.ends_with('}')
        || trimmed.ends_with("*/")
        || trimmed.trim_start().starts_with("//")
}

pub(super) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// `head(` / `    a,` / `    b` / `);` -> `head(a, b);` when it fits: the lines of one
/// call whose arguments prettier put one per line.
fn join_hug(lines: &[&str]) -> Option<(String, usize)> {
    let (open, rest) = lines.split_first()?;
    let indent = indent_of(open);
    let head = open.trim_start().strip_suffix('(')?;
    if !simple_head(head) {
        return None;
    }
    let close = rest.iter().position(|line| indent_of(line) <= indent)?;
    if rest[close].trim_start() != ");" || indent_of(rest[close]) != indent || close == 0 {
        return None;
    }
    let mut args = Vec::with_capacity(close);
    for (n, line) in rest[..close].iter().enumerate() {
        let last = n + 1 == close;
        let text = line.trim_start();
        let arg = if last { text } else { text.strip_suffix(',')? };
        if indent_of(line) != indent + 4 || !simple_argument(arg) {
            return None;
        }
        args.push(arg);
    }
    let joined = format!("{}{head}({});", &open[..indent], args.join(", "));
    (joined.len() <= WIDTH).then_some((joined, close + 2))
}

/// `head(a, b);` longer than the width -> `head(` / `    a,` / `    b` / `);`, when each
/// argument then fits on its own line.
fn hug(line: &str) -> Option<Vec<String>> {
    if line.len() <= WIDTH {
        return None;
    }
    let indent = indent_of(line);
    let body = line.trim_start().strip_suffix(");")?;
    let open = matching_open(body)?;
    let (head, arg_list) = (&body[..open], &body[open + 1..]);
    let pad = &line[..indent];
    let args = split_arguments(arg_list)?;
    if !simple_head(head) || args.iter().any(|arg| !simple_argument(arg)) {
        return None;
    }
    let mut out = vec![format!("{pad}{head}(")];
    for (n, arg) in args.iter().enumerate() {
        let comma = if n + 1 < args.len() { "," } else { "" };
        let arg_line = format!("{pad}    {arg}{comma}");
        if arg_line.len() > WIDTH {
            return None;
        }
        out.push(arg_line);
    }
    out.push(format!("{pad});"));
    Some(out)
}

/// A `for (...) {` or `if (...) {` header longer than the width, as prettier breaks it: the
/// loop variable and collection, or the condition, on a line of their own; a condition still
/// too long there split after `==`.
fn break_header(line: &str) -> Option<Vec<String>> {
    if line.len() <= WIDTH {
        return None;
    }
    let indent = indent_of(line);
    let pad = &line[..indent];
    let text = line.trim_start();
    let (keyword, inner) = if let Some(inner) = text.strip_prefix("for (") {
        ("for", inner.strip_suffix(") {")?)
    } else {
        ("if", text.strip_prefix("if (")?.strip_suffix(") {")?)
    };
    if inner.contains(['\'', '"']) || matching_open(inner).is_some_and(|_| inner.contains(") ")) {
        return None;
    }
    let mut out = vec![format!("{pad}{keyword} (")];
    let one_line = format!("{pad}    {inner}");
    match keyword {
        _ if keyword == "for" || one_line.len() <= WIDTH => out.push(one_line),
        _ => {
            let (left, right) = inner.split_once(" == ")?;
            if inner.contains("&&") || inner.contains("||") || right.contains(" == ") {
                return None;
            }
            out.push(format!("{pad}    {left} =="));
            out.push(format!("{pad}    {right}"));
        }
    }
    // Like prettier, keep the broken form even when a part alone is still too long.
    out.push(format!("{pad}) {{"));
    Some(out)
}

/// Splits `a, f(b, c), d` at its top-level commas.
pub(super) fn split_arguments(list: &str) -> Option<Vec<&str>> {
    let mut args = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    for (index, c) in list.char_indices() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            ',' if depth == 0 => {
                args.push(list[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    args.push(list[start..].trim());
    (depth == 0 && args.iter().all(|a| !a.is_empty())).then_some(args)
}

/// The head of a hug: an assignment, a `return` or a bare call target, with no call of its
/// own (a chain of calls is a member chain, which prettier lays out differently).
fn simple_head(head: &str) -> bool {
    !head.is_empty()
        && !head.contains(['(', ')', '\'', '"', '?', '{', '}'])
        && !head.starts_with(['.', ':', '+', '&', '|'])
        && !head.trim_start().starts_with("//")
        && !head.trim_start().starts_with('*')
}

/// One argument without a top-level comma or string literal, with balanced brackets.
pub(super) fn simple_argument(arg: &str) -> bool {
    if arg.is_empty() || arg.contains(['\'', '"']) || arg.ends_with(',') {
        return false;
    }
    let mut depth: i32 = 0;
    for c in arg.chars() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            ',' if depth == 0 => return false,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// Byte index of the `(` that opens the last, outermost parenthesis group of `body`
/// (which ends with its `)`-less argument list, i.e. `head(arg`).
fn matching_open(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(index),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_a_hug_that_fits() {
        let src = "    void m() {\n        results = P.run(\n            ids\n        );\n    }\n";
        assert_eq!(
            refit(src),
            "    void m() {\n        results = P.run(ids);\n    }\n"
        );
    }

    #[test]
    fn hugs_a_call_that_does_not_fit() {
        let long = format!("        results = {}.run(contactIds);", "A".repeat(60));
        let src = format!("    {{\n{long}\n    }}\n");
        let want = format!(
            "    {{\n        results = {}.run(\n            contactIds\n        );\n    }}\n",
            "A".repeat(60)
        );
        assert_eq!(refit(&src), want);
    }

    #[test]
    fn leaves_what_it_does_not_model() {
        for src in [
            // a continuation line, not a statement start
            "{\n    x = a +\n        f(\n            b\n        );\n}\n",
            // a string literal argument
            "{\n    f(\n        'text'\n    );\n}\n",
            // a member chain
            "{\n    x = a.b().c(\n        d\n    );\n}\n",
        ] {
            assert_eq!(refit(src), src, "{src}");
        }
    }

    #[test]
    fn handles_several_arguments_both_ways() {
        assert_eq!(
            refit("{\n    x = f(\n        a,\n        g(b, c)\n    );\n}\n"),
            "{\n    x = f(a, g(b, c));\n}\n"
        );
        let long = format!("    staged = {}.stage(users, results);", "A".repeat(60));
        let want = format!(
            "    staged = {}.stage(\n        users,\n        results\n    );",
            "A".repeat(60)
        );
        assert_eq!(
            refit(&format!("{{\n{long}\n}}\n")),
            format!("{{\n{want}\n}}\n")
        );
    }

    #[test]
    fn breaks_long_loop_and_equality_headers() {
        let name = "A".repeat(50);
        let src = format!(
            "{{\n    for ({name}.Result r : results.values()) {{\n        if (r.status == {name}.Outcome.FAILED) {{\n        }}\n    }}\n}}\n"
        );
        let want = format!(
            "{{\n    for (\n        {name}.Result r : results.values()\n    ) {{\n        if (\n            r.status ==\n            {name}.Outcome.FAILED\n        ) {{\n        }}\n    }}\n}}\n"
        );
        assert_eq!(refit(&src), want);
    }

    #[test]
    fn a_hug_that_fits_exactly_is_joined() {
        let head = format!(
            "    x = {}(",
            "f".repeat(WIDTH - "    x = ".len() - "(abc);".len())
        );
        let src = format!("{{\n{head}\n        abc\n    );\n}}\n");
        let joined = refit(&src);
        assert!(joined.lines().all(|l| l.len() <= WIDTH), "{joined}");
        assert_eq!(joined.lines().count(), 3, "{joined}");
    }
}
