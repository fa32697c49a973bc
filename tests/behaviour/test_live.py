"""A run watched while it happens: progress that moves with every page and every shard, in a log
and on a terminal, and Ctrl-C or SIGTERM that stop it at once, with one line saying how to
resume and the exit code a shell expects (130, 143), and no traceback from any process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests import badinputs as bad
from tests.behaviour.test_faults import descendants_by_depth, running
from tests.conftest import PREP, run_in_terminal, run_prep

PAGES = 40
# five shards (10, 10, 10, 6 and 4 pages, the last ones tapering) for two workers: a worker takes
# a third shard while the other still works on its first, and ten pages take seconds to extract
CONFIG = "[run]\nworkers = 2\nshard_pages = 10\n"
LOGGED = re.compile(r"^prep: extract: (\d+)/(\d+) records \((\d+)/(\d+) shards\)", re.M)


def write_pages(folder: Path, count: int = PAGES) -> None:
    """Pages long enough that trafilatura takes a while over each."""
    folder.mkdir(parents=True)
    for i in range(count):
        body = "</p><p>".join(bad.story(1000 * i + j) for j in range(40))
        (folder / f"page-{i:03d}.html").write_text(bad.page(body, title=f"Story number {i} of the day"))


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    write_pages(tmp_path / "crawl")
    (tmp_path / "prep.toml").write_text(CONFIG)
    return tmp_path


def start(cwd: Path, *args: str, interval: str = "0.2") -> subprocess.Popen:
    """`prep run` in a session of its own (as a shell runs a job), its stderr read as it comes."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PREP_LOG_INTERVAL": interval}
    return subprocess.Popen([str(PREP), "run", *args], cwd=cwd, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_a_log_tells_how_far_extraction_is_while_it_runs(pages: Path):
    process = start(pages, "crawl", "--out", "out", "-c", "prep.toml")
    seen: list[tuple[int, int, int, int]] = []
    try:
        for line in process.stderr:
            if line.startswith(f"prep: extract: {PAGES} records in"):
                break
            if found := LOGGED.match(line):
                seen.append(tuple(map(int, found.groups())))
        rest = process.stderr.read()
        assert process.wait(timeout=300) == 0, rest
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert seen, "no progress line before extraction ended"
    assert all(total == PAGES and shards == 5 for _, total, _, shards in seen)
    # pages are counted as they are extracted, before the shard they are in ends
    assert any(done > 0 and shards_done == 0 for done, _, shards_done, _ in seen), seen
    # and shards as each ends, not all at once when the last does
    assert any(0 < shards_done < 5 for _, _, shards_done, _ in seen), seen
    assert [done for done, *_ in seen] == sorted(done for done, *_ in seen)


def test_a_terminal_shows_the_pages_done_while_they_are_extracted(pages: Path):
    screen = run_in_terminal("run", "crawl", "--out", "out", "-c", "prep.toml", cwd=pages)
    shown = {int(done) for done in re.findall(rf"extract\s.*?(\d+)/{PAGES} records", screen)}
    assert shown & set(range(1, PAGES)), shown  # not 0 until the end, then all at once


def wait_for_parsers(process: subprocess.Popen) -> set[int]:
    """Wait until the run's workers extract pages (its HTML parser processes run); its helper
    processes then: the fork server, the workers, their parsers."""
    deadline = time.monotonic() + 120
    while len(generations := descendants_by_depth(process.pid)) < 3:
        assert process.poll() is None and time.monotonic() < deadline, "no parser process was seen"
        time.sleep(0.01)
    return set().union(*generations)


@pytest.mark.parametrize("signum,code,word", [(signal.SIGINT, 130, "interrupted"),
                                               (signal.SIGTERM, 143, "terminated")])
def test_a_signal_stops_the_run_with_one_line_no_traceback_and_it_resumes(pages: Path, signum, code, word):
    args = ("crawl", "--out", "out", "-c", "prep.toml")
    process = start(pages, *args)
    try:
        helpers = wait_for_parsers(process)
        # Ctrl-C on a terminal reaches the whole job (every process of the group); SIGTERM, as a
        # scheduler sends it, the driver alone
        if signum == signal.SIGINT:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        after = process.stderr.read()
        assert process.wait(timeout=120) == code, after
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert "Traceback" not in after and "KeyboardInterrupt" not in after, after
    stopped = [line for line in after.splitlines() if line.startswith("prep: error:")]
    assert len(stopped) == 1 and after.splitlines()[-1] == stopped[0], after
    assert stopped[0].startswith(f"prep: error: {word} ({signal.Signals(signum).name}); finished work is kept: run `")
    assert stopped[0].endswith(f" run {' '.join(args)}` again to resume")
    deadline = time.monotonic() + 30
    while left := {pid for pid in helpers if running(pid)}:
        assert time.monotonic() < deadline, f"helper processes outlived the run: {left}"
        time.sleep(0.05)
    assert not (pages / "out" / "manifest.json").exists()
    again = run_prep(*(["run", *args]), cwd=pages)
    assert again.returncode == 0, again.stderr
    assert "resuming the unfinished run in out" in again.stderr


def test_the_way_to_resume_an_overwriting_run_leaves_overwrite_out(pages: Path):
    """`prep run ... --overwrite` again would discard what the stopped run did."""
    process = start(pages, "crawl", "--out", "out", "-c", "prep.toml", "--overwrite")
    try:
        wait_for_parsers(process)
        os.killpg(process.pid, signal.SIGINT)
        after = process.stderr.read()
        assert process.wait(timeout=120) == 130, after
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    advice = re.search(r"run `[^`]*?(prep run [^`]*)` \(without --overwrite, which starts afresh\) to resume", after)
    assert advice, after
    command = advice.group(1).split()
    assert command == ["prep", "run", "crawl", "--out", "out", "-c", "prep.toml"]
    resumed = run_prep(*command[1:], cwd=pages)
    assert resumed.returncode == 0 and "resuming the unfinished run in out" in resumed.stderr, resumed.stderr
