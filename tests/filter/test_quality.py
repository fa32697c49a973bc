"""The quality filters: the issue's junk dropped with the right reason, articles kept, the rules' plumbing."""

from __future__ import annotations

import polars as pl
import pytest

from prep.config import LanguageConfig, QualityConfig
from prep.filter.language import language
from prep.filter.quality import ALL_RULES, FILTERS, GATE_MEASURES, RULES, drop_counts, quality
from prep.filter.signals import signals
from tests.conftest import SEEDS
from tests.filter.junk import RUSSIAN_ARTICLE, junk_texts

# what drops each junk file with the default sections (tests/benchmarks/filter_defaults.py prints the same)
EXPECTED = {
    "spam.txt": "gopher_repetition: top_4gram_char_frac",
    "lorem.txt": "gopher_repetition: top_4gram_char_frac",
    "symbols.txt": "gopher_quality: gopher_words",
    "emails.txt": "gopher_quality: gopher_mean_word_length",
    "numbers.txt": "gopher_quality: gopher_stop_words",
}


def run_defaults(texts: dict[str, str], lang: LanguageConfig | None = None,
                 section: QualityConfig | None = None) -> pl.DataFrame:
    docs = pl.DataFrame({"name": list(texts), "text": list(texts.values())})
    docs = language(docs, lang or LanguageConfig())
    return quality(signals(docs), section or QualityConfig())


@pytest.fixture(scope="module")
def judged() -> pl.DataFrame:
    seeds = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    return run_defaults({**junk_texts(), "russian.txt": RUSSIAN_ARTICLE, **seeds})


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_junk_file_is_dropped_with_its_reason(judged: pl.DataFrame, name: str):
    row = judged.filter(pl.col("name") == name).row(0, named=True)
    assert row["drop_reason"] == "quality"
    assert row["drop_detail"].startswith(EXPECTED[name]), row["drop_detail"]


def test_articles_are_kept(judged: pl.DataFrame):
    kept = judged.filter(pl.col("drop_reason").is_null())["name"].to_list()
    assert "russian.txt" in kept  # Russian: only the rules that do not depend on English judge it
    assert all(name in kept for name in judged["name"] if name.endswith(".txt") and name[0].isdigit())


def test_russian_article_dropped_when_only_english_is_kept():
    out = run_defaults({"russian.txt": RUSSIAN_ARTICLE}, lang=LanguageConfig(keep=["en"]))
    assert out["drop_reason"][0] == "language"
    assert out["drop_detail"][0].startswith("ru ")


def test_english_rules_judge_every_language_when_asked():
    out = run_defaults({"russian.txt": RUSSIAN_ARTICLE}, section=QualityConfig(languages=["*"]))
    assert out["drop_detail"][0].startswith("gopher_quality: gopher_stop_words 0 < 2")


def test_detail_names_filter_measure_value_and_threshold():
    docs = signals(pl.DataFrame({"text": ["Tiny text here."]}))
    # a text this short is mostly its first 2-gram: 'Tiny text' is 9 of its 15 characters
    assert quality(docs, QualityConfig())["drop_detail"][0] == "gopher_repetition: top_2gram_char_frac 0.6 > 0.2"
    out = quality(docs, QualityConfig(gopher_repetition={"rules": []}))
    assert out["drop_detail"][0] == "gopher_quality: gopher_words 3 < 50"


def test_every_rule_can_be_switched_on_and_off():
    text = "\n".join(["Same line again and again, it is."] * 5 + ["Another line of the text is here."] * 1)
    docs = signals(pl.DataFrame({"text": [text]}))
    off = QualityConfig(gopher_repetition={"rules": []}, gopher_quality={"rules": []}, c4={"rules": []},
                        fineweb={"rules": []})
    assert quality(docs, off)["drop_reason"][0] is None
    on = QualityConfig(gopher_repetition={"rules": ["max_dup_line_frac"]}, gopher_quality={"rules": []},
                       c4={"rules": []}, fineweb={"rules": []})
    assert quality(docs, on)["drop_detail"][0] == "gopher_repetition: dup_line_frac 0.6667 > 0.3"
    disabled = on.model_copy(update={"gopher_repetition": on.gopher_repetition.model_copy(update={"enabled": False})})
    assert quality(docs, disabled)["drop_reason"][0] is None


def test_rule_names_are_checked():
    with pytest.raises(ValueError, match="unknown rule 'max_dup_lines'"):
        QualityConfig.model_validate({"gopher_repetition": {"rules": ["max_dup_lines"]}})
    assert {rule for rules in ALL_RULES.values() for rule in rules} == {r.setting for r in RULES}


def test_documents_already_dropped_keep_their_reason():
    docs = pl.DataFrame({"text": ["x", "Tiny text here."], "drop_reason": ["exact_duplicate", None],
                         "drop_detail": ["of abc", None]})
    out = quality(signals(docs), QualityConfig(gopher_repetition={"rules": []}))
    assert out.select("drop_reason", "drop_detail").rows() == [
        ("exact_duplicate", "of abc"), ("quality", "gopher_quality: gopher_words 3 < 50")]


def test_drop_counts_and_gate_measures(judged: pl.DataFrame):
    counts = drop_counts(judged)
    assert counts == {"language": 0, "gopher_repetition": 2, "gopher_quality": 3, "c4": 0, "fineweb": 0}
    manifest = {"records_read": 10, "filter_drops": counts}
    assert GATE_MEASURES["gopher_quality_drop_rate"](manifest) == 0.3
    assert GATE_MEASURES["quality_drop_rate"](manifest) == 0.5
    assert set(GATE_MEASURES) == {f"{name}_drop_rate" for name in ("language", *FILTERS, "quality")}
