"""The config sections: strict, frozen, documented, and their TOML shape."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from prep.config import (
    C4Config,
    FineWebConfig,
    GatesConfig,
    GopherQualityConfig,
    GopherRepetitionConfig,
    LanguageConfig,
    PiiConfig,
    QualityConfig,
)

MODELS = [LanguageConfig, QualityConfig, GopherQualityConfig, GopherRepetitionConfig, C4Config, FineWebConfig,
          PiiConfig, GatesConfig]

PROPOSED = """
[language]
enabled = true
keep = ["en", "pt"]
min_score = 0.5

[quality]
languages = ["en", "und"]

[quality.gopher_repetition]
rules = ["max_dup_para_frac", "max_dup_line_frac"]
max_dup_line_frac = 0.35

[quality.c4]
rules = ["lorem_ipsum", "curly_bracket"]

[pii]
enabled = true
card = false
"""


def test_every_field_is_described():
    for model in MODELS:
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name}"


def test_proposed_toml_validates():
    raw = tomllib.loads(PROPOSED)
    assert LanguageConfig.model_validate(raw["language"]).keep == ["en", "pt"]
    quality = QualityConfig.model_validate(raw["quality"])
    assert quality.gopher_repetition.max_dup_line_frac == 0.35
    assert quality.c4.rules == ["lorem_ipsum", "curly_bracket"]
    assert PiiConfig.model_validate(raw["pii"]).card is False


@pytest.mark.parametrize(("model", "raw"), [
    (LanguageConfig, {"min_scor": 0.5}),               # unknown key
    (LanguageConfig, {"min_score": "0.5"}),            # strict: no string for a number
    (LanguageConfig, {"min_score": 1.5}),              # a share
    (LanguageConfig, {"enabled": "yes"}),
    (PiiConfig, {"email": 1}),
    (C4Config, {"min_sentences": 2.5}),
    (QualityConfig, {"fineweb": {"rules": ["max_list"]}}),
    (GatesConfig, {"max_c4_drop_rate": 2}),
])
def test_bad_values_are_errors(model, raw):
    with pytest.raises(ValidationError):
        model.model_validate(raw)


def test_sections_are_frozen():
    with pytest.raises(ValidationError):
        LanguageConfig().min_score = 0.3


def test_defaults():
    assert LanguageConfig().keep == [] and LanguageConfig().min_score == 0.0
    assert PiiConfig().enabled is False
    quality = QualityConfig()
    assert quality.gopher_quality.min_words == 50 and quality.gopher_repetition.max_dup_line_frac == 0.3
    assert "max_dup_line_frac" not in quality.gopher_repetition.rules   # published, but off by default
    assert quality.c4.rules == ["lorem_ipsum"] and quality.fineweb.rules == ["max_list_ratio"]
