//! Hints for syntax errors that first-time plan writers make: where pest's list of expected tokens
//! is accurate but sends the writer the wrong way, a sentence that names the mistake and its fix.
//!
//! Each hint looks at what stands where the parser stopped (and what came just before) in one kind
//! of item; a hint may replace the label (the list of expected tokens) and adds a help line.

/// A hint: a label that replaces the list of expected tokens (when that list misleads), and a help.
pub(super) struct Hint {
    /// The label under the place, if the expected tokens should not be listed.
    pub(super) label: Option<String>,
    /// What to write instead.
    pub(super) help: String,
}

/// What a parse failure at byte `at` of `text` (an item of the kind `what`, where `expected` lists
/// the tokens pest would have accepted) is most probably about, if it is a known mistake.
pub(super) fn hint(text: &str, at: usize, what: &str, expected: &[String]) -> Option<Hint> {
    let rest = &text[at..];
    let before = &text[..at];
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let expects = |token: &str| expected.iter().any(|e| e == &format!("`{token}`"));
    if let Some(hint) = thousands_separator(before, rest) {
        return Some(hint);
    }
    if word == "when" && what == "`earn` item" && expects(",") {
        return Some(Hint {
            label: Some("a condition on an earning comes after a comma".to_string()),
            help: "write `, only when CONDITION` (the earning pays nothing while it is false), or `once per period \
                   when CONDITION` for a bonus paid once in a window"
                .to_string(),
        });
    }
    if word == "after" && expects("from") {
        return Some(Hint {
            label: None,
            help: "write `from`: the months are counted from that date (its month is month 1)".to_string(),
        });
    }
    if what == "a table row" && rest.starts_with(['×', '*', '+', '-', '−', '/', '÷']) {
        return Some(Hint {
            label: Some("a table's values are written as they are, not computed".to_string()),
            help: "write a number, a percentage or an amount (`1`, `12%`, `500 USD`), and compute where the table \
                   is used: `earn kicker = curve × rep.target_incentive`"
                .to_string(),
        });
    }
    if let Some(hint) = dangling_operator(before, rest) {
        return Some(hint);
    }
    if let Some(hint) = reference_followed(before, rest) {
        return Some(hint);
    }
    if let Some(hint) = choice_without_else(before, rest, expects("else")) {
        return Some(hint);
    }
    if what == "`hold` item" && rest.starts_with('(') {
        return Some(Hint {
            label: Some("expected the share held, as a percentage".to_string()),
            help: "a hold takes a percentage of an earning: `hold 50% of commission for 2 periods`".to_string(),
        });
    }
    None
}

/// An expression that ends with an operator: the next line, which would continue it, starts an
/// item (or there is none).
fn dangling_operator(before: &str, rest: &str) -> Option<Hint> {
    if !rest.trim().is_empty() {
        return None;
    }
    let last = before.trim_end();
    let operator = ["+", "-", "−", "×", "*", "÷", "/", "and", "or"].into_iter().find(|op| {
        last.strip_suffix(op)
            .is_some_and(|head| !op.starts_with(char::is_alphabetic) || head.ends_with(char::is_whitespace))
    })?;
    Some(Hint {
        label: Some(format!("the expression ends with `{operator}`")),
        help: format!(
            "write what `{operator}` applies to: an expression may continue on the next line after an operator, but not onto a line that starts an item"
        ),
    })
}

/// A column read through a reference (`deal.owner.manager`): a path reads one column of one row,
/// and a reference is not followed to the row it names.
fn reference_followed(before: &str, rest: &str) -> Option<Hint> {
    let name = |c: char| c.is_alphanumeric() || c == '_';
    let column: String = rest.strip_prefix('.')?.chars().take_while(|c| name(*c)).collect();
    let path: String = before.chars().rev().take_while(|c| name(*c) || *c == '.').collect();
    let path: String = path.chars().rev().collect();
    let (row, reference) = path.split_once('.')?;
    if column.is_empty() || row.is_empty() || reference.is_empty() || reference.contains('.') {
        return None;
    }
    Some(Hint {
        label: Some(format!("`{row}.{reference}.{column}` reads a column through a column: not followed")),
        help: format!(
            "a name reads one column of the row being evaluated (`{row}.{reference}`); a reference is not \
             followed to the row it names. Read `{column}` where it is a column of the row (`rep.{column}` is the \
             evaluated rep's), or add it to the data of the `{row}` rows as a column of their own"
        ),
    })
}

/// A choice (`500 USD if CONDITION`) that ends, or goes on with something else, where `, else
/// VALUE` is needed: a value chosen by a condition always says what it is otherwise.
fn choice_without_else(before: &str, rest: &str, else_expected: bool) -> Option<Hint> {
    let help = "a value chosen by a condition is written `VALUE if CONDITION, else OTHER VALUE` (`7% if \
                deal.new_logo, else 5%`), and may go on `, else VALUE if CONDITION, else …`"
        .to_string();
    if else_expected {
        return Some(Hint { label: Some("expected `else` and the value otherwise".to_string()), help });
    }
    let line_ends = rest.trim_start_matches([' ', '\t']).is_empty()
        || rest.trim_start_matches([' ', '\t']).starts_with(['\n', '\r', ';', '}'])
        || rest.trim_start_matches([' ', '\t']).starts_with("//");
    let words: Vec<&str> = before.split_whitespace().collect();
    let last_if = words.iter().rposition(|w| *w == "if")?;
    if !line_ends || words[last_if..].contains(&"else") {
        return None;
    }
    Some(Hint { label: Some("this choice has no `, else` value".to_string()), help })
}

/// A comma inside a number (`4,166,667`): numbers have no thousands separators.
fn thousands_separator(before: &str, rest: &str) -> Option<Hint> {
    let digits_before = before.chars().rev().take_while(char::is_ascii_digit).count();
    if digits_before == 0 || !rest.starts_with(',') {
        return None;
    }
    let mut number: String = before[before.len() - digits_before..].to_string();
    let mut tail = rest;
    while let Some(group) = tail.strip_prefix(',').filter(|g| {
        g.len() >= 3
            && g.as_bytes()[..3].iter().all(u8::is_ascii_digit)
            && !g[3..].starts_with(|c: char| c.is_ascii_digit())
    }) {
        number.push_str(&group[..3]);
        tail = &group[3..];
    }
    (number.len() > digits_before).then(|| Hint {
        label: Some("numbers have no thousands separators".to_string()),
        help: format!("write `{number}`"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_between_groups_of_three_digits_is_a_thousands_separator() {
        let text = "from 0 USD to 4,166,667 USD : 2%";
        let at = text.find(',').expect("a comma");
        let hint = thousands_separator(&text[..at], &text[at..]).expect("a hint");
        assert_eq!(hint.help, "write `4166667`");
        // A comma that separates two values is not one.
        assert!(thousands_separator("max(a", ", b)").is_none());
        assert!(thousands_separator("min(1", ",2)").is_none());
    }
}
