"""Per-document limits: bytes read per record, extraction time, text length kept.

A hung extraction is cut off wherever it runs (the CLI's own process, a thread that is not the
main one, and pool workers: see the slow pages of tests/behaviour/test_bad_input.py), also when it is stuck
in C code, and the run goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from prep.clean.extract.records import extract
from prep.clean.extract.sandbox import CallFailed, CallTimeout, ChildDied, IsolatedWorker
from prep.config import Config
from prep.schema import RECORD_SCHEMA
from tests import badinputs as bad
from tests.conftest import alive, read_table, run_prep, with_detail


def html_records(*pages: str) -> pl.DataFrame:
    rows = [{name: None for name in RECORD_SCHEMA.names()} | {
        "doc_id": str(i), "source_path": f"in/{i}.html", "source_index": 0, "source_format": "html",
        "source_sha256": "0" * 64, "content": page, "kind": "html", "order": i} for i, page in enumerate(pages)]
    return pl.DataFrame(rows, schema={**RECORD_SCHEMA, "order": pl.Int64})


def timeout_config(seconds: float) -> Config:
    return Config.model_validate({"limits": {"extract_timeout_seconds": seconds}})


def extract_timed(records: pl.DataFrame, config: Config) -> tuple[pl.DataFrame, float]:
    start = time.monotonic()
    docs = extract(records, config.extract, config.limits.extract_timeout_seconds).docs
    return docs, time.monotonic() - start


def test_a_hung_page_is_cut_off_in_process_and_the_next_page_is_extracted():
    docs, took = extract_timed(html_records(bad.slow_html(), bad.page(bad.story(1))), timeout_config(1.0))
    assert docs["drop_reason"].to_list() == ["extract_timeout: over 1 s", None]
    assert bad.story(1) in docs["text"][1]
    assert took < 15  # trafilatura alone needs far longer for the slow page


def test_the_time_limit_also_holds_outside_the_main_thread():
    found: list = []
    worker = threading.Thread(target=lambda: found.append(
        extract_timed(html_records(bad.slow_html()), timeout_config(1.0))))
    worker.start()
    worker.join(timeout=60)
    assert found, "extraction in a thread was not cut off"
    docs, took = found[0]
    assert docs["drop_reason"].to_list() == ["extract_timeout: over 1 s"] and took < 15


def test_a_call_stuck_in_c_code_is_killed_and_the_worker_starts_afresh():
    worker = IsolatedWorker()
    try:
        first = worker.call(os.getpid, timeout=60)
        start = time.monotonic()
        with pytest.raises(CallTimeout, match="over 0.5 s"):  # hashing in C never returns to Python
            worker.call(hashlib.pbkdf2_hmac, "sha256", b"secret", b"salt", 2**31 - 1, timeout=0.5)
        assert time.monotonic() - start < 5
        assert not alive(first)
        assert worker.call(os.getpid, timeout=60) not in (first, None)
    finally:
        worker.close()


def test_a_crash_in_the_worker_costs_one_call():
    worker = IsolatedWorker()
    try:
        with pytest.raises(ChildDied, match="killed by SIGABRT"):
            worker.call(os.abort, timeout=60)
        with pytest.raises(CallFailed, match="ValueError: invalid literal"):
            worker.call(int, "not a number", timeout=60)
        assert worker.call(sum, [1, 2, 3], timeout=60) == 6
        idle = worker.call(os.getpid, timeout=60)
        os.kill(idle, signal.SIGKILL)  # dies between calls (the OOM killer, say): no call is lost
        while _running(idle):
            time.sleep(0.01)
        assert worker.call(os.getpid, timeout=60) != idle
    finally:
        worker.close()


def test_a_worker_started_ahead_serves_its_first_call_from_the_same_process():
    worker = IsolatedWorker()
    try:
        worker.start()  # returns at once: the child is still starting
        started = worker.pid
        assert started is not None
        worker.start()  # a second start is no second child
        assert worker.pid == started
        assert worker.call(os.getpid, timeout=60) == started
    finally:
        worker.close()


def test_a_worker_that_dies_while_starting_is_replaced_at_the_first_call():
    worker = IsolatedWorker()
    try:
        worker.start()
        doomed = worker.pid
        os.kill(doomed, signal.SIGKILL)
        while _running(doomed):
            time.sleep(0.01)
        assert worker.call(os.getpid, timeout=60) not in (doomed, None)
    finally:
        worker.close()


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped: some thread of it is not a zombie yet (a
    killed process's main thread can show as one while its other threads are still going)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return any((task / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z" for task in tasks)
    except FileNotFoundError:
        return False


def test_records_over_max_record_bytes_are_dropped_in_every_format_and_long_texts_are_cut(tmp_path: Path):
    limit = 3000
    d = tmp_path / "in"
    d.mkdir()
    small, big = bad.story(1), " ".join(bad.story(i) for i in range(2, 12))
    assert len(big.encode()) > limit > len(small.encode()) * 2
    (d / "big.txt").write_text(big)
    (d / "big.html").write_text(bad.page(big))
    with gzip.open(d / "big.txt.gz", "wt") as stream:
        stream.write(big)
    bad.jsonl(d / "lines.jsonl", [{"text": small}, {"text": big}, {"text": bad.story(13)}])
    pl.DataFrame({"text": [big, bad.story(14)]}).write_parquet(d / "rows.parquet")
    long_lines = "\n\n".join(bad.story(20 + i)[:400] for i in range(6))  # ~2400 chars in six lines
    (d / "long.txt").write_text(long_lines)
    (tmp_path / "c.toml").write_text(f"[limits]\nmax_record_bytes = {limit}\nmax_text_chars = 1000\n")
    result = run_prep("run", "in", "--out", "out", "-c", "c.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    dropped = with_detail(read_table(tmp_path / "out", "dropped"))
    too_large = dict(dropped.filter(pl.col("drop_reason").str.starts_with("too_large"))
                     .select(pl.format("{}#{}", "source_path", "source_index"), "drop_reason").iter_rows())
    reason = f"too_large: record exceeds max_record_bytes ({limit})"
    assert too_large == {"in/big.txt#0": reason, "in/big.html#0": reason, "in/big.txt.gz#0": reason,
                         "in/lines.jsonl#1": reason, "in/rows.parquet#0": reason}
    corpus = read_table(tmp_path / "out", "corpus")
    assert corpus.height == 4  # small, story 13, story 14 and long.txt, which is cut
    cut = corpus.filter(pl.col("source_path") == "in/long.txt").row(0, named=True)
    assert 600 < len(cut["text"]) <= 1000
    assert {r["rule"] for r in cut["removed"]} == {"max_text_chars"}
    # the line crossing the limit is cut at a space: nothing is lost, every word is in order
    assert (cut["text"] + " " + " ".join(r["line"] for r in cut["removed"])).split() == long_lines.split()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["records_read"] == corpus.height + dropped.height == 9


def test_the_time_trafilatura_takes_is_counted_page_by_page():
    """A hung page counts its whole time limit; a page extracted counts the time it took."""
    records = html_records(bad.slow_html(), bad.page(bad.story(2)))
    cut_off = extract(records, timeout_config(1.0).extract, 1.0)
    assert cut_off.pages == 2
    assert 1.0 < cut_off.trafilatura_seconds < 10
    assert 0 < extract(records.slice(1), timeout_config(1.0).extract, 1.0).trafilatura_seconds < 1.0
