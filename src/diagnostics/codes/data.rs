//! Codes of data loading (E07xx): CSV files that do not match the plan's schema.

use super::codes;

codes! {
    MISSING_FILE = "E0700" Error "missing-data-file" {
        summary: "A table the plans need has no CSV file in the data folder (`deals` is read from `deals.csv`).",
        why: "Without the file, every rep would be paid as if the table were empty.",
        example: "compplan run plans --data data --period 2026-03   # data/deals.csv does not exist",
        fix: "Add data/deals.csv with the columns `schema deals` declares.",
    }
    MISSING_COLUMN = "E0701" Error "missing-column" {
        summary: "A CSV file's header lacks a column its schema declares.",
        why: "Every declared column is read by name; a missing one cannot be defaulted without guessing.",
        example: "id,owner,amount,closed          # deals.csv without `currency`",
        fix: "id,owner,amount,currency,closed",
    }
    BAD_VALUE = "E0702" Error "bad-value" {
        summary: "A value does not parse as its column's type: an amount that is not a plain decimal, a date that is not ISO `YYYY-MM-DD`, a boolean other than `true`/`false`.",
        why: "compplan reads money as exact decimals straight from the text: `1,234.50`, `1e3` or `12.5 USD` are refused rather than guessed.",
        example: "A1,alice,40000.00.0,USD,2026-01-12",
        fix: "A1,alice,40000.00,USD,2026-01-12",
    }
    DUPLICATE_KEY = "E0703" Error "duplicate-key" {
        summary: "Two rows of a table share the value of its `key` column. The message names both lines.",
        why: "A reference to that key would be ambiguous, and a deal listed twice would be paid twice.",
        example: "A1,alice,40000,USD,2026-01-12\nA1,alice,40000,USD,2026-01-12",
        fix: "Remove the repeated row, or give it its own id.",
    }
    UNKNOWN_REFERENCE = "E0704" Error "unknown-reference" {
        summary: "A `ref` column names a key that its table does not have (a deal owned by a rep missing from reps.csv).",
        why: "Credit for that row would go to nobody.",
        example: "A1,alise,40000,USD,2026-01-12   # no rep `alise`",
        fix: "A1,alice,40000,USD,2026-01-12",
    }
    SPLITS_NOT_100 = "E0705" Error "splits-not-100" {
        summary: "The split shares of a deal do not sum to exactly 100% (and the split rule is not declared `overlay`), or, under `deal by splits up to P%`, sum to less than 100% or more than P%.",
        why: "Shares below 100% lose credit, shares above create it; both change attainment and pay.",
        example: "P5,pia,50\nP5,raj,40",
        fix: "P5,pia,50\nP5,raj,50",
    }
    MANAGER_CYCLE = "E0706" Error "manager-cycle" {
        summary: "The manager hierarchy has a cycle: a rep is, through some chain, their own manager.",
        why: "Rollup credit would climb the chain forever.",
        example: "maria,…,manager=alice\nalice,…,manager=maria",
        fix: "Give the top of the hierarchy an empty manager.",
    }
    MISSING_FX_RATE = "E0707" Error "missing-fx-rate" {
        summary: "A deal is in a currency with no conversion rate dated on or before its close date.",
        why: "The deal cannot be credited in the plan currency without a rate, and compplan never assumes one.",
        example: "B9,bob,5000,GBP,2026-04-02   # fx.csv has no GBP rate before 2026-04-02",
        fix: "GBP,2026-04-01,1.27          # add to fx.csv",
    }
    MISSING_VALUE = "E0708" Error "missing-value" {
        summary: "A required column is empty in a row. Only columns declared `optional` may be empty.",
        why: "An empty amount or date cannot be defaulted without changing someone's pay.",
        example: "A1,alice,,USD,2026-01-12",
        fix: "A1,alice,40000,USD,2026-01-12",
    }
    BAD_CSV = "E0709" Error "bad-csv" {
        summary: "A file is not well-formed CSV: a row with a different number of fields than the header, an unterminated quote, text that is not UTF-8, a header that names a column twice.",
        why: "compplan cannot tell which value belongs to which column.",
        example: "A1,alice,40000,USD",
        fix: "A1,alice,40000,USD,2026-01-12,Platform,EMEA,new,false,,",
    }
    NO_CONVERSION = "E0710" Error "no-conversion" {
        summary: "A deal is in a currency other than the plan currency, and the crediting rules have no `convert` rule.",
        why: "Without a conversion rule, amounts in different currencies would be added as if they were the same.",
        example: "A1,alice,40000,EUR,2026-01-12   # and no `convert` line in credit { … }",
        fix: "convert deal.amount to USD using fx on deal.closed",
    }
    IMPOSSIBLE_DATES = "E0711" Error "impossible-dates" {
        summary: "Two dates of a row contradict each other: a deal cancelled before it closed, a rep terminated before being hired.",
        why: "compplan would date a reversal before its credit, or evaluate nobody; the data is wrong, and guessing which date is right would change pay.",
        example: "A2,alice,30000,USD,2026-03-10,…,cancelled=2026-01-20",
        fix: "Correct whichever date is wrong.",
    }
    BAD_FX_RATE = "E0712" Error "bad-fx-rate" {
        summary: "An exchange rate in the rates table is zero or negative.",
        why: "A rate of 0 would credit a deal as nothing and pay no commission on it; a negative rate would turn a sale into a reversal.",
        example: "currency,date,rate\nEUR,2026-02-01,0",
        fix: "currency,date,rate\nEUR,2026-02-01,1.0850",
    }
    NEGATIVE_QUOTA = "E0713" Error "negative-quota" {
        summary: "A column that a plan reads a quota from holds a negative value: the amount column of a table of quotas (`quota q = quotas.amount …`), or a rep column the quota is, or scales by a positive factor (`quota q = 4 × rep.target_incentive …`). A quota of 0 is accepted: its attainment is undefined and reported for the rep at run time.",
        why: "Attainment is the measure divided by the quota: against a negative quota every sale lowers attainment, and tiers and gates keyed on it pay the wrong rate (−100% attainment and a larger payout).",
        example: "rep,year,amount\nalice,2026,-1200000",
        fix: "rep,year,amount\nalice,2026,1200000",
    }
    BAD_SPLIT_SHARE = "E0714" Error "bad-split-share" {
        summary: "A split share is not above 0%, or (in a split rule that is not `overlay`) is above 100%. Each share is checked on its own, before the shares of a deal are summed.",
        why: "Shares that net out (90, 30 and −20 \"sum to 100%\") credit some reps more than the whole deal and reverse another's credit; a rep listed with 0% still counts the deal and is paid per-deal earnings in full; and shares that sum to 100% cannot hold one above 100%.",
        example: "deal,rep,share\nP5,pia,90\nP5,raj,30\nP5,sam,-20",
        fix: "deal,rep,share\nP5,pia,50\nP5,raj,30\nP5,sam,20",
    }
    CONTROL_CHARACTER = "E0715" Error "control-character" {
        summary: "A cell holds a control character (U+0000 to U+001F, U+007F to U+009F) other than tab: a NUL byte, an escape, or a line break inside a quoted value.",
        why: "Control characters are invisible: `Plat\\0form` is shown as `Platform` but matches nothing in a plan, a key with one cannot be typed in `--rep`, and an escape would be printed to the terminal. They come from broken exports, so they are refused rather than removed.",
        example: "A1,alice,40000,USD,2026-01-12,Plat␀form,EMEA,new,false,,   # ␀ is a NUL byte",
        fix: "A1,alice,40000,USD,2026-01-12,Platform,EMEA,new,false,,",
    }
    OUT_OF_RANGE = "E0716" Error "out-of-range" {
        summary: "A value is well-formed but beyond what compplan accepts: a date or year outside 1900 to 2199, a number with more than 28 significant digits or more than 28 decimal places (a percentage: 26, as it is divided by 100 exactly).",
        why: "Amounts are exact decimals of at most 28 significant digits and are never rounded on reading; dates outside the range are placeholders (`0000-01-01`, `9999-12-31`) or typos that would silently move a deal or a hire out of every plan year.",
        example: "A1,alice,40000,USD,0000-01-01,Platform,EMEA,new,false,,\nP1,pia,40000,USD,2026-01-12,Platform,EMEA,new,false,9999-12-31,",
        fix: "A1,alice,40000,USD,2026-01-12,Platform,EMEA,new,false,,\nP1,pia,40000,USD,2026-01-12,Platform,EMEA,new,false,,   # an optional date with no value is empty",
    }
    SURROUNDING_SPACE = "E0717" Error "surrounding-space" {
        summary: "A cell begins or ends with a space: a space, a tab, a no-break space (U+00A0), another Unicode space, or an invisible character such as a zero-width space or a byte order mark. Spaces inside a value are kept as written.",
        why: "`renewal ` looks like `renewal` but is another text: `deal.kind is not \"renewal\"` holds for it, and the renewal is paid as a new deal. A key or a reference with a space matches nothing, and a number or a date with one is not what it seems. compplan never trims a value silently: payroll must not guess which text was meant.",
        example: "A7,alice,100000,USD,2026-03-06,Platform,EMEA,renewal ,false,,",
        fix: "A7,alice,100000,USD,2026-03-06,Platform,EMEA,renewal,false,,",
    }
    CREDITED_TWICE = "W0718" Warning "credited-twice" {
        summary: "Under `deal by splits overlay`, a deal's owner is also one of its split rows: the owner is credited the whole deal as its owner, and their share again as a split rep.",
        why: "An overlay credits the split reps on top of the owner. Listing the owner among them is how a split that replaces the owner is written, and under `overlay` it pays the owner twice. The run goes on: an owner may be meant to have both.",
        example: "credit { …; deal by splits overlay }\nsplits.csv: T1,ann,50 · T1,bob,50   # ann owns T1: credited 100% + 50%",
        fix: "credit { …; deal by splits }   # the split rows replace the owner (or `deal by splits up to 200%`)",
    }
}
