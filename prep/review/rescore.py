"""The chrome model's probability for each line it removed from a document, computed again for
`prep explain`.

The output records a removed line's rule, not the model's score, and its schema stays as it is;
so explain scores the line again with the model the run used (clean.model.path, else the one
shipped with prep) on the document as the output lets it be rebuilt: its kept lines, the
removed line put back, the title line as the model saw it, and the number of sites carrying
the line counted over the run's output. What the output does not keep is where the line stood
among the kept lines; the line is scored at each place it could have stood, and the lowest and
highest probability are given. The other lines the model removed from the document are left
out (where they stood is not known either).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from prep.clean import REMOVAL_STAGES
from prep.clean.chrome.model import RULE, chrome_probabilities, load_model
from prep.clean.extract.records import site_of
from prep.clean.lines import split_lines
from prep.sinks.output import RunOutput

MAX_PLACES = 60  # places a line is scored at, evenly spread over a long document's kept lines


def chrome_scores(run: RunOutput, doc: dict) -> dict[int, tuple[float, float]]:
    """{index in doc["removed"]: (lowest, highest) probability} of the lines the chrome model
    removed from `doc` (a row of the output)."""
    removed = [(i, r["line"]) for i, r in enumerate(doc["removed"]) if r["rule"] == RULE]
    if not removed:
        return {}
    kept = split_lines(pl.DataFrame({"order": [0], "text": [doc["text"]]}))
    pieces = split_lines(pl.DataFrame({"order": [i for i, _ in removed], "text": [line for _, line in removed]}))
    variants, docs = _variants(kept, pieces, _title_line(kept, doc), doc["extractor"])
    probabilities = chrome_probabilities(variants, docs, _spread(run, pieces), _model(run))
    put_back = variants.filter(pl.col("put_back")).select("order", "line_no", "removed")
    scored = (probabilities.join(put_back, on=["order", "line_no"])
              .group_by("removed").agg(low=pl.col("probability").min(), high=pl.col("probability").max()))
    return {index: (low, high) for index, low, high in scored.iter_rows()}


def model_in_use(run: RunOutput) -> str:
    """What scored the lines: the run's own model file, or the one shipped with prep."""
    path = run.config.get("clean", {}).get("model", {}).get("path")
    return path if path and Path(path).is_file() else "the model shipped with prep"


def _model(run: RunOutput) -> dict:
    path = run.config.get("clean", {}).get("model", {}).get("path")
    return load_model(Path(path) if path and Path(path).is_file() else None)


def _places(kept: int) -> list[int]:
    """Where a line can be put back among `kept` lines (before line k, or after the last)."""
    if kept + 1 <= MAX_PLACES:
        return list(range(kept + 1))
    return sorted({int(round(p)) for p in np.linspace(0, kept, MAX_PLACES)})


def _variants(kept: pl.DataFrame, pieces: pl.DataFrame, title: str | None,
              extractor: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The document once per removed line and place: its kept lines with that line put back
    there (as a paragraph of its own), numbered as a document; and their (order, title, extractor)."""
    frames: list[pl.DataFrame] = []
    for (removed,), piece in pieces.group_by("order", maintain_order=True):
        piece = piece.with_columns(blank_before=pl.lit(True), put_back=pl.lit(True))
        for place in _places(kept.height):
            frames.append(pl.concat([kept.head(place).with_columns(put_back=pl.lit(False)), piece,
                                     kept.slice(place).with_columns(put_back=pl.lit(False))])
                          .with_columns(order=pl.lit(len(frames), pl.Int64), removed=pl.lit(removed, pl.Int64),
                                        line_no=pl.int_range(pl.len()).cast(pl.Int32)))
    docs = pl.DataFrame({"order": list(range(len(frames))), "title": [title] * len(frames),
                         "extractor": [extractor] * len(frames)},
                        schema={"order": pl.Int64, "title": pl.String, "extractor": pl.String})
    return pl.concat(frames), docs


def _title_line(kept: pl.DataFrame, doc: dict) -> str | None:
    """The title as the model saw it: a text document's title line, which the site's name may
    since have been taken off (prep/clean/sitetitles.py) but which still stands in the text."""
    title = doc["title"]
    if title is None or doc["extractor"] != "text":
        return title
    for line in kept["line"].head(3):
        if line == title or line.startswith(title) or line.endswith(title):
            return line
    return title


def _spread(run: RunOutput, pieces: pl.DataFrame) -> pl.DataFrame:
    """(key, sites): the sites of the run whose documents carry each removed line, as the run
    counted them: in their kept lines or among the lines the stages after the corpus-wide reduce
    removed (the named rules' removals came before it and were not counted)."""
    lines = pieces["line"].unique().to_list()
    later = list(REMOVAL_STAGES)
    carrying = (run.documents()
                .with_columns(site=site_of(pl.col("url"), pl.col("source_path")),
                              removed_later=pl.col("removed").list.eval(
                                  pl.element().filter(pl.element().struct.field("rule").is_in(later))
                                  .struct.field("line")))
                .filter(pl.col("text").str.contains_any(lines) | pl.col("removed_later").list.len().gt(0))
                .select("site", "text", "removed_later").collect())
    texts = pl.concat([carrying.select("site", "text"),
                       carrying.select("site", text=pl.col("removed_later").list.join("\n"))])
    texts = texts.with_row_index("order").with_columns(pl.col("order").cast(pl.Int64))
    keys = (split_lines(texts.select("order", "text")).select("order", "key")
            .join(texts.select("order", "site"), on="order")
            .join(pieces.select("key").unique(), on="key", how="semi"))
    return keys.group_by("key").agg(sites=pl.col("site").n_unique().cast(pl.UInt32)).filter(pl.col("sites") > 1)
