"""Cleaning quality on real pages nobody tuned for: prep's extract + clean stages vs trafilatura alone.

    python tests/benchmarks/clean_bench.py [--data DIR] [--limit N] [--config FILE]

HTML path: each WCXB page through prep's extraction (trafilatura with prep's options) and text
stages, scored against the page's `main_content`: mean bag-of-words F1, share of `with`
snippets found, share of `without` snippets leaked; the same figures for trafilatura's text
alone. Plain-text path: documents rebuilt from the ground truth (title line, then the article's
lines) with the page's own `without` snippets inserted at random places, scored by how many
inserted lines are removed and how many article lines are lost. Page dumps: each page's HTML
rendered to plain text by two common scrapers (inscriptis; BeautifulSoup's get_text("\n",
strip=True) after dropping script and style), each renderer's dumps one run; every line
labelled against `main_content` (prep.training.labels: article, chrome, or not scored), scored
by chrome-line recall, article-line loss, word F1 of the kept text (the raw dump's beside it),
titles kept, and the pairs of different pages that dedup groups together.

Data: WCXB development split, CC-BY-4.0, by Murrough Foley.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prep.clean import corpus_lines, finish_documents, first_pass, stages_until  # noqa: E402
from prep.clean.boilerplate import line_keys  # noqa: E402
from prep.clean.chrome.model import load_model, probabilities  # noqa: E402
from prep.config import Config, load_config  # noqa: E402
from prep.schema import DOC_SCHEMA  # noqa: E402
from prep.training.wcxb import (  # noqa: E402
    CACHE,
    DEFAULT_DATA,
    Page,
    extracted,
    load_pages,
    plain_documents,
    squash,
    text_documents,
    word_f1,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def clean(docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The text stages of a run, in a run's order, over one in-memory corpus."""
    lines = first_pass(docs, config)
    corpus = corpus_lines(line_keys(lines, docs).lazy(), config.clean)
    return finish_documents(docs.drop("text").cast(dict(DOC_SCHEMA)), lines, corpus, config)


def seed_margin(config: Config, top: int = 3) -> list[tuple[float, str]]:
    """The lines of the seed articles (seeds/) the chrome model finds most chrome-like, with their
    probabilities: their chrome is all taken by named rules, so each of these is an article line
    and must stay under the threshold."""
    from prep.training.chrome import judged_in_run

    docs = text_documents([(f.stem, f"seeds/{f.name}", "folder:seeds", f.read_text())
                           for f in sorted(SEEDS.glob("*.txt"))])
    judged = probabilities(judged_in_run(docs, config), load_model(config.clean.model.path))
    return judged.sort("probability", descending=True).head(top).select("probability", "line").rows()


def score_html(pages: list[Page], texts: list[str]) -> dict[str, float]:
    f1s, found, leaked, n_with, n_without = [], 0, 0, 0, 0
    for page, text in zip(pages, texts, strict=True):
        f1s.append(word_f1(text, page.main_content))
        out = squash(text)
        found += sum(squash(s) in out for s in page.with_snippets)
        leaked += sum(squash(s) in out for s in page.without_snippets)
        n_with += len(page.with_snippets)
        n_without += len(page.without_snippets)
    n = len(f1s)
    return {"precision": sum(f[0] for f in f1s) / n, "recall": sum(f[1] for f in f1s) / n,
            "f1": sum(f[2] for f in f1s) / n, "with_found": found / n_with, "without_leaked": leaked / n_without}


def line_oracle(pages: list[Page], texts: list[str]) -> list[str]:
    """Each text with exactly its lines that belong to the page's `main_content` kept: the best
    any line cleaner working on that extraction could do."""
    from prep.training.chrome import content_matcher

    kept = []
    for page, text in zip(pages, texts, strict=True):
        is_content = content_matcher(page.main_content)
        kept.append("\n".join(line for line in text.splitlines() if is_content(line)))
    return kept


def html_removals(pages: list[Page], cleaned: pl.DataFrame) -> dict[str, list[int]]:
    """Per rule: [lines removed that are chrome, lines removed that are article content]."""
    from prep.training.chrome import content_matcher

    by_rule: dict[str, list[int]] = {}
    for order, removed in cleaned.select("order", "removed").iter_rows():
        is_content = content_matcher(pages[order].main_content)
        for entry in removed:
            content = is_content(entry["line"])
            by_rule.setdefault(entry["rule"], [0, 0])[content] += 1
            if entry["rule"] == "chrome_model" and len(entry["line"].split()) >= 6:
                by_rule.setdefault("chrome_model 6+ words", [0, 0])[content] += 1
    return dict(sorted(by_rule.items(), key=lambda kv: -kv[1][1]))


def score_plain(cleaned: pl.DataFrame, labels: list[list[tuple[str, str]]]) -> tuple[dict, list, list]:
    removed_by_doc = dict(cleaned.select("order", "removed").iter_rows())
    counts = {"chrome": [0, 0], "article": [0, 0], "title": [0, 0]}  # [removed, total]
    mistakes, misses, by_rule = [], [], {}
    for order, lines in enumerate(labels):
        removed = {}
        for entry in removed_by_doc[order]:
            removed.setdefault(entry["line"], entry["rule"])
        for line, label in lines:
            counts[label][1] += 1
            if line in removed:
                counts[label][0] += 1
                by_rule.setdefault(removed[line], [0, 0])[label != "chrome"] += 1
                if label != "chrome":
                    mistakes.append((removed[line], label, line))
            elif label == "chrome":
                misses.append(line)
    figures = {"chrome_recall": counts["chrome"][0] / max(counts["chrome"][1], 1),
               "article_loss": counts["article"][0] / max(counts["article"][1], 1),
               "title_kept": 1 - counts["title"][0] / max(counts["title"][1], 1),
               "chrome_lines": counts["chrome"][1], "article_lines": counts["article"][1],
               "by_rule": dict(sorted(by_rule.items(), key=lambda kv: -kv[1][1]))}
    return figures, mistakes, misses


def plain_difficulty(pages: list[Page], labels: list[list[tuple[str, str]]]) -> dict[str, int]:
    """What the plain-text path asks of a cleaner: how many chrome and article lines are bare
    labels (one to four words, no end mark), how many pages are alone on their site (no site
    template to learn), and how many texts are chrome on one page and article on another."""
    def bare_label(line: str) -> bool:
        return len(line.split()) <= 4 and not re.search(r"[.!?…][\"'”’)\]]*$", line)

    def text_key(line: str) -> str:
        return " ".join(re.findall(r"\w+", line.lower()))

    hosts = Counter((urlsplit(page.url).hostname or "").removeprefix("www.") for page in pages)
    by_label: dict[str, set[str]] = {"chrome": set(), "article": set()}
    bare = Counter()
    for lines in labels:
        for line, label in lines:
            if label in by_label:
                by_label[label].add(text_key(line))
                bare[label] += bare_label(line)
    return {"bare_chrome": bare["chrome"], "bare_article": bare["article"],
            "pages_alone_on_site": sum(n == 1 for n in hosts.values()),
            "texts_both_ways": len(by_label["chrome"] & by_label["article"] - {""})}


def fold_of(page: Page, folds: int) -> int:
    return int(hashlib.sha256(page.file_id.encode()).hexdigest(), 16) % folds


def cross_validated(pages: list[Page], docs: pl.DataFrame, config: Config, folds: int,
                    seed: int, dumps: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame, list, dict]:
    """Every page (HTML path, plain path, page dumps) cleaned with models not trained on it: the
    cleaned HTML docs (in page order), the cleaned plain docs, their labels, and per renderer the
    dumps' lines as the stages left them (order = page)."""
    html_parts, plain_parts, label_parts = [], [], {}
    dump_parts: dict[str, list[pl.DataFrame]] = {name: [] for name in dumps}
    for fold in range(folds):
        held = [i for i, page in enumerate(pages) if fold_of(page, folds) == fold]
        fold_config = with_models(config, fold_model(pages, docs, config, fold, folds),
                                  fold_page_model(pages, config, fold, folds))
        back = pl.DataFrame({"order": range(len(held)), "page": held}, schema={"order": pl.Int64, "page": pl.Int64})
        cleaned = clean(_renumber(docs, held), fold_config)
        html_parts.append(cleaned.join(back, on="order").drop("order").rename({"page": "order"}))
        plain, labels = plain_documents([pages[i] for i in held], seed)
        plain_parts.append(clean(plain, fold_config).with_columns(pl.col("order") + len(label_parts)))
        for lab in labels:
            label_parts[len(label_parts)] = lab
        for name, dump_docs in dumps.items():
            lines = cleaned_lines(_renumber(dump_docs, held), fold_config)
            dump_parts[name].append(lines.join(back, on="order").drop("order").rename({"page": "order"}))
    return (pl.concat(html_parts).sort("order"), pl.concat(plain_parts),
            [label_parts[i] for i in range(len(label_parts))],
            {name: pl.concat(parts).sort("order", "line_no") for name, parts in dump_parts.items()})


def with_models(config: Config, chrome: Path | None, page: Path | None) -> Config:
    clean_config = config.clean.model_copy(update={
        "model": config.clean.model.model_copy(update={"path": chrome}),
        "page": config.clean.page.model_copy(update={"path": page})})
    return config.model_copy(update={"clean": clean_config})


def fold_page_model(pages: list[Page], config: Config, fold: int, folds: int) -> Path:
    """The page model trained on the pages outside `fold` (cached, like `fold_model`)."""
    from prep.training.page import train

    path = CACHE / f"cv-page-model-{fold}-of-{folds}-{_training_key(config, pages)}.npz"
    if not path.exists():
        train(pages, config, path, {i for i, page in enumerate(pages) if fold_of(page, folds) != fold})
    return path


def cleaned_lines(docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The documents' lines as a run's text stages leave them (rule: null for a kept line)."""
    lines = first_pass(docs, config)
    corpus = corpus_lines(line_keys(lines, docs).lazy(), config.clean)
    return stages_until("assemble", docs.drop("text").cast(dict(DOC_SCHEMA)), lines, corpus, config).lines


def fold_model(pages: list[Page], docs: pl.DataFrame, config: Config, fold: int, folds: int) -> Path:
    """The chrome model trained on the pages outside `fold` (cached: a fold's model depends only
    on the training code, the data and the config)."""
    import json

    from prep.training.chrome import train

    path = CACHE / f"cv-model-{fold}-of-{folds}-{_training_key(config, pages)}.json"
    if not path.exists():
        seen = [i for i, page in enumerate(pages) if fold_of(page, folds) != fold]
        CACHE.mkdir(exist_ok=True)
        path.write_text(json.dumps(train([pages[i] for i in seen], _renumber(docs, seen), config)))
    return path


def _training_key(config: Config, pages: list[Page]) -> str:
    here = Path(__file__).resolve().parent
    package = here.parents[1] / "prep"
    # the model depends on the training code and on how prep reads, repairs, extracts and cleans
    # text: on prep's code anywhere (a change to prep/text/repair.py once went unnoticed); not on the
    # models' own thresholds (--thresholds, --page-thresholds compare them on the same models;
    # the chrome model's training lines are those a run at the default page thresholds leaves)
    defaults = Config().clean
    decisions = {"threshold", "long_words", "long_threshold"}
    config = config.model_copy(update={"clean": config.clean.model_copy(update={
        "model": config.clean.model.model_copy(update={k: getattr(defaults.model, k)
                                                        for k in (*decisions, "html_threshold")}),
        "page": config.clean.page.model_copy(update={k: getattr(defaults.page, k) for k in decisions})})})
    sources = sorted(package.rglob("*.py"))  # the training code (prep/training/) included
    text = "".join(p.read_text() for p in sources) + config.model_dump_json() + "".join(p.file_id for p in pages)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _renumber(docs: pl.DataFrame, orders: list[int]) -> pl.DataFrame:
    """The docs of these orders, renumbered 0..n-1 in that order."""
    return (pl.DataFrame({"order": orders, "new": range(len(orders))}, schema={"order": pl.Int64, "new": pl.Int64})
            .join(docs, on="order").drop("order").rename({"new": "order"}).sort("order"))


def print_plain(figures: dict, mistakes: list, misses: list, args) -> None:
    print(f"Plain-text path: {figures['chrome_lines']} chrome lines inserted among {figures['article_lines']} "
          f"article lines")
    print(f"chrome-line recall {figures['chrome_recall']:.3f}   article-line loss {figures['article_loss']:.4f}   "
          f"title kept {figures['title_kept']:.3f}")
    print("plain lines removed by rule [chrome, article or title]:", figures["by_rule"])
    for rule, label, line in mistakes[:args.show_mistakes]:
        print(f"  [{rule}] ({label}) {line[:150]}")
    for line in misses[:args.show_misses]:
        print(f"  missed: {line[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show-mistakes", type=int, default=0, help="print this many wrongly removed lines")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many chrome lines left in")
    parser.add_argument("--thresholds", type=str, default=None,
                        help="comma-separated chrome-model thresholds to compare (default: the config's)")
    parser.add_argument("--page-thresholds", type=str, default=None,
                        help="comma-separated page-model thresholds to compare, each THRESHOLD/LONG_THRESHOLD "
                             "(lines of long_words words or more); default: the config's")
    parser.add_argument("--cv", type=int, default=0, metavar="FOLDS",
                        help="score every page with a chrome model trained on the other folds (needs the "
                             "'train' extra); 0 scores the shipped model")
    args = parser.parse_args()
    config = load_config(args.config)
    pages = load_pages(args.data, args.limit)

    started = time.perf_counter()
    docs = extracted(pages, config, args.workers)
    extract_seconds = time.perf_counter() - started
    alone = docs.sort("order")["text"].fill_null("").to_list()
    plain_trafilatura = config.model_copy(update={"extract": config.extract.model_copy(update={"recall_fallback": 0})})
    defaults = extracted(pages, plain_trafilatura, args.workers).sort("order")["text"].fill_null("").to_list()
    thresholds = ([float(t) for t in args.thresholds.split(",")] if args.thresholds
                  else [config.clean.model.threshold])
    print(f"WCXB development pages: {len(pages)} (CC-BY-4.0, Murrough Foley)")
    print(f"extraction {extract_seconds:.1f} s (cached after the first run)")
    page_thresholds = ([tuple(float(t) for t in pair.split("/")) for pair in args.page_thresholds.split(",")]
                       if args.page_thresholds else [(config.clean.page.threshold, config.clean.page.long_threshold)])
    for threshold in thresholds:
        for page_threshold, long_threshold in page_thresholds:
            run_config = config.model_copy(update={"clean": config.clean.model_copy(update={
                "model": config.clean.model.model_copy(update={"threshold": threshold}),
                "page": config.clean.page.model_copy(update={"threshold": page_threshold,
                                                             "long_threshold": long_threshold})})})
            report(pages, docs, {"trafilatura, its defaults": defaults, "trafilatura, prep's options": alone,
                                 "line oracle, prep's extraction": line_oracle(pages, alone)},
                   run_config, args)


def report(pages: list[Page], docs: pl.DataFrame, baselines: dict[str, list[str]], config: Config, args) -> None:
    from prep.training.page import RENDERERS, dump_documents, rendered

    dumps = {name: dump_documents(pages, rendered(pages, name, args.workers)) for name in RENDERERS}
    started = time.perf_counter()
    if args.cv:
        html_cleaned, plain_cleaned, labels, dump_lines = cross_validated(pages, docs, config, args.cv, args.seed,
                                                                           dumps)
        label = f"prep, {args.cv}-fold cross-validated"
    else:
        html_cleaned = clean(docs, config).sort("order")
        plain, labels = plain_documents(pages, args.seed)
        plain_cleaned = clean(plain, config)
        dump_lines = {name: cleaned_lines(dump_docs, config) for name, dump_docs in dumps.items()}
        label = "prep (extract + clean)"
    ours = html_cleaned["text"].to_list()
    seconds = time.perf_counter() - started
    print(f"\n== chrome model threshold {config.clean.model.threshold}, page model {config.clean.page.threshold} "
          f"(6+ words: {config.clean.page.long_threshold}) (text stages {seconds:.1f} s)")
    print("HTML path                         word P   word R   word F1   with found   without leaked")
    for name, texts in (*baselines.items(), (label, ours)):
        s = score_html(pages, texts)
        print(f"{name:<31} {s['precision']:8.3f} {s['recall']:8.3f} {s['f1']:9.3f} {s['with_found']:12.3f}"
              f" {s['without_leaked']:16.3f}")
    removals = html_removals(pages, html_cleaned)
    print("HTML lines removed by rule [chrome, article]:", removals)
    plain_figures, mistakes, misses = score_plain(plain_cleaned, labels)
    print_plain(plain_figures, mistakes, misses, args)
    hard = plain_difficulty(pages, labels)
    print(f"bare labels (1-4 words, no end mark): {hard['bare_chrome']} chrome lines, {hard['bare_article']} "
          f"article lines; pages alone on their site: {hard['pages_alone_on_site']} of {len(pages)}; "
          f"texts chrome on one page and article on another: {hard['texts_both_ways']}")
    rows = {}
    for name, lines in dump_lines.items():
        rows[f"page dump, {name}"] = score_dumps(pages, lines, config)
        print(f"page dump, {name}: lines removed by rule [chrome, article, not scored]:", rows[f"page dump, {name}"]
              ["by_rule"])
        for rule, kind, line in rows[f"page dump, {name}"]["mistakes"][:args.show_mistakes]:
            print(f"  [{rule}] ({kind}) {line[:150]}")
    plain_texts = [" ".join(line for line, _ in doc) for doc in labels]
    plain_f1 = [word_f1(text, pages_by_label(pages, args, i).main_content)[2]
                for i, text in enumerate(plain_cleaned.sort("order")["text"].to_list())]
    plain_raw = [word_f1(text, pages_by_label(pages, args, i).main_content)[2] for i, text in enumerate(plain_texts)]
    rows["light chrome (plain text)"] = {
        "chrome_recall": plain_figures["chrome_recall"], "article_loss": plain_figures["article_loss"],
        "f1": sum(plain_f1) / len(plain_f1), "f1_raw": sum(plain_raw) / len(plain_raw),
        "titles_kept": plain_figures["title_kept"], "merges": merged_pairs(plain_cleaned, config),
        "long_article": None}
    long_html = removals.get("chrome_model 6+ words", [0, 0])
    rows["HTML path (raw: trafilatura, prep's options)"] = {
        "chrome_recall": None, "article_loss": None, "f1": score_html(pages, ours)["f1"],
        "f1_raw": score_html(pages, baselines["trafilatura, prep's options"])["f1"], "titles_kept": None,
        "merges": merged_pairs(html_cleaned, config),
        "long_article": (long_html[1] / max(sum(long_html), 1), sum(long_html))}
    print_table(rows, label)
    if not args.cv:
        print(f"seeds: the article lines the model finds most chrome-like "
              f"(threshold {config.clean.model.threshold}):")
        for probability, line in seed_margin(config):
            print(f"  {probability:.3f}  {line[:100]}")
        first, first_labels = plain_documents(pages, args.seed, chrome_first=True)
        figures = score_plain(clean(first, config), first_labels)[0]
        print(f"the same with a chrome line before the title: title kept {figures['title_kept']:.3f}, "
              f"chrome-line recall {figures['chrome_recall']:.3f}, article-line loss {figures['article_loss']:.4f}")


def pages_by_label(pages: list[Page], args, i: int) -> Page:
    """The page of the i-th plain document (the cross-validated ones come fold by fold)."""
    if not args.cv:
        return pages[i]
    order = [p for fold in range(args.cv) for p in pages if fold_of(p, args.cv) == fold]
    return order[i]


def score_dumps(pages: list[Page], lines: pl.DataFrame, config: Config) -> dict:
    """The figures of one renderer's cleaned dumps (lines in page order, `rule` null when kept)."""
    from prep.training.labels import ARTICLE, CHROME
    from prep.training.page import dump_labels

    labels = dump_labels(pages, lines)
    removed = lines["rule"].is_not_null().to_numpy()
    words = lines["words"].to_numpy()
    chrome, article = labels == CHROME, labels == ARTICLE
    by_rule: dict[str, list[int]] = {}
    mistakes = []
    for rule, label, line in zip(lines["rule"].to_list(), labels.tolist(), lines["line"].to_list(), strict=True):
        if rule is not None:
            by_rule.setdefault(rule, [0, 0, 0])[{CHROME: 0, ARTICLE: 1}.get(label, 2)] += 1
            if label == ARTICLE:
                mistakes.append((rule, "article", line))
    frame = lines.select("order", "line", removed=pl.Series(removed), title=pl.Series(
        [squash(line) == squash(pages[o].title) and bool(pages[o].title)
         for o, line in zip(lines["order"].to_list(), lines["line"].to_list(), strict=True)]))
    per_doc = frame.group_by("order", maintain_order=True).agg(
        raw=pl.col("line").str.join("\n"), kept=pl.col("line").filter(~pl.col("removed")).str.join("\n"),
        has_title=pl.col("title").any(), title_kept=(pl.col("title") & ~pl.col("removed")).any())
    f1 = [word_f1(kept, pages[o].main_content)[2] for o, kept in zip(per_doc["order"], per_doc["kept"], strict=True)]
    raw = [word_f1(text, pages[o].main_content)[2] for o, text in zip(per_doc["order"], per_doc["raw"], strict=True)]
    titled = per_doc.filter(pl.col("has_title"))
    long = removed & (words >= 6)
    cleaned = per_doc.select("order", text="kept", drop_reason=pl.lit(None, dtype=pl.String))
    return {"chrome_recall": float(removed[chrome].mean()), "article_loss": float(removed[article].mean()),
            "f1": sum(f1) / len(f1), "f1_raw": sum(raw) / len(raw),
            "titles_kept": float(titled["title_kept"].mean()) if titled.height else float("nan"),
            "merges": merged_pairs(cleaned, config),
            "long_article": (float((labels[long] == ARTICLE).mean()) if long.any() else 0.0, int(long.sum())),
            "by_rule": dict(sorted(by_rule.items(), key=lambda kv: -kv[1][1])), "mistakes": mistakes}


def merged_pairs(cleaned: pl.DataFrame, config: Config) -> list[tuple[str, str]]:
    """The pairs of different documents dedup groups together when `cleaned` (order, text,
    drop_reason: its documents, one per page) is one run, each as the two texts' first lines."""
    import tempfile

    from prep.dedup.features import compute_features
    from prep.dedup.groups import group_documents
    from prep.dedup.store import ShardFeatures

    docs = (cleaned.filter(pl.col("drop_reason").is_null() & (pl.col("text").str.len_chars() > 0))
            .select(pl.col("order").cast(pl.Int64), doc_id=pl.col("order").cast(pl.String), text="text",
                    published=pl.lit(None, dtype=pl.String)))
    with tempfile.TemporaryDirectory() as tmp:
        shard = ShardFeatures.in_folder(Path(tmp), "all")
        shard.save(compute_features(docs, config.dedup))
        groups = group_documents([shard], config.dedup)
    first = dict(zip(docs["order"].to_list(), docs["text"].str.split("\n").list.first().to_list(), strict=True))
    pairs = []
    for members in groups.group_by("cluster_id").agg("order")["order"].to_list():
        members = sorted(members)
        pairs += [(first[a], first[b]) for i, a in enumerate(members) for b in members[i + 1:]]
    return sorted(pairs)


def print_table(rows: dict[str, dict], label: str) -> None:
    def cell(value, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    print(f"\n{label}: every shape")
    print(f"{'shape':<46} {'chrome rec':>10} {'art loss':>9} {'F1 kept':>8} {'F1 raw':>7} {'titles':>7} "
          f"{'merges':>6}  6+-word removals that are article")
    for name, f in rows.items():
        long = "-" if f["long_article"] is None else f"{f['long_article'][0]:.3f} of {f['long_article'][1]}"
        print(f"{name:<46} {cell(f['chrome_recall'], '10.3f')} {cell(f['article_loss'], '9.4f')} "
              f"{f['f1']:8.4f} {f['f1_raw']:7.4f} {cell(f['titles_kept'], '7.3f')} {len(f['merges']):6d}  {long}")
    for name, f in rows.items():
        for a, b in f["merges"]:
            print(f"  merged, {name}: {a[:70]!r} ~ {b[:70]!r}")


if __name__ == "__main__":
    main()
