"""The command-line contract: help, version, and exit code 2 with nothing written on bad usage."""

import os
from pathlib import Path

import pytest

from prep import __version__
from tests.conftest import run_prep


def test_version(tmp_path: Path):
    result = run_prep("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"prep {__version__}"


def test_help_lists_commands(tmp_path: Path):
    result = run_prep("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "run" in result.stdout


def test_run_help_explains_every_option(tmp_path: Path):
    result = run_prep("run", "--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("--config", "--out", "--overwrite", "--workers", "INPUT"):
        assert option in result.stdout
    assert "Example" in result.stdout


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.parametrize("args,message", [
    (["run", "missing-folder"], "input not found: missing-folder"),
    (["run", "in", "--config", "bad.toml"], "unknown key 'dedup.treshold'"),
    (["run", "in", "--config", "wrongtype.toml"], "'run.workers'"),
    (["run", "in", "--config", "regex.toml"], "rule pattern"),
    (["run", "in", "--config", "nope.toml"], "config file not found"),
    (["run", "in", "--workers", "-1"], "Invalid value"),
])
def test_bad_usage_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, args, message):
    write(tmp_path / "in" / "a.txt", "Some text for a document with enough words.")
    write(tmp_path / "bad.toml", "[dedup]\ntreshold = 0.5\n")
    write(tmp_path / "wrongtype.toml", '[run]\nworkers = "all"\n')
    write(tmp_path / "regex.toml", '[clean.rules.mine]\npattern = "(unclosed"\n')
    result = run_prep(*args, "--out", "result", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    if "Invalid value" not in message:  # typer's own usage errors come in a box
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "result").exists()


def test_existing_output_is_not_overwritten_without_flag(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Some text for a document with enough words.")
    (tmp_path / "other.toml").write_text("[dedup]\nkeep = 'first'\n")
    assert run_prep("run", "in", "--out", "o", cwd=tmp_path).returncode == 0
    before = (tmp_path / "o" / "manifest.json").read_bytes()
    again = run_prep("run", "in", "--out", "o", "-c", "other.toml", cwd=tmp_path)
    assert again.returncode == 2
    assert "--overwrite" in again.stderr
    assert (tmp_path / "o" / "manifest.json").read_bytes() == before
    assert run_prep("report", "o", cwd=tmp_path).returncode == 0
    assert (tmp_path / "o" / "report.html").exists()
    assert run_prep("run", "in", "--out", "o", "--overwrite", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "o" / "report.html").exists()  # it described the run replaced


CONFIGS_THAT_USED_TO_FAIL_LATE = {
    "seed_negative.toml": "[dedup]\nseed = -1\n",
    "seed_huge.toml": "[dedup]\nseed = 1099511627776\n",
    "zstd_level.toml": "[output]\ncompression_level = 100\n",
    "gzip_level.toml": '[output]\ncompression = "gzip"\ncompression_level = 42\n',
    "timeout_inf.toml": "[limits]\nextract_timeout_seconds = inf\n",
    "timeout_huge.toml": "[limits]\nextract_timeout_seconds = 1e300\n",
    "record_bytes.toml": "[limits]\nmax_record_bytes = 9223372036854775807\n",
    "several.toml": '[dedup]\ntreshold = 0.5\nnear = 1\n[run]\nworkers = "4"\n',
}


@pytest.mark.parametrize("name", sorted(CONFIGS_THAT_USED_TO_FAIL_LATE))
def test_configs_a_run_would_fail_on_are_refused_before_anything_is_written(tmp_path: Path, name: str):
    write(tmp_path / "in" / "a.jsonl", '{"text": "Some text for a document with enough words."}\n')
    write(tmp_path / name, CONFIGS_THAT_USED_TO_FAIL_LATE[name])
    problems = 3 if name == "several.toml" else 1
    for args in (["validate-config", name], ["run", "in", "--config", name, "--out", "result"]):
        result = run_prep(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == problems and all(line.startswith(f"prep: error: config {name}: ") for line in lines)
        assert not (tmp_path / "result").exists()
    if name == "several.toml":
        assert "did you mean 'dedup.threshold'?" in result.stderr


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "big.json"])
def test_a_chrome_model_path_that_is_no_regular_file_of_sane_size_is_refused(tmp_path: Path, target: str):
    """/dev/zero would be read until memory runs out, a FIFO would never end: only a regular file
    no larger than the limit is read."""
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
    if target == "big.json":
        with open(tmp_path / "big.json", "wb") as stream:
            stream.truncate(300 << 20)  # sparse: takes no disk
    write(tmp_path / "c.toml", f'[clean.model]\npath = "{target}"\n')
    write(tmp_path / "in" / "a.txt", "Some text for a document with enough words.")
    for args in (["validate-config", "c.toml"], ["run", "in", "--config", "c.toml", "--out", "result"]):
        result = run_prep(*args, cwd=tmp_path, timeout=120)
        assert result.returncode == 2, result.stderr
        assert "clean.model.path: cannot load" in result.stderr
        assert not (tmp_path / "result").exists()


def test_run_without_inputs_where_the_config_names_none_that_exist_says_what_to_do(tmp_path: Path):
    result = run_prep("run", cwd=tmp_path)  # outside the repository: the default input.paths, seeds, is not here
    assert result.returncode == 2
    assert result.stderr.startswith("prep: error: input not found: seeds (no INPUT was given, so input.paths of "
                                    "the config was read): name the files or folders to read")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["--help", "run --help", "check --help", "inspect --help", "explain --help"])
def test_help_shows_no_type_beside_flags_and_one_example_a_line(tmp_path: Path, command: str):
    env_wide = {"COLUMNS": "200"}  # a wide terminal: nothing wraps, examples run together show on one line
    result = run_prep(*command.split(), cwd=tmp_path, env=env_wide)
    assert result.returncode == 0
    assert "<bool>" not in result.stdout, result.stdout
    assert "--help" in result.stdout and "--version" in result.stdout or command != "--help"
    assert all(line.count("prep ") <= 1 for line in result.stdout.splitlines()), result.stdout
