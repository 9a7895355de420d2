//! Codes of the ledger of closed periods (E09xx): records that cannot be read or must not be rewritten.

use super::codes;

codes! {
    LEDGER_UNREADABLE = "E0900" Error "ledger-unreadable" {
        summary: "A file in the ledger folder is not a ledger record compplan can read: not JSON, a record format it does not know, an amount that is not a number, a balance owed for an unknown reason, a record that does not match its own `record_sha256` (required from record format 2; records of format 1, written by earlier versions, are read as they were), a format-3 record without its place in the chain (or an earlier format with one), a file whose name is not its period's, or money held for a deal the data no longer has (put the deal's row back: the record is never edited).",
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
    LEDGER_CHAIN_BROKEN = "E0905" Error "ledger-chain-broken" {
        summary: "The records of the ledger folder do not form an unbroken chain. Each record `compplan close` writes (format 3) names the record closed just before it (its file and its SHA-256), and the chain's first record seals the records written before the chain (formats 1 and 2). The message names the first broken link: a record deleted from the middle, records renamed or moved, a record of an earlier format that the seal does not list (a downgrade), or a record rewritten with a fresh `record_sha256`.",
        why: "A record deleted from the middle would make `run --ledger` recompute that period as history and pay it again or not at all; a downgraded or rewritten record would be paid against as if it were the one that was closed.",
        example: "rm ledger/2026-02.json   # between 2026-01.json and 2026-03.json\ncompplan ledger verify --ledger ledger",
        fix: "Restore the ledger folder from version control (`git checkout -- ledger/`): records are written by `compplan close` and never edited, renamed or deleted.",
    }
    UNFINISHED_CLOSE = "W0906" Warning "unfinished-close" {
        summary: "The newest records of the ledger are the first parts of a close that did not finish (it was stopped between two records of one close, such as the months of a quarter). They are not counted: the ledger is as it was before that close. The next `compplan close` removes them.",
        why: "A close records all its periods or none; counting part of one would pay some of its months as closed and the others as open.",
        example: "compplan close plans --data data --ledger ledger --period 2026-Q1   # killed after 2026-01.json was linked",
        fix: "compplan close plans --data data --ledger ledger --period 2026-Q1   # again: it removes the unfinished records first",
    }
}
