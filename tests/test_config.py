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
        if header := re.match(r"#? ?\[([\w.]+)\]", line):
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
