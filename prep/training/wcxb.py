"""The WCXB development pages (CC-BY-4.0, Murrough Foley) as benchmark input, and its metric."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# beside a clone of the repository, as the development machines have it
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "wcxb-dev-articles"
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
