//! Codes of table analysis (E03xx, W03xx, N03xx): tier and lookup tables.

use super::codes;

codes! {
    BANDS_OUT_OF_ORDER = "E0300" Error "bands-out-of-order" {
        summary: "A band (or a point of a linear table) starts below the one before it, or a band ends where it starts.",
        why: "Tables are read top to bottom from the lowest band; an out-of-order band makes the rate of some attainments depend on the order of lines.",
        example: "table rates marginal on att {\n  from 50% to 100% : 6%\n  from 0% to 50%   : 4%\n  100% and above   : 10%\n}",
        fix: "table rates marginal on att {\n  from 0% to 50%   : 4%\n  from 50% to 100% : 6%\n  100% and above   : 10%\n}",
    }
    BAND_GAP = "E0301" Error "band-gap" {
        summary: "A band starts above where the previous one ends, leaving values with no rate.",
        why: "An attainment that falls in the gap would have no rate, and the payroll run would fail for that rep.",
        example: "from 0% to 50% : 4%\nfrom 60% to 100% : 6%",
        fix: "from 0% to 50% : 4%\nfrom 50% to 100% : 6%",
    }
    BAND_OVERLAP = "E0302" Error "band-overlap" {
        summary: "A band starts below where the previous one ends, so some values fall in two bands.",
        why: "A value in two bands has two rates; the payout would depend on which one compplan picked.",
        example: "from 0% to 60% : 4%\nfrom 50% to 100% : 6%",
        fix: "from 0% to 50% : 4%\nfrom 50% to 100% : 6%",
    }
    FIRST_BAND_NOT_ZERO = "E0303" Error "first-band-not-at-zero" {
        summary: "The first band of a marginal or retroactive table does not start at 0, so low values have no rate.",
        why: "A rep with a low attainment (a new hire, a slow month) would have no rate and fail the run. Write the lowest band explicitly, at a 0% rate if nothing is paid there.",
        example: "table rates retroactive on att {\n  from 50% to 100% : 5%\n  100% and above   : 8%\n}",
        fix: "table rates retroactive on att {\n  from 0% to 50%   : 0%\n  from 50% to 100% : 5%\n  100% and above   : 8%\n}",
    }
    NO_OPEN_TOP_BAND = "E0304" Error "no-open-top-band" {
        summary: "The last band of a marginal or retroactive table has an upper bound, and the table is not declared `closed`, so values above it have no rate.",
        why: "Attainment above the last band is exactly when a rep earns the most; leaving it undefined by accident fails the run for the best performers. When nothing is paid above the top on purpose, declare the table `closed`.",
        example: "table rates marginal on att {\n  from 0% to 100%   : 5%\n  from 100% to 150% : 10%\n}",
        fix: "table rates marginal on att {\n  from 0% to 100%   : 5%\n  from 100% to 150% : 10%\n  150% and above    : 12%\n}\n// or, when nothing is paid above 150%: table rates marginal on att closed {",
    }
    RATES_GO_DOWN = "W0305" Warning "rates-go-down" {
        summary: "A table's rates fall from one band to the next, and the table is not declared `decelerating`.",
        why: "Falling rates (a decelerator) are legitimate but rare; more often they are a typo such as 6% for 16%. Declaring the table `decelerating` says it is meant.",
        example: "table rates marginal on att {\n  from 0% to 100% : 8%\n  100% and above  : 6%\n}",
        fix: "table rates marginal on att decelerating {\n  from 0% to 100% : 8%\n  100% and above  : 6%\n}",
    }
    MARGINAL_BASE_MISMATCH = "E0306" Error "marginal-base-mismatch" {
        summary: "A marginal table is applied to a base other than the measure its key is made of, in the window its key reads: an attainment's numerator (its measure, in its scope), or the measure it is keyed on.",
        why: "A marginal band `[a, b)` pays its rate on the slice of the measure between a × quota and b × quota; those slices only exist for the attainment's own measure.",
        example: "attainment att = bookings ytd / bookings_quota ytd\nearn commission = base_rate of renewals ytd",
        fix: "earn commission = base_rate of bookings ytd",
    }
    RETROACTIVE_CLIFF = "N0307" Note "retroactive-cliff" {
        summary: "A retroactive table pays the rate of the band reached on the whole base, so the payout jumps at each band boundary. The note shows each jump for a sample quota.",
        why: "A jump invites holding deals back to land them in a later period. The note makes the size of each cliff visible when the plan is reviewed.",
        example: "table rates retroactive on att {\n  from 0% to 100% : 5%\n  100% and above  : 8%\n}",
        fix: "table rates marginal on att {      // or keep `retroactive` if the cliff is intended\n  from 0% to 100% : 5%\n  100% and above  : 8%\n}",
    }
    ROW_FORM_MISMATCH = "E0308" Error "row-form-mismatch" {
        summary: "A row is written in a form the table's mode does not use: marginal and retroactive tables have bands (`from A to B`, `A and above`), linear tables have points (`at A`), lookup tables have keys (`\"Platform\"`, `otherwise`).",
        why: "Each mode reads its rows differently; a point in a marginal table has no width to pay a rate on.",
        example: "table curve linear on att {\n  from 0% to 100% : 0 USD\n}",
        fix: "table curve linear on att {\n  at 100% : 0 USD\n  at 150% : 10000 USD\n}",
    }
    MIXED_TABLE_VALUES = "E0309" Error "mixed-table-values" {
        summary: "A table's rows disagree: some values are rates and others amounts, or the bounds are of a different kind than the key (percent bounds on an amount key). Only a lookup keyed on a column of the deal may pay a rate on some rows and an amount on others (`\"Services\" : 15%`, `\"Hardware\" : 20 USD`, applied as `T of credit.amount`), never plain numbers.",
        why: "A table is applied the same way whatever row is reached; a mix of rates and amounts would change the unit of the payout with the attainment. A lookup on a deal's column is read for one line at a time, where a rate row is a rate of the line and an amount row the amount for the line.",
        example: "from 0% to 100% : 5%\n100% and above  : 1000 USD",
        fix: "from 0% to 100% : 5%\n100% and above  : 8%",
    }
    LOOKUP_DUPLICATE_KEY = "E0310" Error "lookup-duplicate-key" {
        summary: "A lookup table lists the same key twice (or has two `otherwise` rows).",
        why: "A deal with that key would have two rates.",
        example: "\"Platform\" : 8%\n\"Platform\" : 6%",
        fix: "\"Platform\" : 8%\n\"Add-on\"   : 6%",
    }
    LOOKUP_NO_OTHERWISE = "W0311" Warning "lookup-without-otherwise" {
        summary: "A lookup table has no `otherwise` row, so a key it does not list fails the payroll run.",
        why: "A new product added to the data after the plan was written would stop payroll for every rep who sold it.",
        example: "table product_rate lookup on deal.product {\n  \"Platform\" : 8%\n}",
        fix: "table product_rate lookup on deal.product {\n  \"Platform\" : 8%\n  otherwise  : 5%\n}",
    }
    TOO_FEW_POINTS = "E0312" Error "too-few-points" {
        summary: "A linear table has fewer than two points, so there is nothing to interpolate between.",
        why: "A single point is a constant; write the constant instead, or add the second point of the curve.",
        example: "table kicker linear on att {\n  at 100% : 0 USD\n}",
        fix: "table kicker linear on att {\n  at 100% : 0 USD\n  at 150% : 10000 USD\n}",
    }
    TABLE_KEY = "E0313" Error "table-key" {
        summary: "A table's key cannot key it: a marginal, retroactive or linear table is keyed on an attainment, a measure (`on bookings ytd`) or one credit's amount (`on credit.amount`, for a per-deal earning); a lookup table on text.",
        why: "Bands compare the key with their bounds, so the key must be a value the plan knows where the table is used: an attainment or a measure of the rep, or the amount of the deal at hand. An amount read from the rep's row or the deal's own currency (`deal.amount`) is not one of them, text has no order, and a lookup table names its keys, so it needs text.",
        example: "table deal_rate marginal on rep.target_incentive {\n  from 0 USD to 10000 USD : 2%\n  10000 USD and above     : 3%\n}",
        fix: "table deal_rate marginal on credit.amount {\n  from 0 USD to 10000 USD : 2%\n  10000 USD and above     : 3%\n}\nearn commission = deal_rate of credit.amount per deal",
    }
    EMPTY_TABLE = "E0314" Error "empty-table" {
        summary: "A table has no rows.",
        why: "Every key would be without a rate.",
        example: "table rates marginal on att { }",
        fix: "table rates marginal on att {\n  0% and above : 5%\n}",
    }
    PER_DEAL_TABLE = "E0315" Error "per-deal-table-outside-a-per-deal-earning" {
        summary: "A table keyed on one credit's amount (`on credit.amount`) is used outside the amount or condition of a per-deal earning.",
        why: "Such a table tiers each deal on its own amount, so it has a value only where one deal is at hand and paid once: in a per-deal earning. In a measure a reversal would be tiered as a negative deal instead of taking back what the deal was paid; in a plain earning, a bonus, a cap or a gate no deal is at hand.",
        example: "measure tiered = sum of deal_rate of credit.amount\nearn commission = 100% of tiered period",
        fix: "earn commission = deal_rate of credit.amount per deal",
    }
    IN_ORDER_OUTSIDE_PER_DEAL = "E0317" Error "deals-in-order-outside-a-per-deal-earning" {
        summary: "A marginal table keyed on a measure or an attainment is applied to `credit.amount` outside the amount of a per-deal earning.",
        why: "Applied to one credit's amount, such a table pays each deal the slices its amount fills as the running total passes through them, the deals taken in credit-date order. Only a per-deal earning has one deal at hand, paid once and taken back once; in a measure or a plain earning the deal's slices have no meaning.",
        example: "measure ordered = sum of base_rate of credit.amount\nearn commission = 100% of ordered period",
        fix: "earn commission = base_rate of credit.amount per deal",
    }
    RUNNING_TOTAL_NOT_CREDIT = "E0318" Error "running-total-not-a-sum-of-credit" {
        summary: "Deals are paid in order (a marginal table applied to `credit.amount` in a per-deal earning) on a table keyed on a measure that is not a sum of `credit.amount` over the rep's credit rows: a count, a sum of another value, a measure of another table or of the deals table itself (`by`/`on`), or a measure summed `each` value of a column.",
        why: "Each deal's amount is laid on the running total the table is keyed on, from where the deals before it left it. That total must be made of the same credit amounts, deal by deal, or a deal would fill the slices of something else.",
        example: "measure orders = count of credit\ntable rate marginal on orders period {\n  from 0 to 50 : 2%\n  50 and above : 3%\n}\nearn commission = rate of credit.amount per deal",
        fix: "measure bookings = sum of credit.amount\ntable rate marginal on bookings period {\n  from 0 USD to 50000 USD : 2%\n  50000 USD and above     : 3%\n}\nearn commission = rate of credit.amount per deal",
    }
    BAND_VALUE_NOT_A_RATE_LOOKUP = "E0319" Error "band-value-not-a-rate-lookup" {
        summary: "A band's value names something other than a lookup table of rates keyed on a column of the deal or of the rep: another kind of definition, a tier or linear table, a table of amounts, or a lookup on another table's rows.",
        why: "A band whose rate differs by deal (`100% and above : product_rate`) reads the named lookup for each deal it pays, and applies the rate it finds to the deal's slice. Only a lookup of rates on the deal's (or the rep's) columns has such a rate.",
        example: "table product_bonus lookup on deal.product {\n  \"Platform\" : 500 USD\n  otherwise  : 0 USD\n}\ntable base_rate marginal on att {\n  from 0% to 100% : 4%\n  100% and above  : product_bonus\n}",
        fix: "table product_rate lookup on deal.product {\n  \"Platform\" : 10%\n  otherwise  : 6%\n}\ntable base_rate marginal on att {\n  from 0% to 100% : 4%\n  100% and above  : product_rate\n}",
    }
    OWN_TOTAL_ELSEWHERE = "E0320" Error "own-total-table-elsewhere" {
        summary: "A table keyed on what an earning has paid (`on company ytd`) is used anywhere but as the whole amount of that earning, paid per deal.",
        why: "The earning fills the table deal by deal: each deal's base fills the room left in each band at its rate, from where the deals before it left the earning's total. Only that earning has this total, and only when its amount is the table's application alone; in another earning, a measure, a plain earning or inside a larger amount, the total and the payout would come apart.",
        example: "table company_rate marginal on company ytd {\n  from 0 USD to 20000 USD : 30%\n  20000 USD and above     : 10%\n}\nearn company = company_rate of credit.amount per deal\nearn agent = company_rate of credit.amount per deal",
        fix: "earn company = company_rate of credit.amount per deal",
    }
    TABLE_FLAG = "E0316" Error "table-flag-does-not-apply" {
        summary: "A table declares a word its rows cannot honour: `closed` on a linear table, or on a band table whose last band is open; `including upper bounds` on a table without bands; `multiplier` on a table that does not pay rates; `decelerating` on a lookup table.",
        why: "Nothing a plan says is ignored: a declaration the table cannot honour is a misunderstanding of what the table does, and would read as a rule the payout does not follow.",
        example: "table kicker linear on att closed {\n  at 100% : 0 USD\n  at 150% : 10000 USD\n}",
        fix: "table kicker linear on att {\n  at 100% : 0 USD\n  at 150% : 10000 USD\n}",
    }
}
