-- The benchmark computation (bench/SEMANTICS.md) in DuckDB SQL, exact: money in HUGEINT units of
-- 1e-8 USD, decimals read as DECIMAL and scaled to integers, no DOUBLE anywhere (no `/` on integers,
-- which DuckDB turns into DOUBLE: only `//` on exact multiples), rounding half to even by hand.
-- `{data}` is replaced by the data folder.

SET preserve_insertion_order = false;

-- Half to even of n / d for integers (d > 0), from floor division and a non-negative remainder.
CREATE MACRO rem_pos(n, d) AS ((n % d) + d) % d;
CREATE MACRO round_half_even(n, d) AS
    (n - rem_pos(n, d)) // d
    + CASE WHEN 2 * rem_pos(n, d) > d THEN 1
           WHEN 2 * rem_pos(n, d) = d AND ((n - rem_pos(n, d)) // d) % 2 <> 0 THEN 1
           ELSE 0 END;

CREATE TABLE reps AS SELECT * FROM read_csv('{data}/reps.csv', header = true, columns = {
    'id': 'VARCHAR', 'name': 'VARCHAR', 'role': 'VARCHAR', 'region': 'VARCHAR', 'manager': 'VARCHAR',
    'hired': 'DATE', 'terminated': 'DATE', 'target_incentive': 'DECIMAL(18,2)'});
CREATE TABLE deals AS SELECT * FROM read_csv('{data}/deals.csv', header = true, columns = {
    'id': 'VARCHAR', 'owner': 'VARCHAR', 'amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR', 'closed': 'DATE',
    'product': 'VARCHAR', 'region': 'VARCHAR', 'kind': 'VARCHAR', 'new_logo': 'BOOLEAN', 'cancelled': 'DATE',
    'paid': 'DATE'});
CREATE TABLE quotas AS SELECT * FROM read_csv('{data}/quotas.csv', header = true, columns = {
    'rep': 'VARCHAR', 'year': 'INTEGER', 'amount': 'DECIMAL(18,2)'});
CREATE TABLE splits AS SELECT * FROM read_csv('{data}/splits.csv', header = true, columns = {
    'deal': 'VARCHAR', 'rep': 'VARCHAR', 'share': 'INTEGER'});
CREATE TABLE fx AS SELECT * FROM read_csv('{data}/fx.csv', header = true, columns = {
    'currency': 'VARCHAR', 'date': 'DATE', 'rate': 'DECIMAL(18,4)'});

CREATE TABLE months AS
    SELECT m::INTEGER AS m, make_date(2026, m::INTEGER, 1) AS first, last_day(make_date(2026, m::INTEGER, 1)) AS last
    FROM range(1, 13) t(m);

-- Each deal in units, converted at the latest rate dated on or before its close date.
CREATE TABLE converted AS
    SELECT d.id, d.owner, d.kind, d.new_logo, d.closed, d.cancelled,
           CASE WHEN d.currency = 'USD' THEN CAST(d.amount * 100 AS HUGEINT) * 1000000
                ELSE CAST(d.amount * 100 AS HUGEINT) * CAST(fx.rate * 10000 AS HUGEINT) * 100 END AS amount,
           d.cancelled IS NOT NULL AND (d.cancelled - d.closed) <= 90 AS clawed_back
    FROM deals d ASOF LEFT JOIN fx ON d.currency = fx.currency AND d.closed >= fx.date;

-- Credit: split shares instead of the owner, else the owner.
CREATE TABLE credit AS
    SELECT s.rep, c.id AS deal, c.kind, c.new_logo, c.closed, c.cancelled, c.clawed_back, c.amount * s.share // 100 AS amount
    FROM converted c JOIN splits s ON s.deal = c.id
    UNION ALL
    SELECT c.owner, c.id, c.kind, c.new_logo, c.closed, c.cancelled, c.clawed_back, c.amount
    FROM converted c ANTI JOIN splits s ON s.deal = c.id;

-- Dated rows: each credit row, and its reversal when the deal is clawed back; 2026 only.
CREATE TABLE dated AS
    SELECT * FROM (
        SELECT rep, kind, new_logo, closed, closed AS day, amount, false AS reversal FROM credit
        UNION ALL
        SELECT rep, kind, new_logo, closed, cancelled, -amount, true FROM credit WHERE clawed_back)
    WHERE year(day) = 2026;

CREATE TABLE employment AS
    SELECT r.id AS rep, mo.m, (r.hired <= mo.last AND (r.terminated IS NULL OR r.terminated >= mo.first)) AS employed
    FROM reps r, months mo;

-- ---------------------------------------------------------------- AE plan
CREATE TABLE ae_month AS
    SELECT rep, month(day) AS m,
           SUM(CASE WHEN kind <> 'renewal' THEN amount ELSE 0 END) AS bookings,
           SUM(CASE WHEN new_logo AND closed BETWEEN DATE '2026-03-01' AND DATE '2026-03-31' AND NOT reversal THEN 1 ELSE 0 END) AS spiffs,
           SUM(CASE WHEN new_logo AND closed BETWEEN DATE '2026-03-01' AND DATE '2026-03-31' AND reversal THEN 1 ELSE 0 END) AS spiff_reversals
    FROM dated GROUP BY rep, month(day);

CREATE TABLE ae_grid AS
    SELECT r.id AS rep, e.m, e.employed, (e.m - 1) // 3 AS q,
           CAST(qu.amount * 100 AS HUGEINT) * 1000000 AS annual,
           CAST(r.target_incentive * 100 AS HUGEINT) * 3 AS cap_cents,
           (year(r.hired) - 2026) * 12 + month(r.hired) AS hire_month,
           COALESCE(a.bookings, 0) AS bookings, COALESCE(a.spiffs, 0) AS spiffs, COALESCE(a.spiff_reversals, 0) AS spiff_reversals,
           EXISTS (SELECT 1 FROM employment e3 WHERE e3.rep = r.id AND e3.m = 3 AND e3.employed) AS paid_in_march
    FROM reps r
    JOIN employment e ON e.rep = r.id
    JOIN quotas qu ON qu.rep = r.id AND qu.year = 2026
    LEFT JOIN ae_month a ON a.rep = r.id AND a.m = e.m
    WHERE r.role = 'AE';

CREATE TABLE ae_ytd AS
    SELECT *,
           SUM(bookings) OVER (PARTITION BY rep ORDER BY m) AS b_ytd,
           SUM(employed::INTEGER) OVER (PARTITION BY rep ORDER BY m) AS k,
           SUM(bookings) OVER (PARTITION BY rep, q ORDER BY m) AS b_qtd,
           SUM(employed::INTEGER) OVER (PARTITION BY rep, q) AS k_q
    FROM ae_grid;

CREATE TABLE ae_value AS
    SELECT *,
           12 * b_ytd AS x, annual * k AS t,
           -- Marginal slices (in units × 12) and the value in units × 1200.
           4 * LEAST(12 * b_ytd, annual * k // 2)
           + 6 * GREATEST(LEAST(12 * b_ytd - annual * k // 2, annual * k // 2), 0)
           + 10 * GREATEST(LEAST(12 * b_ytd - annual * k, annual * k // 2), 0)
           + 12 * GREATEST(12 * b_ytd - 3 * annual * k // 2, 0) AS v1200
    FROM ae_ytd WHERE employed;

CREATE TABLE ae_lines AS
    SELECT *,
           commission_value - COALESCE(LAG(commission_value) OVER (PARTITION BY rep ORDER BY m), 0) AS commission,
           CASE WHEN bonus_holds AND NOT COALESCE(BOOL_OR(bonus_holds) OVER (PARTITION BY rep, q ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)
                THEN 500000 ELSE 0 END AS bonus,
           50000 * spiffs - CASE WHEN paid_in_march THEN 50000 * spiff_reversals ELSE 0 END AS new_logo,
           CASE WHEN m BETWEEN hire_month AND hire_month + 2 THEN 200000 ELSE 0 END AS floor
    FROM (SELECT *,
                 -- Cap at 3 × target incentive: compare in units × 1200 (cents × 10^6 × 1200).
                 CASE WHEN v1200 >= cap_cents * 1000000 * 1200 THEN cap_cents
                      ELSE round_half_even(v1200, 1200 * 1000000) END AS commission_value,
                 12 * b_qtd >= annual * k_q AS bonus_holds
          FROM ae_value);

-- ---------------------------------------------------------------- manager plan
CREATE TABLE hierarchy AS
    WITH RECURSIVE above(rep, manager) AS (
        SELECT id, manager FROM reps WHERE manager IS NOT NULL
        UNION ALL
        SELECT a.rep, r.manager FROM above a JOIN reps r ON r.id = a.manager WHERE r.manager IS NOT NULL)
    SELECT * FROM above;

CREATE TABLE team AS
    SELECT h.manager AS rep, month(d.day) AS m, SUM(d.amount) AS team
    FROM dated d JOIN hierarchy h ON h.rep = d.rep
    GROUP BY h.manager, month(d.day);

CREATE TABLE manager_lines AS
    SELECT r.id AS rep, e.m, round_half_even(COALESCE(t.team, 0) * 2, 100 * 1000000) AS override
    FROM reps r JOIN employment e ON e.rep = r.id AND e.employed
    LEFT JOIN team t ON t.rep = r.id AND t.m = e.m
    WHERE r.role IN ('Manager', 'Director');

-- ---------------------------------------------------------------- pay: balances month after month
CREATE TABLE earned AS
    SELECT rep, m, commission + bonus + new_logo AS e, floor AS f FROM ae_lines
    UNION ALL
    SELECT rep, m, override, 0 FROM manager_lines;

CREATE TABLE ordered AS
    SELECT *, ROW_NUMBER() OVER (PARTITION BY rep ORDER BY m) AS i FROM earned;

CREATE TABLE paid AS
    WITH RECURSIVE pay(rep, i, m, owed, total) AS (
        SELECT rep, 0::BIGINT, 0, 0::HUGEINT, 0::HUGEINT FROM ordered WHERE i = 1
        UNION ALL
        SELECT rep, i, m,
               -- owed after recovery, draw and deferral
               owed_after_recovery
                   + CASE WHEN f > 0 AND net < f THEN f - net ELSE 0 END
                   + CASE WHEN NOT (f > 0 AND net < f) AND net < 0 THEN -net ELSE 0 END,
               net + CASE WHEN f > 0 AND net < f THEN f - net ELSE 0 END
                   + CASE WHEN NOT (f > 0 AND net < f) AND net < 0 THEN -net ELSE 0 END
        FROM (SELECT o.rep, o.i, o.m, o.f,
                     o.e - LEAST(p.owed, GREATEST(0, o.e - o.f)) AS net,
                     p.owed - LEAST(p.owed, GREATEST(0, o.e - o.f)) AS owed_after_recovery
              FROM pay p JOIN ordered o ON o.rep = p.rep AND o.i = p.i + 1))
    SELECT rep, m, total FROM pay WHERE i > 0;

COPY (SELECT rep, printf('2026-%02d', m) AS month, total AS total_cents FROM paid ORDER BY month, rep)
    TO '{out}' (HEADER, DELIMITER ',');
