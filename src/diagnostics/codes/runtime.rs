//! Codes of evaluation (E08xx): problems that only show with real data.

use super::codes;

codes! {
    ZERO_QUOTA = "E0800" Error "undefined-attainment" {
        summary: "An evaluated rep's quota is zero in the scope an attainment (or a ratio) needs, so the attainment is undefined; a division in an earning's value or a condition meets a divisor of 0 (`new_sales period / bookings period` in a month without bookings) while no closed gate makes the value unneeded; or a quota computed from the rep's columns is below zero (`quota q = rep.target_incentive - 100000 USD`). The message names the rep, the plan, the period and the quota or divisor, and points at the definition.",
        why: "Dividing by zero has no answer; compplan does not pay such a rep as if attainment were 0% or infinite. Against a negative quota every sale lowers attainment (−3000%), and tiers and gates keyed on it pay at random.",
        example: "bob,2026,0          # quotas.csv: a zero annual quota for an evaluated AE",
        fix: "Give the rep a quota, or exclude them from the plan in `eligible when`; guard another division with a gate on the earning (`, only when bookings period > 0 USD`), which is read before the value.",
    }
    OVERFLOW = "E0801" Error "arithmetic-overflow" {
        summary: "An amount grew beyond the range of exact decimal arithmetic (about 7.9 × 10^28).",
        why: "compplan never silently loses precision; an overflow is a data error (an amount with too many digits) or a plan error.",
        example: "A1,alice,99999999999999999999999999,USD,2026-01-12",
        fix: "Correct the amount in the data.",
    }
    NO_RATE = "E0802" Error "no-rate" {
        summary: "A table has no row for a key it met: a lookup key that is not listed and no `otherwise` row.",
        why: "A deal without a rate cannot be paid correctly; compplan stops rather than pay it at zero.",
        example: "\"Services\" is not listed in `table product_rate lookup on deal.product`",
        fix: "otherwise : 5%",
    }
    MISSING_ROW_DATA = "E0803" Error "missing-row-data" {
        summary: "An expression reads an optional column that is empty for this row or rep (an empty `rep.territory`, say) where a value is needed; or a crediting rule needs an optional cell of a credited deal that is empty: the owner of a deal that no split row or territory credits, the date a cancelled deal's clawback window counts from, the conversion date of a deal in another currency.",
        why: "compplan does not substitute a default for a missing value in a calculation: a deal without an owner would be credited to nobody, a cancelled deal without the start of its window would keep its credit.",
        example: "earn bonus = 3 × rep.target_incentive once per year    # target_incentive is empty for a rep",
        fix: "Fill in the value in the data, or exclude the rep in `eligible when`.",
    }
}
