"""Property: whatever bytes and JSON lines come in, a run finishes and every record and file is accounted for.

The pipeline runs in this process (the CLI around it is tested elsewhere) so that many random
inputs fit in a few seconds.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prep.config import Config
from prep.run.pipeline import run

NAMES = ["a.txt", "b.html", "c.jsonl", "d.txt.gz", "e.jsonl.gz", "f.htm"]
CONFIG = Config.model_validate({"run": {"workers": 1, "shard_records": 3},
                                "limits": {"max_record_bytes": 4000, "extract_timeout_seconds": 20}})

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6)
records = st.fixed_dictionaries({}, optional={
    "text": st.text(max_size=300) | json_values, "html": st.text(max_size=300).map(lambda t: f"<p>{t}</p>"),
    "id": json_values, "url": json_values, "title": json_values, "published": json_values})
lines = st.one_of(
    records.map(json.dumps),
    st.text(max_size=60),                                            # not JSON
    st.sampled_from(['{"text": "\\ud800 lone"}', '{"text": 1e999}', "[" * 3000, "{}", "null", "   "]),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")))
files = st.dictionaries(
    st.sampled_from(NAMES),
    st.one_of(st.binary(max_size=5000),
              st.lists(lines, max_size=8).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass"))),
    min_size=1, max_size=4)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(files=files)
def test_any_input_runs_to_completion_and_conserves_records_and_files(tmp_path: Path, files: dict[str, bytes]):
    root = tmp_path / "case"
    shutil.rmtree(root, ignore_errors=True)
    (root / "in").mkdir(parents=True)
    for name, data in files.items():
        (root / "in" / name).write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    result = run(CONFIG, [root / "in"], root / "out")
    counts = result.manifest["counts"]
    corpus = pl.read_parquet(root / "out" / "corpus" / "*.parquet")
    dropped = pl.read_parquet(root / "out" / "dropped" / "*.parquet")
    assert counts["records_read"] == counts["kept"] + counts["dropped"] == corpus.height + dropped.height
    assert dropped["drop_reason"].null_count() == 0
    assert counts["files_seen"] == counts["files_read"] + counts["file_errors"] == len(files)
    one_document = sum(not name.endswith((".jsonl", ".jsonl.gz")) for name in files)
    assert corpus.height + dropped.height >= one_document
    ids = pl.concat([corpus["doc_id"], dropped["doc_id"]])
    assert ids.n_unique() == ids.len()
