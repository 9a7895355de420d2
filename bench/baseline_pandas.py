"""The benchmark computation (bench/SEMANTICS.md) in pandas and numpy: `baseline_pandas.py DATA OUT.csv`.

Reads the tables that `compplan gen` writes (reps, deals, quotas, splits, fx) from DATA and writes OUT.csv
as `rep,month,total_cents`: what each evaluated rep is paid in each month of 2026, AEs under the
Enterprise AE plan and managers and directors under the Sales Manager plan, sorted by month then rep.
It mirrors bench/baseline_duckdb.sql and agrees with it and with compplan to the cent.

Money never touches a float. Amounts and fx rates are read as text and turned into integers with
vectorised string operations; credit is kept in int64 numpy arrays of 10^-8 USD ("units"); the only
division is the rounding of a line to cents, half to even, with floor division and remainder. Every
multiplication and sum of money is guarded by a bound on its inputs that proves int64 cannot wrap, and the
script stops with an error instead.

There is no Python loop over deals or credit rows. deals.csv is read in chunks, each reduced at once to
numeric arrays so that the text of at most one chunk is in memory; credit is summed per (rep, month)
into dense (reps x 12) arrays, and the plans run on those with loops over the twelve months (for the
balance owed, carried from month to month) and over the levels of the hierarchy (for rollup) only.
"""

import sys

import numpy as np
import pandas as pd

YEAR = 2026
MONTHS = 12
UNITS_PER_CENT = 10**6  # A cent is 10^6 units of 10^-8 USD.
RATE_DECIMALS = 4  # Fx rates are kept as integers rate x 10^4.
CLAWBACK_DAYS = 90
NEW_LOGO_MONTH = 2  # March; months are numbered from 0 for January 2026.
CHUNK_ROWS = 1_000_000  # Deals read at a time.
INT64_MAX = int(np.iinfo(np.int64).max)
NOT_CLAWED = -(10**6)  # A reversal month outside any year: the deal has no reversal.

# The Enterprise AE plan (bench/plans/enterprise_ae.plan); money in cents.
TIER_WEIGHTS = (4, 6, 10, 12)  # Percent on the slices 0-50%, 50-100%, 100-150% and above 150% of quota.
CAP_TIMES_TARGET = 3
QUARTER_BONUS_CENTS = 5000_00
NEW_LOGO_CENTS = 500_00
DRAW_CENTS = 2000_00
DRAW_MONTHS = 3
# The Sales Manager plan (bench/plans/sales_manager.plan): 2% of the month's rollup credit.
OVERRIDE_PERCENT = 2


def guard(bound, what):
    """Stops unless `bound` (a Python int bounding every value of a computation) fits in int64."""
    if bound > INT64_MAX:
        raise OverflowError(f"{what} could overflow int64 (bound {bound})")


def max_abs(values):
    """The largest magnitude in an int64 array as a Python int (0 when empty)."""
    return max(int(values.max(initial=0)), -int(values.min(initial=0)))


# ---------------------------------------------------------------------------------------- reading


def parse_fixed(text, decimals):
    """Decimal strings ("1234.5", "-0.07", "12") as an int64 array of value x 10^decimals, exactly.

    The strings become a numpy bytes array, whose vectorised string functions are much faster than
    pandas' `.str` on Python strings: split at the '.', pad the fraction with zeros, parse both parts.
    A value with more decimals than `decimals` (other than trailing zeros) is an error.
    """
    raw = np.strings.strip(np.asarray(text.to_numpy(dtype=object), dtype="S"))
    negative = np.strings.startswith(raw, b"-")
    whole, _, fraction = np.strings.partition(np.strings.lstrip(raw, b"+-"), b".")
    whole = np.where(whole == b"", b"0", whole).astype(np.int64)  # Raises on text that is no number.
    if fraction.dtype.itemsize == 0:  # No value has a fraction; numpy mishandles zero-width bytes.
        fraction = np.zeros(len(raw), dtype="S1")
    fraction = np.strings.rstrip(fraction, b"0")
    if (np.strings.str_len(fraction) > decimals).any():
        raise ValueError(f"a value has more than {decimals} decimals")
    guard(max_abs(whole) * 10**decimals + 10**decimals, "a decimal value")
    value = whole * 10**decimals
    if decimals:
        value += np.strings.ljust(fraction, decimals, b"0").astype(np.int64)
    return np.where(negative, -value, value)


def day_numbers(dates):
    """ISO dates (text; NaN or empty for none) as int64 days since 1970-01-01, NaT's integer for none."""
    return pd.to_datetime(dates, format="%Y-%m-%d").to_numpy().astype("datetime64[D]").astype(np.int64)


NO_DAY = np.datetime64("NaT", "D").astype(np.int64)
FIRST_MONTH = np.datetime64(f"{YEAR}-01", "M").astype(np.int64)


def month_of(days):
    """Days since the epoch as month numbers counted from January of YEAR (0..11 inside it)."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - FIRST_MONTH


def categorical_days(column):
    """A categorical column of ISO dates as int64 days, NO_DAY where missing, parsing each distinct
    date once."""
    days = np.append(day_numbers(column.cat.categories), NO_DAY)
    return days[column.cat.codes.to_numpy()]  # Code -1 (missing) picks the appended NO_DAY.


def lookup(index, keys, what):
    """Positions of `keys` in `index`; an unknown key is an error."""
    found = index.get_indexer(keys)
    if (found < 0).any():
        raise ValueError(f"unknown {what}: {np.asarray(keys)[found < 0][0]!r}")
    return found


def read_small(data, name):
    """A small table with every column as text, empty cells as empty strings."""
    return pd.read_csv(f"{data}/{name}.csv", dtype=str, keep_default_na=False)


class Fx:
    """The fx table: per currency, the rates (x 10^4) sorted by date."""

    def __init__(self, fx):
        day = day_numbers(fx["date"])
        rate = parse_fixed(fx["rate"], RATE_DECIMALS)
        self.tables = {}
        for currency in pd.unique(fx["currency"]):  # A loop over currencies, not rows.
            mine = (fx["currency"] == currency).to_numpy()
            order = np.argsort(day[mine], kind="stable")
            self.tables[currency] = (day[mine][order], rate[mine][order])
        self.max_rate = max_abs(rate)

    def units(self, cents, currency, closed):
        """Amounts in cents of their currency as units of USD, converted at the latest rate dated on
        or before the close date: cents x rate x 10^4 x 100, exact."""
        units = np.empty(len(cents), dtype=np.int64)
        codes = currency.cat.codes.to_numpy()
        if (codes < 0).any():
            raise ValueError("a deal has no currency")
        for code, name in enumerate(currency.cat.categories):
            mine = codes == code
            if name == "USD":
                guard(max_abs(cents[mine]) * UNITS_PER_CENT, "a USD amount in units")
                units[mine] = cents[mine] * UNITS_PER_CENT
                continue
            days, rates = self.tables.get(name, (np.empty(0, np.int64), np.empty(0, np.int64)))
            at = np.searchsorted(days, closed[mine], side="right") - 1  # The latest rate on or before.
            if (at < 0).any():
                raise ValueError(f"no {name} rate dated on or before a deal's close date")
            guard(max_abs(cents[mine]) * self.max_rate * 100, f"a {name} amount in units")
            units[mine] = cents[mine] * rates[at] * 100
        return units


# The columns of deals.csv that count; text with few distinct values is read as categorical.
DEAL_COLUMNS = {
    "id": str, "amount": str, "currency": "category", "closed": "category", "kind": "category",
    "new_logo": bool, "cancelled": "category",
}


# ---------------------------------------------------------------------------------------- credit


class Credit:
    """Credit rows summed per (rep, month) of the year into dense (reps x 12) int64 arrays."""

    def __init__(self, n_reps):
        shape = n_reps * MONTHS
        self.all = np.zeros(shape, np.int64)  # Every row, for rollup.
        self.bookings = np.zeros(shape, np.int64)  # Rows of deals whose kind is not renewal.
        self.logos = np.zeros(shape, np.int64)  # Rows of new logos closed in March.
        self.logo_reversals = np.zeros(shape, np.int64)  # Reversals of those.
        self.rows = np.zeros(shape, np.int64)  # The number of rows, for the overflow guard.
        self.largest = 0  # The largest row amount in magnitude, for the overflow guard.

    def add(self, rep, month, amount, renewal, march_logo, reversal):
        """Adds rows; only those dated in the year count."""
        keep = (month >= 0) & (month < MONTHS)
        key = rep[keep] * MONTHS + month[keep]
        amount, renewal, march_logo = amount[keep], renewal[keep], march_logo[keep]
        self.largest = max(self.largest, max_abs(amount))
        np.add.at(self.all, key, amount)
        np.add.at(self.bookings, key[~renewal], amount[~renewal])
        np.add.at(self.logo_reversals if reversal else self.logos, key[march_logo], 1)
        self.rows += np.bincount(key, minlength=len(self.rows))

    def add_with_reversals(self, rep, amount, month, reversal_month, renewal, march_logo):
        """Adds credit rows dated on the close date, and a reversal of the opposite amount on the
        cancellation date for each row of a clawed-back deal."""
        self.add(rep, month, amount, renewal, march_logo, reversal=False)
        back = reversal_month != NOT_CLAWED
        self.add(
            rep[back], reversal_month[back], -amount[back], renewal[back], march_logo[back], reversal=True,
        )

    def dense(self, name):
        return getattr(self, name).reshape(-1, MONTHS)

    def guard_sums(self, rows):
        """Every sum computed from the rows is at most `largest` times its number of rows: below
        2^62, even doubled it fits."""
        guard(2 * self.largest * int(rows.max(initial=0)), "a sum of credit")


def read_deals(data, rep_index, split_index, fx, credit):
    """Reads deals.csv chunk by chunk. The credit of deals without split rows (their owner's, in
    full) goes straight into `credit`; for deals with split rows, returns their units, close month,
    reversal month, renewal and March new-logo flags, at their position in `split_index`.
    """
    fields = ("units", "month", "reversal_month", "renewal", "march_logo")
    split = {name: np.zeros(len(split_index), np.int64) for name in ("units", "month", "reversal_month")}
    split.update({name: np.zeros(len(split_index), bool) for name in ("renewal", "march_logo")})
    seen = np.zeros(len(split_index), np.int64)
    # Owners are read as categorical over the rep ids, straight to rep positions.
    dtypes = {**DEAL_COLUMNS, "owner": pd.CategoricalDtype(rep_index)}
    chunks = pd.read_csv(
        f"{data}/deals.csv", usecols=list(dtypes), dtype=dtypes, keep_default_na=False,
        na_values={"cancelled": [""]}, chunksize=CHUNK_ROWS,
    )
    for chunk in chunks:  # A loop over chunks of a million deals, each handled in one go.
        closed = categorical_days(chunk["closed"])
        if (closed == NO_DAY).any():
            raise ValueError("a deal has no close date")
        cancelled = categorical_days(chunk["cancelled"])
        month = month_of(closed)
        # A deal cancelled at most 90 days after closing is reversed on its cancellation date.
        clawed = (cancelled != NO_DAY) & (cancelled - closed <= CLAWBACK_DAYS)
        columns = {
            "units": fx.units(parse_fixed(chunk["amount"], 2), chunk["currency"], closed),
            "month": month,
            "reversal_month": np.where(clawed, month_of(np.where(clawed, cancelled, closed)), NOT_CLAWED),
            "renewal": (chunk["kind"] == "renewal").to_numpy(),
            "march_logo": chunk["new_logo"].to_numpy() & (month == NEW_LOGO_MONTH),
        }
        # Deals with split rows credit the split reps (added later from splits.csv), the others
        # their owner.
        at = split_index.get_indexer(chunk["id"])
        has_split = at >= 0
        for name in fields:
            split[name][at[has_split]] = columns[name][has_split]
        np.add.at(seen, at[has_split], 1)
        owner = chunk["owner"].cat.codes.to_numpy().astype(np.int64)
        if (owner < 0).any():
            raise ValueError("a deal's owner is not a rep")
        direct = ~has_split
        credit.add_with_reversals(owner[direct], *(columns[name][direct] for name in fields))
    if (seen != 1).any():
        raise ValueError(f"split deal {split_index[np.flatnonzero(seen != 1)[0]]!r} is not exactly one deal")
    return split


def ancestor_pairs(manager):
    """(rep, ancestor) position pairs for every manager above each rep, by joining with the manager
    column once per level of the hierarchy."""
    below, above = [], []
    rep = np.flatnonzero(manager >= 0)
    ancestor = manager[rep]
    for _ in range(len(manager) + 1):  # A loop over levels: the hierarchy is at most that deep.
        if not len(rep):
            return np.concatenate(below or [rep]), np.concatenate(above or [rep])
        below.append(rep)
        above.append(ancestor)
        higher = manager[ancestor]
        rep, ancestor = rep[higher >= 0], higher[higher >= 0]
    raise ValueError("the manager column has a cycle")


def rollup(monthly, pairs):
    """Each ancestor's sum of its descendants' (reps x 12) values."""
    rep, ancestor = pairs
    out = np.zeros_like(monthly)
    np.add.at(out, ancestor, monthly[rep])
    return out


# ---------------------------------------------------------------------------------------- plans


def round_half_even(numerator, denominator):
    """numerator / denominator rounded half to even, for int64 arrays and a positive denominator.

    Floor division and a remainder 0 <= r < d (also for negative numerators); round up when 2r > d,
    or when 2r = d and the floor is odd.
    """
    floor, remainder = numerator // denominator, numerator % denominator
    up = (2 * remainder > denominator) | ((2 * remainder == denominator) & (floor % 2 != 0))
    return floor + up


def pay(earned, draw_floor, evaluated):
    """The pay rule with the balance owed carried from month to month, over all reps at once.

    earned (E) and draw_floor (F) are (reps x 12) cents; months not evaluated are skipped.
    """
    owed = np.zeros(len(earned), np.int64)
    total = np.zeros_like(earned)
    for m in range(MONTHS):
        e, f, on = earned[:, m], draw_floor[:, m], evaluated[:, m]
        recovery = -np.minimum(owed, np.maximum(0, e - f))
        net = e + recovery
        short = (f > 0) & (net < f)  # A draw month paying less than the draw is topped up to it.
        draw = np.where(short, f - net, 0)
        deferred = np.where(~short & (net < 0), -net, 0)  # Otherwise a negative result is deferred.
        owed = np.where(on, owed + recovery + draw + deferred, owed)
        total[:, m] = np.where(on, net + draw + deferred, 0)
    return total


def ae_plan(employed, hire_month, bookings, logos, logo_reversals, annual, cap_cents):
    """The Enterprise AE plan: (AEs x 12) totals in cents.

    employed: (n x 12) bool; hire_month: (n,) month number of the hire date; bookings: (n x 12) units;
    logos, logo_reversals: (n x 12) row counts; annual: (n,) quota in units; cap_cents: (n,).
    """
    n = len(employed)
    k = np.cumsum(employed, axis=1)  # Months employed from January to m.
    ytd = np.cumsum(bookings, axis=1)

    # Marginal tiers on attainment = B / (A k / 12): with X = 12 B and T = A k (units x 12) the
    # slices end at T/2, T and 3T/2, and their weighted sum is the value in units x 1200. With |X|
    # and T at most M, every slice is at most 2.5 M and the weighted sum 42 M.
    guard(42 * max(12 * max_abs(ytd), MONTHS * max_abs(annual)), "the commission value")
    x = 12 * ytd
    t = annual[:, None] * k
    half = t // 2
    s0 = np.minimum(x, half)  # Negative when X is.
    s1 = np.maximum(np.minimum(x - half, half), 0)
    s2 = np.maximum(np.minimum(x - t, half), 0)
    s3 = np.maximum(x - 3 * t // 2, 0)
    w0, w1, w2, w3 = TIER_WEIGHTS
    v1200 = w0 * s0 + w1 * s1 + w2 * s2 + w3 * s3

    # Capped at 3 x target incentive, compared in units x 1200; else rounded to cents: R(m).
    guard(max_abs(cap_cents) * UNITS_PER_CENT * 1200, "the commission cap")
    cap1200 = (cap_cents * UNITS_PER_CENT * 1200)[:, None]
    value = np.where(v1200 >= cap1200, cap_cents[:, None], round_half_even(v1200, 1200 * UNITS_PER_CENT))

    # The commission line trues up the year to date: R(m) - R(previous evaluated month).
    commission = np.zeros((n, MONTHS), np.int64)
    last = np.zeros(n, np.int64)
    for m in range(MONTHS):
        on = employed[:, m]
        commission[:, m] = np.where(on, value[:, m] - last, 0)
        last = np.where(on, value[:, m], last)

    # The quarter bonus, in the first evaluated month of a quarter whose quarter-to-date bookings
    # reach the whole quarter's quota: 12 B_qtd >= A k_q.
    bonus = np.zeros((n, MONTHS), np.int64)
    for q in range(MONTHS // 3):
        months = slice(3 * q, 3 * q + 3)
        k_q = employed[:, months].sum(axis=1)
        qtd = np.cumsum(bookings[:, months], axis=1)
        guard(12 * max_abs(qtd), "the quarter's bookings")
        holds = employed[:, months] & (12 * qtd >= (annual * k_q)[:, None])
        bonus[:, months] = np.where(holds & (np.cumsum(holds, axis=1) == 1), QUARTER_BONUS_CENTS, 0)

    # 500.00 per new-logo row closed in March; a reversal takes it back if it was paid (the AE was
    # evaluated in March).
    new_logo = NEW_LOGO_CENTS * (logos - np.where(employed[:, [NEW_LOGO_MONTH]], logo_reversals, 0))

    # The draw: 2000.00 in the hire month and the two following.
    since_hire = np.arange(MONTHS)[None, :] - hire_month[:, None]
    draw_floor = np.where((since_hire >= 0) & (since_hire < DRAW_MONTHS), DRAW_CENTS, 0)

    return pay(commission + bonus + new_logo, draw_floor, employed)


def manager_plan(employed, team):
    """The Sales Manager plan: the override, 2% of the month's rollup credit rounded half to even to
    cents, paid without a draw."""
    override = round_half_even(OVERRIDE_PERCENT * team, 100 * UNITS_PER_CENT)
    return pay(override, np.zeros_like(override), employed)


# ---------------------------------------------------------------------------------------- all of it


def employment(reps):
    """(reps x 12) bool, employed on at least one day of the month, and the hire month numbers."""
    hired, terminated = day_numbers(reps["hired"]), day_numbers(reps["terminated"])
    first = np.arange(f"{YEAR}-01", f"{YEAR + 1}-01", dtype="datetime64[M]")
    last = ((first + 1).astype("datetime64[D]") - 1).astype(np.int64)
    first = first.astype("datetime64[D]").astype(np.int64)
    still = (terminated == NO_DAY)[:, None] | (terminated[:, None] >= first[None, :])
    return (hired[:, None] <= last[None, :]) & still, month_of(hired)


def compute(data):
    """Every evaluated rep's total per month: a DataFrame rep, month, total_cents in output order."""
    reps = read_small(data, "reps")
    splits = read_small(data, "splits")
    quotas = read_small(data, "quotas")
    fx = Fx(read_small(data, "fx"))
    n = len(reps)
    rep_index = pd.Index(reps["id"])
    if not rep_index.is_unique:
        raise ValueError("rep ids are not unique")
    employed, hire_month = employment(reps)
    manager = np.full(n, -1, np.int64)
    managed = (reps["manager"] != "").to_numpy()
    manager[managed] = lookup(rep_index, reps["manager"][managed], "manager")

    # Credit: direct rows of deals without splits, split rows of the others, and their reversals.
    split_index = pd.Index(pd.unique(splits["deal"]))
    credit = Credit(n)
    split = read_deals(data, rep_index, split_index, fx, credit)
    deal = split_index.get_indexer(splits["deal"])
    share = parse_fixed(splits["share"], 0)
    guard(max_abs(split["units"]) * max_abs(share), "a split share")
    credit.add_with_reversals(
        lookup(rep_index, splits["rep"], "split rep"), split["units"][deal] * share // 100,
        *(split[name][deal] for name in ("month", "reversal_month", "renewal", "march_logo")),
    )
    # No sum of credit wraps: the most rows any sum adds up is in a rep's year to date or a team's month.
    pairs = ancestor_pairs(manager)
    rows = credit.dense("rows")
    credit.guard_sums(np.concatenate([np.cumsum(rows, axis=1).ravel(), rollup(rows, pairs).ravel()]))

    totals = np.zeros((n, MONTHS), np.int64)
    evaluated = np.zeros((n, MONTHS), bool)

    # AEs with a quota for the year, under the AE plan.
    quotas = quotas[quotas["year"].astype(np.int64) == YEAR]
    quota_rep = lookup(rep_index, quotas["rep"], "quota rep")
    if len(np.unique(quota_rep)) != len(quota_rep):
        raise ValueError(f"a rep has two {YEAR} quotas")
    of_ae = reps["role"].to_numpy()[quota_rep] == "AE"
    ae = quota_rep[of_ae]
    annual_cents = parse_fixed(quotas["amount"], 2)[of_ae]
    guard(max_abs(annual_cents) * UNITS_PER_CENT, "a quota in units")
    target_cents = parse_fixed(reps["target_incentive"], 2)[ae]
    guard(max_abs(target_cents) * CAP_TIMES_TARGET, "the cap")
    totals[ae] = ae_plan(
        employed[ae], hire_month[ae], credit.dense("bookings")[ae], credit.dense("logos")[ae],
        credit.dense("logo_reversals")[ae], annual_cents * UNITS_PER_CENT, target_cents * CAP_TIMES_TARGET,
    )
    evaluated[ae] = employed[ae]

    # Managers and directors, under the manager plan.
    leads = np.flatnonzero(reps["role"].isin(["Manager", "Director"]).to_numpy())
    team = rollup(credit.dense("all"), pairs)
    totals[leads] = manager_plan(employed[leads], team[leads])
    evaluated[leads] = employed[leads]

    # One row per evaluated (rep, month), by month and then rep id.
    by_id = np.argsort(reps["id"].to_numpy(dtype=object), kind="stable")
    month, at = np.nonzero(evaluated[by_id].T)
    who = by_id[at]
    return pd.DataFrame({
        "rep": reps["id"].to_numpy(dtype=object)[who],
        "month": np.array([f"{YEAR}-{m + 1:02d}" for m in range(MONTHS)], dtype=object)[month],
        "total_cents": totals[who, month],
    })


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: baseline_pandas.py DATA_DIR OUT.csv")
    compute(sys.argv[1]).to_csv(sys.argv[2], index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
