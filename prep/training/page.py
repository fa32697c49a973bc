"""Train the page model shipped in prep/clean/page/page_model.npz, reproducibly.

    pip install -e '.[train]'
    python -m prep.training.page [--data DIR] [--out prep/clean/page/page_model.npz]

Training documents come from the WCXB development pages (CC-BY-4.0, Murrough Foley), in the
shapes the page model meets:
- page dumps: each page's HTML rendered to plain text by two common scrapers (`RENDERERS`):
  inscriptis (browser-like: block elements on their own lines) and BeautifulSoup's
  get_text("\\n", strip=True) after dropping script and style (every text node on its own
  line: sentences break at inline links); lines labelled against main_content by
  prep.training.labels (article, chrome, or unscored: left out);
- light chrome: the page's article lines with its own `without` snippets and one or two other
  pages' titles inserted at random places (the chrome model's plain-text rebuilds, seeds
  LIGHT_SEEDS, each weighing 1/len(LIGHT_SEEDS)), labelled by construction.
Each shape is one corpus, run through prep's own stages up to the page model (split, named
rules, the corpus-wide reduce, site template lines), so the model learns from the frames it
meets in a run. Steps, all with fixed seeds: (1) a word score, a logistic regression over a
line's hashed first words (scan.py), learnt on all training lines; the trees learn from
out-of-fold scores (3 folds by page); (2) LightGBM (deterministic, PARAMS) over the features
and the word scores; (3) its trees exported as flat arrays (checked against LightGBM's raw
scores), so prep walks them without LightGBM.

`python tests/benchmarks/clean_bench.py --cv 5` scores models trained by `fit` on pages they
were not trained on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl

from prep.clean import corpus_lines, first_pass, stages_until
from prep.clean.boilerplate import line_keys
from prep.clean.chrome.trees import as_arrays, predict_logit
from prep.clean.page import scan
from prep.clean.page.features import WORD_FEATURES, Docs, line_features, word_windows
from prep.clean.page.model import RULE, TREE_ARRAYS, save_model
from prep.config import Config
from prep.schema import DOC_SCHEMA
from prep.stage import Frames
from prep.training.labels import ARTICLE, CHROME, Labeller
from prep.training.wcxb import CACHE, DEFAULT_DATA, Page, host_of, load_pages, plain_documents, squash, text_documents

MODEL_PATH = Path(__file__).resolve().parents[1] / "clean" / "page" / "page_model.npz"
RENDERERS = ("inscriptis", "bs4")
LIGHT_SEEDS = (11, 21)
WORD_C = 0.5
ROUNDS = 150
PARAMS = {
    "objective": "binary", "learning_rate": 0.1, "num_leaves": 31, "min_data_in_leaf": 40, "max_bin": 63,
    "feature_fraction": 0.6, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "seed": 0, "deterministic": True, "force_row_wise": True, "num_threads": 2, "verbose": -1,
}


# --------------------------------------------------------------------------- documents

def render(html: str, renderer: str) -> str:
    """A page's HTML as a scraper's plain text."""
    if renderer == "inscriptis":
        from inscriptis import get_text

        return get_text(html)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text("\n", strip=True)


def _render_all(args: tuple[list[str], str]) -> list[str]:
    htmls, renderer = args
    out = []
    for html in htmls:
        try:
            out.append(render(html, renderer))
        except Exception as err:  # noqa: BLE001 - a page a renderer cannot read is an empty dump
            print(f"{renderer} failed on a page: {err}", file=sys.stderr)
            out.append("")
    return out


def rendered(pages: list[Page], renderer: str, workers: int = 2) -> list[str]:
    """Every page rendered by `renderer`, cached per renderer version and page list."""
    from importlib.metadata import version

    package = {"inscriptis": "inscriptis", "bs4": "beautifulsoup4"}[renderer]
    key = hashlib.sha256(f"{renderer}{version(package)}{[p.file_id for p in pages]}".encode()).hexdigest()[:16]
    path = CACHE / f"render-{renderer}-{key}.parquet"
    if path.exists():
        return pl.read_parquet(path)["text"].to_list()
    chunks = [([p.html for p in pages[i:i + 20]], renderer) for i in range(0, len(pages), 20)]
    with ProcessPoolExecutor(workers) as pool:
        texts = [text for chunk in pool.map(_render_all, chunks) for text in chunk]
    CACHE.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"text": texts}, schema={"text": pl.String}).write_parquet(path)
    return texts


def dump_documents(pages: list[Page], texts: list[str]) -> pl.DataFrame:
    return text_documents([(p.file_id, f"{host_of(p)}/{p.file_id}.txt", f"folder:{host_of(p)}", text)
                           for p, text in zip(pages, texts, strict=True)])


def at_page_stage(docs: pl.DataFrame, config: Config) -> Frames:
    """The frames the page model meets in a run over these documents."""
    lines = first_pass(docs, config)
    corpus = corpus_lines(line_keys(lines, docs).lazy(), config.clean)
    return stages_until(RULE, docs.drop("text").cast(dict(DOC_SCHEMA)), lines, corpus, config)


def dump_labels(pages: list[Page], lines: pl.DataFrame) -> np.ndarray:
    """Each line's label (ARTICLE, CHROME or UNSCORED) against its page's main_content; a line
    equal to the page's title is article."""
    labels = np.empty(lines.height, dtype=np.int8)
    at = 0
    for (order,), part in lines.partition_by("order", maintain_order=True, as_dict=True).items():
        page = pages[order]
        texts = part["line"].to_list()
        found = Labeller(page.main_content).label(texts)
        title = squash(page.title)
        if title:
            found[[squash(t) == title for t in texts]] = ARTICLE
        labels[at:at + len(texts)] = found
        at += len(texts)
    return labels


def light_documents(pages: list[Page], seed: int) -> tuple[pl.DataFrame, list[list[tuple[str, str]]]]:
    """The chrome model's plain-text rebuilds with foreign titles (prep.training.chrome)."""
    from prep.training.chrome import with_foreign_titles
    return plain_documents(with_foreign_titles(pages, seed), seed + 1)


def light_labels(lines: pl.DataFrame, labels: list[list[tuple[str, str]]]) -> np.ndarray:
    chrome = pl.DataFrame([(order, " ".join(line.split())) for order, doc in enumerate(labels)
                           for line, label in doc if label == "chrome"],
                          schema={"order": pl.Int64, "line": pl.String}, orient="row").unique()
    marked = lines.select("order", "line").join(chrome.with_columns(chrome=pl.lit(True)), on=["order", "line"],
                                                how="left", maintain_order="left")["chrome"]
    return np.where(marked.fill_null(False).to_numpy(), CHROME, ARTICLE).astype(np.int8)


# --------------------------------------------------------------------------- examples

def examples(pages: list[Page], config: Config, workers: int = 2) -> dict[str, np.ndarray | list]:
    """Every training line of these pages: features (without the word scores), label, weight,
    page, shape, line text and document (a document per shape and page), cached by prep's code."""
    key = _code_key(pages, config)
    path = CACHE / f"page-examples-{key}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            found = {name: z[name] for name in z.files}
        found["names"] = json.loads(bytes(found["names"]).decode())
        found["line"] = json.loads(bytes(found["line"]).decode())
        return found
    parts = []
    corpora = [(renderer, dump_documents(pages, rendered(pages, renderer, workers)), None) for renderer in RENDERERS]
    corpora += [(f"light{seed}", *light_documents(pages, seed)) for seed in LIGHT_SEEDS]
    for number, (shape, docs, light) in enumerate(corpora):
        started = time.perf_counter()
        frames = at_page_stage(docs, config)
        lines = frames.lines
        x, names = line_features(lines, frames.corpus.spread)
        labels = dump_labels(pages, lines) if light is None else light_labels(lines, light)
        weight = 1.0 if light is None else 1 / len(LIGHT_SEEDS)
        orders = lines["order"].to_numpy()
        parts.append({"x": x, "label": labels, "weight": np.full(len(labels), weight), "page": orders,
                      "doc": orders + number * len(pages), "shape": np.full(len(labels), number),
                      "line": lines["line"].to_list()})
        print(f"  {shape}: {len(labels)} lines, {time.perf_counter() - started:.0f} s", flush=True)
    found = {name: np.concatenate([p[name] for p in parts])
             for name in ("x", "label", "weight", "page", "doc", "shape")}
    found["names"], found["line"] = names, [line for p in parts for line in p["line"]]
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, **{k: v for k, v in found.items() if k not in ("names", "line")},
             names=np.frombuffer(json.dumps(names).encode(), dtype=np.uint8),
             line=np.frombuffer(json.dumps(found["line"]).encode(), dtype=np.uint8))
    return found


def _code_key(pages: list[Page], config: Config) -> str:
    """What the examples depend on: prep's code (its stages, features, labels), the config and the pages."""
    package = Path(__file__).resolve().parents[1]
    text = "".join(p.read_text() for p in sorted(package.rglob("*.py")))
    return hashlib.sha256((text + config.model_dump_json() + "".join(p.file_id for p in pages)).encode()
                          ).hexdigest()[:12]


# --------------------------------------------------------------------------- fitting

def word_matrix(lines: list[str]):
    from scipy.sparse import csr_matrix

    from prep.text.tokens import utf8_buffer

    hashes, rows = scan.token_hashes(*utf8_buffer(pl.Series(lines, dtype=pl.String)))
    matrix = csr_matrix((np.ones(len(rows), np.float64), (rows, scan.buckets(hashes))),
                        shape=(len(lines), 1 << scan.HASH_BITS))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def fit_word_model(matrix, y: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=WORD_C, max_iter=2000, solver="liblinear").fit(matrix, y, sample_weight=weight)
    return model.coef_[0].astype(np.float16).astype(np.float64), float(model.intercept_[0])


def export_trees(booster) -> dict:
    """LightGBM's trees as the flat arrays prep/clean/chrome/trees.py walks."""
    arrays: dict[str, list] = {name: [] for name in TREE_ARRAYS if name != "roots"}
    roots = []

    def walk(node: dict) -> int:
        at = len(arrays["feature"])
        for name, empty in (("feature", 0), ("threshold", 0.0), ("left", -1), ("right", -1), ("missing_left", False),
                            ("value", 0.0), ("leaf", True)):
            arrays[name].append(empty)
        if "split_index" not in node:
            arrays["value"][at] = float(node["leaf_value"])
            return at
        if node.get("decision_type", "<=") != "<=":
            raise ValueError("only numerical <= splits are supported")
        arrays["leaf"][at] = False
        arrays["feature"][at] = int(node["split_feature"])
        arrays["threshold"][at] = float(node["threshold"])
        arrays["missing_left"][at] = bool(node.get("default_left", True))
        arrays["left"][at] = walk(node["left_child"])
        arrays["right"][at] = walk(node["right_child"])
        return at

    for tree in booster.dump_model()["tree_info"]:
        roots.append(walk(tree["tree_structure"]))
    return {"baseline": 0.0, "roots": roots, **arrays}


def fit(found: dict, rows: np.ndarray | None = None, rounds: int = ROUNDS) -> tuple[dict, dict, np.ndarray]:
    """(meta, ensemble, word weights) learnt on the scored lines of `rows` (default: all)."""
    import lightgbm

    started = time.perf_counter()
    rows = np.ones(len(found["label"]), dtype=bool) if rows is None else rows
    train = rows & (found["label"] >= 0)
    y = (found["label"] == CHROME).astype(np.int8)
    weight = found["weight"]
    matrix = word_matrix(found["line"])
    inner = (found["page"] * 2654435761 % 2**32) % 3
    scores = np.zeros(len(y))
    for k in range(3):
        seen = train & (inner != k)
        weights, bias = fit_word_model(matrix[seen], y[seen], weight[seen])
        held = np.flatnonzero(inner == k)
        scores[held] = matrix[held] @ weights + bias
    weights, bias = fit_word_model(matrix[train], y[train], weight[train])
    g = Docs(found["doc"])
    x = np.concatenate([found["x"], np.column_stack(word_windows(g, scores))], axis=1)
    names = [*found["names"], *WORD_FEATURES]
    data = lightgbm.Dataset(x[train], label=y[train], weight=weight[train], feature_name=names, free_raw_data=True)
    booster = lightgbm.train(PARAMS, data, num_boost_round=rounds)
    exported = export_trees(booster)
    check = x[train][:20000]
    if not np.allclose(predict_logit(check, as_arrays(exported)), booster.predict(check, raw_score=True), atol=1e-6):
        raise RuntimeError("exported trees disagree with LightGBM's raw scores")
    meta = {"kind": "LightGBM trees over prep.clean.page.features with a hashed-word logistic regression",
            "trained_on": "WCXB development articles (CC-BY-4.0, Murrough Foley): page dumps (inscriptis, "
                          "BeautifulSoup) and light-chrome rebuilds",
            "names": names, "baseline": 0.0, "word_bias": bias, "lines": int(train.sum()),
            "chrome_lines": int(y[train].sum()), "trees": len(exported["roots"])}
    ensemble = {name: np.asarray(value) for name, value in as_arrays(exported).items()}
    print(f"  page model: {meta['lines']} lines, {meta['trees']} trees, {time.perf_counter() - started:.0f} s",
          flush=True)
    return meta, ensemble, weights


def train(pages: list[Page], config: Config, out: Path, rows_of_pages: set[int] | None = None,
          workers: int = 2) -> Path:
    """Fit on the pages whose indices are in `rows_of_pages` (default all) and save to `out`."""
    found = examples(pages, config, workers)
    rows = None if rows_of_pages is None else np.isin(found["page"], sorted(rows_of_pages))
    meta, ensemble, weights = fit(found, rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_model(out, meta, ensemble, weights)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    random.seed(0)
    pages = load_pages(args.data)
    train(pages, Config(), args.out, workers=args.workers)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) from {len(pages)} pages")


if __name__ == "__main__":
    main()
