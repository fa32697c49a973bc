"""The run's output read back by two independent readers: polars and DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl


def read_all(out: Path) -> pl.DataFrame:
    """Every row of the run, corpus and dropped, as polars reads it."""
    return pl.concat([pl.read_parquet(out / "corpus" / "*.parquet"), pl.read_parquet(out / "dropped" / "*.parquet")],
                     how="diagonal")


def query(out: Path, sql: str) -> list[tuple]:
    """`sql` over a view `docs` of every row, as DuckDB reads the files."""
    connection = duckdb.connect()
    connection.execute(f"CREATE VIEW docs AS SELECT * FROM read_parquet('{out}/*/*.parquet', union_by_name=true)")
    return connection.execute(sql).fetchall()
