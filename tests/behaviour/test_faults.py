"""Faults, through the real CLI: kill -9 at every phase and resume, concurrent runs, reruns, atomic outputs.

Runs are killed with SIGKILL, either at a named crash point (PREP_TEST_CRASH_AT, see
prep/crashpoints.py: deterministic, so every phase is covered) or from outside after a random
delay (black-box). After every kill, what a reader can see must be complete, and running the same
command again must finish with corpus/ and dropped/ byte-identical to an uninterrupted run.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from tests import badinputs as bad
from tests.conftest import PREP, run_prep

SHARD_CONFIG = "[run]\nshard_records = 4\n"


def write_corpus(folder: Path) -> None:
    """26 records in every format, with copies, so that every phase has work in several shards."""
    story = bad.story
    folder.mkdir(parents=True)
    for i in range(4):
        (folder / f"t{i}.txt").write_text(f"Headline Number {i}\n\n{story(i)}")
    (folder / "copy.txt").write_text(f"Headline Number 1\n\n{story(1)}")
    for i in range(3):
        (folder / f"p{i}.html").write_text(bad.page(story(10 + i), title=f"Page {i}"))
    (folder / "near.html").write_text(bad.page(story(10) + " One more sentence at the end.", title="Page 0"))
    bad.jsonl(folder / "a.jsonl", [{"text": story(20 + i), "id": i} for i in range(6)] + ["{broken"])
    with gzip.open(folder / "b.jsonl.gz", "wt") as stream:
        for i in range(5):
            stream.write(json.dumps({"html": bad.page(story(30 + i))}) + "\n")
    pl.DataFrame({"text": [story(40 + i) for i in range(4)] + [""]}).write_parquet(folder / "c.parquet")


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("*/*")) + sorted(out.glob("dedup/*/*"))
            if p.parent.name in ("corpus", "dropped", "signatures")}


def start_prep(*args: str, cwd: Path, crash_at: str | None = None, crash_once: Path | None = None) -> subprocess.Popen:
    """prep in a session of its own, so that killing its process group kills only prep;
    `crash_once`: the marker file that lets only the first process reaching `crash_at` die."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("PREP_TEST_CRASH_AT", None)
    env.pop("PREP_TEST_CRASH_ONCE", None)
    if crash_at:
        env["PREP_TEST_CRASH_AT"] = crash_at
    if crash_once:
        env["PREP_TEST_CRASH_ONCE"] = str(crash_once)
    return subprocess.Popen([str(PREP), *args], cwd=cwd, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    _, err = process.communicate(timeout=timeout)
    return process.returncode, err


def assert_readers_see_only_whole_files(out: Path) -> None:
    """Whatever a reader can list in corpus/, dropped/, dedup/signatures/ and the manifest is complete."""
    for table in ("corpus", "dropped", "dedup/signatures"):
        folder = out / table
        if folder.exists():
            names = [p.name for p in folder.iterdir()]
            assert all(n.startswith("part-") and n.endswith(".parquet") for n in names), names
            for name in names:
                pq.read_table(folder / name)
    if (out / "manifest.json").exists():
        assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


def done_files(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.glob(".prep/*/*.done.json")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The inputs and the output of an uninterrupted run."""
    root = tmp_path_factory.mktemp("faults")
    write_corpus(root / "in")
    (root / "shards.toml").write_text(SHARD_CONFIG)
    result = run_prep("run", "in", "--out", "ref", "-c", "shards.toml", "-w", "1", cwd=root)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((root / "ref" / "manifest.json").read_text())
    assert len(manifest["outputs"]["corpus"]) >= 4  # several shards, each with a part
    return root, outputs(root / "ref")


# In the order a run passes them: every phase, and the steps between its files.
CRASH_POINTS = [
    "plan-written",        # plan.json and the gzip chunks written, no task done
    "extract-done:0",      # one extract task done
    "extract-data:3",      # a task's results written, its done file not yet
    "template-written",    # the corpus-wide template lines reduce
    "finish-done:1",       # cleaning and dedup features of a shard
    "decisions-written",   # the global dedup reduce
    "write-data:2",        # part files staged, done file not yet
    "published:corpus",    # corpus/ moved into place, dropped/ not yet
    "published:dropped",   # both moved, dedup/signatures/ not yet
    "published:signatures",  # all three moved, no manifest yet
    "manifest-written",    # complete, work directory not yet removed
]


def test_killed_at_every_phase_resumes_to_identical_output_reusing_finished_work(reference):
    root, expected = reference
    args = ("run", "in", "--out", "chain", "-c", "shards.toml", "-w", "1")
    out = root / "chain"
    before: dict[str, int] = {}
    for point in CRASH_POINTS:
        code, err = finish(start_prep(*args, cwd=root, crash_at=point))
        assert code == -signal.SIGKILL, f"{point}: {err}"
        if before:
            assert f"reusing {len(before)} finished shard tasks" in err, (point, err)
        after = done_files(out)
        assert {name: after.get(name) for name in before} == before, f"{point}: finished work was redone"
        assert_readers_see_only_whole_files(out)
        assert (out / "manifest.json").exists() == (point == "manifest-written"), point
        before = after
    assert len(before) == 3 * 7  # extract, finish and write of each of the 7 shards, each done once
    code, err = finish(start_prep(*args, cwd=root))
    assert code == 0 and "chain is up to date" in err, err
    assert not (out / ".prep").exists()  # the finished run's leftover work is cleared
    assert outputs(out) == expected


def test_work_files_go_once_the_task_that_reads_them_is_done_and_a_resumed_run_needs_none_of_them(reference):
    root, expected = reference
    args = ("run", "in", "--out", "lean", "-c", "shards.toml", "-w", "1")
    code, err = finish(start_prep(*args, cwd=root, crash_at="write-data:2"))  # shards 0 and 1 written
    assert code == -signal.SIGKILL, err
    work = root / "lean" / ".prep"
    assert sorted(p.name for p in (work / "extract").iterdir() if not p.name.endswith(".done.json")) == []
    finish_data = {p.name.split(".")[0] for p in (work / "finish").iterdir() if not p.name.endswith(".done.json")}
    assert finish_data == {f"shard-{i:05d}" for i in range(2, 7)}  # what the write tasks still to run read
    assert len(list((work / "finish").glob("*.done.json"))) == 7
    code, err = finish(start_prep(*args, cwd=root))
    assert code == 0, err
    assert outputs(root / "lean") == expected


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return None
    return fields[0], int(fields[1])


def running(pid: int) -> bool:
    """Alive, not a zombie waiting to be reaped."""
    found = _state_and_parent(pid)
    return found is not None and found[0] != "Z"


def children_of(pids: set[int]) -> set[int]:
    """The running child processes of `pids` (from /proc)."""
    found = set()
    for entry in Path("/proc").glob("[0-9]*"):
        got = _state_and_parent(int(entry.name))
        if got is not None and got[1] in pids and got[0] != "Z":
            found.add(int(entry.name))
    return found


def descendants_by_depth(pid: int) -> list[set[int]]:
    """The running children of `pid`, their children, and so on, a set per generation."""
    generations = [children_of({pid})]
    while generations[-1]:
        generations.append(children_of(generations[-1]))
    return generations[:-1]


def test_helper_processes_do_not_outlive_a_killed_run_and_the_run_resumes(reference):
    """kill -9 of prep alone (not its group) while its pool works: the fork server, the workers
    forked from it and their parser processes end with it, and the same command finishes the run."""
    root, expected = reference
    args = ("run", "in", "--out", "orphans", "-c", "shards.toml", "-w", "2")
    process = start_prep(*args, cwd=root)
    try:
        deadline = time.monotonic() + 120
        # prep, its fork server, the workers, their parser processes
        while len(generations := descendants_by_depth(process.pid)) < 3:
            assert process.poll() is None and time.monotonic() < deadline, "no parser process was seen"
            time.sleep(0.01)
        helpers = set().union(*generations)
        os.kill(process.pid, signal.SIGKILL)
        finish(process)
        deadline = time.monotonic() + 30
        while left := {pid for pid in helpers if running(pid)}:
            assert time.monotonic() < deadline, f"helper processes outlived the run: {left}"
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert_readers_see_only_whole_files(root / "orphans")
    code, err = finish(start_prep(*args, cwd=root))
    assert code == 0, err
    assert "resuming the unfinished run" in err
    assert outputs(root / "orphans") == expected


def run_watched(process: subprocess.Popen, out: Path, until: float) -> int:
    """Poll the output as a reader would while the run goes on, until it ends or `until`; return
    how many looks saw something."""
    looks = 0
    while process.poll() is None and time.monotonic() < until:
        try:
            assert_readers_see_only_whole_files(out)
            looks += (out / "corpus").exists() or (out / ".prep").exists()
        except FileNotFoundError:  # listed, then replaced by the next step: never partial
            pass
        time.sleep(0.01)
    return looks


def test_killed_from_outside_at_random_moments_resumes_and_readers_never_see_partial_files(reference):
    root, expected = reference
    args = ("run", "in", "--out", "random", "-c", "shards.toml", "-w", "1")
    out = root / "random"
    rng = random.Random(6)
    for _ in range(2):
        process = start_prep(*args, cwd=root)
        run_watched(process, out, time.monotonic() + rng.uniform(1.0, 3.0))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        finish(process)
        assert_readers_see_only_whole_files(out)
    if not (out / "manifest.json").exists():
        process = start_prep(*args, cwd=root)
        assert run_watched(process, out, time.monotonic() + 300) > 10
        code, err = finish(process)
        assert code == 0, err
    assert outputs(out) == expected


def test_a_second_run_into_the_same_directory_is_refused_and_the_first_is_unharmed(reference):
    root, expected = reference
    first = start_prep("run", "in", "--out", "busy", "-c", "shards.toml", "-w", "1", cwd=root)
    deadline = time.monotonic() + 60
    while not (root / "busy" / ".prep" / "run.json").exists():  # written once the lock is held
        assert first.poll() is None and time.monotonic() < deadline, "the first run did not start"
        time.sleep(0.01)
    os.killpg(first.pid, signal.SIGSTOP)  # hold the first run still, lock and all, while others try
    try:
        (root / "other.toml").write_text(SHARD_CONFIG + "[dedup]\nkeep = 'first'\n")
        others = [start_prep("run", "in", "--out", "busy", *args, cwd=root)
                  for args in (["-c", "shards.toml"], ["-c", "other.toml", "--overwrite"])]
        for other in others:
            code, err = finish(other)
            assert code == 1, err
            assert "another prep run is writing to busy" in err
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    code, err = finish(first)
    assert code == 0, err
    assert outputs(root / "busy") == expected


@pytest.fixture
def small_input(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"{i}.txt").write_text(bad.story(i))
    (tmp_path / "other.toml").write_text("[dedup]\nkeep = 'first'\n")
    return tmp_path


def test_rerun_of_a_finished_run_does_nothing_and_of_another_refuses_and_says_why(reference):
    """A scheduler that retries a finished job must not fail it; other inputs or config must not
    replace a finished output unasked."""
    root, expected = reference
    manifest = (root / "ref" / "manifest.json").read_bytes()
    (root / "other.toml").write_text(SHARD_CONFIG + "[dedup]\nkeep = 'first'\n[gates]\nmin_docs_kept = 1000\n")
    (root / "gates.toml").write_text(SHARD_CONFIG + "[gates]\nmin_docs_kept = 1000\n")
    same = run_prep("run", "in", "--out", "ref", "-c", "shards.toml", "-w", "2", "--summary-json", "same.json",
                    cwd=root)
    assert same.returncode == 0, same.stderr
    assert same.stderr.startswith("prep: ref is up to date: it holds this run (same inputs and config), finished at ")
    assert "; nothing to do (prep inspect ref)" in same.stderr
    summary = json.loads((root / "same.json").read_text())
    assert summary["status"] == "ok" and summary["up_to_date"] is True
    assert summary["counts"] == json.loads(manifest)["counts"]
    assert (root / "ref" / "manifest.json").read_bytes() == manifest and outputs(root / "ref") == expected
    gated = run_prep("run", "in", "--out", "ref", "-c", "gates.toml", cwd=root)  # gates do not make another run
    assert gated.returncode == 3 and "up to date" in gated.stderr
    assert "gate failed: min_docs_kept" in gated.stderr
    other = run_prep("run", "in", "--out", "ref", "-c", "other.toml", cwd=root)
    assert other.returncode == 2
    assert "already holds a finished run of other inputs or config" in other.stderr
    assert outputs(root / "ref") == expected


def test_rerun_into_an_unfinished_output_of_other_inputs_or_config_refuses_until_overwrite(small_input: Path):
    code, _ = finish(start_prep("run", "in", "--out", "out", cwd=small_input, crash_at="decisions-written"))
    assert code == -signal.SIGKILL
    other = run_prep("run", "in", "--out", "out", "-c", "other.toml", cwd=small_input)
    assert other.returncode == 2
    assert "holds an unfinished run of other inputs or config; run that command again" in other.stderr
    (small_input / "in" / "0.txt").write_text(bad.story(9))
    changed = run_prep("run", "in", "--out", "out", cwd=small_input)
    assert changed.returncode == 2 and "unfinished run of other inputs or config" in changed.stderr
    assert (small_input / "out" / ".prep" / "decisions.arrow").exists()  # nothing of it was discarded
    discard = run_prep("run", "in", "--out", "out", "-c", "other.toml", "--overwrite", cwd=small_input)
    assert discard.returncode == 0 and "discarding the unfinished run in out" in discard.stderr
    assert json.loads((small_input / "out" / "manifest.json").read_text())["config"]["dedup"]["keep"] == "first"


@pytest.mark.parametrize("setup,message", [
    (lambda d: (d / "out").write_text("a file"), "output out exists and is not a directory"),
    (lambda d: (d / "out" / "corpus").mkdir(parents=True), "holds a corpus/ folder that no prep run wrote"),
    (lambda d: None, "is inside input"),
])
def test_outputs_that_must_not_be_touched_are_refused_with_exit_2(small_input: Path, setup, message):
    setup(small_input)
    out = "in/out" if message == "is inside input" else "out"
    result = run_prep("run", "in", "--out", out, cwd=small_input)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (small_input / "in" / "out").exists()


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB tmpfs that the test can grow: a real disk that fills up (needs root and mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    except OSError as err:
        pytest.skip(f"cannot mount a small tmpfs: {err}")
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_disk_full_while_planning_fails_the_run_and_the_rerun_reads_every_record(tmp_path: Path, small_disk: Path):
    """Planning cuts a gzipped line file into chunk files in the work directory: a chunk that
    cannot be written fails the run (not the file), and leaves no plan a rerun would take up."""
    rng = random.Random(1)
    with gzip.open(tmp_path / "big.jsonl.gz", "wt") as stream:  # 3,000 lines of 1 KB that hardly compress
        for _ in range(3000):
            words = ("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
                     for _ in range(150))
            stream.write(json.dumps({"text": " ".join(words)}) + "\n")
    (tmp_path / "c.toml").write_text("[run]\nshard_records = 1000\n")
    args = ("run", "big.jsonl.gz", "--out", small_disk / "out", "-c", "c.toml", "-w", "1")
    full = run_prep(*args, cwd=tmp_path)
    assert full.returncode == 1, full.stderr
    assert "No space left on device" in full.stderr and "run the same command again" in full.stderr
    assert not (small_disk / "out" / ".prep" / "plan.json").exists()
    assert not (small_disk / "out" / "manifest.json").exists()
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    grown = run_prep(*args, cwd=tmp_path)
    assert grown.returncode == 0, grown.stderr
    manifest = json.loads((small_disk / "out" / "manifest.json").read_text())
    assert manifest["inputs"]["errors"] == []
    assert manifest["counts"]["records_read"] == 3000
    out = small_disk / "out"
    rows = pq.read_table(out / "corpus").num_rows + pq.read_table(out / "dropped").num_rows
    assert rows == pl.scan_parquet(small_disk / "out" / "*" / "*.parquet").select(pl.len()).collect().item() == 3000


def test_file_names_that_are_not_utf8_are_stored_escaped_and_a_run_resumes_with_them(tmp_path: Path):
    folder = tmp_path / os.fsdecode(b"in\xe9")
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xff\xfe.txt")).write_text(bad.story(1))
    (folder / os.fsdecode(b"osc\x1b]0;title\x07.txt")).write_text(bad.story(2))
    (folder / "fine.txt").write_text(bad.story(3))
    args = ("run", folder.name, "--out", "out", "-w", "1")
    code, err = finish(start_prep(*args, cwd=tmp_path, crash_at="plan-written"))
    assert code == -signal.SIGKILL, err
    code, err = finish(start_prep(*args, cwd=tmp_path))
    assert code == 0, err
    assert "resuming the unfinished run" in err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    names = ["in\\xe9/bad\\xff\\xfe.txt", "in\\xe9/fine.txt", "in\\xe9/osc\\x1b]0;title\\x07.txt"]
    assert sorted(f["source_path"] for f in manifest["inputs"]["files"]) == names
    assert manifest["inputs"]["roots"] == ["in\\xe9"] and manifest["inputs"]["errors"] == []
    corpus = pl.read_parquet(tmp_path / "out" / "corpus" / "*.parquet")
    assert sorted(corpus["source_path"]) == sorted(pq.read_table(tmp_path / "out" / "corpus")
                                                   .column("source_path").to_pylist()) == names


@pytest.mark.parametrize("link", ["../out", "../out/corpus", ".."])
def test_an_output_directory_reached_through_a_symlink_inside_the_input_is_refused(small_input: Path, link: str):
    """Whatever path leads from the inputs to the output (a link to it, into it, or to a folder
    holding it), a run would read its own parts; refused before and after a first run."""
    (small_input / "in" / "link").symlink_to(link)
    refused = run_prep("run", "in", "--out", "out", cwd=small_input)
    assert refused.returncode == 2 and "reaches the output directory out" in refused.stderr, refused.stderr
    assert not (small_input / "out").exists()
    (small_input / "in" / "link").unlink()
    assert run_prep("run", "in", "--out", "out", cwd=small_input).returncode == 0
    before = outputs(small_input / "out")
    (small_input / "in" / "link").symlink_to(link)
    again = run_prep("run", "in", "--out", "out", "--overwrite", cwd=small_input)
    assert again.returncode == 2 and "reaches the output directory out" in again.stderr, again.stderr
    assert outputs(small_input / "out") == before


@pytest.mark.parametrize("flags", [[], ["--overwrite"]])
def test_a_manifest_json_no_prep_run_wrote_is_never_replaced(small_input: Path, flags: list[str]):
    """Only what prep wrote is overwritten: its manifest says so; a user's own manifest.json and
    corpus/ stay, --overwrite or not."""
    out = small_input / "out"
    (out / "corpus").mkdir(parents=True)
    (out / "corpus" / "mine.parquet").write_bytes(b"the user's own corpus")
    (out / "manifest.json").write_text('{"name": "my corpus", "files": 1}')
    result = run_prep("run", "in", "--out", "out", *flags, cwd=small_input)
    assert result.returncode == 2, result.stderr
    assert "holds a manifest.json that no prep run wrote" in result.stderr
    assert (out / "manifest.json").read_text() == '{"name": "my corpus", "files": 1}'
    assert (out / "corpus" / "mine.parquet").read_bytes() == b"the user's own corpus"
    assert sorted(p.name for p in out.iterdir()) == ["corpus", "manifest.json"]


@pytest.mark.parametrize("edited", ["a.jsonl", "b.txt"])
def test_an_edit_that_keeps_size_and_mtime_between_kill_and_rerun_is_caught_by_its_hash(tmp_path: Path,
                                                                                        edited: str):
    """The plan holds the sha256 of multi-record files, a finished extract task that of its
    one-document files: a resumed run compares them with the files as they are now."""
    folder = tmp_path / "in"
    folder.mkdir()
    bad.jsonl(folder / "a.jsonl", [{"text": bad.story(1)}, {"text": bad.story(2)}])
    (folder / "b.txt").write_text(bad.story(3))
    args = ("run", "in", "--out", "out", "-w", "1")
    code, err = finish(start_prep(*args, cwd=tmp_path, crash_at="extract-done:0"))
    assert code == -signal.SIGKILL, err
    path = folder / edited
    before = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"harbour", b"HARBOUR") if b"harbour" in data else data.swapcase())
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.read_bytes() != data
    code, err = finish(start_prep(*args, cwd=tmp_path))
    assert code == 1, err
    assert f"input in/{edited} changed since the unfinished run planned it" in err
    assert not (tmp_path / "out" / "manifest.json").exists()
    code, err = finish(start_prep(*args, "--overwrite", cwd=tmp_path))
    assert code == 0, err
    texts = "\n".join(pl.read_parquet(tmp_path / "out" / "*" / "*.parquet")["text"])
    assert "HARBOUR" in texts or bad.story(3).swapcase()[:40] in texts
