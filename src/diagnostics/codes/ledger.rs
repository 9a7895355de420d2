//! Codes of the ledger of closed periods (E09xx): records that cannot be read or must not be rewritten.

use super::codes;

codes! {
    LEDGER_UNREADABLE = "E0900" Error "ledger-unreadable" {
        summary: "A file in the ledger folder is not a ledger record compplan can read: not JSON, a record format it does not know, an amount that is not a number, a balance owed for an unknown reason, a record that does not match its own `record_sha256` (required from record format 2; records of format 1, written by earlier versions, are read as they were), or money held for a deal the data no longer has (put the deal's row back: the record is never edited).",
        why: "Closed periods are paid as recorded; a record that cannot be read would leave compplan guessing what was paid.",
        example: "ledger/2026-03.json was edited by hand and `\"amount\": \"7,400.00\"` no longer reads",
        fix: "Restore the file from version control: ledger records are written by `compplan close` and never edited.",
    }
    PERIOD_CLOSED = "E0901" Error "period-already-closed" {
        summary: "`compplan close` was asked to close a pay period the ledger already records.",
        why: "A closed period is history: what was paid stays recorded. A correction is paid later as an `adjustment`, never by rewriting the record.",
        example: "compplan close plans --data data --ledger ledger --period 2026-03   # a second time",
        fix: "compplan run plans --data data --ledger ledger --period 2026-04   # the change shows as an adjustment in April",
    }
    NO_LEDGER = "E0902" Error "no-ledger" {
        summary: "`--ledger` names a folder that does not exist.",
        why: "Running against a mistyped ledger folder would recompute closed periods as if nothing had been paid.",
        example: "compplan run plans --data data --ledger ledgr --period 2026-04",
        fix: "compplan run plans --data data --ledger ledger --period 2026-04",
    }
    CLOSED_OUT_OF_ORDER = "E0903" Error "closed-out-of-order" {
        summary: "`compplan close` was asked to close a pay period of a plan after a later period of that plan was closed. Such a period can no longer be closed: like every period before a plan's first closed period, it counts as paid outside the ledger.",
        why: "Each record starts from the balance owed and the money held at the end of the period before it. Closing an earlier period after a later one would record a history in which the later period never saw it: balances would not add up.",
        example: "compplan close plans --data data --ledger ledger --period 2026-05\ncompplan close plans --data data --ledger ledger --period 2026-04   # April after May",
        fix: "Close periods in order. A period that can no longer be closed is not paid by compplan: `compplan run --ledger` recomputes it as history and pays no adjustment for it, so if it was not paid, pay it outside compplan.",
    }
    PERIOD_NOT_CLOSED_BEFORE = "E0904" Error "period-not-closed-before" {
        summary: "`compplan close` was asked to close a pay period of a plan that already has a closed period before it, while the plan's pay period just before it is neither closed nor part of the same close. A plan's first close may start at any period; after that, none may be skipped.",
        why: "A period skipped between two closed ones would never be paid: `compplan run --ledger` recomputes it as history, and no adjustment covers it.",
        example: "compplan close plans --data data --ledger ledger --period 2026-01\ncompplan close plans --data data --ledger ledger --period 2026-03   # February skipped",
        fix: "compplan close plans --data data --ledger ledger --period 2026-02\ncompplan close plans --data data --ledger ledger --period 2026-03",
    }
}
