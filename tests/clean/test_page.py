"""The page model: its signals, its loading, its gate and its policy (prep/clean/page/)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from prep.clean.dumps import dump_rows
from prep.clean.page import scan
from prep.clean.page.features import Docs, line_features
from prep.clean.page.model import MODEL_FILE, RULE, load_model, probabilities, removals, save_model
from prep.config import PageModelConfig
from prep.text.tokens import utf8_buffer
from tests.clean.helpers import lines_of
from tests.clean.pagedumps import page_dump

NO_SPREAD = pl.DataFrame(schema={"key": pl.UInt64, "sites": pl.UInt32})


def marks(*lines: str) -> list[dict[str, int]]:
    found = scan.byte_marks(*utf8_buffer(pl.Series(lines, dtype=pl.String)))
    return [dict(zip(scan.BYTE_MARKS, row.tolist(), strict=True)) for row in found]


def test_byte_marks_of_a_line():
    url, date, code, bullet, legal, prose, lower = marks(
        "Visit www.example.com today", "Posted 12/03/2024 by staff", "if (x) { return y; }", "• First item",
        "© 2024 Harbour Media", "The council, the mayor and the union agreed. Work starts in May.", "and then some")
    assert url["urlish"] and not prose["urlish"]
    assert date["dated"] and not prose["dated"]
    assert code["code"] and not prose["code"]
    assert bullet["bullet"] and not prose["bullet"]
    assert legal["legal"] and not prose["legal"]
    assert prose["commas"] == 1 and prose["inner_stops"] == 1
    assert lower["starts_lower"] and not prose["starts_lower"]
    assert marks("e-mail staff@example.org")[0]["urlish"]
    assert marks("Published March 3, 2024")[0]["dated"]


def test_word_scores_sum_the_weights_of_distinct_words_and_the_first_word():
    weights = np.zeros(1 << scan.HASH_BITS)
    hashes, rows = scan.token_hashes(*utf8_buffer(pl.Series(["Read more read MORE"])))
    assert len(hashes) == 3 and rows.tolist() == [0, 0, 0]  # read, first:read, more
    weights[scan.buckets(hashes)] = [1.0, 10.0, 100.0]
    data, spans = utf8_buffer(pl.Series(["Read more read MORE", "more", "nothing here"]))
    assert scan.word_scores(data, spans, weights, 0.5).tolist() == [111.5, 100.5, 0.5]  # first:more has no weight


def test_cohesion_counts_words_shared_with_the_core_lines():
    data, spans = utf8_buffer(pl.Series(["Harbour council approves the ferries", "Ferry council budget",
                                         "Weather", "harbours"]))
    core = np.array([True, False, False, False])
    found = scan.cohesion(data, spans, np.array([0]), core)
    assert found[:, 0].tolist() == [4, 3, 1, 1]  # harbour council approve ferrie; ferry council budget
    assert found[1, 1] == 1 and found[2, 1] == 0 and found[3, 1] == 1  # 'council'; none; 'harbour'


def test_window_sums_stay_within_each_document():
    g = Docs(np.array([0, 0, 0, 1, 1]))
    means = g.window_mean(np.array([1.0, 2.0, 3.0, 10.0, 20.0]), 1, 1)
    assert means.tolist() == [1.5, 2.0, 2.5, 15.0, 15.0]
    assert g.dist_prev(np.array([True, False, False, False, True])).tolist() == [3, 1, 2, 2, 2]


def test_a_line_scores_the_same_whatever_documents_come_before_it():
    text = page_dump(3)[0]
    alone = lines_of(text)
    after = lines_of(page_dump(4)[0], text).filter(pl.col("order") == 1).with_columns(order=pl.lit(0, pl.Int64))
    x_alone, names = line_features(alone, NO_SPREAD)
    x_after, _ = line_features(after, NO_SPREAD)
    assert np.array_equal(x_alone, x_after)
    assert len(names) == x_alone.shape[1] == len(set(names))


def test_the_gate_takes_page_dumps_and_leaves_articles():
    article = "\n\n".join(" ".join(prose_sentences(k)) for k in range(12))
    lines = lines_of(page_dump(1)[0], article, page_dump(2)[0])
    docs = pl.DataFrame({"order": [0, 1, 2], "extractor": ["text", "text", "trafilatura"]})
    rows = dump_rows(lines, docs, PageModelConfig())
    by_doc = pl.DataFrame({"order": lines["order"], "dump": rows}).group_by("order").agg(pl.col("dump").all())
    assert dict(by_doc.iter_rows()) == {0: True, 1: False, 2: False}  # an extracted page is never a dump


def prose_sentences(k: int) -> list[str]:
    from tests.badinputs import story

    return [story(k)]


def test_the_shipped_model_loads_offline_and_reads_the_features_it_was_trained_on():
    model = load_model()
    _, names = line_features(lines_of(page_dump(1)[0]), NO_SPREAD, model["word_model"])
    assert tuple(names) == model["names"]
    assert len(model["word_model"]["weights"]) == 1 << scan.HASH_BITS
    assert (Path(__file__).resolve().parents[2] / "prep" / "clean" / "page" / MODEL_FILE).is_file()


def test_a_saved_model_loads_back(tmp_path: Path):
    model = load_model()
    path = tmp_path / "mine.npz"
    save_model(path, model["meta"], model["ensemble"], model["word_model"]["weights"])
    again = load_model(path)
    lines = lines_of(page_dump(5)[0])
    assert np.array_equal(probabilities(lines, NO_SPREAD, model), probabilities(lines, NO_SPREAD, again))


def test_a_model_file_that_is_not_one_is_refused(tmp_path: Path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a model")
    with pytest.raises(ValueError):
        load_model(junk)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="regular file"):
        load_model(fifo)


def test_long_lines_need_the_long_threshold():
    lines = lines_of("Home\nThe harbour council approved the ferry plan today.\nNews")
    config = PageModelConfig(threshold=0.5, long_words=6, long_threshold=0.9)
    taken = removals(lines, np.array([0.6, 0.8, 0.4]), config)
    assert taken.tolist() == [True, False, False]
    assert removals(lines, np.array([0.6, 0.95, 0.4]), config).tolist() == [True, True, False]
    ruled = lines.with_columns(rule=pl.Series([None, None, "menu"], dtype=pl.String))
    assert removals(ruled, np.array([0.6, 0.95, 0.99]), config).tolist() == [True, True, False]  # taken already


def test_the_model_finds_the_article_of_a_generated_page_dump():
    text, article, chrome = page_dump(7)
    lines = lines_of(text)
    p = probabilities(lines, NO_SPREAD, load_model())
    verdict = dict(zip(lines["line"].to_list(), p.tolist(), strict=True))
    assert all(verdict[line] < PageModelConfig().long_threshold for line in article[1:])  # every paragraph
    assert np.mean([verdict[line] >= PageModelConfig().threshold for line in chrome]) >= 0.8
    assert RULE == "page_chrome"


def test_a_wordless_line_goes_only_with_the_lines_on_both_sides():
    lines = lines_of("Home\n|\nNews\nint main() {\nreturn 0;\n}\nThe end of the story is here today, said the mayor.")
    p = np.array([0.9, 0.9, 0.9, 0.2, 0.2, 0.9, 0.1])
    taken = removals(lines, p, PageModelConfig())
    assert taken.tolist() == [True, True, True, False, False, False, False]  # '|' in the menu, '}' with its code


def test_the_chrome_model_never_judges_a_wordless_line_and_judges_long_lines_strictly():
    from prep.clean.chrome.model import chrome_probabilities, mark_model_chrome
    from prep.config import ChromeModelConfig

    text = ("Harbour plan approved\n\nThe council approved the harbour plan on Monday after a long debate.\n\n}\n\n"
            "Subscribe to our newsletter for the latest harbour news and offers today\n\nPricing")
    lines = lines_of(text)
    docs = pl.DataFrame({"order": [0], "title": [None], "extractor": ["text"]}, schema={
        "order": pl.Int64, "title": pl.String, "extractor": pl.String})
    judged = chrome_probabilities(lines, docs, NO_SPREAD, _chrome_model())
    assert "}" not in judged["line"].to_list()
    p = dict(judged.select("line", "probability").iter_rows())
    promo = "Subscribe to our newsletter for the latest harbour news and offers today"
    strict = ChromeModelConfig(threshold=0.5, long_threshold=min(0.99, p[promo] + 0.001))
    lenient = ChromeModelConfig(threshold=0.5, long_threshold=max(0.01, p[promo] - 0.001))
    assert promo not in _removed(mark_model_chrome(lines, docs, NO_SPREAD, strict, _chrome_model()))
    assert promo in _removed(mark_model_chrome(lines, docs, NO_SPREAD, lenient, _chrome_model()))


def _chrome_model() -> dict:
    from prep.clean.chrome.model import load_model as load_chrome_model

    return load_chrome_model()


def _removed(lines: pl.DataFrame) -> set[str]:
    return set(lines.filter(pl.col("rule").is_not_null())["line"].to_list())
