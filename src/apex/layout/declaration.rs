//! Method and constructor declarations for the layout pass: prettier-plugin-apex puts the
//! parameters of a declaration that does not fit in 80 columns one per line, with `) {` on a
//! line of its own, and joins them again when they fit. A class name in the return type or a
//! constructor's name moves such a line across the edge.

use super::{WIDTH, indent_of, simple_argument, split_arguments};

/// Words a method or constructor declaration starts with.
const MODIFIERS: [&str; 6] = [
    "public ",
    "private ",
    "protected ",
    "global ",
    "static ",
    "override ",
];

/// `private static X.Result resultOf` (before the `(`): the head of a method or constructor
/// declaration, not a statement.
fn declaration_head(head: &str) -> bool {
    let text = head.trim_start();
    MODIFIERS.iter().any(|m| text.starts_with(m))
        && !head.contains(['=', '(', ')', '\'', '"', '{', '}', ';'])
}

/// `Map<Id, Result> results`: a type and a name, balanced, no comma outside the generics.
fn parameter(text: &str) -> bool {
    text.contains(' ') && simple_argument(text)
}

/// A declaration longer than the width -> its head and `(`, one parameter per line, `) {`.
pub(super) fn break_declaration(line: &str) -> Option<Vec<String>> {
    if line.len() <= WIDTH {
        return None;
    }
    let pad = &line[..indent_of(line)];
    let body = line.trim_start().strip_suffix(") {")?;
    let open = body.find('(')?;
    let (head, list) = (&body[..open], &body[open + 1..]);
    let params = split_arguments(list)?;
    if !declaration_head(head) || !params.iter().all(|p| parameter(p)) {
        return None;
    }
    let mut out = vec![format!("{pad}{head}(")];
    for (n, param) in params.iter().enumerate() {
        let comma = if n + 1 < params.len() { "," } else { "" };
        out.push(format!("{pad}    {param}{comma}"));
    }
    out.push(format!("{pad}) {{"));
    Some(out)
}

/// A declaration broken one parameter per line -> one line, when it fits.
pub(super) fn join_declaration(lines: &[&str]) -> Option<(String, usize)> {
    let (open, rest) = lines.split_first()?;
    let indent = indent_of(open);
    let head = open.trim_start().strip_suffix('(')?;
    if !declaration_head(head) {
        return None;
    }
    let close = rest.iter().position(|line| indent_of(line) <= indent)?;
    if rest[close].trim_start() != ") {" || indent_of(rest[close]) != indent || close == 0 {
        return None;
    }
    let mut params = Vec::with_capacity(close);
    for (n, line) in rest[..close].iter().enumerate() {
        let text = line.trim_start();
        let param = if n + 1 == close {
            text
        } else {
            text.strip_suffix(',')?
        };
        if indent_of(line) != indent + 4 || !parameter(param) {
            return None;
        }
        params.push(param);
    }
    let joined = format!("{}{head}({}) {{", &open[..indent], params.join(", "));
    (joined.len() <= WIDTH).then_some((joined, close + 2))
}

#[cfg(test)]
mod tests {
    use super::super::refit;

    #[test]
    fn breaks_and_joins_declarations() {
        let long = format!(
            "    private static {}.Result resultOf(Id contactId, String status) {{",
            "C".repeat(30)
        );
        let broken = format!(
            "    private static {}.Result resultOf(\n        Id contactId,\n        String status\n    ) {{",
            "C".repeat(30)
        );
        assert_eq!(refit(&format!("{long}\n}}\n")), format!("{broken}\n}}\n"));
        let short = "    private static P.Result resultOf(Id contactId, String status) {";
        let short_broken = "    private static P.Result resultOf(\n        Id contactId,\n        String status\n    ) {";
        assert_eq!(
            refit(&format!("{short_broken}\n}}\n")),
            format!("{short}\n}}\n")
        );
        // After an annotation, and with generics holding a comma.
        let generic = format!(
            "    @TestVisible\n    private static void m(Map<Id, {}.Result> results) {{\n    }}\n",
            "C".repeat(40)
        );
        let want = format!(
            "    @TestVisible\n    private static void m(\n        Map<Id, {}.Result> results\n    ) {{\n    }}\n",
            "C".repeat(40)
        );
        assert_eq!(refit(&generic), want);
        // Statements and headers without parameters are not declarations.
        for src in [
            format!("    {{\n        x = f(a, {});\n    }}\n", "b".repeat(80)),
            format!("    public static {} forAll() {{\n    }}\n", "B".repeat(70)),
            format!("    }} catch ({}.NoAccessException e) {{\n", "C".repeat(70)),
        ] {
            assert_eq!(refit(&src), src, "{src}");
        }
    }
}
