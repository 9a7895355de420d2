//! Codes of name resolution (E01xx): names that are unknown, defined twice, or of the wrong kind.

use super::codes;

codes! {
    UNKNOWN_NAME = "E0100" Error "unknown-name" {
        summary: "A name is used that the plan does not define: no measure, quota, attainment, table or earning has it, and it is not a row (`rep`, `deal`, `credit`) or a schema table.",
        why: "A misspelt name would otherwise silently pay nothing.",
        example: "measure bookings = sum of credit.amount\nearn commission = 5% of booking period",
        fix: "earn commission = 5% of bookings period",
    }
    DUPLICATE_DEFINITION = "E0101" Error "duplicate-definition" {
        summary: "Two definitions share a name in one plan (or two schema tables, columns or territories share a name in the workspace; or an earning takes the name of a line every payout has: draw, recovery, deferred, hold, release, adjustment, total, balance). The label shows both places.",
        why: "Every reference must mean exactly one thing; which of the two a payout used would depend on the order of lines.",
        example: "measure bookings = sum of credit.amount\nmeasure bookings = count of credit",
        fix: "measure bookings = sum of credit.amount\nmeasure deal_count = count of credit",
    }
    UNKNOWN_COLUMN = "E0102" Error "unknown-column" {
        summary: "A column is read that the table's schema does not declare.",
        why: "Every column a plan reads is checked against the schema, so that a missing or misspelt column fails at compile time rather than in the middle of a payroll run.",
        example: "eligible when rep.regoin is \"EMEA\"",
        fix: "eligible when rep.region is \"EMEA\"",
    }
    UNKNOWN_TABLE = "E0103" Error "unknown-table" {
        summary: "A schema table is named (in `ref`, `count of`, a crediting rule or a quota) that no `schema` declares.",
        why: "compplan loads one CSV file per declared table and validates it; an undeclared table has no file and no types.",
        example: "schema splits { deal: ref deal; rep: ref reps; share: percent }",
        fix: "schema splits { deal: ref deals; rep: ref reps; share: percent }",
    }
    WRONG_KIND = "E0104" Error "wrong-kind-of-name" {
        summary: "A name is used as something it is not: a marginal table without the base it slices, a table of amounts given a base, a table or a column read where no row of its table is at hand (`deal.product` outside a measure of credit), a row or a whole table's column where one value is expected, an earning read anywhere but in another earning's amount, condition, gate or limits (a measure, a table, `eligible when`, a draw, the amount or filter of a per-deal earning).",
        why: "Each kind of definition is read differently (a measure sums credit, a table maps a key to a rate); mixing them would compute something other than what the plan says.",
        example: "earn commission = base_rate   // base_rate is a marginal table: it pays slices of a base",
        fix: "earn commission = base_rate of bookings ytd",
    }
    MISSING_SHARED = "E0105" Error "missing-shared-definition" {
        summary: "A plan needs something the workspace does not declare: the `credit { … }` block, or a schema table such as the reps or quotas table.",
        why: "Schema and crediting rules are shared by every plan of the workspace; without them no deal can be credited to anyone.",
        example: "plan ae version 1 { measure bookings = sum of credit.amount … }   // and no credit block anywhere",
        fix: "credit {\n  deal to deal.owner on deal.closed\n}",
    }
    AMBIGUOUS_ROWS = "E0106" Error "ambiguous-rows" {
        summary: "A measure counts or sums a table whose rows cannot be given to a rep or a date on their own (the table has no `ref reps` or no date column, or several of them), or names `by` or `on` on a measure of credit, whose rows the crediting rules give to reps and date.",
        why: "A measure needs to know which rep each row belongs to and which period it falls in; a clause that cannot change that is refused rather than ignored.",
        example: "schema meetings { id: text key; sdr: ref reps; booked: date; held: date }\nmeasure meetings_held = count of meetings   // dated by `booked` or by `held`?",
        fix: "measure meetings_held = count of meetings by meeting.sdr on meeting.held",
    }
}
