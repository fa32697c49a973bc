"""End to end through the CLI: junk files and a Russian article, as a new user runs them, with
the config keys docs/filters.md documents ([language], [quality], [pii], the gates).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from tests.conftest import read_table, run_prep
from tests.filter.junk import RUSSIAN_ARTICLE, junk_texts

EXPECTED_DETAIL = {
    "spam.txt": "gopher_repetition: top_4gram_char_frac",
    "lorem.txt": "gopher_repetition: top_4gram_char_frac",
    "emails.txt": "gopher_quality: gopher_mean_word_length",
    # a file of short lines is shaped like a page dump: the page model takes most of its lines as
    # chrome first, and what is left repeats itself
    "numbers.txt": ("gopher_quality: gopher_stop_words", "gopher_repetition: top_2gram_char_frac"),
    "symbols.txt": "gopher_quality: gopher_words",
}


def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in junk_texts().items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "russian.txt").write_text(RUSSIAN_ARTICLE, encoding="utf-8")
    return folder


def run(tmp_path: Path, config: str = "") -> Path:
    folder = inputs(tmp_path)
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    result = run_prep("run", folder, "--out", tmp_path / "out", "--config", tmp_path / "config.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "out"


def by_file(table: pl.DataFrame) -> dict[str, dict]:
    return {Path(row["source_path"]).name: row for row in table.iter_rows(named=True)}


def test_junk_files_are_dropped_with_their_reason(tmp_path: Path):
    out = run(tmp_path)
    dropped = by_file(read_table(out, "dropped"))
    for name, detail in EXPECTED_DETAIL.items():
        if name == "symbols.txt" and dropped[name]["drop_reason"] in ("empty", "too_short"):
            continue  # no letter nor digit: cleaning may drop it before the filters see it
        assert dropped[name]["drop_reason"] == "quality", name
        assert dropped[name]["drop_detail"].startswith(detail), dropped[name]["drop_detail"]  # str or tuple
    corpus = by_file(read_table(out, "corpus"))
    assert set(corpus) == {"russian.txt"}
    assert corpus["russian.txt"]["language"] == "ru"
    assert corpus["russian.txt"]["language_score"] > 0.9


def test_russian_article_dropped_when_only_english_is_kept(tmp_path: Path):
    out = run(tmp_path, '[language]\nkeep = ["en"]\n')
    dropped = by_file(read_table(out, "dropped"))
    assert dropped["russian.txt"]["drop_reason"] == "language"
    assert dropped["russian.txt"]["drop_detail"].startswith("ru ")
    # junk without letters has no language ('und'), and lorem ipsum is Latin: not kept either
    by_language = [row for row in dropped.values() if row["drop_reason"] == "language"]
    assert {row["drop_detail"].split()[0] for row in by_language} == {"ru", "und", "la"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["filter_drops"]["language"] == len(by_language)


def test_signals_are_columns_an_analyst_can_query(tmp_path: Path):
    import duckdb

    out = run(tmp_path)
    rows = duckdb.sql(f"""
        SELECT source_path, signals.gopher_words, signals.dup_line_frac, language
        FROM read_parquet('{out}/corpus/*.parquet')
        UNION ALL
        SELECT source_path, signals.gopher_words, signals.dup_line_frac, language
        FROM read_parquet('{out}/dropped/*.parquet') WHERE drop_reason = 'quality'
    """).fetchall()
    assert len(rows) >= 5
    assert all(words is not None for _, words, _, _ in rows)


def test_filters_can_be_switched_off(tmp_path: Path):
    out = run(tmp_path, "[quality]\nenabled = false\n")
    kept = by_file(read_table(out, "corpus"))
    assert {"spam.txt", "lorem.txt", "emails.txt", "numbers.txt", "russian.txt"} <= set(kept)


def test_a_gate_on_a_filter_drop_rate_fails_the_run(tmp_path: Path):
    folder = inputs(tmp_path)
    (tmp_path / "config.toml").write_text("[gates]\nmax_quality_drop_rate = 0.1\n", encoding="utf-8")
    result = run_prep("run", folder, "--out", tmp_path / "out", "--config", tmp_path / "config.toml", cwd=tmp_path)
    assert result.returncode == 3
    assert "max_quality_drop_rate" in result.stdout + result.stderr


def test_pii_is_replaced_and_counted_when_switched_on(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    article = ("The council met on Tuesday to discuss the budget for the coming year and the state of the roads. "
               "Residents can write to clerk.office@town.example.com or call +44 20 7946 0958 with questions, "
               "and payments by card 4111 1111 1111 1111 are accepted at the desk of the town hall. ") * 3
    (folder / "article.txt").write_text(article, encoding="utf-8")
    (tmp_path / "config.toml").write_text("[pii]\nenabled = true\n", encoding="utf-8")
    result = run_prep("run", folder, "--out", tmp_path / "out", "--config", tmp_path / "config.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    corpus = read_table(tmp_path / "out", "corpus")
    text = corpus["text"][0]
    assert "clerk.office@town.example.com" not in text and "email@example.com" in text
    assert "4111 1111 1111 1111" not in text
    assert corpus["pii_replacements"][0] == {"email": 3, "ip": 0, "phone": 3, "card": 3}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["pii_replacements"] == {"email": 3, "ip": 0, "phone": 3, "card": 3}
