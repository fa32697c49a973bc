"""Whether a config can be run, beyond its types: what pydantic cannot see without prep's code.

Checked before a run writes anything (a bad config is exit code 2, never a failed run half-way)
and by `prep validate-config`.
"""

from __future__ import annotations

from prep import stage
from prep.clean import STAGES as CLEAN_STAGES
from prep.clean.chrome.model import load_model
from prep.clean.page.model import load_model as load_page_model
from prep.clean.rules import check_pattern, resolve_rules
from prep.config import Config, ConfigError
from prep.dedup.keep import KEEP_RULES
from prep.schema import DOC_SCHEMA

# what the cleaning stages start from: the extracted documents, and the corpus-wide evidence
CLEAN_INPUT = (*(f"docs.{name}" for name in (*DOC_SCHEMA.names(), "text")), "corpus.template", "corpus.spread",
               "corpus.brands")


def check_config(config: Config, where: str = "config") -> None:
    """Raise ConfigError naming the first problem: a rule pattern polars cannot compile, an
    override of a rule that does not exist, a chrome model that cannot be loaded, or a Ray
    address for the local engine. The stages' order is checked first (a bug, not the config's)."""
    stage.check(CLEAN_STAGES, CLEAN_INPUT)
    if config.dedup.keep not in KEEP_RULES:
        choices = ", ".join(map(repr, KEEP_RULES))
        raise ConfigError(f"{where}: 'dedup.keep': one of {choices} (got {config.dedup.keep!r})")
    if config.run.address is not None and config.run.engine != "ray":
        raise ConfigError(f"{where}: run.address (--address) is for the ray engine: set run.engine = \"ray\" "
                          "or pass --engine ray")
    try:
        rules = resolve_rules(config.clean.rules)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from None
    for rule in rules:
        try:
            check_pattern(rule.pattern)
        except ValueError as err:
            raise ConfigError(f"{where}: rule pattern of clean.rules.{rule.name}: {err}") from None
    if config.clean.model.enabled and config.clean.model.path is not None:
        try:
            load_model(config.clean.model.path)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ConfigError(f"{where}: clean.model.path: cannot load {config.clean.model.path}: {err}") from None
    if config.clean.page.enabled and config.clean.page.path is not None:
        try:
            load_page_model(config.clean.page.path)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ConfigError(f"{where}: clean.page.path: cannot load {config.clean.page.path}: {err}") from None
