"""Quality gates and what CI reads: exit code 3 with the output written, --summary-json,
`prep check`, `prep validate-config`, and logs that are plain lines off a terminal."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from prep.config import Config, GatesConfig, load_config
from prep.review.gates import MEASURES, evaluate
from tests.conftest import REPO, run_prep
from tests.review.conftest import FinishedRun
from tests.review.corpus import write_crawl
from tests.review.readers import query, read_all

COUNTS = {"records_read": 200, "kept": 120, "dropped": 80, "file_errors": 1, "removed_chars": 250,
          "kept_chars": 750, "drop_reasons": {"near_duplicate": 50, "exact_duplicate": 10, "too_short": 6,
                                              "empty": 4, "unreadable": 7, "extract_timeout": 3},
          "filter_drops": {"language": 20, "gopher_quality": 10}}


# --- the gates themselves -------------------------------------------------------------------

def test_every_gate_names_a_measure_and_a_bound():
    for gate in GatesConfig.model_fields:
        bound, measure = gate.split("_", 1)
        assert bound in ("min", "max") and measure in MEASURES, gate


def test_measures_from_counts():
    results = {r.measure: r.value for r in evaluate(GatesConfig.model_validate(
        {name: 0 for name in GatesConfig.model_fields}), COUNTS)}
    assert results == {"records_read": 200, "docs_kept": 120, "drop_rate": 0.4, "exact_duplicate_rate": 0.05,
                       "near_duplicate_rate": 0.25, "empty_rate": 0.05, "removed_chars_rate": 0.25,
                       "errors": 11, "language_drop_rate": 0.1, "gopher_repetition_drop_rate": 0.0,
                       "gopher_quality_drop_rate": 0.05, "c4_drop_rate": 0.0, "fineweb_drop_rate": 0.0,
                       "quality_drop_rate": 0.05}


@pytest.mark.parametrize("gates,passed", [
    ({"max_drop_rate": 0.4}, True),              # equal to the limit passes
    ({"max_drop_rate": 0.39}, False),
    ({"min_docs_kept": 120}, True),
    ({"min_docs_kept": 121}, False),
    ({"max_errors": 10}, False),                 # 1 file + 7 unreadable + 3 extract_timeout
    ({"max_near_duplicate_rate": 0.25, "max_empty_rate": 0.05}, True),
])
def test_gate_verdicts(gates, passed):
    results = evaluate(GatesConfig.model_validate(gates), COUNTS)
    assert [r.gate for r in results] == list(gates)
    assert all(r.passed for r in results) is passed


def test_failed_gate_describes_value_and_limit():
    (result,) = evaluate(GatesConfig(max_drop_rate=0.3), COUNTS)
    assert result.describe() == "max_drop_rate: drop_rate 40.0% > 30.0%"
    (close,) = evaluate(GatesConfig(max_drop_rate=0.3999), COUNTS)
    assert close.describe() == "max_drop_rate: drop_rate 40.00% > 39.99%"  # never "40.0% > 40.0%"


def test_empty_run_has_zero_rates():
    empty = {**COUNTS, "records_read": 0, "kept": 0, "dropped": 0, "removed_chars": 0, "kept_chars": 0,
             "drop_reasons": {}, "file_errors": 0}
    results = evaluate(GatesConfig(max_drop_rate=0.0, min_records_read=1), empty)
    verdicts = {r.gate: (r.value, r.passed) for r in results}
    assert verdicts == {"max_drop_rate": (0.0, True), "min_records_read": (0, False)}


def test_default_toml_documents_every_gate():
    text = (REPO / "configs" / "default.toml").read_text()
    gates = text[text.index("[gates]"):]
    for gate in GatesConfig.model_fields:
        assert f"# {gate} = " in gates, gate
    assert tomllib.loads(gates) == {"gates": {}}  # all commented out: unset, like the built-in defaults


def test_gates_do_not_change_the_output_identity():
    assert Config.model_validate({"gates": {"max_drop_rate": 0.1}}).sha256() == Config().sha256()


# --- a real run whose gate fails ----------------------------------------------------------------

@pytest.fixture(scope="module")
def failed_gate(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("gate")
    write_crawl(root)
    (root / "strict.toml").write_text("[run]\nworkers = 1\n[gates]\nmax_drop_rate = 0.2\nmin_docs_kept = 5\n")
    result = run_prep("run", "crawl", "-c", "strict.toml", "--out", "out", "--summary-json", "-", cwd=root)
    return root, result


def test_failed_gate_exits_3_with_the_output_written(failed_gate):
    root, result = failed_gate
    assert result.returncode == 3, result.stderr
    out = root / "out"
    assert (out / "manifest.json").is_file()
    rows = read_all(out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert rows.height == manifest["counts"]["records_read"]
    dropped = sum(pq.read_metadata(p).num_rows for p in (out / "dropped").glob("*.parquet"))
    assert dropped == manifest["counts"]["dropped"]
    drop_rate = dropped / rows.height
    assert drop_rate > 0.2
    assert f"gate failed: max_drop_rate: drop_rate {drop_rate:.1%} > 20.0%" in result.stderr
    assert "min_docs_kept" not in result.stderr  # passed gates are not listed, unless --verbose


def test_summary_json_on_stdout_says_which_gate_failed(failed_gate):
    root, result = failed_gate
    summary = json.loads(result.stdout)  # stdout holds the JSON and nothing else
    assert summary["status"] == "gate_failed" and summary["exit_code"] == 3
    assert summary["failed_gates"] == ["max_drop_rate"]
    by_gate = {g["gate"]: g for g in summary["gates"]}
    assert by_gate["max_drop_rate"]["passed"] is False and by_gate["min_docs_kept"]["passed"] is True
    (kept,) = query(root / "out", "SELECT count(*) FROM docs WHERE drop_reason IS NULL")[0]
    assert by_gate["min_docs_kept"]["value"] == kept == summary["counts"]["kept"]
    assert summary["measures"]["drop_rate"] == pytest.approx(by_gate["max_drop_rate"]["value"])
    assert summary["outputs"]["corpus"]["rows"] == kept


def test_manifest_records_the_gates(failed_gate):
    root, _ = failed_gate
    manifest = json.loads((root / "out" / "manifest.json").read_text())
    assert [(g["gate"], g["passed"]) for g in manifest["gates"]] == [("min_docs_kept", True),
                                                                      ("max_drop_rate", False)]
    assert manifest["config"]["gates"]["max_drop_rate"] == 0.2


def test_summary_file_of_a_passing_run(finished_run: FinishedRun):
    summary = json.loads(finished_run.summary.read_text())
    assert summary["status"] == "ok" and summary["exit_code"] == 0 and summary["failed_gates"] == []
    assert [g["gate"] for g in summary["gates"]] == ["min_docs_kept", "max_drop_rate", "max_errors"]
    assert summary["counts"]["records_read"] == read_all(finished_run.out).height
    assert summary["outputs"]["corpus"]["files"] == len(list((finished_run.out / "corpus").glob("*.parquet")))
    assert "gates: all 3 passed" in finished_run.stderr
    assert summary["html_extraction"] == {"pages": 0, "trafilatura_seconds": 0.0}  # a text-only crawl
    assert set(summary["timings_seconds"]) == {"plan", "extract", "template_lines", "clean", "dedup", "write"}


def test_summary_json_of_a_run_that_could_not_start(tmp_path: Path):
    result = run_prep("run", "missing", "--out", "out", "--summary-json", "reports/summary.json", cwd=tmp_path)
    assert result.returncode == 2
    summary = json.loads((tmp_path / "reports" / "summary.json").read_text())
    assert summary["status"] == "usage_error" and summary["exit_code"] == 2
    assert "input not found: missing" in summary["error"]
    assert not (tmp_path / "out").exists()


# --- prep check: the gates again, on a finished run -------------------------------------------------

def test_check_uses_the_run_gates(finished_run: FinishedRun):
    result = run_prep("check", finished_run.out, cwd=finished_run.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("gate passed:") == 3


def test_check_with_stricter_gates_exits_3(finished_run: FinishedRun, tmp_path: Path):
    (tmp_path / "strict.toml").write_text("[gates]\nmin_docs_kept = 1000\nmax_errors = 100\n")
    result = run_prep("check", finished_run.out, "--config", tmp_path / "strict.toml", "--summary-json", "-",
                      cwd=finished_run.root)
    assert result.returncode == 3
    kept = read_all(finished_run.out).filter(pl.col("drop_reason").is_null()).height
    assert f"gate failed: min_docs_kept: docs_kept {kept} < 1,000" in result.stderr
    assert json.loads(result.stdout)["failed_gates"] == ["min_docs_kept"]


def test_check_refuses_a_folder_without_a_run(tmp_path: Path):
    result = run_prep("check", tmp_path, cwd=tmp_path)
    assert result.returncode == 2 and "no manifest.json" in result.stderr


# --- prep validate-config ----------------------------------------------------------------------

def test_validate_config_accepts_a_good_config(tmp_path: Path):
    (tmp_path / "good.toml").write_text('[input]\npaths = ["nowhere"]\n[gates]\nmax_drop_rate = 0.5\n')
    result = run_prep("validate-config", "good.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "good.toml: ok (gates: max_drop_rate = 0.5)"
    assert "input.paths: nowhere does not exist here" in result.stderr


def test_validate_config_accepts_the_default_config():
    result = run_prep("validate-config", "configs/default.toml", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert load_config(REPO / "configs" / "default.toml") == Config()


@pytest.mark.parametrize("text,message", [
    ("[gates]\nmax_drop_rat = 0.5\n", "unknown key 'gates.max_drop_rat'"),
    ("[gates]\nmax_drop_rate = 1.5\n", "'gates.max_drop_rate'"),
    ("[gates]\nmin_docs_kept = -1\n", "'gates.min_docs_kept'"),
    ('[clean.rules.footer]\npattern = "(unclosed"\n', "rule pattern of clean.rules.footer"),
    ("[clean.rules.no_such_rule]\nenabled = false\n", "not a built-in rule"),
    ('[clean.model]\npath = "missing-model.json"\n', "clean.model.path: cannot load missing-model.json"),
    ("[dedup\n", "not valid TOML"),
])
def test_validate_config_names_the_problem_in_one_line(tmp_path: Path, text: str, message: str):
    (tmp_path / "bad.toml").write_text(text)
    result = run_prep("validate-config", "bad.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr
    assert "bad.toml" in result.stderr


def test_a_run_refuses_what_validate_config_refuses(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Some text for a document with enough words.")
    (tmp_path / "bad.toml").write_text('[clean.model]\npath = "missing-model.json"\n')
    result = run_prep("run", "in", "-c", "bad.toml", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2 and "clean.model.path" in result.stderr
    assert not (tmp_path / "out").exists()
