"""The WCXB development pages (CC-BY-4.0, Murrough Foley) as training and benchmark input: the
pages, prep's extraction of their HTML, plain-text documents built from their ground truth, and
the word metric."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl

import prep.clean.extract.page as pages_module
from prep.clean.extract.records import extract
from prep.config import Config
from prep.schema import DOC_SCHEMA, RECORD_SCHEMA

# beside a clone of the repository, as the development machines have it
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "wcxb-dev-articles"
# what training and the benchmarks compute once and reuse: renders, extractions, fold models
CACHE = Path(__file__).resolve().parents[2] / "tests" / "benchmarks" / ".cache"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    file_id: str
    url: str
    html: str
    title: str
    main_content: str
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


def load_pages(data: Path, limit: int | None = None) -> list[Page]:
    """Pages with a ground-truth main_content (pages without one cannot be scored)."""
    pages = []
    for truth_path in sorted((data / "ground-truth").glob("*.json"))[:limit]:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        gt = truth["ground_truth"]
        if not gt.get("main_content"):
            continue
        html = gzip.decompress((data / "html" / f"{truth_path.stem}.html.gz").read_bytes()).decode("utf-8")
        pages.append(Page(truth_path.stem, truth.get("url") or "", html, gt.get("title") or "", gt["main_content"],
                          tuple(gt.get("with") or ()), tuple(gt.get("without") or ())))
    return pages


def word_f1(output: str, reference: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall, F1 (lowercase \\w+ tokens, counts clipped)."""
    out, ref = Counter(_WORD.findall(output.lower())), Counter(_WORD.findall(reference.lower()))
    overlap = sum((out & ref).values())
    if not out or not ref:
        return (float(out == ref),) * 3
    precision, recall = overlap / sum(out.values()), overlap / sum(ref.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def squash(text: str) -> str:
    """Lowercase with whitespace runs folded: how snippets are looked for in an output."""
    return " ".join(text.lower().split())


def _records(pages: list[Page], start: int) -> pl.DataFrame:
    rows = [{**{n: None for n in RECORD_SCHEMA.names()}, "doc_id": page.file_id,
             "source_path": f"wcxb/{page.file_id}", "source_index": 0, "source_format": "html",
             "source_sha256": "", "content": page.html, "kind": "html", "url": page.url, "order": start + i}
            for i, page in enumerate(pages)]
    return pl.DataFrame(rows, schema={**RECORD_SCHEMA, "order": pl.Int64})


def _extract_chunk(args: tuple[list[Page], int, str]) -> pl.DataFrame:
    pages, start, config_json = args
    config = Config.model_validate_json(config_json)
    return extract(_records(pages, start), config.extract, config.limits.extract_timeout_seconds).docs


def extracted(pages: list[Page], config: Config, workers: int) -> pl.DataFrame:
    """prep's extraction of every page (DOC_SCHEMA + text), cached per trafilatura version and options."""
    import trafilatura

    # the key holds what decides the text: trafilatura's version, prep's page parsing and options
    key = hashlib.sha256(f"{trafilatura.__version__}{Path(pages_module.__file__).read_text()}"
                         f"{config.extract.model_dump_json()}{[p.file_id for p in pages]}".encode()).hexdigest()[:16]
    cached = CACHE / f"extract-{key}.parquet"
    if cached.exists():
        return pl.read_parquet(cached)
    chunks = [(pages[i:i + 25], i, config.model_dump_json()) for i in range(0, len(pages), 25)]
    # a process pool whose workers may start the parser process of their own (not daemonic)
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        frame = pl.concat(pool.map(_extract_chunk, chunks))
    CACHE.mkdir(exist_ok=True)
    frame.write_parquet(cached)
    return frame


def host_of(page: Page) -> str:
    """The page's host without 'www.': its site, as a folder of that name would give it."""
    return (urlsplit(page.url).hostname or "").removeprefix("www.")


def text_documents(docs: list[tuple[str, str, str, str]]) -> pl.DataFrame:
    """Plain-text documents as the text stages take them (DOC_SCHEMA + text), numbered in order,
    from (doc_id, source_path, site, text)."""
    return pl.DataFrame([{**{n: None for n in DOC_SCHEMA.names()}, "order": order, "doc_id": doc_id,
                          "source_path": path, "source_index": 0, "source_format": "txt", "source_sha256": "",
                          "extractor": "text", "site": site, "text": text}
                         for order, (doc_id, path, site, text) in enumerate(docs)],
                        schema={**DOC_SCHEMA, "text": pl.String})


def plain_documents(pages: list[Page], seed: int,
                    chrome_first: bool = False) -> tuple[pl.DataFrame, list[list[tuple[str, str]]]]:
    """Title line + article lines with the page's `without` snippets inserted at random places.

    With `chrome_first`, one of the snippets goes before the title instead, as in scraped text
    files that open with a menu or a breadcrumb. Returns the documents and, per document, its
    lines labelled 'title', 'article' or 'chrome'.
    """
    rng = random.Random(seed)
    rows, labels = [], []
    for page in pages:
        article = [" ".join(line.split()) for line in page.main_content.splitlines() if line.strip()]
        body = squash(page.main_content)
        chrome = [" ".join(s.split()) for s in page.without_snippets if s.strip() and squash(s) not in body]
        lines = [(line, "article") for line in article]
        for snippet in chrome:
            lines.insert(rng.randint(0, len(lines)), (snippet, "chrome"))
        title = " ".join(page.title.split())
        if title:
            lines.insert(0, (title, "title"))
        if chrome_first and chrome and title:
            lines.remove((chrome[0], "chrome"))
            lines.insert(0, (chrome[0], "chrome"))
        labels.append(lines)
        host = host_of(page)
        text = "\n\n".join(line for line, _ in lines)
        rows.append((page.file_id, f"{host}/{page.file_id}.txt", f"folder:{host}", text))
    return text_documents(rows), labels
