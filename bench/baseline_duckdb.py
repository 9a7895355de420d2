"""The benchmark computation (bench/SEMANTICS.md) run by DuckDB: `baseline_duckdb.py DATA OUT.csv`.

Writes `rep,month,total_cents` sorted by month and rep. The SQL is in baseline_duckdb.sql; this script
only fills in the folders and runs it in one in-memory database using every core.
"""
import pathlib
import sys

import duckdb


def main() -> None:
    data, out = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2]).resolve()
    sql = (pathlib.Path(__file__).with_name("baseline_duckdb.sql")).read_text()
    sql = sql.replace("{data}", str(data).replace("'", "''")).replace("{out}", str(out).replace("'", "''"))
    duckdb.connect(":memory:").execute(sql)


if __name__ == "__main__":
    main()
