//! Codes of the syntax phase (E00xx): text the parser could not read.

use super::codes;

codes! {
    SYNTAX_ERROR = "E0001" Error "syntax-error" {
        summary: "The parser could not read an item. The label points at the first word it did not expect and lists what it expected there.",
        why: "An item the parser cannot read is left out of the plan. compplan keeps checking the rest of the file, but the plan cannot be run until the item is fixed.",
        example: "measure bookings = sum of credit.amount wher deal.kind is not \"renewal\"",
        fix: "measure bookings = sum of credit.amount where deal.kind is not \"renewal\"",
    }
    UNKNOWN_KEYWORD = "E0002" Error "unknown-keyword" {
        summary: "A line starts with a word that begins no item. Items start with a keyword such as `measure`, `table` or `earn`.",
        why: "compplan cannot tell what the line defines. When the word is a misspelling of a keyword, compplan reads the item with the keyword it suggests so that the rest of the plan is still checked, but the file must be fixed before it runs.",
        example: "tabel rates retroactive on att {\n  from 0% to 100% : 5%\n  100% and above  : 8%\n}",
        fix: "table rates retroactive on att {\n  from 0% to 100% : 5%\n  100% and above  : 8%\n}",
    }
    EQUALS_IN_CONDITION = "E0003" Error "equals-in-condition" {
        summary: "`=` (or `==`) is used to compare two values. Conditions compare with `is` and `is not`; `=` only introduces a definition.",
        why: "Plans are read by people who are not programmers; one spelling per meaning keeps them unambiguous.",
        example: "eligible when rep.role = \"AE\"",
        fix: "eligible when rep.role is \"AE\"",
    }
    INVALID_LITERAL = "E0004" Error "invalid-literal" {
        summary: "A literal is spelled correctly but has no value, or none that data can hold: a date that does not exist, a date outside 1900-01-01 to 2199-12-31 (the dates data files hold), a number too large for exact arithmetic, a period that is not a month, quarter or year, a text that begins or ends with a space (data cells never do).",
        why: "compplan never guesses a value: 2026-02-30 is not silently turned into March 2nd. A date no data can hold (`9999-12-31` for \"no end\", a typo such as `2206`) or a text no cell can hold (`\"renewal \"`) would make a condition that never holds, and a plan that pays as if the clause were not written.",
        example: "effective 2026-01-01 to 2026-02-30",
        fix: "effective 2026-01-01 to 2026-02-28",
    }
    MISSING_TERMINATOR = "E0005" Error "missing-terminator" {
        summary: "Two items stand on one line. An item ends at the end of its line, or at `;`.",
        why: "Without a line break it is unclear where the first item ends; compplan keeps both items but asks for the break.",
        example: "measure a = sum of credit.amount measure b = count of credit",
        fix: "measure a = sum of credit.amount\nmeasure b = count of credit",
    }
    UNCLOSED_BLOCK = "E0006" Error "unclosed-block" {
        summary: "A block opened with `{` has no closing `}` before the next item or the end of the file.",
        why: "compplan closes the block where the next item starts so that it can keep checking, but it cannot be sure that is what was meant.",
        example: "table rates marginal on att {\n  from 0% to 100% : 5%\n  100% and above  : 8%\nearn commission = rates of bookings ytd",
        fix: "table rates marginal on att {\n  from 0% to 100% : 5%\n  100% and above  : 8%\n}\nearn commission = rates of bookings ytd",
    }
    MISPLACED_ITEM = "E0007" Error "misplaced-item" {
        summary: "An item stands where it does not belong: a plan entry (`measure`, `earn`, …) outside a `plan { … }` block.",
        why: "Measures, tables and earnings belong to one plan; outside a plan they would apply to nobody.",
        example: "measure bookings = sum of credit.amount\nplan ae version 1 { … }",
        fix: "plan ae version 1 {\n  measure bookings = sum of credit.amount\n  …\n}",
    }
    NESTING_TOO_DEEP = "E0008" Error "nesting-too-deep" {
        summary: "An expression nests more than 64 levels deep. Each parenthesis (a call's too), each `not`, each minus sign and each `of` opens a level; a long chain at one level (`a + b + c + …`) does not count. The name of a definition counts as one level more than the definition's own depth, so a definition (or an earning) that uses definitions that use definitions … deeper than 64 is reported at its name.",
        why: "No plan needs that depth, and a limit lets compplan check and run any text without running out of stack: the checker, the formatter, the editor and the runtime all read expressions level by level, and the runtime evaluates a name by evaluating its definition.",
        example: "eligible when ((((((((…(rep.role is \"AE\")…))))))))   // 65 pairs of parentheses",
        fix: "eligible when rep.role is \"AE\"",
    }
    PARSER_LIMIT = "E0009" Error "parser-limit" {
        summary: "The parser stopped reading a file at one of its safety limits: a budget of work proportional to several megabytes of plan text, or the room left on the stack. Nothing in the file after that place is read.",
        why: "A limit keeps a pathological file (or a file that is not a plan at all) from stalling `compplan` or the editor. A plan within the language's own limits never reaches it.",
        example: "a plan file of many megabytes, or a thread with a very small stack",
        fix: "split the file into several plan files",
    }
    NOT_UTF8 = "E0010" Error "not-utf8" {
        summary: "A plan file holds bytes that are not UTF-8 text, as when an editor saved it as Latin-1 or Windows-1252. compplan shows each such byte as `�`, checks the rest of the file and every other file, and points at the first one (the note lists the other lines). A `�` typed as such is reported too: it only stands for characters that were lost.",
        why: "The characters meant there are unknown: `deal.region is \"Z�rich\"` would match no row, and a payout would change without a word. The plan does not run, and `compplan fmt` does not rewrite the file, until it is saved as UTF-8.",
        example: "eligible when rep.region is \"Z�rich\"   // the file holds the Latin-1 byte 0xFC",
        fix: "eligible when rep.region is \"Zürich\"   // the file saved as UTF-8",
    }
    DOC_COMMENT_DOCUMENTS_NOTHING = "W0012" Warning "doc-comment-documents-nothing" {
        summary: "A `///` doc comment is followed by no item it could document: it is the last thing in its block or file, it ends a line after an item, or it sits inside a clause continued after a comma. Doc comments document the item on the lines below them (a plan, a table, a column, a definition), and hover in the editor shows them there.",
        why: "The writer meant the text for a reader of the item, and nobody will see it: hover shows nothing, and the comment reads as if it described something it does not.",
        example: "earn commission = base_rate of bookings ytd,\n  /// capped at three times the target\n  capped at 3 × rep.target_incentive per year",
        fix: "write `//` for a remark, or move the `///` lines above the item they describe",
    }
    NOT_SHOWN = "N0011" Note "diagnostics-not-shown" {
        summary: "A file has more than 500 errors (or more than 500 warnings and notes): the first 500 of each are shown, and this note, at the first one left out, says how many more there are.",
        why: "A file with that many problems is usually not a plan at all (a minified script, a data file saved as `.plan`), and showing every problem with its line could take `compplan check` and the editor minutes. The errors shown are enough to fail the check: a file with errors left out always has 500 errors shown.",
        example: "a minified script saved as `plans/x.plan`: thousands of `;`-separated statements on one line",
        fix: "rename the file (only plan files end in `.plan`), or fix the problems shown and check again",
    }
}
