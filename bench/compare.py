"""Checks that compplan and the baselines agree to the cent: `compare.py PAYOUTS.csv BASELINE.csv...`.

Reads compplan's `total` rows (one per rep, plan and month; in the benchmark each rep has one plan)
and each baseline's `rep,month,total_cents`, and exits 1 on the first difference, naming it.
"""
import csv
import sys


def cents(text: str) -> int:
    """An amount with two decimals as integer cents, without floating point."""
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((fraction + "00")[:2])
    return -value if negative else value


def compplan_totals(path: str) -> dict:
    totals = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["component"] == "total":
                key = (row["rep"], row["period"])
                if key in totals:
                    sys.exit(f"{path}: rep {key[0]} has two plans in {key[1]}")
                totals[key] = cents(row["amount"])
    return totals


def baseline_totals(path: str) -> dict:
    with open(path, newline="") as f:
        return {(row["rep"], row["month"]): int(row["total_cents"]) for row in csv.DictReader(f)}


def main() -> None:
    expected = compplan_totals(sys.argv[1])
    failed = False
    for path in sys.argv[2:]:
        actual = baseline_totals(path)
        differences = [
            (key, expected.get(key), actual.get(key))
            for key in sorted(set(expected) | set(actual), key=lambda k: (k[1], k[0]))
            if expected.get(key) != actual.get(key)
        ]
        if differences:
            failed = True
            print(f"{path}: {len(differences)} of {len(expected)} rep-months differ from compplan; the first ones:")
            for (rep, month), mine, theirs in differences[:10]:
                print(f"  {rep} {month}: compplan {mine} cents, baseline {theirs} cents")
        else:
            print(f"{path}: all {len(expected)} rep-months agree with compplan to the cent")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
