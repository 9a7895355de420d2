#!/usr/bin/env python3
"""pandas baseline of the compplan benchmark: the computation of bench/SEMANTICS.md, by hand.

    python3 bench/baseline_pandas.py DATA_DIR OUT_CSV

reads the tables written by `compplan gen` (reps, deals, quotas, splits, fx) and writes OUT_CSV with
the header `rep,month,total_cents`: what each evaluated rep is paid in each month of 2026 -- account
executives under the Enterprise AE plan, managers and directors under the Sales Manager plan -- in
integer cents, sorted by month then rep.

Exactness. Money never touches a float. Amounts and rates are read as text and turned into integers
with string operations; credit is kept in integer "units" of 1e-8 USD (a cent is 10**6 units), so
that conversions at 4-decimal rates and percentage splits stay exact; the only division is the final
rounding of a line to cents, half to even, done with floor division and remainder. Per-row work is in
numpy int64 (a converted row is at most ~1e16 units). The plan arithmetic runs on small dense
(rep x month) arrays; it stays in int64 when a bound on its intermediate values proves that int64
cannot overflow, and otherwise falls back to arbitrary-precision Python ints (object arrays).

Vectorisation. There is no Python loop over deals or credit rows: credit rows are built with numpy
indexing, summed per (rep, month) with a groupby, and the plans are evaluated on (rep x 12) arrays
with loops over the twelve months (for the pay balance carried from month to month) or over the
levels of the hierarchy (for rollup) only.
"""

import os
import sys
import time

import numpy as np
import pandas as pd

YEAR = 2026
MONTHS = 12
UNITS_PER_CENT = 10**6  # 1 cent = 10**6 units of 1e-8 USD
UNITS_PER_USD = 100 * UNITS_PER_CENT
RATE_DECIMALS = 4  # fx rates are kept as integers rate x 10**4
CLAWBACK_DAYS = 90
TARGET_CURRENCY = "USD"

# The Enterprise AE plan (bench/plans/enterprise_ae.plan), in cents where money.
TIER_WEIGHTS = (4, 6, 10, 12)  # marginal rates in percent: 0-50%, 50-100%, 100-150%, 150%+ of quota
CAP_TIMES_TARGET = 3  # commission capped at 3 x target_incentive per year
QUARTER_BONUS_CENTS = 5000_00
NEW_LOGO_CENTS = 500_00
NEW_LOGO_MONTH = 2  # March (months are numbered 0..11 from January 2026)
DRAW_CENTS = 2000_00
DRAW_MONTHS = 3  # the hire month and the two following
# The Sales Manager plan (bench/plans/sales_manager.plan): 2% of the month's rollup credit.
OVERRIDE_PERCENT = 2

INT64_SAFE = 2**62  # comfortably below 2**63 - 1


# --------------------------------------------------------------------------------------------------
# Reading: text to exact integers
# --------------------------------------------------------------------------------------------------


def read_table(data_dir, name, columns):
    """The columns used of a CSV table, all as text; empty cells stay empty strings (no NaN)."""
    return pd.read_csv(os.path.join(data_dir, name + ".csv"), usecols=columns, dtype=str, keep_default_na=False)


TEXT = np.dtypes.StringDType()  # numpy's variable-width strings: np.strings ufuncs run in C


def parse_fixed(text, decimals):
    """Decimal strings ("1234.5", "-0.07", "12") -> int64 numpy array of value x 10**decimals.

    Pure string handling, so exact: split at the '.', right-pad the fraction with zeros to
    `decimals` digits (trailing zeros beyond it are accepted, other extra digits are an error),
    and read both parts as integers. Vectorised with numpy's C string ufuncs (np.strings), which
    are much faster than pandas' .str methods on Python strings.
    """
    text = np.strings.strip(text.to_numpy(dtype=TEXT))
    negative = np.strings.startswith(text, "-")
    whole, _, fraction = np.strings.partition(np.strings.lstrip(text, "+-"), np.array(".", dtype=TEXT))
    fraction = np.strings.rstrip(fraction, "0")
    too_long = np.strings.str_len(fraction) > decimals
    if too_long.any():
        raise ValueError(f"a value has more than {decimals} decimals: {text[too_long][0]!r}")
    fraction = np.strings.ljust(fraction, decimals, "0")
    # A leading "0" makes empty parts ("" in ".5", or the fraction when decimals == 0) read as 0.
    whole = np.strings.add("0", whole).astype(np.int64)
    fraction = np.strings.add("0", fraction).astype(np.int64)
    value = whole * 10**decimals + fraction
    return np.where(negative, -value, value)


def parse_days(text):
    """ISO dates -> int64 days since 1970-01-01; empty cells -> `missing` (NaT's integer)."""
    return pd.to_datetime(text, format="%Y-%m-%d").to_numpy().astype("datetime64[D]").astype(np.int64)


MISSING_DAY = np.datetime64("NaT", "D").astype(np.int64)  # the integer NaT maps to (int64 min)
JAN_1 = np.datetime64(f"{YEAR}-01-01", "D")


def month_index(days):
    """Days since the epoch -> month number relative to January of YEAR (0..11 inside the year)."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months - JAN_1.astype("datetime64[M]").astype(np.int64)


def positions(index, keys, what):
    """Row positions of `keys` in `index` (a pd.Index of ids); an unknown id is an error."""
    found = index.get_indexer(keys)
    if (found < 0).any():
        raise ValueError(f"unknown {what}: {np.asarray(keys)[found < 0][0]!r}")
    return found


# --------------------------------------------------------------------------------------------------
# Exact integer helpers on small (rep x month) arrays
# --------------------------------------------------------------------------------------------------


def exact_dtype(bound):
    """int64 if every intermediate value is known to stay below `bound` in magnitude, else Python
    ints (object arrays, arbitrary precision). `bound` is a Python int."""
    return np.int64 if bound < INT64_SAFE else object


def python_sum(values):
    """The exact sum of an int64 array, as a Python int (no int64 overflow possible)."""
    return int(values.astype(object).sum()) if values.size else 0


def round_half_even(numerator, denominator):
    """numerator / denominator rounded half to even, for a positive integer denominator.

    Floor division gives q and a remainder 0 <= r < d (also for negative numerators); round up
    when 2r > d, or when 2r == d and q is odd (the tie goes to the even quotient).
    """
    q = numerator // denominator
    r = numerator - q * denominator
    twice = 2 * r
    up = (twice > denominator) | ((twice == denominator) & (q % 2 == 1))
    return (q + up.astype(np.int64)).astype(np.int64)  # cents always fit in int64


def settle(earned, draw_floor, evaluated):
    """The pay rule, month by month with the balance owed carried over, vectorised over reps.

    earned, draw_floor: (reps x 12) int64 cents (E and F); evaluated: (reps x 12) bool.
    Returns the (reps x 12) totals in cents (0 where not evaluated; those cells are not written).
    """
    owed = np.zeros(earned.shape[0], dtype=np.int64)
    total = np.zeros_like(earned)
    for m in range(MONTHS):
        e, f, on = earned[:, m], draw_floor[:, m], evaluated[:, m]
        recovery = -np.minimum(owed, np.maximum(0, e - f))
        net = e + recovery
        short = (f > 0) & (net < f)  # a draw month paying less than the draw: top it up
        draw = np.where(short, f - net, 0)
        deferred = np.where(~short & (net < 0), -net, 0)  # else a negative result is carried
        # Only evaluated months settle; the balance of a rep not evaluated this month is untouched.
        owed = np.where(on, owed + recovery + draw + deferred, owed)
        total[:, m] = np.where(on, net + draw + deferred, 0)
    return total


def dense(keys, values, n_rows, dtype=np.int64):
    """Sums `values` per key (key = row * 12 + month) into a dense (n_rows x 12) array."""
    out = np.zeros(n_rows * MONTHS, dtype=dtype)
    if len(keys):
        sums = pd.Series(values).groupby(keys, sort=False).sum()
        out[sums.index.to_numpy()] = sums.to_numpy()
    return out.reshape(n_rows, MONTHS)


# --------------------------------------------------------------------------------------------------
# The computation
# --------------------------------------------------------------------------------------------------


def load(data_dir):
    reps = read_table(data_dir, "reps", ["id", "role", "manager", "hired", "terminated", "target_incentive"])
    deals = read_table(data_dir, "deals", ["id", "owner", "amount", "currency", "closed", "kind", "new_logo", "cancelled"])
    quotas = read_table(data_dir, "quotas", ["rep", "year", "amount"])
    splits = read_table(data_dir, "splits", ["deal", "rep", "share"])
    fx = read_table(data_dir, "fx", ["currency", "date", "rate"])
    return reps, deals, quotas, splits, fx


def employment(reps):
    """(reps x 12) bool: employed on at least one day of the month (hired <= last day and
    terminated empty or >= first day)."""
    hired = parse_days(reps["hired"])
    terminated = parse_days(reps["terminated"])
    firsts = np.arange(f"{YEAR}-01", f"{YEAR + 1}-01", dtype="datetime64[M]").astype("datetime64[D]")
    lasts = (firsts.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    firsts, lasts = firsts.astype(np.int64), lasts.astype(np.int64)
    still = (terminated == MISSING_DAY)[:, None] | (terminated[:, None] >= firsts[None, :])
    return (hired[:, None] <= lasts[None, :]) & still, month_index(hired)


def deal_units(deals, fx):
    """Each deal's amount in units of 1e-8 USD, converted at the latest rate of its currency dated
    on or before the close date: cents x (rate x 10**4) x 100, exact."""
    cents = parse_fixed(deals["amount"], 2)
    closed = parse_days(deals["closed"])
    currency = deals["currency"].to_numpy(dtype=object)
    rate = np.full(len(deals), 10**RATE_DECIMALS, dtype=np.int64)  # the target currency: rate 1
    fx_rate = parse_fixed(fx["rate"], RATE_DECIMALS)
    fx_day = parse_days(fx["date"])
    fx_currency = fx["currency"].to_numpy(dtype=object)
    for code in pd.unique(currency):  # a loop over currencies, not deals
        if code == TARGET_CURRENCY:
            continue
        in_code = currency == code
        mine = fx_currency == code
        order = np.argsort(fx_day[mine], kind="stable")
        days, rates = fx_day[mine][order], fx_rate[mine][order]
        at = np.searchsorted(days, closed[in_code], side="right") - 1  # latest rate on or before
        if (at < 0).any():
            raise ValueError(f"no {code} rate dated on or before a deal's close date")
        rate[in_code] = rates[at]
    return cents * rate * (UNITS_PER_USD // 10**RATE_DECIMALS // 100), closed


def credit_rows(reps, deals, splits, fx):
    """Every direct and split credit row and its reversal, dated in the year.

    Returns a dict of equal-length numpy arrays: rep (position), month (0..11), amount (units),
    renewal (bool: the deal's kind is renewal), new_logo_march (bool: the deal is a new logo closed
    in March of YEAR), reversal (bool).
    """
    rep_index = pd.Index(reps["id"])
    deal_index = pd.Index(deals["id"])
    units, closed = deal_units(deals, fx)
    owner = positions(rep_index, deals["owner"], "deal owner")

    # Who each deal credits: the split reps with their share if the deal has split rows (kind
    # `split`), else the owner in full (kind `direct`).
    split_deal = positions(deal_index, splits["deal"], "split deal")
    split_rep = positions(rep_index, splits["rep"], "split rep")
    share = parse_fixed(splits["share"], 0)
    has_split = np.zeros(len(deals), dtype=bool)
    has_split[split_deal] = True
    direct = np.flatnonzero(~has_split)
    deal = np.concatenate([direct, split_deal])
    rep = np.concatenate([owner[direct], split_rep])
    product = units[split_deal] * share
    if (product % 100 != 0).any():  # never happens: units are multiples of 100
        raise ValueError("a split share does not divide exactly")
    amount = np.concatenate([units[direct], product // 100])

    # Clawback: a deal cancelled at most 90 days after closing (day 90 included) gets, for each of
    # its credit rows, a reversal of the opposite amount dated on the cancellation date.
    cancelled = parse_days(deals["cancelled"])
    clawed = (cancelled != MISSING_DAY) & (cancelled - closed <= CLAWBACK_DAYS)
    back = clawed[deal]
    deal_all = np.concatenate([deal, deal[back]])
    rows = {
        "rep": np.concatenate([rep, rep[back]]),
        "month": np.concatenate([month_index(closed[deal]), month_index(cancelled[deal[back]])]),
        "amount": np.concatenate([amount, -amount[back]]),
        "reversal": np.concatenate([np.zeros(len(deal), dtype=bool), np.ones(int(back.sum()), dtype=bool)]),
    }
    renewal = (deals["kind"] == "renewal").to_numpy(dtype=bool)
    codes, spellings = pd.factorize(deals["new_logo"])  # a few distinct spellings: test each once
    new_logo = np.array([v.strip().lower() == "true" for v in spellings], dtype=bool)[codes]
    rows["renewal"] = renewal[deal_all]
    rows["new_logo_march"] = (new_logo & (month_index(closed) == NEW_LOGO_MONTH))[deal_all]

    # Only rows dated in the year count.
    keep = (rows["month"] >= 0) & (rows["month"] < MONTHS)
    return {name: column[keep] for name, column in rows.items()}


def rollup(monthly, manager):
    """(reps x 12) rollup credit: every manager above a rep (manager, director, ...) gets that rep's
    rows. Summing per (rep, month) first and then per ancestor gives the same sums as rollup rows.

    A loop over the levels of the hierarchy: at level 1 each rep's sums go to its manager, at
    level 2 to its manager's manager, and so on.
    """
    # Every partial sum is bounded by the total absolute credit: pick int64 if that fits.
    dtype = exact_dtype(2 * python_sum(np.abs(monthly)))
    monthly = monthly.astype(dtype)
    out = np.zeros_like(monthly)
    above = manager.copy()
    for _ in range(len(manager)):  # depth is at most the number of reps (cycle guard)
        has = above >= 0
        if not has.any():
            break
        np.add.at(out, above[has], monthly[has])
        above = np.where(has, manager[np.maximum(above, 0)], -1)
    return out


def ae_plan(employed, hire_month, bookings, new_logo, annual_quota_units, cap_units):
    """The Enterprise AE plan for the AEs (rows of every argument): (n x 12) total cents.

    employed: (n x 12) bool; hire_month: (n,) month number of the hire date relative to January;
    bookings: (n x 12) non-renewal direct and split credit dated in each month (units);
    new_logo: (n x 12) signed count of qualifying new-logo rows; annual_quota_units, cap_units: (n,).
    """
    n = employed.shape[0]
    k = np.cumsum(employed, axis=1)  # months employed from January to m

    # Pick int64 when the largest intermediate (1200 x cap, or the tier sum <= 12 x (X + 3T/2) with
    # X = 12 x |B| and T = A x 12) provably fits.
    most_booked = python_sum(np.abs(bookings))  # bounds |B| of every AE and month
    bound = 1200 * int(cap_units.max(initial=0)) + 12 * (12 * most_booked + 3 * 12 * int(annual_quota_units.max(initial=0)))
    dtype = exact_dtype(2 * bound)
    ytd = np.cumsum(bookings.astype(dtype), axis=1)
    quota = annual_quota_units.astype(dtype)[:, None]

    # Commission: marginal tiers on attainment = B / (A x k / 12). With X = 12 B and T = A k the
    # tier boundaries 50%, 100%, 150% sit at T/2, T, 3T/2 (T is even: A is a multiple of 100 units).
    x = 12 * ytd
    t = quota * k.astype(dtype)
    half = t // 2
    zero = np.zeros_like(x)
    s0 = np.minimum(x, half)  # negative when X is
    s1 = np.minimum(np.maximum(x - half, zero), half)
    s2 = np.minimum(np.maximum(x - t, zero), half)
    s3 = np.maximum(x - 3 * half, zero)
    w0, w1, w2, w3 = TIER_WEIGHTS
    value_1200 = w0 * s0 + w1 * s1 + w2 * s2 + w3 * s3  # = 1200 x the value in units
    value_1200 = np.minimum(value_1200, 1200 * cap_units.astype(dtype)[:, None])
    rounded = round_half_even(value_1200, 1200 * UNITS_PER_CENT)  # R(m), cents

    # The commission line trues up the year to date: R(m) - R(previous evaluated month).
    commission = np.zeros((n, MONTHS), dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    for m in range(MONTHS):
        on = employed[:, m]
        commission[:, m] = np.where(on, rounded[:, m] - last, 0)
        last = np.where(on, rounded[:, m], last)

    # Quarter bonus, once per quarter: in the first evaluated month of the quarter whose
    # quarter-to-date bookings reach the whole quarter's quota, 12 x B_qtd >= A x k_q.
    bonus = np.zeros((n, MONTHS), dtype=np.int64)
    for q in range(4):
        months = slice(3 * q, 3 * q + 3)
        k_q = employed[:, months].sum(axis=1).astype(dtype)
        qtd = np.cumsum(bookings[:, months].astype(dtype), axis=1)
        reached = employed[:, months] & np.asarray(12 * qtd >= (quota[:, 0] * k_q)[:, None], dtype=bool)
        first = reached & (np.cumsum(reached, axis=1) == 1)
        bonus[:, months] = np.where(first, QUARTER_BONUS_CENTS, 0)

    # Recoverable draw of 2000.00 in the hire month and the two following.
    since_hire = np.arange(MONTHS)[None, :] - hire_month[:, None]
    floor = np.where((since_hire >= 0) & (since_hire < DRAW_MONTHS), DRAW_CENTS, 0)

    earned = commission + bonus + new_logo * NEW_LOGO_CENTS
    return settle(earned, floor, employed)


def manager_plan(employed, rollup_credit):
    """The Sales Manager plan: override = round_half_even(2% of the month's rollup credit), paid by
    the pay rule without a draw."""
    override = round_half_even(OVERRIDE_PERCENT * rollup_credit, 100 * UNITS_PER_CENT)
    return settle(override, np.zeros_like(override), employed)


def compute(data_dir):
    reps, deals, quotas, splits, fx = load(data_dir)
    n = len(reps)
    rep_index = pd.Index(reps["id"])
    employed, hire_month = employment(reps)
    role = reps["role"].to_numpy(dtype=object)
    manager = np.full(n, -1, dtype=np.int64)
    has_manager = (reps["manager"] != "").to_numpy(dtype=bool)
    manager[has_manager] = positions(rep_index, reps["manager"][has_manager], "manager")

    rows = credit_rows(reps, deals, splits, fx)
    key = rows["rep"] * MONTHS + rows["month"]

    # Per (rep, month) sums: all credit rows (for rollup), non-renewal ones (AE bookings), and the
    # signed count of new-logo SPIFF rows (+1 per qualifying row, -1 per reversal of one).
    all_credit = dense(key, rows["amount"], n)
    not_renewal = ~rows["renewal"]
    bookings = dense(key[not_renewal], rows["amount"][not_renewal], n)
    spiff = rows["new_logo_march"]
    spiff_rows = dense(key[spiff & ~rows["reversal"]], np.ones(int((spiff & ~rows["reversal"]).sum()), dtype=np.int64), n)
    spiff_reversals = dense(key[spiff & rows["reversal"]], np.ones(int((spiff & rows["reversal"]).sum()), dtype=np.int64), n)
    # A reversal takes the SPIFF back only if it was paid, i.e. if the rep was evaluated in March.
    new_logo = spiff_rows - spiff_reversals * employed[:, [NEW_LOGO_MONTH]]

    totals = np.zeros((n, MONTHS), dtype=np.int64)
    evaluated = np.zeros((n, MONTHS), dtype=bool)

    # Account executives under the AE plan.
    ae = np.flatnonzero(role == "AE")
    if len(ae):
        q = quotas[pd.to_numeric(quotas["year"]) == YEAR]
        quota_cents = np.zeros(n, dtype=np.int64)
        has_quota = np.zeros(n, dtype=bool)
        at = positions(rep_index, q["rep"], "quota rep")
        quota_cents[at] = parse_fixed(q["amount"], 2)
        has_quota[at] = True
        if not has_quota[ae].all():
            raise ValueError(f"no {YEAR} quota for AE {reps['id'].iloc[ae[~has_quota[ae]][0]]}")
        target = parse_fixed(reps["target_incentive"], 2)
        totals[ae] = ae_plan(
            employed[ae],
            hire_month[ae],
            bookings[ae],
            new_logo[ae],
            quota_cents[ae] * UNITS_PER_CENT,
            CAP_TIMES_TARGET * target[ae] * UNITS_PER_CENT,
        )
        evaluated[ae] = employed[ae]

    # Managers and directors under the manager plan.
    leads = np.flatnonzero((role == "Manager") | (role == "Director"))
    if len(leads):
        totals[leads] = manager_plan(employed[leads], rollup(all_credit, manager)[leads])
        evaluated[leads] = employed[leads]

    # One row per evaluated (rep, month), sorted by month then rep.
    who, month = np.nonzero(evaluated)
    out = pd.DataFrame({
        "rep": reps["id"].to_numpy()[who],
        "month": np.array([f"{YEAR}-{m + 1:02d}" for m in range(MONTHS)])[month],
        "total_cents": totals[who, month],
    })
    return out.sort_values(["month", "rep"], kind="stable").reset_index(drop=True), len(deals)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    started = time.perf_counter()
    out, deals = compute(argv[1])
    out.to_csv(argv[2], index=False)
    print(f"baseline_pandas: {len(out)} rows from {deals} deals in {time.perf_counter() - started:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
