//! Codes of plan tests (E10xx): what `compplan test` reports when a `test` block's expectation fails or its
//! data cannot be evaluated.

use super::codes;

codes! {
    EXPECTATION_NOT_MET = "E1000" Error "expectation-not-met" {
        summary: "A `test` block expected an amount or an attainment that the plan does not compute from the test's data.",
        why: "A plan's tests are its specification: a change that moves a payout the test pins down is either a mistake in the change or a test to update on purpose.",
        example: "test \"alice in March\" {\n  data from \"data\"\n  period 2026-03\n  expect alice commission is 7500.00 USD   // the plan computes 7400.00\n}",
        fix: "expect alice commission is 7400.00 USD   // or correct the plan, if 7500.00 was right",
    }
    EXPECTATION_PERIOD = "E1001" Error "expectation-period" {
        summary: "An expectation names a pay period the test does not evaluate (outside its period, or paid by another version of the plan), or names none while the test evaluates several.",
        why: "An amount without its pay period is ambiguous: in a quarter of a monthly plan, `total` could be any of three months.",
        example: "period 2026-Q1\nexpect alice total is 12900.00 USD",
        fix: "period 2026-Q1\nexpect 2026-03 alice total is 12900.00 USD",
    }
    TEST_DATA = "E1002" Error "test-data" {
        summary: "A `test` block's data is incomplete or cannot be read: no `reps` or `deals` table, a fixture folder that does not exist, or a cell that does not fit its column.",
        why: "A test runs the plan on the data it gives and nothing else; without the required tables there is nothing to evaluate.",
        example: "test \"march\" {\n  period 2026-03\n  expect alice total is 0.00 USD\n}",
        fix: "test \"march\" {\n  data from \"data\"        // a folder of CSV files, relative to the plan file\n  period 2026-03\n  expect alice total is 0.00 USD\n}",
    }
    EXPECTATION_UNKNOWN_REP = "E1003" Error "expectation-unknown-rep" {
        summary: "An expectation names a rep that the test's `reps` data does not have.",
        why: "A rep the data lacks is paid nothing, so an expectation of zero about it would pass whatever the plan computes; it is almost always a misspelt id or a missing row.",
        example: "data reps {\n  id,name,role,region,manager,hired,terminated,target_incentive\n  ada,Ada Byron,AE,EMEA,,2025-01-01,,60000\n}\nexpect adda commission is 0.00 USD",
        fix: "expect ada commission is 0.00 USD",
    }
}
