"""Which quality rules to switch on by default: what each would drop of real articles and of junk.

    python tests/benchmarks/filter_defaults.py [--data DIR] [--docs 5000] [--show 40]

Every rule of prep/filter/quality.py, alone and at its published threshold, judges:
- the WCXB development pages (CC-BY-4.0, Murrough Foley), each a real page with its article, as a
  run sees them: trafilatura's extraction with prep's options, then prep's text stages (the
  extraction is cached by clean_bench.py);
- the two seed articles (seeds/);
- the speed corpus (news_corpus.py, the first --docs documents);
- the issue's junk files and Russian article (tests/filter/junk.py).
Documents are judged as a run would with the default [language] and [quality] sections (the
language stage first: rules tuned on English judge only English). Printed: per rule, the documents
it drops in each set; then, with the defaults, every development page dropped, with the rule and
the page's opening words, to check by eye that it is not an article.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prep.config import LanguageConfig, QualityConfig  # noqa: E402
from prep.filter.language import language  # noqa: E402
from prep.filter.quality import FILTERS, RULES, quality  # noqa: E402
from prep.filter.signals import signals  # noqa: E402
from prep.training.wcxb import DEFAULT_DATA  # noqa: E402

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def documents(data: Path, docs: int) -> pl.DataFrame:
    """set, id, text."""
    from prep.config import Config
    from prep.training.wcxb import extracted, load_pages
    from tests.benchmarks.clean_bench import clean
    from tests.benchmarks.filter_agreement import news_corpus
    from tests.filter.junk import RUSSIAN_ARTICLE, junk_texts

    pages = load_pages(data)
    cleaned = clean(extracted(pages, Config(), 2), Config()).sort("order")
    parts = [cleaned.select(pl.lit("WCXB dev pages").alias("set"), pl.col("doc_id").alias("id"),
                            pl.col("text").fill_null(""))]
    small = [("seeds", p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    small += [("junk", name, text) for name, text in junk_texts().items()] + [("junk", "russian", RUSSIAN_ARTICLE)]
    parts.append(pl.DataFrame(small, schema=["set", "id", "text"], orient="row"))
    path = news_corpus(data, docs)
    parts.append(pl.read_ndjson(path, n_rows=docs).select(pl.lit("speed corpus").alias("set"), "id", "text"))
    return pl.concat(parts)


def only(rule_index: int) -> QualityConfig:
    """One rule on (at its published threshold), every other rule off."""
    rule = RULES[rule_index]
    default = QualityConfig()
    return QualityConfig(**{family: getattr(default, family).model_copy(
        update={"enabled": True, "rules": [rule.setting] if family == rule.filter else []}) for family in FILTERS})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--show", type=int, default=40)
    args = parser.parse_args()
    docs = language(documents(args.data, args.docs), LanguageConfig())
    measured = signals(docs)
    sets = measured["set"].unique(maintain_order=True).to_list()
    sizes = dict(measured["set"].value_counts().iter_rows())
    print(f"documents judged as in a run: {', '.join(f'{s} {sizes[s]}' for s in sets)}")
    print("languages of the development pages:",
          dict(measured.filter(pl.col("set") == "WCXB dev pages")["language"].value_counts(sort=True).head(8)
               .iter_rows()))
    print(f"\n{'rule (alone, published threshold)':<58}" + "".join(f"{s:>16}" for s in sets))
    for i, rule in enumerate(RULES):
        judged = quality(measured, only(i))
        dropped = judged.group_by("set").agg(pl.col("drop_reason").eq("quality").sum())
        counts = dict(dropped.iter_rows())
        scope = " (English only)" if rule.english else ""
        print(f"{rule.filter + ': ' + rule.setting + scope:<58}" + "".join(f"{counts.get(s, 0):>16}" for s in sets))
    defaults = quality(measured, QualityConfig())
    counts = dict(defaults.group_by("set").agg(pl.col("drop_reason").eq("quality").sum()).iter_rows())
    print(f"{'the defaults (docs/filters.md)':<58}" + "".join(f"{counts.get(s, 0):>16}" for s in sets))
    dropped = defaults.filter((pl.col("set") != "speed corpus") & (pl.col("drop_reason") == "quality"))
    print(f"\ndropped with the defaults, outside the speed corpus ({dropped.height}):")
    for row in dropped.head(args.show).iter_rows(named=True):
        opening = " ".join(row["text"].split())[:90]
        print(f"  {row['set']:<15} {row['id'][:18]:<18} {row['drop_detail']:<55} {opening}")


if __name__ == "__main__":
    main()
