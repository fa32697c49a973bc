"""The shipped chrome model: loads offline from the package, and judges lines sensibly."""

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from prep.clean.chrome.features import DENSE
from prep.clean.chrome.model import INPUTS, RULE, WORD_SCORES, load_model, mark_model_chrome
from prep.clean.chrome.trees import predict_logit
from prep.clean.spread import line_spread
from prep.config import ChromeModelConfig
from tests.clean.helpers import lines_of, verdicts

PARAGRAPHS = [
    "The city council approved the new transport budget on Monday after a debate that lasted most of the day.",
    "Under the plan, bus services will run every ten minutes on the main routes, and fares will stay frozen.",
    "Opposition members said the budget relied on optimistic forecasts of ticket sales and fuel prices.",
    "The mayor said the first new routes would open in the spring, with the rest following by the end of 2027.",
]
NAVIGATION = ["Privacy Policy", "Log in", "Subscribe to our newsletter", "Terms of Use", "Contact Us",
              "Cookie Settings"]
TITLE = "Council Approves Transport Budget"


def document() -> str:
    lines = [TITLE]
    for paragraph, nav in zip(PARAGRAPHS, NAVIGATION, strict=False):
        lines += [paragraph, nav]
    return "\n\n".join(lines + NAVIGATION[len(PARAGRAPHS):])


def judge(text: str, extractor: str = "text") -> dict:
    lines = lines_of(text)
    docs = pl.DataFrame({"order": [0], "title": [None], "extractor": [extractor]},
                        schema={"order": pl.Int64, "title": pl.String, "extractor": pl.String})
    spread = pl.DataFrame(schema={"key": pl.UInt64, "sites": pl.UInt32})
    return verdicts(mark_model_chrome(lines, docs, spread, ChromeModelConfig(), load_model()))


def test_shipped_model_loads_from_the_package():
    model = load_model()
    assert tuple(model["inputs"]) == INPUTS and INPUTS[:len(DENSE)] == DENSE
    assert len(model["trees"]["roots"]) > 10
    assert "WCXB" in model["trained_on"]


def test_navigation_is_removed_and_the_article_kept():
    got = judge(document())
    assert all(got[p] is None for p in PARAGRAPHS)
    assert got[TITLE] is None
    assert sum(got[n] == RULE for n in NAVIGATION) >= len(NAVIGATION) // 2


def test_a_wire_story_keeps_its_sentences_that_name_the_agency():
    naming = ["Reuters reported last week that the council was close to a deal on the budget.",
              '"We did our job," the mayor told Reuters after the vote on Monday evening.']
    got = judge("\n\n".join([TITLE, PARAGRAPHS[0], naming[0], PARAGRAPHS[1], naming[1], PARAGRAPHS[2]]))
    assert all(got[line] is None for line in [*PARAGRAPHS[:3], *naming])


def test_the_first_line_of_a_text_document_is_never_judged():
    got = judge("privacy policy and terms\n\n" + "\n\n".join(PARAGRAPHS))
    assert got["privacy policy and terms"] is None


def test_a_model_file_from_the_config_replaces_the_shipped_one(tmp_path: Path):
    shipped = load_model()
    always = {key: shipped[key] for key in ("kind", "trained_on", "inputs", *WORD_SCORES.values())}
    always["trees"] = {"baseline": 5.0, "roots": [0], "feature": [0], "threshold": [0.0], "left": [0],
                       "right": [0], "missing_left": [False], "value": [0.0], "leaf": [True]}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(always))
    lines = lines_of("\n\n".join(PARAGRAPHS[:2]) + "\n\nShort line here")
    docs = pl.DataFrame({"order": [0], "title": [None], "extractor": ["text"]},
                        schema={"order": pl.Int64, "title": pl.String, "extractor": pl.String})
    spread = line_spread(pl.DataFrame(schema={"site": pl.String, "order": pl.Int64, "key": pl.UInt64}).lazy())
    got = verdicts(mark_model_chrome(lines, docs, spread, ChromeModelConfig(), load_model(path)))
    # every judged line (all but the first, and not lines over the word limit) goes
    assert got["Short line here"] == RULE and got[PARAGRAPHS[0]] is None
    # nor is a plain-text document's title judged, wherever among its first lines it was found
    lines = lines_of(f"Newest Posts\n\n{TITLE}\n\nShort line here\n\n{PARAGRAPHS[0]}")
    titled = docs.with_columns(title=pl.lit(TITLE))
    got = verdicts(mark_model_chrome(lines, titled, spread, ChromeModelConfig(), load_model(path)))
    assert got == {"Newest Posts": None, TITLE: None, "Short line here": RULE, PARAGRAPHS[0]: RULE}


MONOTONE = {  # feature: (direction, the range it takes on real lines)
    "shared_share": (-1, (0.0, 1.0)),
    "local_share": (-1, (0.0, 1.0)),
    "log_sites": (1, (np.log1p(1), np.log1p(1000))),
    "word_score": (1, (-8.0, 8.0)),
    "label_word_score": (1, (-8.0, 8.0)),
}


@pytest.mark.parametrize("name", MONOTONE)
def test_the_model_is_monotone_where_it_must_be(name: str):
    """Sharing more of the article's words never makes a line more chrome-like; more sites
    carrying it, or more chrome-like words, never make it less."""
    direction, (low, high) = MONOTONE[name]
    model = load_model()
    rng = np.random.default_rng(0)
    x = rng.random((500, len(INPUTS)))
    column = INPUTS.index(name)
    logits = []
    for value in np.linspace(low, high, 41):
        x[:, column] = value
        logits.append(predict_logit(x, model["ensemble"]))
    steps = np.diff(np.array(logits), axis=0) * direction
    assert (steps >= -1e-9).all()


def test_text_extracted_from_html_loses_a_line_only_at_the_html_threshold_and_never_a_long_one():
    from prep.clean.chrome.model import chrome_probabilities

    promo = "Subscribe to our newsletter for the latest transport news and offers today"
    lines = lines_of(document() + "\n\n" + promo)
    spread = pl.DataFrame(schema={"key": pl.UInt64, "sites": pl.UInt32})

    def removed(extractor: str, config: ChromeModelConfig) -> set[str]:
        docs = pl.DataFrame({"order": [0], "title": [None], "extractor": [extractor]},
                            schema={"order": pl.Int64, "title": pl.String, "extractor": pl.String})
        got = verdicts(mark_model_chrome(lines, docs, spread, config, load_model()))
        return {line for line, rule in got.items() if rule == RULE}

    html_docs = pl.DataFrame({"order": [0], "title": [None], "extractor": ["trafilatura 2.0"]},
                             schema={"order": pl.Int64, "title": pl.String, "extractor": pl.String})
    p = dict(chrome_probabilities(lines, html_docs, spread, load_model()).select("line", "probability").iter_rows())
    label = max(NAVIGATION, key=lambda n: p[n])
    assert 0.02 < p[label] < 0.98
    below, above = ChromeModelConfig(html_threshold=p[label] - 0.01), ChromeModelConfig(html_threshold=p[label] + 0.01)
    assert label in removed("trafilatura 2.0", below)
    assert label not in removed("trafilatura 2.0", above)
    lenient = ChromeModelConfig(threshold=0.01, long_threshold=0.01, html_threshold=0.01)
    assert promo in removed("text", lenient)  # a long line goes from a text document at its threshold ...
    assert promo not in removed("trafilatura 2.0", lenient)  # ... and never from text extracted from HTML
    assert not set(PARAGRAPHS) & removed("trafilatura 2.0", lenient)
