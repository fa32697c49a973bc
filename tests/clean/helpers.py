import polars as pl

from prep.clean.lines import split_lines


def lines_of(*texts: str) -> pl.DataFrame:
    """LINE_SCHEMA rows for documents numbered 0, 1, ... in the order given."""
    return split_lines(pl.DataFrame({"order": list(range(len(texts))), "text": list(texts)},
                                    schema={"order": pl.Int64, "text": pl.String}))


def verdicts(lines: pl.DataFrame, order: int = 0) -> dict[str, str | None]:
    return dict(lines.filter(pl.col("order") == order).sort("line_no").select("line", "rule").iter_rows())
