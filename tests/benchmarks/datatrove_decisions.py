"""datatrove's decisions on documents, run inside a separate environment that has datatrove.

    /tmp/dt/bin/python tests/benchmarks/datatrove_decisions.py DOCS.jsonl OUT.jsonl

Called by filter_agreement.py (datatrove is not a dependency of prep). Reads {"id", "text"} lines,
writes one line per document: {"id", "<filter>": reason or null (null: kept), "seconds": {...}}
for GopherQualityFilter, GopherRepetitionFilter, C4QualityFilter and FineWebQualityFilter with
their default (published) settings. Each filter sees the original text: in a datatrove pipeline
C4QualityFilter also rewrites the text for the filters after it, which prep does not do.
Imports nothing from prep.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    filters = {"gopher_quality": GopherQualityFilter(), "gopher_repetition": GopherRepetitionFilter(),
               "c4": C4QualityFilter(), "fineweb": FineWebQualityFilter()}
    seconds = dict.fromkeys(filters, 0.0)
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            row = {"id": record["id"]}
            for name, step in filters.items():
                started = time.perf_counter()
                try:
                    verdict = step.filter(Document(text=record["text"], id=record["id"]))
                except ZeroDivisionError:
                    verdict = (False, "ZeroDivisionError")
                seconds[name] += time.perf_counter() - started
                if verdict is True:
                    row[name] = None
                elif isinstance(verdict, tuple):
                    row[name] = verdict[1]
                else:
                    row[name] = "dropped" if not verdict else None
            out.write(json.dumps(row) + "\n")
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
