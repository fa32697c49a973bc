import re
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from prep.config import Config, ConfigError, load_config
from tests.conftest import REPO


def test_default_toml_equals_builtin_defaults():
    assert load_config(REPO / "configs" / "default.toml") == Config()


def test_default_toml_sets_every_key_it_documents():
    raw = tomllib.loads((REPO / "configs" / "default.toml").read_text())
    assert set(raw) == {"input", "output", "run", "limits", "extract", "clean", "dedup", "language", "quality", "pii",
                        "gates"}


def test_default_toml_documents_every_key():
    """Each key of the config is in default.toml under its own table: set, or shown in a comment
    when it has no value by default (`# address = ...`) or is a table of tables
    (`# [clean.rules.caption]`)."""
    documented, table = set(), ""
    for line in (REPO / "configs" / "default.toml").read_text().splitlines():
        if header := re.match(r"#? ?\[\[?([\w.]+)\]", line):
            table = header[1]
            documented.add(table)
        elif key := re.match(r"#? ?(\w+) *=", line):
            documented.add(f"{table}.{key[1]}")

    def keys(model: BaseModel, prefix: str = ""):
        for name in type(model).model_fields:
            value = getattr(model, name)
            yield from keys(value, f"{prefix}{name}.") if isinstance(value, BaseModel) else [f"{prefix}{name}"]

    undocumented = [key for key in keys(Config())
                    if key not in documented and not any(t.startswith(f"{key}.") for t in documented)]
    assert undocumented == []


def test_no_file_gives_defaults():
    assert load_config(None) == Config()


def test_unknown_key_names_the_key(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text("[dedup]\nthreshhold = 0.5\n")
    with pytest.raises(ConfigError, match=r"unknown key 'dedup.threshhold'"):
        load_config(path)


def test_wrong_type_names_the_key_and_value(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('[run]\nworkers = "many"\n')
    with pytest.raises(ConfigError, match=r"'run.workers'.*'many'"):
        load_config(path)


def test_out_of_range_value_is_refused(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text("[dedup]\nthreshold = 1.5\n")
    with pytest.raises(ConfigError, match="dedup.threshold"):
        load_config(path)


def test_bands_must_divide_num_perm(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text("[dedup]\nnum_perm = 128\nbands = 48\n")
    with pytest.raises(ConfigError, match="must divide"):
        load_config(path)


def test_invalid_toml_is_reported(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text("[dedup\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_missing_file_is_reported(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_config_hash_changes_with_any_value():
    base = Config()
    changed = Config.model_validate({"dedup": {"threshold": 0.4}})
    assert base.sha256() != changed.sha256()
    assert base.sha256() == Config().sha256()


def test_execution_settings_do_not_change_the_output_identity():
    assert Config.model_validate({"run": {"workers": 7}}).sha256() == Config().sha256()
    ray = Config.model_validate({"run": {"engine": "ray", "address": "10.0.0.1:6379"}})
    assert ray.sha256() == Config().sha256()
    assert Config.model_validate({"run": {"shard_records": 7}}).sha256() != Config().sha256()


@pytest.mark.parametrize("text,message", [
    ('[run]\nworkers = "4"\n', r"'run.workers': Input should be a valid integer \(got '4'\)"),
    ('[dedup]\nthreshold = "0.5"\n', r"'dedup.threshold': Input should be a valid number \(got '0.5'\)"),
    ('[dedup]\nexact = "yes"\n', r"'dedup.exact': Input should be a valid boolean \(got 'yes'\)"),
    ("[dedup]\nnear = 1\n", r"'dedup.near': Input should be a valid boolean \(got 1\)"),
    ('[input]\ntext_field = 3\n', r"'input.text_field': Input should be a valid string \(got 3\)"),
])
def test_types_are_strict(tmp_path: Path, text: str, message: str):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_an_integer_is_a_fine_float(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text("[limits]\nextract_timeout_seconds = 10\n[dedup]\nthreshold = 1\n")
    config = load_config(path)
    assert config.limits.extract_timeout_seconds == 10.0 and config.dedup.threshold == 1.0


def test_every_problem_of_a_file_is_reported_at_once_with_did_you_mean(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('[dedup]\ntreshold = 0.5\nnear = 1\n[run]\nworkers = "4"\n[limits]\nmax_gzip_ratio = 50\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"config {path}: ") for line in lines)
    assert sorted(line.removeprefix(f"config {path}: ") for line in lines) == sorted([
        "unknown key 'dedup.treshold'; did you mean 'dedup.threshold'?",
        "'dedup.near': Input should be a valid boolean (got 1)",
        "'run.workers': Input should be a valid integer (got '4')",
        "unknown key 'limits.max_gzip_ratio'; it is now 'limits.max_compression_ratio'",
    ])


@pytest.mark.parametrize("text,message", [
    ("[dedup]\nseed = -1\n", r"'dedup.seed': Input should be greater than or equal to 0"),
    ("[dedup]\nseed = 1099511627776\n", r"'dedup.seed': Input should be less than or equal to 4294967295"),
    ('[output]\ncompression = "zstd"\ncompression_level = 100\n', r"compression_level: zstd takes 1 to 22 \(got 100\)"),
    ('[output]\ncompression = "gzip"\ncompression_level = 42\n', r"compression_level: gzip takes 0 to 9 \(got 42\)"),
    ('[output]\ncompression = "lz4"\ncompression_level = 99\n', r"compression_level: lz4 takes no level \(got 99\)"),
    ("[limits]\nextract_timeout_seconds = inf\n", r"'limits.extract_timeout_seconds': Input should be a finite number"),
    ("[limits]\nextract_timeout_seconds = 1e300\n", r"'limits.extract_timeout_seconds': Input should be less than"),
    ("[limits]\nmax_record_bytes = 9223372036854775807\n", r"'limits.max_record_bytes': Input should be less than"),
    ("[limits]\nmax_compression_ratio = nan\n", r"'limits.max_compression_ratio': Input should be a finite number"),
])
def test_values_a_run_would_fail_on_later_are_refused(tmp_path: Path, text: str, message: str):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_field_names_per_input(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('[input]\ntext_field = "body"\n[[input.fields]]\nmatch = "*.parquet"\ntext_field = "content"\n'
                    '[[input.fields]]\nmatch = "news/*.jsonl"\nhtml_field = "page"\nid_field = "uid"\n')
    fields = load_config(path).input
    assert fields.names_for("crawl/a.parquet").text_field == "content"
    assert fields.names_for("crawl/news/b.jsonl").model_dump() == {
        "text_field": "body", "html_field": "page", "id_field": "uid", "url_field": "url", "title_field": "title",
        "date_field": "published"}
    assert fields.names_for("crawl/other/b.jsonl").text_field == "body"
    path.write_text('[[input.fields]]\ntext_field = "content"\n')
    with pytest.raises(ConfigError, match=r"'input.fields.0.match': Field required"):
        load_config(path)
