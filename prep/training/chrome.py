"""Train the chrome model shipped in prep/clean/chrome/chrome_model.json, reproducibly.

    pip install -e '.[train]'
    python -m prep.training.chrome [--data DIR] [--out prep/clean/chrome/chrome_model.json]

Training lines come from the WCXB development pages (CC-BY-4.0, Murrough Foley), both ways a
document reaches prep: (1) HTML: the lines prep's extraction and named rules leave, labelled
chrome when they are not part of the page's `main_content`; (2) plain text: the page's article
lines with its own `without` snippets, and one or two other pages' titles, inserted at random
places, rebuilt three times with the chrome at other places (in the trees the three weigh together
what the page's HTML lines weigh). The model (see prep/clean/chrome/model.py) is a scikit-learn
gradient-boosted tree ensemble over prep's line features plus two logistic-regression scores of
the line's words (one learnt on all lines, one on labels of at most LABEL_WORDS words), monotone
where common sense says it must be (MONOTONIC); the trees and the word weights are exported as plain
arrays, so prep runs them without scikit-learn.

`python tests/benchmarks/clean_bench.py --cv 5` scores models trained by `train` on pages they
were not trained on.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl

from prep.clean import corpus_lines, first_pass, stages_until
from prep.clean.boilerplate import line_keys
from prep.clean.chrome.model import INPUTS, LABEL_WORDS, WORD_SCORES, judged_lines
from prep.clean.chrome.trees import as_arrays, predict_logit
from prep.clean.chrome.wordscore import MAX_TOKENS, line_words, weight_table, word_scores
from prep.config import Config
from prep.schema import DOC_SCHEMA
from prep.training.wcxb import DEFAULT_DATA, Page, extracted, load_pages, plain_documents, word_f1

MODEL_PATH = Path(__file__).resolve().parents[1] / "clean" / "chrome" / "chrome_model.json"
MIN_TOKEN_LINES = 5      # a word must occur in this many training lines to get a weight
MIN_PAGE_F1 = 0.5        # pages trafilatura extracts this badly teach labels that are noise
WORD_C = 0.5             # inverse L2 strength of the word score
DROP_BELOW = 0.005       # word weights smaller than this are left out of the shipped model
TREES = {"max_iter": 200, "learning_rate": 0.1, "max_leaf_nodes": 31, "early_stopping": False,
         "random_state": 0}
# sharing more of the article's words never makes a line more likely chrome, and more sites
# carrying it or more chrome-like words never make it less: without these, the trees learn odd
# exceptions from a few pages that a real paragraph elsewhere can fall into
MONOTONIC = {"shared_share": -1, "local_share": -1, "log_sites": 1, "word_score": 1, "label_word_score": 1}
PLAIN_OFFSET = 1_000_000  # plain-text documents are numbered after the HTML ones, a block per copy
PLAIN_SEEDS = (1, 11, 21)  # each page is rebuilt as plain text this many times, chrome at other places
_TOKEN = re.compile(r"[^\W_]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def content_matcher(main_content: str):
    """A test of whether a line is part of this main content: its words run in it, or (for a
    longer line, which extraction may have joined or split differently) most of its 3-grams do."""
    body = _tokens(main_content)
    body_text = f" {' '.join(body)} "
    body_trigrams = {tuple(body[i:i + 3]) for i in range(len(body) - 2)}

    def is_content(line: str) -> bool:
        words = _tokens(line)
        if not words:
            return False
        if f" {' '.join(words)} " in body_text:
            return True
        grams = {tuple(words[i:i + 3]) for i in range(len(words) - 2)}
        return len(words) >= 8 and bool(grams) and len(grams & body_trigrams) / len(grams) >= 0.6

    return is_content


def judged_in_run(docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The lines the model judges in a run over these documents, as it meets them."""
    lines = first_pass(docs, config)
    corpus = corpus_lines(line_keys(lines, docs).lazy(), config.clean)
    named = stages_until("chrome_model", docs.drop("text").cast(dict(DOC_SCHEMA)), lines, corpus, config)
    docs, lines = named.docs, named.lines
    return judged_lines(lines, docs.select("order", "title", "extractor"), corpus.spread)


def html_examples(pages: list[Page], docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """Lines of prep's HTML extraction, labelled by the ground truth (1 = chrome)."""
    texts = dict(docs.select("order", "text").iter_rows())
    good = [order for order, page in enumerate(pages)
            if word_f1(texts.get(order) or "", page.main_content)[2] >= MIN_PAGE_F1]
    judged = judged_in_run(docs.filter(pl.col("order").is_in(good)), config)
    matchers = {order: content_matcher(pages[order].main_content) for order in good}
    labels = [0 if matchers[order](line) else 1 for order, line in judged.select("order", "line").iter_rows()]
    return judged.with_columns(label=pl.Series(labels, dtype=pl.Int8), path=pl.lit("html"))


def with_foreign_titles(pages: list[Page], seed: int) -> list[Page]:
    """Pages whose chrome also holds one or two other pages' titles: the headlines of other
    stories that news sites interleave in an article, which the `without` snippets rarely show."""
    rng = random.Random(seed)
    titles = [page.title for page in pages if page.title]
    return [replace(page, without_snippets=page.without_snippets + tuple(
        t for t in rng.sample(titles, k=min(len(titles), rng.randint(1, 2))) if t != page.title))
        for page in pages]


def plain_examples(pages: list[Page], config: Config, seed: int, copy: int = 0) -> pl.DataFrame:
    """Lines of plain-text documents with inserted chrome, labelled by construction (1 = chrome);
    the `copy`-th rebuild of these pages is numbered in its own block."""
    docs, labels = plain_documents(with_foreign_titles(pages, seed), seed + 1)
    judged = judged_in_run(docs, config)
    chrome = pl.DataFrame([(order, line) for order, lines in enumerate(labels) for line, lab in lines
                           if lab == "chrome"], schema={"order": pl.Int64, "line": pl.String}, orient="row")
    judged = (judged.join(chrome.unique().with_columns(label=pl.lit(1, dtype=pl.Int8)), on=["order", "line"],
                          how="left", maintain_order="left")
              .with_columns(pl.col("label").fill_null(0), path=pl.lit("plain")))
    return judged.with_columns(pl.col("order") + PLAIN_OFFSET * (copy + 1))


def examples(pages: list[Page], html_docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """All training lines for these pages: judged lines with label and path. Plain text is rebuilt
    several times, because where the chrome lands (between paragraphs, in a list, at the end)
    is what the model learns to read, and one draw shows each line in one place only."""
    return pl.concat([html_examples(pages, html_docs, config),
                      *(plain_examples(pages, config, seed, copy) for copy, seed in enumerate(PLAIN_SEEDS))])


def _word_matrix(lines: list[str], vocab: dict[str, int]):
    """Lines by words: 1 where the line has the word (its words as prep's kernel reads them)."""
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for row, line in enumerate(lines):
        for word in line_words(line):
            col = vocab.get(word)
            if col is not None:
                rows.append(row)
                cols.append(col)
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(lines), len(vocab)))


def _word_model(matrix, labels: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=WORD_C, max_iter=5000, solver="liblinear").fit(matrix, labels)


def _held_out_word_model(matrix, labels: np.ndarray, inner: np.ndarray, subset: np.ndarray):
    """A word model learnt on the `subset` lines, and every line's score by the model of the
    inner folds that did not see its page."""
    held_out = np.zeros(len(labels))
    for k in range(3):
        seen = (inner != k) & subset
        held_out[inner == k] = _word_model(matrix[seen], labels[seen]).decision_function(matrix[inner == k])
    return _word_model(matrix[subset], labels[subset]), held_out


def _exported_words(model, vocab: dict[str, int]) -> dict:
    """A word model's bias and the weights prep keeps (those of at least DROP_BELOW)."""
    weights = {tok: round(float(w), 5) for tok, w in zip(vocab, model.coef_[0], strict=True) if abs(w) >= DROP_BELOW}
    return {"bias": round(float(model.intercept_[0]), 5), "weights": dict(sorted(weights.items()))}


def export_trees(model) -> dict:
    """Flat arrays of a fitted HistGradientBoostingClassifier's trees (its `_predictors`, the one
    place scikit-learn keeps them; `fit` checks the export against its predictions)."""
    feature, threshold, left, right, missing_left, value, leaf, roots = [], [], [], [], [], [], [], []
    for (predictor,) in model._predictors:
        nodes, base = predictor.nodes, len(feature)
        roots.append(base)
        feature += nodes["feature_idx"].tolist()
        threshold += nodes["num_threshold"].tolist()
        left += (nodes["left"].astype(np.int64) + base).tolist()
        right += (nodes["right"].astype(np.int64) + base).tolist()
        missing_left += nodes["missing_go_to_left"].astype(bool).tolist()
        value += nodes["value"].tolist()
        leaf += nodes["is_leaf"].astype(bool).tolist()
    return {"baseline": float(np.ravel(model._baseline_prediction)[0]), "roots": roots, "feature": feature,
            "threshold": threshold, "left": left, "right": right, "missing_left": missing_left,
            "value": value, "leaf": leaf}


def fit(judged: pl.DataFrame) -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier

    labels = judged["label"].to_numpy()
    lines = judged["line"].to_list()
    # In the trees, the plain-text rebuilds of a page weigh together what its HTML lines weigh;
    # the word model and its vocabulary see every rebuild's lines, so plain text counts three
    # times there (measured with clean_bench.py --cv 2: weighing it down too scores worse on
    # plain text, no better on HTML).
    sample_weight = np.where(judged["path"].to_numpy() == "plain", 1 / len(PLAIN_SEEDS), 1.0)
    counts: dict[str, int] = {}
    for line in lines:
        for word in line_words(line):
            counts[word] = counts.get(word, 0) + 1
    vocab = {word: i for i, word in enumerate(sorted(w for w, n in counts.items() if n >= MIN_TOKEN_LINES))}
    matrix = _word_matrix(lines, vocab)
    # the trees learn from word scores of lines the word models did not see (by page, 3 folds)
    page = judged["order"].to_numpy() % PLAIN_OFFSET
    inner = (page * 2654435761 % 2**32) % 3
    learnt_on = {"word_score": np.ones(len(judged), dtype=bool),
                 "label_word_score": judged["log_words"].to_numpy() <= np.log1p(LABEL_WORDS)}
    word_models, held_out_scores = {}, {}
    for name, subset in learnt_on.items():
        word_models[name], held_out_scores[name] = _held_out_word_model(matrix, labels, inner, subset)
    scored = judged.with_columns(**{name: pl.Series(held_out_scores[name]) for name in WORD_SCORES})
    x = scored.select(INPUTS).to_numpy()
    monotonic = [MONOTONIC.get(name, 0) for name in INPUTS]
    trees = HistGradientBoostingClassifier(**TREES, monotonic_cst=monotonic).fit(x, labels,
                                                                                 sample_weight=sample_weight)
    exported = export_trees(trees)
    if not np.allclose(predict_logit(x, as_arrays(exported)), trees.decision_function(x), atol=1e-9):
        raise RuntimeError("exported trees disagree with scikit-learn's predictions")
    exported_words = {WORD_SCORES[name]: _exported_words(model, vocab) for name, model in word_models.items()}
    for name, model in word_models.items():
        # a line has at most MAX_TOKENS + 1 words: that bounds what dropping and rounding can change
        words = exported_words[WORD_SCORES[name]]
        rounded = word_scores(judged["line"], weight_table(words["weights"]), words["bias"])
        if not np.allclose(rounded, model.decision_function(matrix), atol=(MAX_TOKENS + 1) * DROP_BELOW + 1e-3):
            raise RuntimeError(f"prep's {name} disagrees with its word model's")
    return {
        "kind": "gradient-boosted trees (scikit-learn HistGradientBoostingClassifier) over prep.clean.chrome.features, "
                "with logistic-regression word scores",
        "trained_on": "WCXB development articles (CC-BY-4.0, Murrough Foley): extracted HTML lines and "
                      "plain-text documents with inserted chrome",
        "lines": len(judged), "chrome_lines": int(labels.sum()),
        "inputs": list(INPUTS),
        **exported_words,
        "trees": exported,
    }


def train(pages: list[Page], html_docs: pl.DataFrame, config: Config) -> dict:
    return fit(examples(pages, html_docs, config))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    config = Config()
    pages = load_pages(args.data)
    model = train(pages, extracted(pages, config, args.workers), config)
    args.out.write_text(json.dumps(model, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"trained on {model['lines']} lines ({model['chrome_lines']} chrome) from {len(pages)} pages; "
          f"{len(model['words']['weights'])} + {len(model['label_words']['weights'])} word weights (all lines + "
          f"labels), {len(model['trees']['roots'])} trees; wrote {args.out}")


if __name__ == "__main__":
    main()
