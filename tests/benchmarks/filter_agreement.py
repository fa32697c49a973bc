"""Agreement of prep's quality filters with datatrove's on the same documents.

    python -m venv /tmp/dt && /tmp/dt/bin/pip install datatrove spacy
    python tests/benchmarks/filter_agreement.py --datatrove-python /tmp/dt/bin/python
                                                [--data DIR] [--docs 5000] [--show 5]

datatrove (https://github.com/huggingface/datatrove) is not a dependency of prep: it runs in the
separate environment given by --datatrove-python (its English word tokenizer needs spaCy, which
datatrove's `multilingual` extra would bring with far more; `pip install datatrove spacy` is enough).
There, tests/benchmarks/datatrove_decisions.py applies GopherQualityFilter, GopherRepetitionFilter,
C4QualityFilter and FineWebQualityFilter, each with its default (published) settings, to:
- the speed corpus (tests/benchmarks/news_corpus.py, the first --docs documents),
- the WCXB development pages (CC-BY-4.0, Murrough Foley) as trafilatura extracts them with prep's
  options (cached by clean_bench.py),
- the seed articles (seeds/) and the issue's junk files and Russian article (tests/filter/junk.py);
and prep's filters (prep/filter/quality.py, every rule of the filter on (ALL_RULES, not only the
default ones), every language judged by every rule, as
datatrove judges every document as English) decide on the same texts. Printed per filter and
corpus: the share of documents on which the two decide the same, then the disagreements (the
--show first of each kind) with datatrove's reason and prep's detail. docs/filters.md explains
each remaining one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prep.config import QualityConfig  # noqa: E402
from prep.filter.quality import ALL_RULES, FILTERS, quality  # noqa: E402
from prep.filter.signals import signals  # noqa: E402
from prep.training.wcxb import DEFAULT_DATA  # noqa: E402

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SEEDS = HERE.parents[1] / "seeds"


def corpora(data: Path, docs: int) -> pl.DataFrame:
    """id, corpus, text of every document compared."""
    from tests.filter.junk import RUSSIAN_ARTICLE, junk_texts

    news = pl.read_ndjson(news_corpus(data, docs), n_rows=docs).select(
        pl.col("id"), pl.lit("speed corpus").alias("corpus"), "text")
    parts = [news, dev_pages(data).select(pl.format("wcxb-{}", "doc_id").alias("id"),
                                          pl.lit("WCXB dev pages").alias("corpus"), pl.col("text").fill_null(""))]
    small = [(f"seed-{p.stem}", "seeds", p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    small += [(f"junk-{name}", "junk files", text) for name, text in junk_texts().items()]
    small += [("russian-article", "junk files", RUSSIAN_ARTICLE)]
    parts.append(pl.DataFrame(small, schema=["id", "corpus", "text"], orient="row"))
    return pl.concat(parts)


def news_corpus(data: Path, docs: int) -> Path:
    """The speed corpus of speed_bench.py (news_corpus.py) with at least `docs` documents: its
    cached file of 5,000 or of 100,000 documents (made on first use, as speed_bench.py makes it)."""
    import json

    from tests.benchmarks.news_corpus import write_corpus

    size = 5000 if docs <= 5000 else 100_000
    path = CACHE / f"news-{size}.jsonl"
    meta = path.with_suffix(".json")
    if not path.exists() or not meta.exists():
        text_bytes = write_corpus(data, size, path)
        meta.write_text(json.dumps({"docs": size, "text_bytes": text_bytes}))
    return path


def dev_pages(data: Path) -> pl.DataFrame:
    """trafilatura's text of each WCXB development page, with prep's extraction options (clean_bench's cache)."""
    from prep.config import Config
    from prep.training.wcxb import extracted, load_pages

    return extracted(load_pages(data), Config(), 2).sort("order")


def datatrove_decisions(python: str, docs: pl.DataFrame) -> tuple[pl.DataFrame, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "docs.jsonl", Path(tmp) / "decisions.jsonl"
        docs.select("id", "text").write_ndjson(source)
        run = subprocess.run([python, str(HERE / "datatrove_decisions.py"), str(source), str(target)],
                             capture_output=True, text=True)
        if run.returncode:
            sys.exit(f"datatrove failed:\n{run.stderr[-3000:]}")
        timing = json.loads(run.stdout.strip().splitlines()[-1])
        decisions = pl.read_ndjson(target, schema={"id": pl.String, **{f: pl.String for f in FILTERS}})
    return decisions, timing


def prep_decisions(docs: pl.DataFrame) -> tuple[pl.DataFrame, float]:
    """Per filter, prep's drop detail (null: kept), each filter alone with every rule on."""
    started = time.perf_counter()
    measured = signals(docs.select("id", "text"))
    seconds = time.perf_counter() - started
    out = measured.select("id")
    for name in FILTERS:
        default = QualityConfig()
        section = QualityConfig(languages=["*"], **{
            family: getattr(default, family).model_copy(update={"enabled": family == name, "rules": ALL_RULES[family]})
            for family in FILTERS})
        judged = quality(measured, section)
        out = out.with_columns(judged["drop_detail"].alias(name))
    return out, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datatrove-python", required=True, help="python of an environment with datatrove")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--docs", type=int, default=5000, help="documents of the speed corpus")
    parser.add_argument("--show", type=int, default=5, help="disagreements printed per filter and direction")
    args = parser.parse_args()
    docs = corpora(args.data, args.docs)
    theirs, timing = datatrove_decisions(args.datatrove_python, docs)
    ours, our_seconds = prep_decisions(docs)
    both = docs.join(theirs, on="id").join(ours, on="id", suffix="_prep")
    sizes = ", ".join(f"{c} {n:,}" for c, n in docs["corpus"].value_counts(sort=True).iter_rows())
    print(f"documents: {docs.height:,} ({sizes})")
    print(f"time: datatrove {sum(timing['seconds'].values()):.1f} s for the four filters; prep's signals "
          f"{our_seconds:.2f} s (all four filters' measures at once)")
    print(f"{'filter':<18} {'corpus':<16} {'docs':>6} {'same':>8}  dropped by datatrove / prep / both")
    for name in FILTERS:
        for corpus_name, part in [("all", both), *both.group_by("corpus", maintain_order=True)]:
            label = corpus_name if isinstance(corpus_name, str) else corpus_name[0]
            theirs_drop = part[name].is_not_null()
            ours_drop = part[f"{name}_prep"].is_not_null()
            same = (theirs_drop == ours_drop).mean()
            print(f"{name:<18} {label:<16} {part.height:>6} {same:>8.2%}  {theirs_drop.sum()} / {ours_drop.sum()} / "
                  f"{(theirs_drop & ours_drop).sum()}")
    for name in FILTERS:
        differ = both.filter(pl.col(name).is_not_null() != pl.col(f"{name}_prep").is_not_null())
        if differ.height:
            print(f"\n{name}: {differ.height} disagreements")
        for row in differ.head(args.show * 4).iter_rows(named=True):
            print(f"  {row['id']:<28} datatrove: {row[name] or 'kept':<28} prep: {row[f'{name}_prep'] or 'kept'}")


if __name__ == "__main__":
    main()
