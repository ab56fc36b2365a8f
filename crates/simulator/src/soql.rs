//! The SOQL the simulator understands, parsed by hand (never by the client's code):
//! `SELECT f1, f2 FROM Object [WHERE cond [AND cond]...]` where `cond` is
//! `Field IN ('…', …)` or `Field = '…'`. Keywords and field names are case-insensitive, as in
//! SOQL; anything else is `MALFORMED_QUERY`.

/// One parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select {
    pub fields: Vec<String>,
    pub object: String,
    /// `(field, accepted values)`, all of which must hold.
    pub conditions: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Text(String),
    Comma,
    Open,
    Close,
    Equals,
}

fn tokens(soql: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = soql.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            ',' | '(' | ')' | '=' => {
                chars.next();
                out.push(match c {
                    ',' => Token::Comma,
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Equals,
                });
            }
            '\'' => {
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some('\\') => text.extend(chars.next()),
                        Some('\'') => break,
                        Some(c) => text.push(c),
                        None => return Err("unterminated string literal".into()),
                    }
                }
                out.push(Token::Text(text));
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_alphanumeric() || c == '_' || c == '.' {
                        word.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(word));
            }
            other => return Err(format!("unexpected token: '{other}'")),
        }
    }
    Ok(out)
}

fn keyword(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
}

/// Parses `soql`; the error is the `MALFORMED_QUERY` message.
pub fn parse(soql: &str) -> Result<Select, String> {
    let tokens = tokens(soql)?;
    let mut at = 0;
    let next = |at: &mut usize| {
        let t = tokens.get(*at).cloned();
        *at += 1;
        t
    };
    if !keyword(tokens.first(), "SELECT") {
        return Err("unexpected token: expected SELECT".into());
    }
    at += 1;
    let mut fields = Vec::new();
    loop {
        match next(&mut at) {
            Some(Token::Word(w)) if !w.eq_ignore_ascii_case("FROM") => fields.push(w),
            _ => return Err("unexpected token in the SELECT list".into()),
        }
        match tokens.get(at) {
            Some(Token::Comma) => at += 1,
            _ if keyword(tokens.get(at), "FROM") => {
                at += 1;
                break;
            }
            _ => return Err("unexpected token: expected FROM".into()),
        }
    }
    let Some(Token::Word(object)) = next(&mut at) else {
        return Err("unexpected token: expected an object after FROM".into());
    };
    let mut conditions = Vec::new();
    if at < tokens.len() {
        if !keyword(tokens.get(at), "WHERE") {
            return Err("unexpected token after the object".into());
        }
        at += 1;
        loop {
            let Some(Token::Word(field)) = next(&mut at) else {
                return Err("unexpected token: expected a field in WHERE".into());
            };
            let values = match next(&mut at) {
                Some(Token::Equals) => match next(&mut at) {
                    Some(Token::Text(v)) => vec![v],
                    _ => return Err("unexpected token: expected a string after =".into()),
                },
                Some(Token::Word(w)) if w.eq_ignore_ascii_case("IN") => {
                    if next(&mut at) != Some(Token::Open) {
                        return Err("unexpected token: expected ( after IN".into());
                    }
                    let mut values = Vec::new();
                    loop {
                        match next(&mut at) {
                            Some(Token::Text(v)) => values.push(v),
                            _ => return Err("unexpected token in the IN list".into()),
                        }
                        match next(&mut at) {
                            Some(Token::Comma) => {}
                            Some(Token::Close) => break,
                            _ => return Err("unexpected token: expected , or )".into()),
                        }
                    }
                    values
                }
                _ => return Err("unexpected token: expected = or IN".into()),
            };
            conditions.push((field, values));
            if at >= tokens.len() {
                break;
            }
            if !keyword(tokens.get(at), "AND") {
                return Err("unexpected token: only AND joins conditions here".into());
            }
            at += 1;
        }
    }
    Ok(Select {
        fields,
        object,
        conditions,
    })
}
