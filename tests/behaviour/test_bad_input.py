"""The catalogue of bad inputs, through the real CLI.

Each case ends in exactly one clear place: kept (decoded correctly), in dropped/ with a precise
drop_reason, or, when no record can be formed, in the manifest's errors (or ignored/aliases) with
the reason. Records read = kept + dropped, and files seen = files read + files in errors.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests import badinputs as bad
from tests.conftest import read_table, run_prep, with_detail
from tests.warcs import Capture, Warc, append_bomb, member_starts

GERMAN, FRENCH, story = bad.GERMAN, bad.FRENCH, bad.story
GOOD_TEXT = f"{story(0)}\n\n{GERMAN}"
TIMEOUT = 2.0  # seconds of extraction a page may take
Expect = tuple[str, str]  # ("kept", text it must contain) or ("dropped", regex the reason matches)


def build_catalogue(root: Path) -> tuple[dict[tuple[str, int], Expect], dict[str, str]]:
    """Write every bad input under root/in; return what each record and each unread file must become."""
    d = root / "in"
    d.mkdir(parents=True)
    records: dict[tuple[str, int], Expect] = {}
    files: dict[str, str] = {}  # source path -> where it must be listed: "errors: <regex>", "ignored", "alias"

    def one(name: str, data: bytes | str, expect: Expect) -> None:
        path = d / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        records[(f"in/{name}", 0)] = expect

    # encodings
    damaged = f"{GERMAN} {GERMAN}".encode() + b" \xff\xfe " + f"{GERMAN} {story(1)}".encode()
    one("invalid_utf8.txt", damaged, ("kept", f"{GERMAN} {GERMAN} \ufffd\ufffd {GERMAN}"))
    one("utf16_bom.txt", f"{GERMAN}\n\n{story(2)}".encode("utf-16"), ("kept", GERMAN))
    one("utf16_bom.html", bad.page(f"{GERMAN} {story(3)}").encode("utf-16"), ("kept", GERMAN))
    one("latin1.txt", f"{FRENCH} {story(4)}".encode("latin-1"), ("kept", FRENCH))
    one("latin1_undeclared.html", bad.page(f"{FRENCH} {story(5)}").encode("latin-1"), ("kept", FRENCH))
    one("binary.txt", bytes(range(256)) * 40, ("dropped", r"^unreadable: binary content \(NUL bytes"))
    one("binary.html", bytes(range(1, 32)) * 300, ("dropped", r"^unreadable: binary content"))
    # nothing in it
    one("empty.txt", b"", ("dropped", r"^empty$"))
    one("blank.txt", " \n\t\n  \r\n", ("dropped", r"^empty$"))
    one("empty.html", b"", ("dropped", r"^empty$"))
    one("empty.txt.gz", b"", ("dropped", r"^empty$"))
    (d / "empty.jsonl").write_bytes(b"")  # a file with no record: read, 0 records
    # too big, too deep, bombs
    one("huge.html", bad.big_html(50 << 20), ("dropped", r"^too_large: record exceeds max_record_bytes \(50000000\)$"))
    one("deep.html", bad.deep_html(),
        ("dropped", r"^extract_failed: HTML parser limit: Excessive depth in document: 256$"))
    for name in ("slow_a.html", "slow_b.html"):  # hung pages, cut off in the pool workers
        one(name, bad.slow_html(), ("dropped", rf"^extract_timeout: over {TIMEOUT:g} s$"))
    one("entity_bomb.html", bad.entity_bomb(story(6)), ("kept", story(6)))
    one("xml_entity_bomb.html", '<?xml version="1.0"?>\n' + bad.entity_bomb(story(7)), ("kept", story(7)))
    bad.gzip_bomb(d / "bomb.txt.gz")
    records[("in/bomb.txt.gz", 0)] = ("dropped", r"^unreadable: gzip bomb: \d+ bytes inflated from \d+, over max_compr")
    bad.gzip_bomb(d / "bomb.jsonl.gz", prefix=(json.dumps({"text": story(8)}) + "\n").encode(), fill=b"a")
    records[("in/bomb.jsonl.gz", 0)] = ("kept", story(8))
    records[("in/bomb.jsonl.gz", 1)] = ("dropped", r"^unreadable: gzip bomb: .* at byte \d+$")
    bad.truncated_gzip(d / "truncated.txt.gz", (bad.GOOD + "\n").encode() * 2000)
    records[("in/truncated.txt.gz", 0)] = ("dropped", r"^unreadable: truncated gzip at byte [1-9]\d*$")
    bad.truncated_gzip(d / "truncated.jsonl.gz", "".join(json.dumps({"text": bad.story(i)}) + "\n"
                                                          for i in range(20, 32)).encode())
    # JSONL with broken lines and bad fields
    bad.jsonl(d / "broken.jsonl", [
        {"text": story(9), "id": "a"},
        "{not json",
        "[1, 2, 3]",
        {"text": 42},
        {"text": {"nested": "object"}},
        {"title": "no text field"},
        {"text": None},
        '{"text": "lone \\ud800 surrogate: ' + story(10) + '"}',

        "[" * 100_000 + "]" * 100_000,
        '{"text": "x", "id": ' + "7" * 5000 + "}",
        "",  # blank lines are not records
        {"html": bad.page(f"{FRENCH} {story(11)}"), "url": "https://news.example/a"},
    ])
    for index, expect in enumerate([
        ("kept", story(9)),
        ("dropped", r"^unreadable: invalid JSON \("),
        ("dropped", r"^unreadable: a JSON list, not an object$"),
        ("dropped", r"^unreadable: field 'text' is a int, not a string$"),
        ("dropped", r"^unreadable: field 'text' is a dict, not a string$"),
        ("dropped", r"^unreadable: no 'html' or 'text' field$"),
        ("dropped", r"^unreadable: no 'html' or 'text' field$"),
        ("kept", "lone \ufffd surrogate"),
        ("dropped", r"^unreadable: invalid JSON \(nested too deeply\)$"),
        ("dropped", r"^unreadable: invalid JSON \(Exceeds the limit \(4300 digits\)"),
        ("kept", FRENCH),
    ]):
        records[("in/broken.jsonl", index)] = expect
    # a first line nested too deeply (planning reads the first record) costs that record only
    bad.jsonl(d / "deep_first.jsonl", ["[" * 100_000 + "]" * 100_000, {"text": story(16)}])
    records[("in/deep_first.jsonl", 0)] = ("dropped", r"^unreadable: invalid JSON \(nested too deeply\)$")
    records[("in/deep_first.jsonl", 1)] = ("kept", story(16))
    # names that are not UTF-8 or hold control characters: stored escaped, losslessly
    for raw, escaped, i in ((b"bad\xff\xfe.txt", "bad\\xff\\xfe.txt", 17),
                            (b"osc\x1b]0;title\x07.txt", "osc\\x1b]0;title\\x07.txt", 18)):
        (d / os.fsdecode(raw)).write_text(story(i))
        records[(f"in/{escaped}", 0)] = ("kept", story(i))
    # terminal escape sequences (OSC: a window title, a hyperlink) go whole from text, title and id
    bad.jsonl(d / "osc.jsonl", [{"text": f"{story(19)} \x1b]0;payload\x07Visible \x1b]8;;https://payload.example/\x1b\\end.",
                                 "title": "Quay\x1b]2;payload\x1b\\ Plan", "id": "id\x1b]0;payload\x07-19"}])
    records[("in/osc.jsonl", 0)] = ("kept", f"{story(19)} Visible end.")
    # duplicate ids: both records kept with their own doc_id; an exact copy of a text is a duplicate
    bad.jsonl(d / "dup_ids.jsonl", [{"id": "same", "text": story(12)},
                                    {"id": "same", "text": story(13)},
                                    {"id": "other", "text": story(12)}])
    records[("in/dup_ids.jsonl", 1)] = ("kept", story(13))  # 0 and 2: see test_duplicate_ids
    # Parquet
    pl.DataFrame({"body": [story(14)]}).write_parquet(d / "no_column.parquet")
    files["in/no_column.parquet"] = r"errors: no column 'html' or 'text' \(columns: body\)"
    pl.DataFrame({"text": [1, 2]}).write_parquet(d / "int_column.parquet")
    records[("in/int_column.parquet", 0)] = ("dropped", r"^unreadable: field 'text' is a int, not a string$")
    records[("in/int_column.parquet", 1)] = ("dropped", r"^unreadable: field 'text' is a int, not a string$")
    (d / "not_parquet.parquet").write_bytes(b"PAR1 this is no parquet file")
    files["in/not_parquet.parquet"] = r"errors: cannot read parquet"
    bad.parquet_with_corrupt_data(d / "corrupt.parquet", rows=50)
    for index in range(50):
        records[("in/corrupt.parquet", index)] = ("dropped", r"^unreadable: corrupt Parquet row group 0 \(")
    bad.parquet_with_a_corrupt_row_group(d / "row_groups.parquet", rows=30, group=10, damaged=1, first_story=1000)
    for index in range(30):  # the damaged group's rows only, whatever the shard size
        records[("in/row_groups.parquet", index)] = (("dropped", r"^unreadable: corrupt Parquet row group 1 \(")
                                                     if 10 <= index < 20 else ("kept", story(1000 + index)))
    # WARC: the records before a break are read, the break is dropped where it is
    crawl = Warc()
    for i in (40, 41, 42):  # request 0, response 1, request 2, response 3, ...
        crawl.capture(Capture(f"https://daily.example/{i}", bad.page(story(i)).encode()))
    (d / "cut.warc.gz").write_bytes(crawl.bytes()[:-100])
    records[("in/cut.warc.gz", 1)] = ("kept", story(40))
    records[("in/cut.warc.gz", 3)] = ("kept", story(41))
    records[("in/cut.warc.gz", 5)] = ("dropped", r"^unreadable: truncated gzip \(member at byte [1-9]\d*\)$")
    Warc().capture(Capture("https://daily.example/43", bad.page(story(43)).encode())).save(d / "bomb.warc.gz")
    append_bomb(d / "bomb.warc.gz", megabytes=64)
    records[("in/bomb.warc.gz", 1)] = ("kept", story(43))
    records[("in/bomb.warc.gz", 2)] = ("dropped", r"^unreadable: gzip bomb: \d+ bytes inflated from \d+, over max_")
    # a gzip member that breaks before it gives a byte: its own record is the one dropped
    for name, first in (("cut_member.warc.gz", 44), ("zeroed_member.warc.gz", 47)):
        members = Warc()
        for i in range(first, first + 3):
            members.capture(Capture(f"https://daily.example/{i}", bad.page(story(i)).encode(), request=False))
        data, starts = bytearray(members.bytes()), member_starts(members.bytes())
        if name == "cut_member.warc.gz":  # the last member cut to 20 bytes
            broken, reason = 2, "truncated gzip"
            data = data[:starts[2] + 20]
        else:  # zeros inside member 2
            broken, reason = 1, "corrupt gzip .*"
            data[starts[1] + 30:starts[1] + 200] = bytes(170)
        (d / name).write_bytes(bytes(data))
        for index in range(broken):
            records[(f"in/{name}", index)] = ("kept", story(first + index))
        records[(f"in/{name}", broken)] = ("dropped", rf"^unreadable: {reason} ?\(member at byte {starts[broken]}\)$")
    one("twice.warc.gz", gzip.compress(crawl.bytes()),
        ("dropped", r"^unreadable: gzip inside gzip: a WARC file is gzipped once$"))
    (d / "notes.warc").write_text("Notes about the crawl, not a WARC file.\n")
    files["in/notes.warc"] = r"errors: not a WARC or ARC file \(Invalid WARC record, first line: Notes about"
    # paths that are not plain files
    os.symlink(".", d / "loop")
    files["in/loop"] = "alias: in"  # a folder reached twice, as a file reached twice, loses nothing
    os.symlink("folder.html", d / "latest")
    files["in/latest"] = "alias: in/folder.html"
    os.symlink("self_loop.txt", d / "self_loop.txt")
    files["in/self_loop.txt"] = r"errors: symlink loop"
    os.symlink("nowhere.txt", d / "dangling.txt")
    files["in/dangling.txt"] = r"errors: broken symlink or symlink loop"
    os.mkfifo(d / "pipe.txt")
    files["in/pipe.txt"] = r"errors: not a regular file \(FIFO\)"
    os.symlink("latin1.txt", d / "same_as_latin1.txt")
    files["in/same_as_latin1.txt"] = "alias: in/latin1.txt"
    one("folder.html/inner.txt", f"{story(15)} Inside a folder named like a page.", ("kept", "Inside a folder"))
    (d / "notes.md").write_text("not an input format")
    files["in/notes.md"] = "ignored"
    return records, files


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> tuple[Path, dict, dict]:
    root = tmp_path_factory.mktemp("bad")
    records, files = build_catalogue(root)
    (root / "c.toml").write_text(f"[run]\nshard_records = 8\n[limits]\nextract_timeout_seconds = {TIMEOUT}\n")
    start = time.monotonic()
    result = run_prep("run", "in", "--out", "out", "--config", "c.toml", "--workers", "2", cwd=root)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - start < 120  # the slow pages alone would take minutes
    yield root / "out", records, files
    shutil.rmtree(root)  # 50 MB of fixtures: do not keep them around


def test_every_record_has_its_expected_outcome(catalogue):
    out, records, _ = catalogue
    rows = with_detail(pl.concat([read_table(out, "corpus"), read_table(out, "dropped")]))
    truncated = rows.filter(pl.col("source_path") == "in/truncated.jsonl.gz").sort("source_index")
    assert truncated.height >= 2  # the lines before the break are records, the break is the last
    assert truncated["drop_reason"][-1].startswith("unreadable: truncated gzip at byte ")
    assert truncated["drop_reason"][:-1].is_null().all()
    rows = rows.filter(pl.col("source_path") != "in/truncated.jsonl.gz",
                       ~pl.struct("source_path", "source_index").is_in([{"source_path": "in/dup_ids.jsonl",
                                                                         "source_index": i} for i in (0, 2)]))
    seen = {(r["source_path"], r["source_index"]): r for r in rows.iter_rows(named=True)}
    assert sorted(seen) == sorted(records)
    for key, (outcome, detail) in records.items():
        row = seen[key]
        if outcome == "kept":
            assert row["drop_reason"] is None, (key, row["drop_reason"])
            assert detail in row["text"], (key, row["text"][:200])
        else:
            assert row["drop_reason"] is not None and re.search(detail, row["drop_reason"]), (key, row["drop_reason"])


def test_terminal_escape_sequences_leave_no_payload(catalogue):
    out, _, _ = catalogue
    row = read_table(out, "corpus").filter(pl.col("source_path") == "in/osc.jsonl").row(0, named=True)
    assert (row["title"], row["source_id"]) == ("Quay Plan", "id-19")
    assert "payload" not in row["text"]


def test_duplicate_ids_keep_their_own_doc_id_and_copies_are_grouped(catalogue):
    out, _, _ = catalogue
    rows = with_detail(pl.concat([read_table(out, "corpus"), read_table(out, "dropped")])
                       ).filter(pl.col("source_path") == "in/dup_ids.jsonl")
    rows = rows.sort("source_index")
    assert rows["source_id"].to_list() == ["same", "same", "other"]
    assert rows["doc_id"].n_unique() == 3
    first, _, copy = rows.iter_rows(named=True)
    assert sorted([first["drop_reason"] or "kept", copy["drop_reason"] or "kept"]) == ["exact_duplicate", "kept"]
    kept = first if first["drop_reason"] is None else copy
    assert first["cluster_id"] == copy["cluster_id"] == kept["doc_id"]


def test_unread_files_are_listed_with_their_reason(catalogue):
    out, _, files = catalogue
    inputs = json.loads((out / "manifest.json").read_text())["inputs"]
    errors = {e["path"]: e["reason"] for e in inputs["errors"]}
    aliases = {a["path"]: a["same_as"] for a in inputs["aliases"]}
    for path, where in files.items():
        if where == "ignored":
            assert path in inputs["ignored"]
        elif where.startswith("alias: "):
            assert aliases[path] == where.removeprefix("alias: ")
        else:
            assert re.search(where.removeprefix("errors: "), errors[path]), (path, errors.get(path))
    assert set(errors) == {p for p, w in files.items() if w.startswith("errors")}
    read = {f["source_path"]: f for f in inputs["files"]}
    assert read["in/empty.jsonl"]["records"] == 0
    assert not set(read) & set(errors)


def test_conservation_of_records_and_files(catalogue):
    out, records, files = catalogue
    manifest = json.loads((out / "manifest.json").read_text())
    counts = manifest["counts"]
    corpus, dropped = read_table(out, "corpus"), read_table(out, "dropped")
    assert counts["records_read"] == counts["kept"] + counts["dropped"] == corpus.height + dropped.height
    assert counts["kept"] == corpus.height and counts["dropped"] == dropped.height
    con = duckdb.connect()
    n_kept, n_dropped = (con.execute(f"SELECT count(*) FROM read_parquet('{out}/{t}/*.parquet')").fetchone()[0]
                         for t in ("corpus", "dropped"))
    assert (n_kept, n_dropped) == (corpus.height, dropped.height)
    assert dropped["drop_reason"].null_count() == 0
    per_file = {f["source_path"]: f["records"] for f in manifest["inputs"]["files"]}
    both = pl.concat([corpus.select("source_path"), dropped.select("source_path")])
    assert dict(both.group_by("source_path").len().iter_rows()) == {p: n for p, n in per_file.items() if n}
    assert counts["files_seen"] == counts["files_read"] + counts["file_errors"]
    assert set(per_file) == {p for p, _ in records} | {"in/empty.jsonl", "in/truncated.jsonl.gz"}
    assert counts["files_read"] == len(per_file)
    assert counts["file_errors"] == sum(w.startswith("errors") for w in files.values())
    assert doc_ids_are_unique(corpus, dropped)


def doc_ids_are_unique(corpus: pl.DataFrame, dropped: pl.DataFrame) -> bool:
    ids = pl.concat([corpus.select("doc_id"), dropped.select("doc_id")])["doc_id"]
    return ids.n_unique() == ids.len()


def test_no_bomb_was_expanded(catalogue):
    out, _, _ = catalogue
    for table in ("corpus", "dropped"):
        texts = read_table(out, table)["text"]
        assert texts.str.len_bytes().max() < 1_000_000
        assert not texts.str.contains("lollol").any()


def test_a_file_that_fails_to_read_is_listed_as_an_error(tmp_path: Path):
    """Reading /proc/self/mem at offset 0 fails with EIO even for root: a real read error."""
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc/self/mem on this system to make a read fail")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "fine.txt").write_text(GOOD_TEXT)
    os.symlink("/proc/self/mem", tmp_path / "in" / "eio.txt")
    # one worker: /proc/self is the reading process, so its metadata only holds still within one
    result = run_prep("run", "in", "--out", "out", "--workers", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["inputs"]["errors"] == [{"path": "in/eio.txt", "reason": "cannot read: Input/output error"}]
    assert manifest["counts"]["files_seen"] == 2 and manifest["counts"]["files_read"] == 1
    assert read_table(tmp_path / "out", "corpus")["source_path"].to_list() == ["in/fine.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root, which reads files whatever their permissions")
def test_a_file_without_read_permission_is_listed_as_an_error(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "fine.txt").write_text(GOOD_TEXT)
    locked = tmp_path / "in" / "locked.txt"
    locked.write_text(GOOD_TEXT)
    locked.chmod(0)
    result = run_prep("run", "in", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["inputs"]["errors"] == [{"path": "in/locked.txt", "reason": "cannot read: Permission denied"}]

