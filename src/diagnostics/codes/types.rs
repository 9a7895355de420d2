//! Codes of type and unit checking (E02xx): money, currencies, percentages, dates and conditions.

use super::codes;

codes! {
    TYPE_MISMATCH = "E0200" Error "type-mismatch" {
        summary: "An operator is applied to values it is not defined for, such as `money + percent` or `text × 2`.",
        why: "Units are how compplan catches a rate written where an amount was meant: 5% + 1000 USD has no meaning, and a spreadsheet would happily compute 1000.05.",
        example: "earn bonus = 1000 USD + 5%",
        fix: "earn bonus = 1000 USD + 5% of bookings period",
    }
    CURRENCY_MISMATCH = "E0201" Error "currency-mismatch" {
        summary: "Two amounts in different currencies are added, compared or divided without conversion.",
        why: "USD 100 + EUR 100 is neither 200 USD nor 200 EUR. Amounts are converted once, at credit time, by the `convert` rule; a plan works in its own currency.",
        example: "plan emea version 1 {\n  currency EUR\n  earn bonus = 500 USD once per quarter\n}",
        fix: "plan emea version 1 {\n  currency EUR\n  earn bonus = 460 EUR once per quarter\n}",
    }
    MONEY_TIMES_MONEY = "E0202" Error "money-times-money" {
        summary: "Two amounts of money are multiplied. Money is multiplied by a rate (percent) or a number, never by money.",
        why: "USD × USD is not an amount anyone is paid; this is nearly always a rate written as an amount.",
        example: "earn commission = bookings period × 500 USD",
        fix: "earn commission = bookings period × 5%",
    }
    NOT_A_CONDITION = "E0203" Error "not-a-condition" {
        summary: "A condition (after `when`, `where`, `only when`, or an operand of `and`, `or`, `not`) is not true-or-false.",
        why: "compplan does not treat amounts or text as true or false; the comparison must be written out.",
        example: "measure new_business = sum of credit.amount where deal.kind",
        fix: "measure new_business = sum of credit.amount where deal.kind is \"new\"",
    }
    INCOMPARABLE = "E0204" Error "incomparable" {
        summary: "Two values are compared that cannot be compared: a date with money, text with a percentage, or text ordered with `>`.",
        why: "Such a comparison is always a mistake in the plan, and it would silently select no rows (or all of them).",
        example: "measure emea = sum of credit.amount where deal.region > 5%",
        fix: "measure emea = sum of credit.amount where deal.region is \"EMEA\"",
    }
    UNCONVERTED_MONEY = "E0205" Error "unconverted-money" {
        summary: "An amount whose currency varies row by row (`money in currency`) is used in arithmetic or compared before it is converted into the plan currency.",
        why: "A column of mixed EUR and USD amounts cannot be summed. `credit.amount` holds the amount converted at the close date's rate.",
        example: "measure bookings = sum of deal.amount",
        fix: "measure bookings = sum of credit.amount",
    }
    WRONG_RESULT_TYPE = "E0206" Error "wrong-result-type" {
        summary: "A definition's value has the wrong kind: an earning or quota that is not money, an eligibility or gate that is not a condition, an attainment that is not a ratio.",
        why: "Each definition feeds a fixed place of the payout: an earning becomes a payout line in the plan currency; it cannot be a percentage.",
        example: "attainment att = bookings ytd / bookings_quota ytd\nearn commission = att   // a percentage, not money",
        fix: "earn commission = base_rate of bookings ytd",
    }
    UNKNOWN_TYPE = "E0207" Error "unknown-type" {
        summary: "A schema column has a type compplan does not know. Types are `text`, `date`, `decimal`, `integer`, `percent`, `bool`, `year`, `currency`, `money CUR`, `money in COLUMN` and `ref TABLE`.",
        why: "Every value of a data file is validated against its column's type when it is loaded.",
        example: "schema deals { id: text key; closed: datetime }",
        fix: "schema deals { id: text key; closed: date }",
    }
    SCOPE_MISUSE = "E0208" Error "scope-misuse" {
        summary: "A measure, quota or earning is read without saying in which scope (`period`, `quarter`, `ytd`, and `year` for a quota), or a scope is given to something that has none (or that does not take that one: a measure or an earning read `year`).",
        why: "`bookings` alone could mean this month's or this year's bookings; the difference is the whole payout.",
        example: "earn override = 2% of team_bookings",
        fix: "earn override = 2% of team_bookings period",
    }
    EMPTY_TEST = "E0209" Error "empty-test" {
        summary: "`is empty` tests something that cannot be blank: a column the schema does not declare `optional`, or a value that is not a column.",
        why: "Such a test is always false (or always true with `not`): the condition would silently select no rows, or all of them.",
        example: "earn unpaid = 100 USD per deal where deal.closed is empty",
        fix: "earn unpaid = 100 USD per deal where deal.paid is empty",
    }
}
