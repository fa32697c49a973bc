"""What a person or a CI log sees: a live progress display on a terminal only, plain lines
elsewhere, --quiet and --verbose, help texts with examples, and shell completion."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PREP, run_in_terminal, run_prep
from tests.review.conftest import FinishedRun
from tests.review.readers import read_all

ANSI = re.compile(r"\x1b\[")
COMMANDS = ("run", "validate-config", "check", "inspect", "explain", "report")


def test_logs_off_a_terminal_are_plain_lines(finished_run: FinishedRun):
    err = finished_run.stderr
    assert not ANSI.search(err) and "\r" not in err
    lines = err.strip().splitlines()
    assert all(line.startswith("prep: ") for line in lines), err
    for phase in ("extract", "clean", "write"):  # map phases: records, time and rate
        assert re.search(rf"^prep: {phase}: \d+ records in [\d.]+ s \([\d,]+ records/s\)$", err, re.M), err
    for phase in ("template_lines", "dedup"):
        assert re.search(rf"^prep: {phase}: done in [\d.]+ s$", err, re.M), err
    assert re.search(r"^prep: read \d+ records from \d+ files", err, re.M)


def test_quiet_prints_only_failed_gates(seeds_copy: Path, tmp_path: Path):
    (tmp_path / "gates.toml").write_text("[gates]\nmin_docs_kept = 2\nmax_errors = 0\n")
    result = run_prep("run", seeds_copy, "--out", "out", "-c", "gates.toml", "--quiet", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr == "prep: gate failed: min_docs_kept: docs_kept 1 < 2\n"
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_verbose_adds_shards_and_passed_gates(seeds_copy: Path, tmp_path: Path):
    (tmp_path / "gates.toml").write_text("[run]\nworkers = 1\n[gates]\nmax_errors = 0\n")
    result = run_prep("run", seeds_copy, "--out", "out", "-c", "gates.toml", "--verbose", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "prep: debug: extract: shard 0 done, 2/2 records (1/1 shards) after " in result.stderr
    assert "prep: gate passed: max_errors: errors 0 <= 0" in result.stderr
    assert "prep: debug: config gates.toml, sha256 " in result.stderr


def test_quiet_and_verbose_exclude_each_other(tmp_path: Path):
    result = run_prep("run", "--quiet", "--verbose", cwd=tmp_path)
    assert result.returncode == 2 and "exclude each other" in result.stderr


def test_progress_display_on_a_terminal(seeds_copy: Path, tmp_path: Path):
    """A pseudo-terminal for stdout and stderr: rich draws its live display, with counts and rates."""
    text = run_in_terminal("run", seeds_copy, "--out", "out", cwd=tmp_path)
    assert ANSI.search(text)  # colours and cursor movement: a live display, not log lines
    for phase in ("extract", "template_lines", "clean", "dedup", "write"):
        assert phase in text
    assert re.search(r"2/2 records", text) and re.search(r"\d[\d,]* records/s", text)
    assert "prep: extract: 2 records in" not in text  # the plain per-phase lines are for logs only
    assert "kept 1 (50.0%), dropped 1" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_has_examples(command: str, tmp_path: Path):
    result = run_prep(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Examples" in result.stdout and f"prep {command} " in result.stdout


def test_top_level_help_lists_every_command_with_examples(tmp_path: Path):
    result = run_prep("--help", cwd=tmp_path)
    assert result.returncode == 0 and "Examples" in result.stdout
    for command in COMMANDS:
        assert command in result.stdout


def _complete(words: str, cwd: Path) -> list[str]:
    env = {**os.environ, "_PREP_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split(" ")) - 1)}
    result = subprocess.run([str(PREP)], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_shell_completion_of_commands_and_options(tmp_path: Path):
    assert _complete("prep ", tmp_path) == list(COMMANDS)
    assert "--summary-json" in _complete("prep run --su", tmp_path)
    script = run_prep("--show-completion", "bash", cwd=tmp_path)
    assert script.returncode == 0 and "complete -o default -F _prep_completion prep" in script.stdout


def test_shell_completion_of_doc_ids(finished_run: FinishedRun):
    doc_ids = sorted(read_all(finished_run.out)["doc_id"])
    start = doc_ids[0][:2]
    expected = [d for d in doc_ids if d.startswith(start)]
    assert _complete(f"prep explain out {start}", finished_run.root) == expected
