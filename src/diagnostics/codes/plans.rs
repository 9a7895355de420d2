//! Codes of plan structure (E04xx, E05xx, W06xx): cycles, headers, versions, quotas, earnings,
//! draws, crediting rules, schemas and lints.

use super::codes;

codes! {
    CYCLE = "E0400" Error "cycle" {
        summary: "A definition depends on itself, directly or through others, or an earning reads its own lines through the earnings it reads (`kicker` reads `commission`, which reads `kicker`). The message shows the path of the cycle.",
        why: "The language is total: every value is computed from data in a finite number of steps. A cycle has no value.",
        example: "attainment att = bookings ytd / q ytd\ntable rates marginal on att { … }\nmeasure bookings = sum of credit.amount × rates",
        fix: "measure bookings = sum of credit.amount",
    }
    OVERLAPPING_VERSIONS = "E0500" Error "overlapping-versions" {
        summary: "Two versions of the same plan are in effect on the same day.",
        why: "A rep on that plan would be paid twice for the same period. Versions of a plan follow each other: end one the day before the next starts.",
        example: "plan ae version 1 { effective 2026-01-01 to 2026-12-31 … }\nplan ae version 2 { effective 2026-07-01 to 2026-12-31 … }",
        fix: "plan ae version 1 { effective 2026-01-01 to 2026-06-30 … }\nplan ae version 2 { effective 2026-07-01 to 2026-12-31 … }",
    }
    DUPLICATE_VERSION = "E0501" Error "duplicate-version" {
        summary: "The same plan name and version number are declared twice in the workspace.",
        why: "A version number names one text of the plan; payouts, the ledger and `diff` refer to it.",
        example: "plan ae version 3 { … }   // in ae.plan\nplan ae version 3 { … }   // in ae_copy.plan",
        fix: "plan ae version 4 { … }   // in ae_copy.plan, with its own effective range",
    }
    MISSING_HEADER = "E0502" Error "missing-header" {
        summary: "A plan lacks a required header line: its version, `effective FROM to TO`, `currency CUR` or `pay monthly|quarterly|yearly|semi-monthly|biweekly from DATE`.",
        why: "Without them compplan cannot tell when the plan applies, in which currency it pays, or how often.",
        example: "plan ae version 1 {\n  currency USD\n  pay monthly\n}",
        fix: "plan ae version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n}",
    }
    INVALID_HEADER = "E0503" Error "invalid-header" {
        summary: "A header line has a value compplan does not know: a pay frequency other than `monthly`, `quarterly`, `yearly`, `semi-monthly` or `biweekly from DATE` (a biweekly plan without the first day of a pay period, or `from DATE` after another frequency; versions of one plan that pay semi-monthly or biweekly and on another calendar, whose pay periods cannot follow each other), a month name, a rounding mode or precision, a currency code.",
        why: "Header values decide periods and rounding for every payout line; compplan names the accepted values rather than guessing.",
        example: "pay montly",
        fix: "pay monthly",
    }
    REPEATED_HEADER = "E0504" Error "repeated-header" {
        summary: "A header line (or `eligible`, a draw, a balance policy) is given twice in one plan.",
        why: "Two currencies or two effective ranges for one plan contradict each other.",
        example: "currency USD\ncurrency EUR",
        fix: "currency USD",
    }
    EMPTY_RANGE = "E0505" Error "empty-range" {
        summary: "A date range ends before it starts.",
        why: "An empty range selects nothing: the plan (or draw, or filter) would never apply.",
        example: "effective 2026-12-31 to 2026-01-01",
        fix: "effective 2026-01-01 to 2026-12-31",
    }
    BAD_QUOTA = "E0506" Error "bad-quota" {
        summary: "A quota is malformed: a constant quota below zero (`-240000 USD`), a weight below zero, weights that do not sum to 100%, the wrong number of weights for the unit, an unknown unit, a quota from a table without a rep and a year column (or with one of them, or the amount, declared `optional`), or proration in a workspace without employment dates (it would change nothing).",
        why: "A quota split that does not add up to the annual quota silently raises or lowers every attainment.",
        example: "quota q = quotas.amount split by quarter weights (20%, 25%, 25%, 20%)",
        fix: "quota q = quotas.amount split by quarter weights (20%, 25%, 25%, 30%)",
    }
    BAD_ATTAINMENT = "E0507" Error "bad-attainment" {
        summary: "An attainment is not a measure in a scope divided by a quota in a scope.",
        why: "Attainment drives tiers, gates and bonuses; compplan needs to know its measure (the base marginal tiers slice) and its quota (what undefined attainment is reported against).",
        example: "attainment att = bookings ytd / 100000 USD",
        fix: "quota q = 1200000 USD split evenly by month\nattainment att = bookings ytd / q ytd",
    }
    BAD_EARNING = "E0508" Error "bad-earning" {
        summary: "An earning's form or modifiers do not fit together: `once per ytd`, a per-deal filter that reads a measure, `by share` on an earning that is not per deal (or on an amount that is already the rep's share: one that reads `credit.amount` or `credit.share`), a cap in a scope the plan does not have (`per month` on a plan paying quarterly, yearly, semi-monthly or biweekly).",
        why: "Each form is evaluated differently (once per window, per credit row, or in a scope); the plan must say one of them unambiguously.",
        example: "earn bonus = 1000 USD once per ytd",
        fix: "earn bonus = 1000 USD once per year",
    }
    BAD_CREDIT_RULES = "E0509" Error "bad-credit-rules" {
        summary: "The crediting rules are incomplete or inconsistent: no owner rule, a rule on a column of the wrong type, two credit blocks, a conversion into a currency other than a plan's, plans paying in different currencies while deals are credited unconverted, a kind of credit (`credit.kind is \"rollup\"`) or a territory that no rule gives, a partial clawback whose part is not above 0% and at most 100%, a split maximum (`up to P%`) not above 100%, a deals table with several money columns (or none) and no rule naming the one credited (`credit deal.amount` credits a column as it is, `credit deal.seats` a number of units; `convert deal.amount to USD using fx on deal.closed` converts each deal's own currency; the two together name the amount twice), or a column the rules read for every row (the credited amount and its currency, the split and rate columns, the start of employment) declared `optional`.",
        why: "Credit is the input of every measure; an ambiguity here changes every payout.",
        example: "credit {\n  deal to deal.region on deal.closed\n}",
        fix: "credit {\n  deal to deal.owner on deal.closed\n}",
    }
    BAD_SCHEMA = "E0510" Error "bad-schema" {
        summary: "A schema table is malformed: a `ref` to a table without a key, `money in` a column that is not a currency, two key columns, a key of a type other than text, integer, date, year or currency (keys are matched as written, so a decimal, a boolean or a reference cannot be one), no columns.",
        why: "Data files are validated against the schema; an inconsistent schema cannot validate anything.",
        example: "schema deals { id: text key; amount: money in region; region: text }",
        fix: "schema deals { id: text key; amount: money in currency; currency: currency }",
    }
    BAD_DRAW = "E0511" Error "bad-draw-or-hold" {
        summary: "A draw or hold is malformed: a draw that is not money, a period unit other than `month`, a hold of more than 100%, a hold on an earning the plan does not define, a date column that is not a date, a draw `per period` or a hold `for N months` on a quarterly or yearly plan (a quarter is not a month), a draw `per month`, a hold for a number of periods, instalments or a retention schedule on a plan paying semi-monthly or biweekly (a half-month is not a month; held money is recorded by the month it falls due in), an option `on termination` in a workspace without employment dates, draw dates outside every pay period of the plan, a hold until a date of the deal on an earning not earned on deals (a bonus of a fixed amount), a line paid in fewer than 2 `instalments`, instalments or a retention schedule beside another hold on the same earning, a retention schedule (`hold 50% of commission ytd after Q1, 30% after Q2`) whose quarters are not Q1 to Q3 in order, or on a plan paid yearly, two draws of one plan without a name each or a draw named like another line of the plan, or `recovered from month N` on a non-recoverable draw, from month 0, or twice.",
        why: "Draws and holds move money between periods; compplan must know exactly how much and when.",
        example: "draw recoverable 2000 USD per week for 3 months from rep.hired",
        fix: "draw recoverable 2000 USD per month for 3 months from rep.hired",
    }
    BAD_TEST = "E0512" Error "bad-test" {
        summary: "A `test` block is malformed: no period, an inline table the schema does not declare or given twice, an expectation naming no component or attainment of the plan, or an expected value in the wrong unit (a payout line takes money in the plan's currency, an attainment a percentage).",
        why: "A test that cannot run protects nothing.",
        example: "test \"march\" {\n  expect alice comission is 7400.00 USD\n}",
        fix: "test \"march\" {\n  period 2026-03\n  expect alice commission is 7400.00 USD\n}",
    }
    NOT_YET_SUPPORTED = "E0513" Error "not-yet-supported" {
        summary: "The plan uses a construct that compplan checks but cannot pay yet. No construct is in that state today: holds until a date of the deal (`until deal.paid`), the last one, are paid. The code stays reserved, never reused.",
        why: "Paying a plan while silently ignoring part of it would overpay; compplan refuses instead, until the runtime implements it.",
        example: "none today: `hold 50% of commission until deal.paid` raised it until such holds were paid",
        fix: "nothing to fix: the code is reserved",
    }
    UNKNOWN_TEAM_EARNING = "E0514" Error "team-earning" {
        summary: "An override on the team's earnings (`commission period of every rep below`) names an earning no plan of the workspace has (or, named with its plan, `enterprise_ae.commission`, a plan without it), or one a plan pays in another currency than the manager's plan; or the credit block has no `rollup to rep.manager` rule, which says who reports to whom.",
        why: "A rep on a plan without the earning contributes nothing: a misspelt earning would make every manager's override pay 0 without a word.",
        example: "earn team_override = 4% of comission period of every rep below",
        fix: "earn team_override = 4% of commission period of every rep below",
    }
    UNUSED = "W0600" Warning "unused-definition" {
        summary: "A measure, quota or table is defined but nothing uses it (earnings and attainments are outputs, never unused).",
        why: "An unused definition is usually a leftover of an edit, or a sign that an earning reads the wrong measure.",
        example: "measure renewals = sum of credit.amount where deal.kind is \"renewal\"   // used nowhere",
        fix: "// remove it, or use it in an earning",
    }
    RATE_ABOVE_100 = "W0601" Warning "rate-above-100" {
        summary: "A table pays a rate above 100% of its base, and is not declared a `multiplier`.",
        why: "Paying more than the deal is worth is almost always a typo (120% for 12%). A table of multipliers (120%, 150% of a target incentive) means it: declare it `multiplier` (`table payout_factor retroactive on att multiplier {`) and the warning is silent.",
        example: "100% and above : 120%",
        fix: "100% and above : 12%\n// or, for a table of multipliers: table payout_factor retroactive on att multiplier {",
    }
    MIXED_WINDOWS = "W0602" Warning "mixed-windows" {
        summary: "An earning trued up over a quarter or the year to date also reads a value of a narrower window (a period's measure or attainment).",
        why: "Each line pays the value through this period minus what was already paid, so the narrower value re-prices every earlier period of the window: a month with another mix claws back or pays again the whole year's commission.",
        example: "earn c = (recurring period / total period) × tier of total ytd",
        fix: "earn c = (recurring ytd / total ytd) × tier of total ytd",
    }
}
